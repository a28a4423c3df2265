#include "ServerSettingsJson.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <utility>

namespace wst {

namespace {

const char *const BehaviourKeys[] = { "echo", "broadcast", "broadcast-others", "manual", "rules" };

QJsonArray toArray(const QStringList &list)
{
    QJsonArray array;
    for (const QString &s : list)
        array.append(s);
    return array;
}

QStringList toList(const QJsonValue &value)
{
    QStringList list;
    for (const QJsonValue &v : value.toArray())
        list.append(v.toString());
    return list;
}

} // namespace

QJsonObject ServerSettingsJson::toJson(const ServerOptions &options)
{
    QJsonObject o;
    o.insert(QLatin1StringView("address"), options.address.toString());
    o.insert(QLatin1StringView("port"), int(options.port));
    o.insert(QLatin1StringView("certificateFile"), options.certificateFile);
    o.insert(QLatin1StringView("keyFile"), options.keyFile);
    o.insert(QLatin1StringView("behaviour"), QLatin1StringView(BehaviourKeys[int(options.behaviour)]));
    o.insert(QLatin1StringView("rules"), QJsonDocument::fromJson(ReplyRules::toJson(options.rules)).object());
    o.insert(QLatin1StringView("greeting"), options.greeting);
    o.insert(QLatin1StringView("pushIntervalMs"), options.pushIntervalMs);
    o.insert(QLatin1StringView("pushText"), options.pushText);
    o.insert(QLatin1StringView("subprotocols"), toArray(options.subprotocols));
    o.insert(QLatin1StringView("allowedOrigins"), toArray(options.allowedOrigins));
    o.insert(QLatin1StringView("maxClients"), options.maxClients);
    o.insert(QLatin1StringView("maxMessageSize"), options.maxMessageSize);
    o.insert(QLatin1StringView("maxSendBuffer"), options.maxSendBuffer);
    o.insert(QLatin1StringView("deflate"), options.deflate);
    if (!options.protocol.isRaw())
        o.insert(QLatin1StringView("protocol"), options.protocol.toJson());
    if (!options.faults.isEmpty() || options.faults.seed != 0)
        o.insert(QLatin1StringView("faults"), options.faults.toJson());
    return o;
}

ServerOptions ServerSettingsJson::fromJson(const QJsonObject &o, QString *error)
{
    ServerOptions options;
    QString problem;
    auto wrongType = [&problem](const char *key) {
        if (problem.isEmpty())
            problem = tr("The server setting \u201c%1\u201d has the wrong type.").arg(QLatin1StringView(key));
    };
    if (o.contains(QLatin1StringView("address"))) {
        const QHostAddress address(o.value(QLatin1StringView("address")).toString());
        if (address.isNull())
            wrongType("address");
        else
            options.address = address;
    }
    if (o.contains(QLatin1StringView("port"))) {
        const int port = o.value(QLatin1StringView("port")).toInt(-1);
        if (port < 0 || port > 65535)
            wrongType("port");
        else
            options.port = quint16(port);
    }
    options.certificateFile = o.value(QLatin1StringView("certificateFile")).toString();
    options.keyFile = o.value(QLatin1StringView("keyFile")).toString();
    const QString behaviour = o.value(QLatin1StringView("behaviour")).toString(QStringLiteral("echo"));
    bool known = false;
    for (int i = 0; i < int(std::size(BehaviourKeys)); ++i) {
        if (behaviour == QLatin1StringView(BehaviourKeys[i])) {
            options.behaviour = ServerOptions::Behaviour(i);
            known = true;
        }
    }
    if (!known)
        wrongType("behaviour");
    const QJsonObject rules = o.value(QLatin1StringView("rules")).toObject();
    if (!rules.value(QLatin1StringView("rules")).toArray().isEmpty()) {
        QString rulesError;
        options.rules = ReplyRules::parse(QJsonDocument(rules).toJson(), &rulesError);
        if (!rulesError.isEmpty() && problem.isEmpty())
            problem = rulesError;
    }
    options.greeting = o.value(QLatin1StringView("greeting")).toString();
    options.pushIntervalMs = o.value(QLatin1StringView("pushIntervalMs")).toInt();
    if (o.contains(QLatin1StringView("pushText")))
        options.pushText = o.value(QLatin1StringView("pushText")).toString();
    options.subprotocols = toList(o.value(QLatin1StringView("subprotocols")));
    options.allowedOrigins = toList(o.value(QLatin1StringView("allowedOrigins")));
    options.maxClients = o.value(QLatin1StringView("maxClients")).toInt();
    // A file from before these limits existed keeps the new defaults for them; a saved 0 means "no
    // limit" as it always did.
    for (const auto &[key, limit] : { std::pair { "maxMessageSize", &options.maxMessageSize },
             std::pair { "maxSendBuffer", &options.maxSendBuffer } }) {
        const QJsonValue value = o.value(QLatin1StringView(key));
        if (value.isUndefined())
            continue;
        const qint64 bytes = value.toInteger(-1);
        if (!value.isDouble() || bytes < 0)
            wrongType(key);
        else
            *limit = bytes;
    }
    // Files from before compression existed have no key: on, as a new server is.
    if (const QJsonValue deflate = o.value(QLatin1StringView("deflate")); !deflate.isUndefined()) {
        if (!deflate.isBool())
            wrongType("deflate");
        else
            options.deflate = deflate.toBool();
    }
    if (o.contains(QLatin1StringView("protocol"))) {
        QString protocolError;
        options.protocol = ProtocolOptions::fromJson(o.value(QLatin1StringView("protocol")), &protocolError);
        if (!protocolError.isEmpty() && problem.isEmpty())
            problem = protocolError;
    }
    // Files from before faults existed have no key: no faults.
    if (const QJsonValue faults = o.value(QLatin1StringView("faults")); !faults.isUndefined()) {
        QString faultsError;
        if (!faults.isObject())
            faultsError = tr("The server setting \u201c%1\u201d has the wrong type.")
                              .arg(QLatin1StringView("faults"));
        else
            options.faults = FaultPlan::fromJson(faults.toObject(), &faultsError);
        if (!faultsError.isEmpty() && problem.isEmpty())
            problem = faultsError;
    }
    if (error)
        *error = problem;
    return options;
}

} // namespace wst
