#pragma once

#include <QCoreApplication>
#include <QJsonValue>
#include <QString>

namespace wst {

// The JSON messages of both GraphQL-over-WebSocket subprotocols:
//   graphql-transport-ws (the graphql-ws library): connection_init, connection_ack, ping, pong,
//     subscribe, next, error (payload: a list of GraphQL errors), complete;
//   graphql-ws (the legacy subscriptions-transport-ws): connection_init, connection_ack, ka,
//     connection_error, connection_terminate, start, data, error (payload: an object), stop,
//     complete.
// The type names do not collide, so one parser reads both (a local server accepts either).
// Every field the protocols require is checked; a problem is one line naming the field.
class GraphqlWsCodec
{
    Q_DECLARE_TR_FUNCTIONS(GraphqlWsCodec)
public:
    static constexpr const char *TransportWs = "graphql-transport-ws";
    static constexpr const char *Legacy = "graphql-ws";

    struct Frame
    {
        QString type;
        QString id; // empty when the message has none
        QJsonValue payload { QJsonValue::Undefined }; // undefined when absent
    };

    // Parses and checks one message. On a problem returns false and sets *error (the frame
    // keeps what could be read: its type and id, for the history's columns).
    static bool parse(const QByteArray &text, Frame *frame, QString *error);
    // A null or undefined payload is left out.
    static QString serialize(const QString &type, const QString &id = {}, const QJsonValue &payload = {});

    // Whether `type` belongs to the subprotocol (messages common to both belong to both).
    static bool isTypeOf(const QString &type, bool legacy);
    // "message one; message two" from a list of GraphQL errors (or one error object).
    static QString errorMessages(const QJsonValue &errors);
    // The errors of an execution result ({"data", "errors"}): empty when none.
    static QString resultErrors(const QJsonValue &result);
};

} // namespace wst
