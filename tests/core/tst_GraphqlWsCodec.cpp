// The GraphQL-over-WebSocket messages of both subprotocols read into protocol messages: every
// type, every required field checked, the operation's name found in the query.
#include "connection/ConnectionOptions.h"
#include "protocols/Protocol.h"
#include "protocols/graphql/GraphqlQueryInfo.h"
#include "protocols/graphql/GraphqlWsCodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace wst;
using Role = ProtocolMessage::Role;

Q_DECLARE_METATYPE(wst::ProtocolMessage::Role)

class tst_GraphqlWsCodec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void decode_data();
    void decode();
    void malformed_data();
    void malformed();
    void queryInfo_data();
    void queryInfo();
    void toJsonKeys();
    void prepareOffersSubprotocol();
    void validate();
    void notProtocolRows();

private:
    static std::shared_ptr<const Protocol> make(const QJsonObject &params = {});
};

std::shared_ptr<const Protocol> tst_GraphqlWsCodec::make(const QJsonObject &params)
{
    ProtocolOptions o;
    o.id = ProtocolId::GraphqlWs;
    o.params = params;
    return Protocol::create(o);
}

void tst_GraphqlWsCodec::decode_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<Role>("role");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("summary");

    // graphql-transport-ws
    QTest::newRow("connection_init") << QByteArray(R"({"type":"connection_init","payload":{"token":"t"}})")
                                     << Role::Handshake << "connection_init"
                                     << ""
                                     << ""
                                     << R"(connection_init {"token":"t"})";
    QTest::newRow("connection_ack") << QByteArray(R"({"type":"connection_ack"})") << Role::Handshake
                                    << "connection_ack"
                                    << ""
                                    << ""
                                    << "connection_ack";
    QTest::newRow("ping") << QByteArray(R"({"type":"ping"})") << Role::KeepAlive << "ping"
                          << ""
                          << ""
                          << "ping";
    QTest::newRow("pong") << QByteArray(R"({"type":"pong","payload":{"a":1}})") << Role::KeepAlive << "pong"
                          << ""
                          << ""
                          << R"(pong {"a":1})";
    QTest::newRow("subscribe named") << QByteArray(
        R"({"id":"1","type":"subscribe","payload":{"query":"subscription OnCount { count }"}})")
                                     << Role::Control << "subscribe"
                                     << "1"
                                     << "OnCount"
                                     << R"(subscribe OnCount #1 {"query":"subscription OnCount { count }"})";
    QTest::newRow("subscribe operationName")
        << QByteArray(
               R"({"id":"2","type":"subscribe","payload":{"query":"query A { a } query B { b }","operationName":"B"}})")
        << Role::Control << "subscribe"
        << "2"
        << "B"
        << R"(subscribe B #2 {"operationName":"B","query":"query A { a } query B { b }"})";
    QTest::newRow("subscribe anonymous")
        << QByteArray(R"({"id":"3","type":"subscribe","payload":{"query":"{ hello }","variables":null}})")
        << Role::Control << "subscribe"
        << "3"
        << "hello"
        << R"(subscribe hello #3 {"query":"{ hello }","variables":null})";
    QTest::newRow("next") << QByteArray(R"({"id":"1","type":"next","payload":{"data":{"count":3}}})")
                          << Role::Event << "next"
                          << "1"
                          << ""
                          << R"(next #1 {"data":{"count":3}})";
    QTest::newRow("error") << QByteArray(R"({"id":"1","type":"error","payload":[{"message":"bad"}]})")
                           << Role::Error << "error"
                           << "1"
                           << ""
                           << R"(error #1 [{"message":"bad"}])";
    QTest::newRow("complete") << QByteArray(R"({"id":"1","type":"complete"})") << Role::Reply << "complete"
                              << "1"
                              << ""
                              << "complete #1";
    // legacy graphql-ws (subscriptions-transport-ws)
    QTest::newRow("ka") << QByteArray(R"({"type":"ka"})") << Role::KeepAlive << "ka"
                        << ""
                        << ""
                        << "ka";
    QTest::newRow("start") << QByteArray(
        R"({"id":"7","type":"start","payload":{"query":"mutation Add { add }","variables":{"x":1}}})")
                           << Role::Control << "start"
                           << "7"
                           << "Add"
                           << R"(start Add #7 {"query":"mutation Add { add }","variables":{"x":1}})";
    QTest::newRow("data") << QByteArray(R"({"id":"7","type":"data","payload":{"data":{"add":2}}})")
                          << Role::Event << "data"
                          << "7"
                          << ""
                          << R"(data #7 {"data":{"add":2}})";
    QTest::newRow("legacy error") << QByteArray(R"({"id":"7","type":"error","payload":{"message":"nope"}})")
                                  << Role::Error << "error"
                                  << "7"
                                  << ""
                                  << R"(error #7 {"message":"nope"})";
    QTest::newRow("stop") << QByteArray(R"({"id":"7","type":"stop"})") << Role::Control << "stop"
                          << "7"
                          << ""
                          << "stop #7";
    QTest::newRow("legacy complete null")
        << QByteArray(R"({"id":"7","type":"complete","payload":null})") << Role::Reply << "complete"
        << "7"
        << ""
        << "complete #7 null";
    QTest::newRow("connection_error")
        << QByteArray(R"({"type":"connection_error","payload":{"message":"Forbidden"}})") << Role::Error
        << "connection_error"
        << ""
        << ""
        << R"(connection_error {"message":"Forbidden"})";
    QTest::newRow("connection_terminate")
        << QByteArray(R"({"type":"connection_terminate"})") << Role::Control << "connection_terminate"
        << ""
        << ""
        << "connection_terminate";
}

