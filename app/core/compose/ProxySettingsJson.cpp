#include "ProxySettingsJson.h"

#include <QJsonArray>

#include <utility>

namespace wst {

namespace {

const char *const ModeKeys[] = { "reverse", "explicit" };
const char *const DirectionKeys[] = { "both", "to-server", "to-client" };
const char *const MatchKeys[] = { "exact", "contains", "regex", "json" };

QLatin1StringView key(const char *k)
{
    return QLatin1StringView(k);
}

template <size_t N> int indexOf(const char *const (&keys)[N], const QString &value)
{
    for (size_t i = 0; i < N; ++i) {
        if (value == QLatin1StringView(keys[i]))
            return int(i);
    }
    return -1;
}

} // namespace

QJsonObject ProxySettingsJson::breakpointToJson(const ProxyBreakpoint &b)
{
    QJsonObject o;
    o.insert(key("direction"), key(DirectionKeys[int(b.direction)]));
    o.insert(key("match"), key(MatchKeys[int(b.match.match)]));
    o.insert(key("value"), b.match.value);
    if (b.match.match == ReplyRule::Match::JsonField)
        o.insert(key("field"), b.match.field);
    o.insert(key("enabled"), b.enabled);
    return o;
}

ProxyBreakpoint ProxySettingsJson::breakpointFromJson(const QJsonObject &o, QString *error)
{
    ProxyBreakpoint b;
    const int direction = indexOf(DirectionKeys, o.value(key("direction")).toString(QStringLiteral("both")));
    if (direction < 0)
        *error = tr("A breakpoint's “direction” must be “both”, “to-server” or “to-client”.");
    else
        b.direction = ProxyBreakpoint::Direction(direction);
    const int match = indexOf(MatchKeys, o.value(key("match")).toString(QStringLiteral("contains")));
    if (match < 0 && error->isEmpty())
        *error = tr("A breakpoint's “match” must be “exact”, “contains”, “regex” or “json”.");
    else if (match >= 0)
        b.match.match = ReplyRule::Match(match);
    b.match.value = o.value(key("value")).toString();
    b.match.field = o.value(key("field")).toString();
    b.enabled = o.value(key("enabled")).toBool(true);
    if (b.match.match == ReplyRule::Match::Regex) {
        b.match.regex = QRegularExpression(b.match.value);
        if (!b.match.regex.isValid() && error->isEmpty())
            *error = tr("A breakpoint's regular expression is not valid at offset %1: %2")
                         .arg(b.match.regex.patternErrorOffset())
                         .arg(b.match.regex.errorString());
    }
    if (b.match.match == ReplyRule::Match::JsonField && b.match.field.isEmpty() && error->isEmpty())
        *error = tr("A breakpoint that matches a JSON field needs the field's path.");
    return b;
}

QJsonObject ProxySettingsJson::toJson(const ProxyOptions &options)
{
    QJsonObject o;
    o.insert(key("mode"), key(ModeKeys[int(options.mode)]));
    o.insert(key("address"), options.address.toString());
    o.insert(key("port"), int(options.port));
    o.insert(key("upstream"), options.upstream.toString());
    o.insert(key("certificateFile"), options.certificateFile);
    o.insert(key("keyFile"), options.keyFile);
    o.insert(key("ignoreUpstreamTlsErrors"), options.ignoreUpstreamTlsErrors);
    QJsonArray set;
    for (const auto &[name, value] : options.setHeaders)
        set.append(QJsonArray { QString::fromLatin1(name), QString::fromUtf8(value) });
    o.insert(key("setHeaders"), set);
    QJsonArray remove;
    for (const QByteArray &name : options.removeHeaders)
        remove.append(QString::fromLatin1(name));
    o.insert(key("removeHeaders"), remove);
    o.insert(key("passCompression"), options.passCompression);
    if (!options.faults.isEmpty() || options.faults.seed != 0)
        o.insert(key("faults"), options.faults.toJson());
    QJsonArray breakpoints;
    for (const ProxyBreakpoint &b : options.breakpoints)
        breakpoints.append(breakpointToJson(b));
    o.insert(key("breakpoints"), breakpoints);
    o.insert(key("maxMessageSize"), options.maxMessageSize);
    o.insert(key("maxHeld"), options.maxHeld);
    return o;
}

ProxyOptions ProxySettingsJson::fromJson(const QJsonObject &o, QString *error)
{
    ProxyOptions options;
    QString problem;
    auto wrongType = [&problem](const char *name) {
        if (problem.isEmpty())
            problem = tr("The proxy setting “%1” has the wrong type.").arg(QLatin1StringView(name));
    };
    auto firstProblem = [&problem](const QString &p) {
        if (problem.isEmpty() && !p.isEmpty())
            problem = p;
    };
    if (const QJsonValue v = o.value(key("mode")); !v.isUndefined()) {
        const int mode = indexOf(ModeKeys, v.toString());
        if (mode < 0)
            wrongType("mode");
        else
            options.mode = ProxyOptions::Mode(mode);
    }
    if (o.contains(key("address"))) {
        const QHostAddress address(o.value(key("address")).toString());
        if (address.isNull())
            wrongType("address");
        else
            options.address = address;
    }
    if (o.contains(key("port"))) {
        const int port = o.value(key("port")).toInt(-1);
        if (port < 0 || port > 65535)
            wrongType("port");
        else
            options.port = quint16(port);
    }
    if (const QJsonValue v = o.value(key("upstream")); !v.isUndefined()) {
        if (!v.isString())
            wrongType("upstream");
        else if (!v.toString().isEmpty())
            options.upstream = QUrl(v.toString());
    }
    for (const auto &[name, file] : { std::pair { "certificateFile", &options.certificateFile },
             std::pair { "keyFile", &options.keyFile } }) {
        const QJsonValue v = o.value(key(name));
        if (!v.isUndefined() && !v.isString())
            wrongType(name);
        else
            *file = v.toString();
    }
    for (const auto &[name, flag] :
        { std::pair { "ignoreUpstreamTlsErrors", &options.ignoreUpstreamTlsErrors },
            std::pair { "passCompression", &options.passCompression } }) {
        const QJsonValue v = o.value(key(name));
        if (v.isUndefined())
            continue;
        if (!v.isBool())
            wrongType(name);
        else
            *flag = v.toBool();
    }
    if (const QJsonValue v = o.value(key("setHeaders")); !v.isUndefined()) {
        if (!v.isArray())
            wrongType("setHeaders");
        for (const QJsonValue &pair : v.toArray()) {
            const QJsonArray a = pair.toArray();
            if (a.size() != 2 || !a.at(0).isString() || !a.at(1).isString() || a.at(0).toString().isEmpty()) {
                wrongType("setHeaders");
                continue;
            }
            options.setHeaders.append({ a.at(0).toString().toLatin1(), a.at(1).toString().toUtf8() });
        }
    }
    if (const QJsonValue v = o.value(key("removeHeaders")); !v.isUndefined()) {
        if (!v.isArray())
            wrongType("removeHeaders");
        for (const QJsonValue &name : v.toArray()) {
            if (!name.isString() || name.toString().isEmpty())
                wrongType("removeHeaders");
            else
                options.removeHeaders.append(name.toString().toLatin1());
        }
    }
    if (const QJsonValue faults = o.value(key("faults")); !faults.isUndefined()) {
        QString faultsError;
        if (!faults.isObject())
            wrongType("faults");
        else if (const FaultPlan plan = FaultPlan::fromJson(faults.toObject(), &faultsError);
                 faultsError.isEmpty())
            options.faults
                = plan; // a plan with a problem (a drop of 110 %) is not taken, like a bad breakpoint
        firstProblem(faultsError);
    }
    if (const QJsonValue v = o.value(key("breakpoints")); !v.isUndefined()) {
        if (!v.isArray())
            wrongType("breakpoints");
        for (const QJsonValue &b : v.toArray()) {
            if (!b.isObject()) {
                wrongType("breakpoints");
                continue;
            }
            QString breakpointError;
            const ProxyBreakpoint breakpoint = breakpointFromJson(b.toObject(), &breakpointError);
            firstProblem(breakpointError);
            if (breakpointError.isEmpty())
                options.breakpoints.append(breakpoint);
        }
    }
    if (const QJsonValue v = o.value(key("maxMessageSize")); !v.isUndefined()) {
        const qint64 bytes = v.toInteger(-1);
        if (!v.isDouble() || bytes < 0)
            wrongType("maxMessageSize");
        else
            options.maxMessageSize = bytes;
    }
    if (const QJsonValue v = o.value(key("maxHeld")); !v.isUndefined()) {
        const int held = v.toInt(-1);
        if (!v.isDouble() || held < 1)
            wrongType("maxHeld");
        else
            options.maxHeld = held;
    }
    if (error)
        *error = problem;
    return options;
}

} // namespace wst
