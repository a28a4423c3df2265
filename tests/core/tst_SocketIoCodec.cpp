// Socket.IO / Engine.IO packets both ways (parse and encode), the stateless decode() the history
// uses, toJson(), prepare()'s URL and validate(): a malformed packet is an Error row that says why.
#include "connection/ConnectionOptions.h"
#include "protocols/Protocol.h"
#include "protocols/socketio/SocketIoCodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace wst;
using Codec = SocketIoCodec;

class tst_SocketIoCodec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void engine();
    void packets_data();
    void packets();
    void malformed_data();
    void malformed();
    void encode();
    void header();
    void placeholders();
    void decodeRows();
    void decodeMalformedIsError();
    void toJsonKeys();
    void prepareUrl();
    void validate();

private:
    static std::shared_ptr<const Protocol> make(const QJsonObject &params = {});
};

std::shared_ptr<const Protocol> tst_SocketIoCodec::make(const QJsonObject &params)
{
    ProtocolOptions options;
    options.id = ProtocolId::SocketIo;
    options.params = params;
    return Protocol::create(options);
}

void tst_SocketIoCodec::engine()
{
    QString error;
    auto p = Codec::parseEngine("2", &error);
    QVERIFY(p);
    QCOMPARE(p->type, Codec::EngineType::Ping);
    p = Codec::parseEngine("3probe", &error);
    QVERIFY(p);
    QCOMPARE(p->type, Codec::EngineType::Pong);
    QCOMPARE(p->data, QByteArray("probe"));
    p = Codec::parseEngine("0{\"sid\":\"a\"}", &error);
    QVERIFY(p);
    QCOMPARE(p->type, Codec::EngineType::Open);
    QVERIFY(!Codec::parseEngine("", &error));
    QVERIFY(error.contains(QLatin1String("empty")));
    QVERIFY(!Codec::parseEngine("9x", &error));
    QVERIFY2(error.contains(QLatin1String("'9'")), qPrintable(error));
    QVERIFY(!Codec::parseEngine(QByteArray("\x04", 1), &error));
    QVERIFY2(error.contains(QLatin1String("0x04")), qPrintable(error));
    QCOMPARE(Codec::engineFrame(Codec::EngineType::Pong, "probe"), QStringLiteral("3probe"));
}

void tst_SocketIoCodec::packets_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<qint64>("id");
    QTest::addColumn<int>("attachments");
    QTest::addColumn<QByteArray>("data"); // compact JSON, empty when none

    QTest::newRow("connect") << QByteArray("0") << 0 << QStringLiteral("/") << qint64(-1) << 0
                             << QByteArray();
    QTest::newRow("connect auth") << QByteArray("0/admin,{\"token\":\"x\"}") << 0 << QStringLiteral("/admin")
                                  << qint64(-1) << 0 << QByteArray("{\"token\":\"x\"}");
    QTest::newRow("disconnect nsp") << QByteArray("1/admin,") << 1 << QStringLiteral("/admin") << qint64(-1)
                                    << 0 << QByteArray();
    QTest::newRow("event") << QByteArray("2[\"chat\",{\"text\":\"hi\"}]") << 2 << QStringLiteral("/")
                           << qint64(-1) << 0 << QByteArray("[\"chat\",{\"text\":\"hi\"}]");
    QTest::newRow("event nsp id") << QByteArray("2/admin,12[\"a\"]") << 2 << QStringLiteral("/admin")
                                  << qint64(12) << 0 << QByteArray("[\"a\"]");
    QTest::newRow("ack") << QByteArray("31[1,\"x\"]") << 3 << QStringLiteral("/") << qint64(1) << 0
                         << QByteArray("[1,\"x\"]");
    QTest::newRow("connect error") << QByteArray("4{\"message\":\"nope\"}") << 4 << QStringLiteral("/")
                                   << qint64(-1) << 0 << QByteArray("{\"message\":\"nope\"}");
    QTest::newRow("connect error v2 string")
        << QByteArray("4/admin,\"nope\"") << 4 << QStringLiteral("/admin") << qint64(-1) << 0
        << QByteArray("\"nope\"");
    QTest::newRow("binary event") << QByteArray("51-[\"file\",{\"_placeholder\":true,\"num\":0}]") << 5
                                  << QStringLiteral("/") << qint64(-1) << 1
                                  << QByteArray("[\"file\",{\"_placeholder\":true,\"num\":0}]");
    QTest::newRow("binary ack") << QByteArray("62-/admin,7[{\"_placeholder\":true,\"num\":1}]") << 6
                                << QStringLiteral("/admin") << qint64(7) << 2
                                << QByteArray("[{\"_placeholder\":true,\"num\":1}]");
}

