#include "ProtocolMessage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>

namespace wst {

namespace {
QString compactJson(const QJsonValue &value)
{
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    // A scalar: wrapped and unwrapped so it is written as JSON ("x" keeps its quotes).
    const QByteArray wrapped = QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}
} // namespace

QString ProtocolMessage::summary() const
{
    if (!error.isEmpty())
        return error;
    QString line = type;
    if (!name.isEmpty())
        line += QLatin1Char(' ') + name;
    if (!id.isEmpty())
        line += QStringLiteral(" #") + id;
    if (qos >= 0)
        line += QStringLiteral(" q") + QString::number(qos);
    if (!data.isUndefined())
        line += QLatin1Char(' ') + compactJson(data);
    else if (!body.isEmpty())
        line += QLatin1Char(' ') + QString::fromUtf8(body.left(200));
    return line;
}

QString ProtocolMessage::detailText() const
{
    QStringList lines;
    lines << (error.isEmpty() ? type : QStringLiteral("%1 \u2014 %2").arg(type, error));
    auto add = [&lines](const QString &key, const QString &value) {
        if (!value.isEmpty())
            lines << key + QStringLiteral(": ") + value;
    };
    add(QStringLiteral("name"), name);
    add(QStringLiteral("id"), id);
    if (qos >= 0)
        add(QStringLiteral("qos"), QString::number(qos));
    if (attachments > 0)
        add(QStringLiteral("attachments"), QString::number(attachments));
    for (const auto &field : fields)
        add(field.first, field.second);
    if (!data.isUndefined()) {
        lines << QString();
        if (data.isObject())
            lines << QString::fromUtf8(QJsonDocument(data.toObject()).toJson(QJsonDocument::Indented))
                         .trimmed();
        else if (data.isArray())
            lines
                << QString::fromUtf8(QJsonDocument(data.toArray()).toJson(QJsonDocument::Indented)).trimmed();
        else
            lines << compactJson(data);
    } else if (!body.isEmpty()) {
        lines << QString() << QString::fromUtf8(body);
    }
    return lines.join(QLatin1Char('\n'));
}

QString ProtocolMessage::roleName(Role role)
{
    switch (role) {
    case Role::None:
        return QStringLiteral("none");
    case Role::Event:
        return QStringLiteral("event");
    case Role::Reply:
        return QStringLiteral("reply");
    case Role::Control:
        return QStringLiteral("control");
    case Role::KeepAlive:
        return QStringLiteral("keepalive");
    case Role::Handshake:
        return QStringLiteral("handshake");
    case Role::Error:
        return QStringLiteral("error");
    }
    return {};
}

QJsonObject ProtocolMessage::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("type"), type);
    o.insert(QStringLiteral("role"), roleName(role));
    if (!name.isEmpty())
        o.insert(QStringLiteral("name"), name);
    if (!id.isEmpty())
        o.insert(QStringLiteral("id"), id);
    if (qos >= 0)
        o.insert(QStringLiteral("qos"), qos);
    if (!data.isUndefined())
        o.insert(QStringLiteral("data"), data);
    else if (!body.isEmpty())
        o.insert(QStringLiteral("body"), QString::fromUtf8(body));
    if (!fields.isEmpty()) {
        QJsonObject f;
        for (const auto &field : fields)
            f.insert(field.first, field.second);
        o.insert(QStringLiteral("fields"), f);
    }
    if (!error.isEmpty())
        o.insert(QStringLiteral("error"), error);
    if (attachments > 0)
        o.insert(QStringLiteral("attachments"), attachments);
    return o;
}

} // namespace wst
