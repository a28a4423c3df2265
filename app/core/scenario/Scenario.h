#pragma once

#include "compose/MessageFormat.h"
#include "format/DecoderSetting.h"
#include "format/JsonPath.h"
#include "protocols/ProtocolCommand.h"
#include "protocols/ProtocolOptions.h"

#include <QJsonValue>
#include <QList>
#include <QMap>
#include <QPair>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace wst {

class PayloadCodec;

// JavaScript that a script step or an onMessage hook runs (ScenarioScript; the API is in the
// README, "Scripts"). Read when the file is parsed: a "file" script is read then, too.
struct ScriptSource
{
    QString code;
    QString file; // the script's file as written, for messages ("check.js:3"); empty: inline
    int timeoutMs = 1000;
    static constexpr int MaxTimeoutMs = 10000; // the window waits this long at most
    static constexpr qint64 MaxFileBytes = 1024 * 1024;
    bool isEmpty() const { return code.isEmpty(); }
};

// A scenario file (*.wstest.json) as ScenarioParser reads it: named connections and the steps
// that ScenarioRunner runs in order. Text fields keep their {{variables}}: they are filled when
// the step runs, so that a value saved by one step is used by the next.
struct ScenarioConnection
{
    QString name;
    QString url;
    QList<QPair<QString, QString>> headers;
    QStringList subprotocols;
    QString origin;
    // Socket.IO, GraphQL, STOMP or MQTT: expects then match decoded protocol messages and
    // "command" steps send protocol commands. String params may hold {{variables}}.
    ProtocolOptions protocol;
    ScriptSource onMessage; // run for every message this connection receives
    // "decoder": how binary messages are read and written, as a tab's (protobuf, msgpack, cbor, bson):
    // "protobuf"/"msgpack"/"cbor"/"bson" sends encode with it, and expects read a binary message that
    // decodes as its JSON. .proto paths are resolved against the scenario's folder.
    DecoderSetting decoder;
    std::shared_ptr<const PayloadCodec> codec; // made from decoder when the file is read
};

// One condition on a JSON value at a path: "$.op": "welcome", "$.n": {">": 3}, …
struct JsonCheck
{
    enum class Op { Equals, Exists, Missing, Matches, Less, LessOrEqual, Greater, GreaterOrEqual };
    QString pathText;
    JsonPath path;
    Op op = Op::Equals;
    QJsonValue value; // Equals: the expected value (strings may hold {{variables}}); compares: a number
    QString pattern; // Matches
};

// What a received message must be. Every condition given must hold; none given: any message.
struct MessageMatcher
{
    std::optional<QString> exact;
    std::optional<QString> contains;
    std::optional<QString> regex;
    QList<JsonCheck> json;
    std::optional<QString> hex; // binary equals, written in hex
    std::optional<QString> base64; // binary equals, written in base64
    // On a connection with a protocol (every text condition above then applies to the decoded
    // content: Socket.IO args, GraphQL payload, STOMP body, MQTT payload):
    std::optional<QString> protocolType; // "EVENT", "next", "MESSAGE", "PUBLISH" (any case)
    std::optional<QString> protocolName; // event name, topic, destination or operation name
    QString protocolNameKey; // the key it was written with: "event", "topic", ...
    std::optional<QString> protocolId;
    std::optional<int> qos;
    bool raw = false; // match the raw WebSocket message even on a protocol connection
    bool isEmpty() const;
    bool hasProtocolConditions() const { return protocolType || protocolName || protocolId || qos; }
};

// What to keep from the matched message: a JSON path's value or a regular expression's group.
struct SaveRule
{
    QString variable;
    std::optional<JsonPath> path;
    QString pattern; // when path is empty
    int group = 1;
};

struct ScenarioStep
{
    enum class Type { Connect, Send, Expect, ExpectNone, ExpectClose, Wait, Ping, Close, Script, Command };
    Type type = Type::Wait;
    int number = 0; // 1-based, as the file is read and as every message names it
    int line = 0; // where the step's object starts in its file (1-based; 0: not known)
    QString name; // the step's own "name", if any
    QString connection;
    int withinMs = 5000; // Connect, Expect, ExpectClose, Ping, Close; ExpectNone's "for"; Wait
    bool strict = false;

    // Connect
    int expectStatus = 101;
    std::optional<QString> expectSubprotocol;
    QList<QPair<QString, std::optional<QString>>> expectHeaders; // no value: the header is there

    // Send: the body as written (a path for File)
    MessageFormat::Type format = MessageFormat::Type::Text;
    QString body;

    // Expect, ExpectNone
    MessageMatcher matcher;
    QList<SaveRule> saves;

    // Ping
    QString pingPayload;

    // Close (what we send), ExpectClose and Close (what must come back; -1: any)
    int closeCode = 1000;
    QString closeReason;
    int expectCloseCode = -1;

    // Script ("connection" may be empty: no msg)
    ScriptSource script;

    // Command: a protocol command; its strings (name, id, body, args, data, headers) may hold
    // {{variables}}. With command.expectReply the step waits "within" for the reply (Socket.IO
    // ack, STOMP RECEIPT, MQTT PUBACK/PUBCOMP/SUBACK, GraphQL complete) and "save" reads it.
    ProtocolCommand command;
};

struct Scenario
{
    QString file; // as given, for reports
    QString folder; // the file's folder: relative "file" sends are read from here
    QString name;
    QMap<QString, QString> variables;
    QList<ScenarioConnection> connections;
    QList<ScenarioStep> steps;
    ScriptSource onMessage; // run for every message any connection receives

    const ScenarioConnection *connection(const QString &name) const;
};

} // namespace wst
