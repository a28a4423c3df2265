#pragma once

#include "ProtocolMessage.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QMetaType>

namespace wst {

// Something the user (composer, `wstester connect` options, a scenario step) asks a protocol to
// do. The protocol turns it into frames; a verb it does not know, or a field it needs and does
// not have, is refused with a message that says so.
//
// Verbs, per protocol:
//   socket.io:  "emit" (name = event, args, expectReply = wait for the ack)
//   graphql-ws: "subscribe" (data = {"query", "variables", "operationName"}; id optional),
//               "stop" (id) — queries and mutations are subscribe operations that end by themselves
//   stomp:      "subscribe" (name = destination, options.ack = auto|client|client-individual),
//               "unsubscribe" (id), "send" (name = destination, body, headers), "ack"/"nack" (id),
//               "begin"/"commit"/"abort" (id = transaction); expectReply asks for a RECEIPT
//   mqtt:       "subscribe" (name = topic filter, qos), "unsubscribe" (name), "publish" (name =
//               topic, body, qos, retain; headers = MQTT 5 user properties)
struct ProtocolCommand
{
    QString verb;
    QString name;
    QString id;
    QJsonArray args;
    QJsonValue data { QJsonValue::Undefined };
    QByteArray body;
    ProtocolFields headers;
    int qos = 0;
    bool retain = false;
    bool expectReply = false;
    QJsonObject options; // anything else a protocol reads (documented in its header)
    // Set by the connection (ClientConnection::submit): the Reply and Error notices that answer
    // this command carry it back, so that a caller tells its own reply from another's.
    quint64 ticket = 0;
};

// What a protocol tells the connection's owner besides the messages themselves.
struct ProtocolNotice
{
    enum class Type {
        Ready, // the protocol's handshake is done: queued commands went out
        Handshake, // fields for the handshake inspector (sid, ping interval, CONNACK, ...)
        Reply, // the answer to a command that asked for one: ack, RECEIPT, PUBACK/PUBCOMP, complete
        OperationStarted, // a subscription (or query) the user can stop: id + name
        OperationEnded, // it ended (completed, unsubscribed, failed): id (+ data: why)
        Error, // a protocol error the server reported (GraphQL error, STOMP ERROR, CONNACK refusal)
    };
    Type type = Type::Ready;
    QString id;
    QString name;
    qint64 rttUs = -1; // Reply: time from the command to its answer
    quint64 ticket = 0; // Reply, Error: the ticket of the command answered; 0: none known
    QJsonValue data { QJsonValue::Undefined };
    ProtocolFields fields;
};

} // namespace wst

Q_DECLARE_METATYPE(wst::ProtocolCommand)
Q_DECLARE_METATYPE(wst::ProtocolNotice)