void tst_SocketIoCodec::packets()
{
    QFETCH(QByteArray, text);
    QString error;
    const auto p = Codec::parsePacket(text, &error);
    QVERIFY2(p, qPrintable(error));
    QTEST(int(p->type), "type");
    QTEST(p->nsp, "nsp");
    QTEST(p->id, "id");
    QTEST(p->attachments, "attachments");
    QFETCH(QByteArray, data);
    if (data.isEmpty()) {
        QVERIFY(p->data.isUndefined());
    } else {
        const QByteArray got = QJsonDocument(QJsonArray { p->data }).toJson(QJsonDocument::Compact);
        QCOMPARE(got, '[' + data + ']');
    }
    // And back: the same bytes.
    QCOMPARE(Codec::encodePacket(*p), text);
}

void tst_SocketIoCodec::malformed_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("says");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("empty");
    QTest::newRow("type 7") << QByteArray("7[\"a\"]") << QStringLiteral("'7'");
    QTest::newRow("not json") << QByteArray("2[\"a\"") << QStringLiteral("not JSON");
    QTest::newRow("event object") << QByteArray("2{\"a\":1}")
                                  << QStringLiteral("array starting with the event name");
    QTest::newRow("event empty") << QByteArray("2[]") << QStringLiteral("array starting with the event name");
    QTest::newRow("event no payload")
        << QByteArray("2") << QStringLiteral("array starting with the event name");
    QTest::newRow("event name object")
        << QByteArray("2[{}]") << QStringLiteral("array starting with the event name");
    QTest::newRow("ack no id") << QByteArray("3[1]") << QStringLiteral("no ack id");
    QTest::newRow("ack object") << QByteArray("31{}") << QStringLiteral("must be an array");
    QTest::newRow("binary no dash") << QByteArray("51[\"a\"]") << QStringLiteral("attachment count");
    QTest::newRow("binary no count") << QByteArray("5-[\"a\"]") << QStringLiteral("attachment count");
    QTest::newRow("binary huge count")
        << QByteArray("599999999-[\"a\"]") << QStringLiteral("attachment count");
    QTest::newRow("connect array") << QByteArray("0[1]") << QStringLiteral("JSON object");
    QTest::newRow("connect error number") << QByteArray("42") << QStringLiteral("object or a string");
    QTest::newRow("id too long") << QByteArray("31234567890123456789[1]") << QStringLiteral("too long");
    QTest::newRow("trailing garbage") << QByteArray("2[\"a\"]x") << QStringLiteral("not JSON");
}

void tst_SocketIoCodec::malformed()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, says);
    QString error;
    QVERIFY(!Codec::parsePacket(text, &error));
    QVERIFY2(error.contains(says), qPrintable(error));
    QVERIFY(error.startsWith(QLatin1String("Socket.IO: ")));
}

void tst_SocketIoCodec::encode()
{
    Codec::Packet p;
    p.type = Codec::PacketType::Event;
    p.nsp = QStringLiteral("/admin");
    p.id = 3;
    p.data
        = QJsonArray { QStringLiteral("chat"), QJsonObject { { QStringLiteral("t"), QStringLiteral("é") } } };
    QCOMPARE(Codec::encodeMessage(p), QStringLiteral("42/admin,3[\"chat\",{\"t\":\"é\"}]"));
    Codec::Packet c;
    c.type = Codec::PacketType::Connect;
    QCOMPARE(Codec::encodeMessage(c), QStringLiteral("40"));
    QCOMPARE(Codec::attachmentFrame("ab", 3),
        QByteArray("\x04"
                   "ab"));
    QCOMPARE(Codec::attachmentFrame("ab", 4), QByteArray("ab"));
    QCOMPARE(Codec::attachmentBytes(QByteArray("\x04"
                                               "ab"),
                 3),
        QByteArray("ab"));
    QCOMPARE(Codec::attachmentBytes(QByteArray("\x04"
                                               "ab"),
                 4),
        QByteArray("\x04"
                   "ab"));
    QVERIFY(Codec::isReservedEvent(QStringLiteral("disconnect")));
    QVERIFY(!Codec::isReservedEvent(QStringLiteral("chat")));
    QCOMPARE(Codec::newSid().size(), 20);
    QVERIFY(Codec::newSid() != Codec::newSid());
}

