#include "ProtocolArgs.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>

#include <algorithm>

namespace wst::cli {

namespace {

// A value read as JSON when it is JSON ("5", "true", "{...}", "\"x\""), else as the text.
QJsonValue looseJson(const QString &text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson("[" + text.toUtf8() + "]", &error);
    if (error.error == QJsonParseError::NoError && doc.array().size() == 1)
        return doc.array().first();
    return text;
}

} // namespace

ProtocolArgs::ProtocolArgs(Mode mode)
    : m_mode(mode)
{
}

qsizetype ProtocolArgs::repliesExpected() const
{
    return std::count_if(
        m_commands.cbegin(), m_commands.cend(), [](const ProtocolCommand &c) { return c.expectReply; });
}

void ProtocolArgs::addHelpTo(QCommandLineParser &parser) const
{
    parser.addOption({ QStringLiteral("protocol"),
        tr("Speak this protocol over the WebSocket: %1 (default raw).").arg(ProtocolNames::keyList()),
        tr("name") });
    parser.addOption({ QStringLiteral("protocol-option"),
        tr("A protocol setting, e.g. namespace=/admin, auth={\"token\":\"x\"}, version=5 (repeatable)."),
        tr("key=value") });
    if (m_mode == Mode::Server)
        return;
    parser.addOption({ QStringLiteral("emit"),
        tr("Socket.IO: emit EVENT with the JSON argument (an array: the arguments), as two values: --emit "
           "EVENT JSON (repeatable)."),
        tr("EVENT JSON") });
    parser.addOption({ QStringLiteral("ack"),
        tr("Ask for a reply to each send (Socket.IO ack, STOMP receipt) and wait for it.") });
    parser.addOption({ QStringLiteral("query"),
        tr("GraphQL: run this query, mutation or subscription (text, or @FILE)."), tr("text") });
    parser.addOption({ QStringLiteral("variables"),
        tr("GraphQL: the variables of the --query before it (JSON)."), tr("JSON") });
    parser.addOption({ QStringLiteral("operation-name"),
        tr("GraphQL: the operation name of the --query before it."), tr("name") });
    parser.addOption({ QStringLiteral("subscribe"),
        tr("STOMP: subscribe to a destination; MQTT: to a topic filter (repeatable)."), tr("DEST|TOPIC") });
    parser.addOption({ QStringLiteral("publish"),
        tr("MQTT: publish PAYLOAD to TOPIC, as two values: --publish TOPIC PAYLOAD."), tr("TOPIC PAYLOAD") });
    parser.addOption({ QStringLiteral("stomp-send"),
        tr("STOMP: send BODY to DEST, as two values: --stomp-send DEST BODY."), tr("DEST BODY") });
    parser.addOption({ QStringLiteral("qos"),
        tr("MQTT: the QoS of subscribes and publishes (0, 1 or 2; default 0)."), tr("N") });
    parser.addOption({ QStringLiteral("retain"), tr("MQTT: publish with the retain flag.") });
}

bool ProtocolArgs::extract(QStringList *args, QString *error)
{
    error->clear();
    QStringList rest;
    int qos = 0;
    bool retain = false;
    bool ack = false;
    bool protocolGiven = false;
    bool sendGiven = false;
    // --opt=value or --opt value; returns false when the value is missing.
    auto take = [&](qsizetype &i, const QString &name, int count, QStringList *values) {
        const QString arg = args->at(i);
        QStringList got;
        if (arg.startsWith(name + QLatin1Char('='))) {
            got.append(arg.mid(name.size() + 1));
        }
        while (got.size() < count && i + 1 < args->size())
            got.append(args->at(++i));
        if (got.size() < count) {
            *error = count == 1 ? tr("%1 needs a value.").arg(name)
                                : tr("%1 needs %2 values.").arg(name).arg(count);
            return false;
        }
        *values = got;
        return true;
    };
    auto is = [](const QString &arg, const char *name) {
        const QLatin1String n(name);
        return arg == n
            || (arg.startsWith(n) && arg.size() > n.size() && arg.at(n.size()) == QLatin1Char('='));
    };
    const bool client = m_mode == Mode::Client;
    for (qsizetype i = 0; i < args->size(); ++i) {
        const QString arg = args->at(i);
        QStringList v;
        if (arg == QLatin1String("--")) {
            rest.append(args->mid(i));
            break;
        }
        if (is(arg, "--protocol")) {
            if (!take(i, QStringLiteral("--protocol"), 1, &v))
                return false;
            const std::optional<ProtocolId> id = ProtocolNames::fromKey(v.first());
            if (!id) {
                *error = tr("--protocol: unknown protocol \"%1\" (known: %2).")
                             .arg(v.first(), ProtocolNames::keyList());
                return false;
            }
            m_options.id = *id;
            protocolGiven = true;
        } else if (is(arg, "--protocol-option")) {
            if (!take(i, QStringLiteral("--protocol-option"), 1, &v))
                return false;
            const qsizetype eq = v.first().indexOf(QLatin1Char('='));
            if (eq <= 0) {
                *error = tr("--protocol-option takes KEY=VALUE, not \"%1\".").arg(v.first());
                return false;
            }
            m_options.params.insert(v.first().left(eq).trimmed(), looseJson(v.first().mid(eq + 1)));
        } else if (client && is(arg, "--emit")) {
            if (!take(i, QStringLiteral("--emit"), 2, &v))
                return false;
            QJsonParseError parseError;
            const QJsonDocument doc = QJsonDocument::fromJson("[" + v.at(1).toUtf8() + "]", &parseError);
            if (parseError.error != QJsonParseError::NoError || doc.array().size() != 1) {
                *error = tr("--emit %1: the argument is not one JSON value: %2")
                             .arg(v.at(0),
                                 parseError.error != QJsonParseError::NoError
                                     ? parseError.errorString()
                                     : tr("several values (send an array for several arguments)"));
                return false;
            }
            ProtocolCommand c;
            c.verb = QStringLiteral("emit");
            c.name = v.at(0);
            // One argument, or a JSON array of them as the composer takes it ([[1, 2]] sends one array).
            const QJsonValue value = doc.array().first();
            c.args = value.isArray() ? value.toArray() : QJsonArray { value };
            m_commands.append(c);
            sendGiven = true;
        } else if (client && is(arg, "--query")) {
            if (!take(i, QStringLiteral("--query"), 1, &v))
                return false;
            QString query = v.first();
            if (query.startsWith(QLatin1Char('@'))) {
                QFile file(query.mid(1));
                if (!file.open(QIODevice::ReadOnly)) {
                    *error = tr("--query: cannot read %1: %2").arg(file.fileName(), file.errorString());
                    return false;
                }
                query = QString::fromUtf8(file.readAll());
            }
            ProtocolCommand c;
            c.verb = QStringLiteral("subscribe");
            c.data = QJsonObject { { QStringLiteral("query"), query } };
            m_commands.append(c);
            sendGiven = true;
            continue;
        } else if (client && (is(arg, "--variables") || is(arg, "--operation-name"))) {
            const bool variables = is(arg, "--variables");
            const QString name
                = variables ? QStringLiteral("--variables") : QStringLiteral("--operation-name");
            if (!take(i, name, 1, &v))
                return false;
            if (m_commands.isEmpty() || m_commands.last().verb != QLatin1String("subscribe")
                || !m_commands.last().data.isObject()) {
                *error = tr("%1 belongs to a --query: give it after the --query.").arg(name);
                return false;
            }
            QJsonObject data = m_commands.last().data.toObject();
            if (variables) {
                QJsonParseError parseError;
                const QJsonDocument doc = QJsonDocument::fromJson(v.first().toUtf8(), &parseError);
                if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
                    *error = tr("--variables must be a JSON object: %1")
                                 .arg(parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                                                   : v.first());
                    return false;
                }
                data.insert(QStringLiteral("variables"), doc.object());
            } else {
                data.insert(QStringLiteral("operationName"), v.first());
            }
            m_commands.last().data = data;
        } else if (client && is(arg, "--subscribe")) {
            if (!take(i, QStringLiteral("--subscribe"), 1, &v))
                return false;
            ProtocolCommand c;
            c.verb = QStringLiteral("subscribe");
            c.name = v.first();
            m_commands.append(c);
            sendGiven = true;
        } else if (client && is(arg, "--publish")) {
            if (!take(i, QStringLiteral("--publish"), 2, &v))
                return false;
            ProtocolCommand c;
            c.verb = QStringLiteral("publish");
            c.name = v.at(0);
            c.body = v.at(1).toUtf8();
            m_commands.append(c);
            sendGiven = true;
        } else if (client && is(arg, "--stomp-send")) {
            if (!take(i, QStringLiteral("--stomp-send"), 2, &v))
                return false;
            ProtocolCommand c;
            c.verb = QStringLiteral("send");
            c.name = v.at(0);
            c.body = v.at(1).toUtf8();
            m_commands.append(c);
            sendGiven = true;
        } else if (client && is(arg, "--qos")) {
            if (!take(i, QStringLiteral("--qos"), 1, &v))
                return false;
            bool ok = false;
            qos = v.first().toInt(&ok);
            if (!ok || qos < 0 || qos > 2) {
                *error = tr("--qos takes 0, 1 or 2, not \"%1\".").arg(v.first());
                return false;
            }
        } else if (client && arg == QLatin1String("--retain")) {
            retain = true;
        } else if (client && arg == QLatin1String("--ack")) {
            ack = true;
        } else {
            rest.append(arg);
        }
    }
    for (ProtocolCommand &c : m_commands) {
        c.qos = qos;
        c.retain = retain;
        c.expectReply = ack;
    }
    if (sendGiven && (!protocolGiven || m_options.isRaw())) {
        *error
            = tr("protocol sends (--emit, --query, --subscribe, --publish, --stomp-send) need --protocol.");
        return false;
    }
    *args = rest;
    return true;
}

} // namespace wst::cli
