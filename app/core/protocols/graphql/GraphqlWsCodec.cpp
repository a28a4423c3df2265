#include "GraphqlWsCodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QStringList>

namespace wst {

namespace {
bool needsId(const QString &type)
{
    static const QStringList types = { QStringLiteral("subscribe"), QStringLiteral("next"),
        QStringLiteral("error"), QStringLiteral("complete"), QStringLiteral("start"), QStringLiteral("data"),
        QStringLiteral("stop") };
    return types.contains(type);
}

bool isOptionalObject(const QJsonValue &v)
{
    return v.isUndefined() || v.isNull() || v.isObject();
}

bool isGraphqlErrorList(const QJsonValue &v)
{
    if (!v.isArray() || v.toArray().isEmpty())
        return false;
    for (const QJsonValue &e : v.toArray()) {
        if (!e.isObject() || !e.toObject().value(QStringLiteral("message")).isString())
            return false;
    }
    return true;
}
} // namespace

bool GraphqlWsCodec::isTypeOf(const QString &type, bool legacy)
{
    static const QStringList common = { QStringLiteral("connection_init"), QStringLiteral("connection_ack"),
        QStringLiteral("error"), QStringLiteral("complete") };
    static const QStringList transport = { QStringLiteral("ping"), QStringLiteral("pong"),
        QStringLiteral("subscribe"), QStringLiteral("next") };
    static const QStringList old
        = { QStringLiteral("ka"), QStringLiteral("connection_error"), QStringLiteral("connection_terminate"),
              QStringLiteral("start"), QStringLiteral("data"), QStringLiteral("stop") };
    return common.contains(type) || (legacy ? old : transport).contains(type);
}

bool GraphqlWsCodec::parse(const QByteArray &text, Frame *frame, QString *error)
{
    *frame = {};
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error
            = tr("GraphQL: not JSON (%1 at offset %2).").arg(parseError.errorString()).arg(parseError.offset);
        return false;
    }
    if (!doc.isObject()) {
        *error = tr("GraphQL: the message is not a JSON object.");
        return false;
    }
    const QJsonObject o = doc.object();
    const QJsonValue type = o.value(QStringLiteral("type"));
    if (type.isUndefined()) {
        *error = tr("GraphQL: the message has no \"type\".");
        return false;
    }
    if (!type.isString()) {
        *error = tr("GraphQL: \"type\" must be a string.");
        return false;
    }
    frame->type = type.toString();
    frame->payload = o.value(QStringLiteral("payload"));
    const QJsonValue id = o.value(QStringLiteral("id"));
    if (id.isString())
        frame->id = id.toString();
    const QString &t = frame->type;
    if (!isTypeOf(t, false) && !isTypeOf(t, true)) {
        *error = tr("GraphQL: unknown message type \"%1\".").arg(t.left(80));
        return false;
    }
    if (needsId(t)) {
        if (id.isUndefined() || id.isNull()) {
            *error = tr("GraphQL %1: \"id\" is missing.").arg(t);
            return false;
        }
        if (!id.isString() || id.toString().isEmpty()) {
            *error = tr("GraphQL %1: \"id\" must be a non-empty string.").arg(t);
            return false;
        }
    }
    const QJsonValue &p = frame->payload;
    if (t == QLatin1String("subscribe") || t == QLatin1String("start")) {
        if (!p.isObject()) {
            *error = tr("GraphQL %1: \"payload\" must be an object.").arg(t);
            return false;
        }
        const QJsonObject po = p.toObject();
        if (!po.value(QStringLiteral("query")).isString()) {
            *error = tr("GraphQL %1: \"payload.query\" must be a string.").arg(t);
            return false;
        }
        if (!isOptionalObject(po.value(QStringLiteral("variables")))) {
            *error = tr("GraphQL %1: \"payload.variables\" must be an object.").arg(t);
            return false;
        }
        const QJsonValue name = po.value(QStringLiteral("operationName"));
        if (!name.isUndefined() && !name.isNull() && !name.isString()) {
            *error = tr("GraphQL %1: \"payload.operationName\" must be a string.").arg(t);
            return false;
        }
        if (!isOptionalObject(po.value(QStringLiteral("extensions")))) {
            *error = tr("GraphQL %1: \"payload.extensions\" must be an object.").arg(t);
            return false;
        }
    } else if (t == QLatin1String("next") || t == QLatin1String("data")) {
        if (!p.isObject()) {
            *error = tr("GraphQL %1: \"payload\" must be an object (an execution result).").arg(t);
            return false;
        }
    } else if (t == QLatin1String("error")) {
        // graphql-transport-ws sends a list of GraphQL errors; the legacy protocol one object.
        if (!isGraphqlErrorList(p) && !(p.isObject() && !p.toObject().isEmpty())) {
            *error = tr("GraphQL error: \"payload\" must be a non-empty list of GraphQL errors.");
            return false;
        }
    } else if (t == QLatin1String("connection_error")) {
        if (!p.isObject() && !p.isString()) {
            *error = tr("GraphQL connection_error: \"payload\" must be an object.");
            return false;
        }
    } else if (t != QLatin1String("complete") && t != QLatin1String("stop") && !isOptionalObject(p)) {
        *error = tr("GraphQL %1: \"payload\" must be an object.").arg(t);
        return false;
    }
    return true;
}

QString GraphqlWsCodec::serialize(const QString &type, const QString &id, const QJsonValue &payload)
{
    QJsonObject o;
    if (!id.isEmpty())
        o.insert(QStringLiteral("id"), id);
    o.insert(QStringLiteral("type"), type);
    if (!payload.isUndefined() && !payload.isNull())
        o.insert(QStringLiteral("payload"), payload);
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QString GraphqlWsCodec::errorMessages(const QJsonValue &errors)
{
    QStringList messages;
    const QJsonArray list = errors.isArray() ? errors.toArray() : QJsonArray { errors };
    for (const QJsonValue &e : list) {
        const QJsonValue m = e.toObject().value(QStringLiteral("message"));
        if (m.isString())
            messages.append(m.toString());
        else if (e.isString())
            messages.append(e.toString());
    }
    return messages.join(QStringLiteral("; "));
}

QString GraphqlWsCodec::resultErrors(const QJsonValue &result)
{
    const QJsonValue errors = result.toObject().value(QStringLiteral("errors"));
    if (!errors.isArray() || errors.toArray().isEmpty())
        return {};
    const QString messages = errorMessages(errors);
    return messages.isEmpty() ? tr("(errors without a message)") : messages;
}

} // namespace wst