void tst_GraphqlWsCodec::decode()
{
    QFETCH(QByteArray, payload);
    QFETCH(Role, role);
    QFETCH(QString, type);
    QFETCH(QString, id);
    QFETCH(QString, name);
    QFETCH(QString, summary);
    for (const char *sub : { "graphql-transport-ws", "graphql-ws" }) {
        const ProtocolMessage m = make({ { QStringLiteral("subprotocol"), QLatin1String(sub) } })
                                      ->decode(Direction::In, Kind::Text, payload);
        QCOMPARE(m.error, QString());
        QCOMPARE(m.role, role);
        QCOMPARE(m.type, type);
        QCOMPARE(m.id, id);
        QCOMPARE(m.name, name);
        QCOMPARE(m.summary(), summary);
    }
}

void tst_GraphqlWsCodec::malformed_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("type");
    QTest::newRow("not json") << QByteArray("{\"type\":")
                              << "GraphQL: not JSON (unterminated object at offset 8)."
                              << "";
    QTest::newRow("empty") << QByteArray() << "GraphQL: not JSON (illegal value at offset 0)."
                           << "";
    QTest::newRow("array") << QByteArray("[1]") << "GraphQL: the message is not a JSON object."
                           << "";
    QTest::newRow("no type") << QByteArray(R"({"id":"1"})") << "GraphQL: the message has no \"type\"."
                             << "";
    QTest::newRow("type number") << QByteArray(R"({"type":3})") << "GraphQL: \"type\" must be a string."
                                 << "";
    QTest::newRow("unknown") << QByteArray(R"({"type":"hello"})")
                             << "GraphQL: unknown message type \"hello\"."
                             << "hello";
    QTest::newRow("next no id") << QByteArray(R"({"type":"next","payload":{}})")
                                << "GraphQL next: \"id\" is missing."
                                << "next";
    QTest::newRow("next id number") << QByteArray(R"({"type":"next","id":1,"payload":{}})")
                                    << "GraphQL next: \"id\" must be a non-empty string."
                                    << "next";
    QTest::newRow("complete empty id") << QByteArray(R"({"type":"complete","id":""})")
                                       << "GraphQL complete: \"id\" must be a non-empty string."
                                       << "complete";
    QTest::newRow("next no payload") << QByteArray(R"({"type":"next","id":"1"})")
                                     << "GraphQL next: \"payload\" must be an object (an execution result)."
                                     << "next";
    QTest::newRow("subscribe no payload") << QByteArray(R"({"type":"subscribe","id":"1"})")
                                          << "GraphQL subscribe: \"payload\" must be an object."
                                          << "subscribe";
    QTest::newRow("subscribe query number")
        << QByteArray(R"({"type":"subscribe","id":"1","payload":{"query":1}})")
        << "GraphQL subscribe: \"payload.query\" must be a string."
        << "subscribe";
    QTest::newRow("start variables array")
        << QByteArray(R"({"type":"start","id":"1","payload":{"query":"{a}","variables":[]}})")
        << "GraphQL start: \"payload.variables\" must be an object."
        << "start";
    QTest::newRow("operationName number")
        << QByteArray(R"({"type":"subscribe","id":"1","payload":{"query":"{a}","operationName":2}})")
        << "GraphQL subscribe: \"payload.operationName\" must be a string."
        << "subscribe";
    QTest::newRow("extensions string")
        << QByteArray(R"({"type":"subscribe","id":"1","payload":{"query":"{a}","extensions":"x"}})")
        << "GraphQL subscribe: \"payload.extensions\" must be an object."
        << "subscribe";
    QTest::newRow("error empty list")
        << QByteArray(R"({"type":"error","id":"1","payload":[]})")
        << "GraphQL error: \"payload\" must be a non-empty list of GraphQL errors."
        << "error";
    QTest::newRow("error without message")
        << QByteArray(R"({"type":"error","id":"1","payload":[{"msg":"x"}]})")
        << "GraphQL error: \"payload\" must be a non-empty list of GraphQL errors."
        << "error";
    QTest::newRow("ack payload string") << QByteArray(R"({"type":"connection_ack","payload":"x"})")
                                        << "GraphQL connection_ack: \"payload\" must be an object."
                                        << "connection_ack";
    QTest::newRow("ping payload array")
        << QByteArray(R"({"type":"ping","payload":[1]})") << "GraphQL ping: \"payload\" must be an object."
        << "ping";
}

