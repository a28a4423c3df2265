#include "ProtocolOptions.h"

#include <QJsonValue>

namespace wst {

QString ProtocolOptions::string(const QString &key, const QString &fallback) const
{
    const QJsonValue v = params.value(key);
    return v.isString() ? v.toString() : fallback;
}

int ProtocolOptions::integer(const QString &key, int fallback) const
{
    const QJsonValue v = params.value(key);
    return v.isDouble() ? v.toInt(fallback) : fallback;
}

bool ProtocolOptions::boolean(const QString &key, bool fallback) const
{
    const QJsonValue v = params.value(key);
    return v.isBool() ? v.toBool() : fallback;
}

QJsonObject ProtocolOptions::toJson() const
{
    QJsonObject o = params;
    o.insert(QStringLiteral("name"), ProtocolNames::key(id));
    return o;
}

ProtocolOptions ProtocolOptions::fromJson(const QJsonValue &value, QString *error)
{
    ProtocolOptions options;
    if (error)
        error->clear();
    QString name;
    if (value.isString()) {
        name = value.toString();
    } else if (value.isObject()) {
        options.params = value.toObject();
        const QJsonValue n = options.params.take(QStringLiteral("name"));
        if (!n.isString() && !n.isUndefined()) {
            if (error)
                *error = tr("\"protocol.name\" must be a string.");
            return options;
        }
        name = n.toString(QStringLiteral("raw"));
    } else if (!value.isUndefined() && !value.isNull()) {
        if (error)
            *error = tr("\"protocol\" must be an object or a name.");
        return options;
    }
    if (name.isEmpty())
        name = QStringLiteral("raw");
    const std::optional<ProtocolId> id = ProtocolNames::fromKey(name);
    if (!id) {
        if (error)
            *error = tr("Unknown protocol \"%1\" (known: %2).").arg(name, ProtocolNames::keyList());
        options.params = {};
        return options;
    }
    options.id = *id;
    return options;
}

} // namespace wst