void tst_SocketIoCodec::header()
{
    // The client's fast path reads only this for every event of a flood.
    Codec::Header h;
    QString error;
    QVERIFY(Codec::parseHeader("2/admin,12[\"a\"]", &h, &error));
    QCOMPARE(h.type, Codec::PacketType::Event);
    QVERIFY(h.isNamespace(QStringLiteral("/admin")));
    QVERIFY(!h.isNamespace(QStringLiteral("/")));
    QCOMPARE(h.id, qint64(12));
    QCOMPARE(h.payloadOffset, 10);
    QVERIFY(Codec::parseHeader("2[\"a\"]", &h, &error));
    QVERIFY(h.isNamespace(QStringLiteral("/")));
    QVERIFY(!h.isNamespace(QStringLiteral("/admin")));
    QCOMPARE(h.payloadOffset, 1);
    QVERIFY(Codec::parseHeader("52-/ä,[\"a\"]", &h, &error));
    QCOMPARE(h.attachments, 2);
    QVERIFY(h.isNamespace(QStringLiteral("/ä")));
    QVERIFY(!Codec::parseHeader("", &h, &error));
    QVERIFY(!Codec::parseHeader("5[1]", &h, &error));
}

void tst_SocketIoCodec::placeholders()
{
    const QJsonValue args = QJsonDocument::fromJson(
        "[{\"name\":\"a\",\"data\":{\"_placeholder\":true,\"num\":1}},{\"_placeholder\":true,\"num\":0},"
        "{\"_placeholder\":true,\"num\":5}]")
                                .array();
    const QJsonArray filled
        = Codec::fillPlaceholders(args, { QByteArray("\x01\x02\x03"), QByteArray("ok") }).toArray();
    QCOMPARE(filled.at(0)
                 .toObject()
                 .value(QStringLiteral("data"))
                 .toObject()
                 .value(QStringLiteral("base64"))
                 .toString(),
        QStringLiteral("b2s="));
    QCOMPARE(filled.at(1).toObject().value(QStringLiteral("_binary")).toInt(), 3);
    QCOMPARE(filled.at(1).toObject().value(QStringLiteral("base64")).toString(), QStringLiteral("AQID"));
    // A placeholder with no attachment stays as it came.
    QVERIFY(filled.at(2).toObject().value(QStringLiteral("_placeholder")).toBool());
    const QJsonObject big = Codec::fillPlaceholders(
        QJsonDocument::fromJson("[{\"_placeholder\":true,\"num\":0}]").array(), { QByteArray(5000, 'x') })
                                .toArray()
                                .first()
                                .toObject();
    QCOMPARE(big.value(QStringLiteral("_binary")).toInt(), 5000);
    QVERIFY(big.value(QStringLiteral("truncated")).toBool());
}