void tst_GraphqlWsCodec::malformed()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, error);
    QFETCH(QString, type);
    const ProtocolMessage m = make()->decode(Direction::In, Kind::Text, payload);
    QCOMPARE(m.role, Role::Error);
    QCOMPARE(m.error, error);
    QCOMPARE(m.type, type);
    QCOMPARE(m.summary(), error);
}

void tst_GraphqlWsCodec::queryInfo_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("operation");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("field");
    QTest::newRow("shorthand") << "{ hello }"
                               << "query"
                               << ""
                               << "hello";
    QTest::newRow("named subscription") << "subscription OnCount($to: Int! = 3) { count(to: $to) }"
                                        << "subscription"
                                        << "OnCount"
                                        << "count";
    QTest::newRow("alias") << "subscription { c: count(to: 2) }"
                           << "subscription"
                           << ""
                           << "c";
    QTest::newRow("comments and strings")
        << "# query Fake { x }\n\"\"\"doc { query Nope }\"\"\" mutation Save { save(text: \"} query X {\") }"
        << "mutation"
        << "Save"
        << "save";
    QTest::newRow("fragment first") << "fragment F on T { a { b } }\nquery Q { ...F other }"
                                    << "query"
                                    << "Q"
                                    << "";
    QTest::newRow("directive default braces") << "query Q($o: In = {a: 1}) @live { items }"
                                              << "query"
                                              << "Q"
                                              << "items";
    QTest::newRow("nothing") << ""
                             << ""
                             << ""
                             << "";
    QTest::newRow("garbage") << "}}}{{ (("
                             << "query"
                             << ""
                             << "";
    QTest::newRow("unterminated string") << "query Q { a(s: \"x"
                                         << "query"
                                         << "Q"
                                         << "a";
}

void tst_GraphqlWsCodec::queryInfo()
{
    QFETCH(QString, query);
    QFETCH(QString, operation);
    QFETCH(QString, name);
    QFETCH(QString, field);
    const GraphqlQueryInfo info = GraphqlQueryInfo::scan(query);
    QCOMPARE(info.operation, operation);
    QCOMPARE(info.name, name);
    QCOMPARE(info.firstField, field);
}

