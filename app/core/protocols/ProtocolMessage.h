#pragma once

#include "messages/Message.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QPair>
#include <QString>

namespace wst {

using ProtocolFields = QList<QPair<QString, QString>>;

// One WebSocket message read as a protocol message: what the history's protocol columns, the
// filter, the detail pane and `wstester connect --protocol` show. Made by Protocol::decode() from
// the raw payload, which stays in the store (the raw frame is always one click away).
struct ProtocolMessage
{
    // What the message is for. KeepAlive and Handshake rows can be hidden in the history.
    enum class Role { None, Event, Reply, Control, KeepAlive, Handshake, Error };

    Role role = Role::None; // None: not a protocol message (a raw tab, an Open or Close row)
    // The protocol's own name for the packet: "EVENT", "ACK", "CONNECT" (Socket.IO), "next",
    // "subscribe", "error" (GraphQL), "MESSAGE", "SEND" (STOMP), "PUBLISH", "PUBACK" (MQTT).
    QString type;
    // The history's "Event / topic" column: Socket.IO event name, GraphQL operation name,
    // STOMP destination, MQTT topic. Empty when the packet has none.
    QString name;
    // The "Id" column: Socket.IO ack id, GraphQL operation id, STOMP subscription / receipt /
    // message id, MQTT packet identifier. Empty when none.
    QString id;
    int qos = -1; // MQTT QoS of a PUBLISH or SUBSCRIBE; -1 when not applicable
    // The decoded content: Socket.IO args (an array), GraphQL payload, STOMP body or MQTT payload
    // as JSON when it parses as JSON; undefined otherwise (then `body` holds the bytes).
    QJsonValue data { QJsonValue::Undefined };
    QByteArray body; // STOMP body / MQTT payload as bytes; empty when `data` says it all
    // Everything else, in order, for the detail pane: headers, properties, flags, reason codes
    // ("namespace" = "/admin", "retain" = "true", "heart-beat" = "10000,10000", ...).
    ProtocolFields fields;
    // Non-empty when the payload is not a valid message of the protocol: why, in one line
    // (role is then Error). Never a crash: every decoder is fuzzed.
    QString error;
    // Socket.IO: binary attachments that follow this packet as binary messages.
    int attachments = 0;

    bool isProtocol() const { return role != Role::None; }
    // One line for the history's preview column and the headless output, e.g.
    // `EVENT chat ["hi"]`, `next #1 {"data":{"count":3}}`, `MESSAGE /topic/a {"x":1}`.
    QString summary() const;
    // Several lines for the detail pane: the packet, its name/id/QoS, every field, then the
    // content (pretty JSON, or the body as text). The raw message stays in the other views.
    QString detailText() const;
    // The generic JSON form: {"type", "role", "name"?, "id"?, "qos"?, "data"|"body", "fields"?,
    // "error"?}. `wstester connect --json` prints Protocol::toJson(), which each protocol extends
    // with its own keys (event/args, id/payload, destination/headers/body, topic/qos/payload).
    QJsonObject toJson() const;
    static QString roleName(Role role);
};

} // namespace wst