void tst_SocketIoCodec::decodeRows()
{
    const auto sio = make();
    ProtocolMessage m = sio->decode(Direction::In, Kind::Text, "42[\"chat\",{\"text\":\"hi\"}]");
    QCOMPARE(m.role, ProtocolMessage::Role::Event);
    QCOMPARE(m.type, QStringLiteral("EVENT"));
    QCOMPARE(m.name, QStringLiteral("chat"));
    QCOMPARE(
        m.data, QJsonValue(QJsonArray { QJsonObject { { QStringLiteral("text"), QStringLiteral("hi") } } }));
    QCOMPARE(m.summary(), QStringLiteral("EVENT chat [{\"text\":\"hi\"}]"));

    m = sio->decode(Direction::In, Kind::Text, "431[\"ok\"]");
    QCOMPARE(m.role, ProtocolMessage::Role::Reply);
    QCOMPARE(m.type, QStringLiteral("ACK"));
    QCOMPARE(m.id, QStringLiteral("1"));

    m = sio->decode(Direction::In, Kind::Text,
        "0{\"sid\":\"abc\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":"
        "1000000}");
    QCOMPARE(m.role, ProtocolMessage::Role::Handshake);
    QCOMPARE(m.type, QStringLiteral("OPEN"));
    QVERIFY(m.fields.contains({ QStringLiteral("sid"), QStringLiteral("abc") }));
    QVERIFY(m.fields.contains({ QStringLiteral("pingInterval"), QStringLiteral("25000") }));
    QVERIFY(m.fields.contains({ QStringLiteral("maxPayload"), QStringLiteral("1000000") }));

    m = sio->decode(Direction::In, Kind::Text, "40/admin,{\"sid\":\"nsid\"}");
    QCOMPARE(m.role, ProtocolMessage::Role::Handshake);
    QCOMPARE(m.type, QStringLiteral("CONNECT"));
    QVERIFY(m.fields.contains({ QStringLiteral("namespace"), QStringLiteral("/admin") }));
    QVERIFY(m.fields.contains({ QStringLiteral("sid"), QStringLiteral("nsid") }));

    QCOMPARE(sio->decode(Direction::In, Kind::Text, "2").role, ProtocolMessage::Role::KeepAlive);
    QCOMPARE(sio->decode(Direction::Out, Kind::Text, "3").type, QStringLiteral("PONG"));
    QCOMPARE(sio->decode(Direction::In, Kind::Text, "6").role, ProtocolMessage::Role::KeepAlive);
    QCOMPARE(sio->decode(Direction::In, Kind::Text, "1").role, ProtocolMessage::Role::Control);
    QCOMPARE(
        sio->decode(Direction::In, Kind::Text, "44{\"message\":\"no\"}").role, ProtocolMessage::Role::Error);
    QCOMPARE(sio->decode(Direction::In, Kind::Ping, "2").role, ProtocolMessage::Role::None);

    m = sio->decode(Direction::In, Kind::Text, "451-[\"file\",{\"_placeholder\":true,\"num\":0}]");
    QCOMPARE(m.type, QStringLiteral("BINARY_EVENT"));
    QCOMPARE(m.attachments, 1);
    QCOMPARE(m.name, QStringLiteral("file"));

    m = sio->decode(Direction::In, Kind::Binary, QByteArray("\x01\x02", 2));
    QCOMPARE(m.role, ProtocolMessage::Role::Event);
    QCOMPARE(m.type, QStringLiteral("ATTACHMENT"));
    QCOMPARE(m.body, QByteArray("\x01\x02", 2));
    QVERIFY(m.fields.contains({ QStringLiteral("size"), QStringLiteral("2") }));
    QVERIFY(!m.fields.last().second.isEmpty()); // says it cannot know the event
    // No data is no data: not a JSON null in the history's summary or in --json.
    QVERIFY(m.data.isUndefined());
    QVERIFY(!sio->toJson(m).contains(QStringLiteral("data")));
    QCOMPARE(sio->decode(Direction::In, Kind::Text, "2").summary(), QStringLiteral("PING"));
    QCOMPARE(sio->decode(Direction::Out, Kind::Text, "40").summary(), QStringLiteral("CONNECT"));
    // Engine.IO v3 attachments carry a 0x04 byte in front.
    QCOMPARE(make({ { QStringLiteral("eio"), 3 } })
                 ->decode(Direction::In, Kind::Binary, QByteArray("\x04\x01", 2))
                 .body,
        QByteArray("\x01", 1));
}

void tst_SocketIoCodec::decodeMalformedIsError()
{
    const auto sio = make();
    for (const QByteArray &bad : { QByteArray(), QByteArray("x"), QByteArray("4"), QByteArray("42{"),
             QByteArray("0not json"), QByteArray("43[1]"), QByteArray("45[\"a\"]") }) {
        const ProtocolMessage m = sio->decode(Direction::In, Kind::Text, bad);
        QCOMPARE(m.role, ProtocolMessage::Role::Error);
        QVERIFY2(!m.error.isEmpty(), bad.constData());
        QCOMPARE(m.summary(), m.error);
        QVERIFY(!sio->toJson(m).value(QStringLiteral("error")).toString().isEmpty());
    }
}