void tst_GraphqlWsCodec::toJsonKeys()
{
    const auto p = make();
    const ProtocolMessage m
        = p->decode(Direction::In, Kind::Text, R"({"id":"1","type":"next","payload":{"data":{"n":1}}})");
    QCOMPARE(QJsonDocument(p->toJson(m)).toJson(QJsonDocument::Compact),
        QByteArray(R"({"id":"1","payload":{"data":{"n":1}},"role":"event","type":"next"})"));
    const ProtocolMessage withErrors = p->decode(Direction::In, Kind::Text,
        R"({"id":"2","type":"next","payload":{"errors":[{"message":"a"},{"message":"b"}]}})");
    QCOMPARE(withErrors.role, Role::Event);
    QCOMPARE(withErrors.fields, ProtocolFields({ { QStringLiteral("errors"), QStringLiteral("a; b") } }));
    const ProtocolMessage bad = p->decode(Direction::In, Kind::Text, "nope");
    QCOMPARE(p->toJson(bad).value(QStringLiteral("error")).toString(), bad.error);
}

void tst_GraphqlWsCodec::prepareOffersSubprotocol()
{
    ConnectionOptions o;
    make()->prepare(o);
    QCOMPARE(o.subprotocols, QStringList { QStringLiteral("graphql-transport-ws") });
    ConnectionOptions legacy;
    legacy.subprotocols = { QStringLiteral("x-custom") };
    make({ { QStringLiteral("subprotocol"), QStringLiteral("graphql-ws") } })->prepare(legacy);
    QCOMPARE(legacy.subprotocols, QStringList({ QStringLiteral("x-custom"), QStringLiteral("graphql-ws") }));
    ConnectionOptions own;
    own.subprotocols = { QStringLiteral("graphql-ws") };
    make()->prepare(own);
    QCOMPARE(own.subprotocols, QStringList { QStringLiteral("graphql-ws") });
    QCOMPARE(make({ { QStringLiteral("subprotocol"), QStringLiteral("graphql-ws") } })->serverSubprotocols(),
        QStringList({ QStringLiteral("graphql-ws"), QStringLiteral("graphql-transport-ws") }));
}

void tst_GraphqlWsCodec::validate()
{
    QCOMPARE(make()->validate(), QString());
    QCOMPARE(make({ { QStringLiteral("subprotocol"), QStringLiteral("mqtt") } })->validate(),
        QStringLiteral("GraphQL: \"subprotocol\" must be \"graphql-transport-ws\" or \"graphql-ws\"."));
    QCOMPARE(make({ { QStringLiteral("connectionParams"), QStringLiteral("token") } })->validate(),
        QStringLiteral("GraphQL: \"connectionParams\" must be a JSON object."));
    QCOMPARE(make({ { QStringLiteral("ackTimeoutMs"), -1 } })->validate(),
        QStringLiteral("GraphQL: \"ackTimeoutMs\" must be a number of 0 or more."));
    QVERIFY(make({ { QStringLiteral("failOperation"), QStringLiteral("(") } })
                ->validate()
                .startsWith(QStringLiteral("GraphQL: \"failOperation\" is not a regular expression: ")));
    QCOMPARE(make({ { QStringLiteral("failOperation"), 3 } })->validate(),
        QStringLiteral("GraphQL: \"failOperation\" must be a regular expression (a string)."));
    QCOMPARE(make({ { QStringLiteral("failOperation"), QStringLiteral("^Boom$") },
                      { QStringLiteral("count"), 3 } })
                 ->validate(),
        QString());
}

void tst_GraphqlWsCodec::notProtocolRows()
{
    QCOMPARE(make()->decode(Direction::Event, Kind::Open, "x").role, Role::None);
    QCOMPARE(make()->decode(Direction::In, Kind::Ping, R"({"type":"ping"})").role, Role::None);
}

QTEST_GUILESS_MAIN(tst_GraphqlWsCodec)
#include "tst_GraphqlWsCodec.moc"