void tst_SocketIoCodec::toJsonKeys()
{
    const auto sio = make();
    QJsonObject o = sio->toJson(sio->decode(Direction::In, Kind::Text, "42/admin,5[\"chat\",1,\"two\"]"));
    QCOMPARE(o.value(QStringLiteral("event")).toString(), QStringLiteral("chat"));
    QCOMPARE(o.value(QStringLiteral("args")).toArray(), (QJsonArray { 1, QStringLiteral("two") }));
    QCOMPARE(o.value(QStringLiteral("id")).toInt(), 5);
    QCOMPARE(o.value(QStringLiteral("namespace")).toString(), QStringLiteral("/admin"));
    QCOMPARE(o.value(QStringLiteral("role")).toString(), QStringLiteral("event"));
    o = sio->toJson(sio->decode(Direction::In, Kind::Text, "4337[\"ok\"]"));
    QCOMPARE(o.value(QStringLiteral("type")).toString(), QStringLiteral("ACK"));
    QCOMPARE(o.value(QStringLiteral("id")).toInt(), 37);
    QCOMPARE(o.value(QStringLiteral("args")).toArray(), QJsonArray { QStringLiteral("ok") });
    QCOMPARE(o.value(QStringLiteral("namespace")).toString(), QStringLiteral("/"));
}

void tst_SocketIoCodec::prepareUrl()
{
    auto prepared = [](const QJsonObject &params, const char *url) {
        ConnectionOptions options;
        options.url = QUrl(QString::fromLatin1(url));
        make(params)->prepare(options);
        return options.url.toString();
    };
    QCOMPARE(prepared({}, "ws://127.0.0.1:3000/"),
        QStringLiteral("ws://127.0.0.1:3000/socket.io/?EIO=4&transport=websocket"));
    QCOMPARE(prepared({}, "ws://h:1"), QStringLiteral("ws://h:1/socket.io/?EIO=4&transport=websocket"));
    QCOMPARE(prepared({}, "ws://h:1/?token=a"),
        QStringLiteral("ws://h:1/socket.io/?token=a&EIO=4&transport=websocket"));
    QCOMPARE(prepared({ { QStringLiteral("eio"), 3 } }, "ws://h:1/"),
        QStringLiteral("ws://h:1/socket.io/?EIO=3&transport=websocket"));
    QCOMPARE(prepared({ { QStringLiteral("path"), QStringLiteral("/ws/") } }, "ws://h:1/"),
        QStringLiteral("ws://h:1/ws/?EIO=4&transport=websocket"));
    QCOMPARE(prepared({}, "ws://h:1/api/socket.io/"),
        QStringLiteral("ws://h:1/api/socket.io/?EIO=4&transport=websocket"));
    QCOMPARE(prepared({}, "wss://h/socket.io/?EIO=4&transport=websocket&x=1"),
        QStringLiteral("wss://h/socket.io/?EIO=4&transport=websocket&x=1"));
}

void tst_SocketIoCodec::validate()
{
    QCOMPARE(make()->validate(), QString());
    QCOMPARE(
        make({ { QStringLiteral("namespace"), QStringLiteral("/admin") },
                 { QStringLiteral("auth"), QJsonObject { { QStringLiteral("token"), QStringLiteral("x") } } },
                 { QStringLiteral("eio"), 3 } })
            ->validate(),
        QString());
    QVERIFY(make({ { QStringLiteral("namespace"), QStringLiteral("admin") } })
                ->validate()
                .contains(QLatin1String("namespace")));
    QVERIFY(make({ { QStringLiteral("auth"), QStringLiteral("{not json") } })
                ->validate()
                .contains(QLatin1String("auth")));
    QVERIFY(make({ { QStringLiteral("eio"), 5 } })->validate().contains(QLatin1String("eio")));
    QVERIFY(make({ { QStringLiteral("mode"), QStringLiteral("shout") } })
                ->validate()
                .contains(QLatin1String("mode")));
    QVERIFY(make({ { QStringLiteral("path"), QStringLiteral("x") } })
                ->validate()
                .contains(QLatin1String("path")));
}

QTEST_GUILESS_MAIN(tst_SocketIoCodec)
#include "tst_SocketIoCodec.moc"
