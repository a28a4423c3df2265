#include "ScenarioParser.h"

#include "compose/Variables.h"
#include "connection/ConnectionOptions.h"
#include "format/JsonLocator.h"
#include "format/PayloadCodec.h"
#include "protocol/CloseCodes.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <cmath>

namespace wst {

namespace {

const QLatin1String StepKinds[] = { QLatin1String("connect"), QLatin1String("send"), QLatin1String("expect"),
    QLatin1String("expectNone"), QLatin1String("wait"), QLatin1String("ping"), QLatin1String("close"),
    QLatin1String("script"), QLatin1String("command") };

} // namespace

QString ScenarioParser::quoted(const QString &key)
{
    return QLatin1Char('"') + key + QLatin1Char('"');
}

bool ScenarioParser::isWholeNumber(const QJsonValue &v, double min, double max)
{
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    // The range first: casting 1e23 to an integer is undefined (the fuzzer found it).
    return d >= min && d <= max && d == std::floor(d);
}

ScenarioParser::ScenarioParser(const QByteArray &json, const QString &file)
    : m_json(json)
    , m_file(file)
{
}

std::optional<Scenario> ScenarioParser::parseFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("%1: cannot read the scenario: %2.").arg(path, file.errorString());
        return std::nullopt;
    }
    return parse(file.readAll(), path, error);
}

std::optional<Scenario> ScenarioParser::parse(const QByteArray &json, const QString &file, QString *error)
{
    ScenarioParser parser(json, file);
    return parser.run(error);
}

bool ScenarioParser::fail(const QList<QVariant> &at, const QString &message, bool atKey)
{
    if (!m_error.isEmpty())
        return false;
    const QList<QVariant> path = m_where + at;
    // A key that should not be there is pointed at by its name; anything else by its value.
    const JsonLocator::Position p = JsonLocator::locate(m_json, path, atKey);
    const QString where = m_file.isEmpty() ? QString() : m_file + QLatin1Char(':');
    m_error = tr("%1%2:%3: %4%5").arg(where).arg(p.line).arg(p.column).arg(m_prefix, message);
    return false;
}

std::optional<Scenario> ScenarioParser::run(QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(m_json, &parseError);
    const QString where = m_file.isEmpty() ? QString() : m_file + QLatin1Char(':');
    if (parseError.error != QJsonParseError::NoError) {
        const JsonLocator::Position p = JsonLocator::position(m_json, parseError.offset);
        *error = tr("%1%2:%3: not valid JSON: %4.")
                     .arg(where)
                     .arg(p.line)
                     .arg(p.column)
                     .arg(parseError.errorString());
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *error
            = tr("%1 a scenario is a JSON object with \"connections\" and \"steps\".").arg(where).trimmed();
        return std::nullopt;
    }
    const QJsonObject root = doc.object();
    m_scenario.file = m_file;
    m_scenario.folder = m_file.isEmpty() ? QDir::currentPath() : QFileInfo(m_file).absolutePath();
    const bool ok = [&] {
        if (!checkKeys(root,
                { QStringLiteral("$schema"), QStringLiteral("name"), QStringLiteral("description"),
                    QStringLiteral("comment"), QStringLiteral("variables"), QStringLiteral("connections"),
                    QStringLiteral("steps"), QStringLiteral("onMessage") },
                tr("a scenario")))
            return false;
        const QJsonValue name = root.value(QLatin1String("name"));
        if (!name.isUndefined() && !name.isString())
            return fail({ QStringLiteral("name") }, tr("\"name\" must be a string."));
        m_scenario.name = name.toString();
        if (m_scenario.name.isEmpty())
            m_scenario.name = QFileInfo(m_file).fileName();
        if (!readVariables(root.value(QLatin1String("variables"))))
            return false;
        if (!readConnections(root.value(QLatin1String("connections"))))
            return false;
        if (!readOnMessage(root, &m_scenario.onMessage))
            return false;
        const QJsonValue steps = root.value(QLatin1String("steps"));
        if (!steps.isArray() || steps.toArray().isEmpty())
            return fail({ QStringLiteral("steps") }, tr("\"steps\" must be a list of at least one step."));
        const QJsonArray array = steps.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            m_where = { QStringLiteral("steps"), int(i) };
            m_prefix = tr("step %1: ").arg(i + 1);
            ScenarioStep step;
            step.number = int(i + 1);
            if (!array.at(i).isObject())
                return fail({}, tr("a step is a JSON object such as {\"send\": \"a\", \"text\": \"hi\"}."));
            if (!readStep(array.at(i).toObject(), &step))
                return false;
            step.line = JsonLocator::locate(m_json, m_where).line; // failures say where the step is
            m_scenario.steps.append(step);
        }
        return true;
    }();
    if (!ok) {
        *error = m_error;
        return std::nullopt;
    }
    error->clear();
    return m_scenario;
}

bool ScenarioParser::checkKeys(const QJsonObject &o, const QStringList &allowed, const QString &what)
{
    const QStringList keys = o.keys();
    for (const QString &key : keys) {
        if (!allowed.contains(key))
            return fail({ key },
                tr("unknown key %1 in %2 (expected one of: %3).")
                    .arg(quoted(key), what, allowed.join(QLatin1String(", "))),
                true);
    }
    return true;
}

bool ScenarioParser::readVariables(const QJsonValue &value)
{
    if (value.isUndefined())
        return true;
    if (!value.isObject())
        return fail(
            { QStringLiteral("variables") }, tr("\"variables\" must be an object of names and values."));
    const QJsonObject o = value.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QList<QVariant> at { QStringLiteral("variables"), it.key() };
        if (!Variables::isValidName(it.key()) || Variables::isBuiltin(it.key()))
            return fail(
                at, tr("variable %1: not a name that can be used as {{name}}.").arg(quoted(it.key())));
        if (it.value().isObject() || it.value().isArray() || it.value().isNull())
            return fail(at,
                tr("variable %1: the value must be a string, a number or true/false.").arg(quoted(it.key())));
        m_scenario.variables.insert(it.key(), JsonPath::scalarText(it.value()));
    }
    return true;
}

bool ScenarioParser::readConnections(const QJsonValue &value)
{
    if (!value.isObject() || value.toObject().isEmpty())
        return fail({ QStringLiteral("connections") },
            tr("\"connections\" must name at least one connection: {\"a\": {\"url\": \"ws://…\"}}."));
    const QJsonObject o = value.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        m_where = { QStringLiteral("connections"), it.key() };
        m_prefix = tr("connection %1: ").arg(quoted(it.key()));
        ScenarioConnection c;
        c.name = it.key();
        if (c.name.isEmpty())
            return fail({}, tr("a connection needs a name."));
        if (it.value().isString()) {
            c.url = it.value().toString();
            m_scenario.connections.append(c);
            continue;
        }
        if (!it.value().isObject())
            return fail({}, tr("a connection is {\"url\": \"ws://…\"} or just the URL."));
        const QJsonObject co = it.value().toObject();
        if (!checkKeys(co,
                { QStringLiteral("url"), QStringLiteral("headers"), QStringLiteral("subprotocols"),
                    QStringLiteral("origin"), QStringLiteral("comment"), QStringLiteral("onMessage"),
                    QStringLiteral("protocol"), QStringLiteral("decoder") },
                tr("a connection"))
            || !readOnMessage(co, &c.onMessage) || !readProtocol(co, &c) || !readDecoder(co, &c))
            return false;
        if (!co.value(QLatin1String("url")).isString() || co.value(QLatin1String("url")).toString().isEmpty())
            return fail({ QStringLiteral("url") }, tr("\"url\" must be a ws:// or wss:// URL."));
        c.url = co.value(QLatin1String("url")).toString();
        const QJsonValue headers = co.value(QLatin1String("headers"));
        if (!headers.isUndefined() && !headers.isObject())
            return fail(
                { QStringLiteral("headers") }, tr("\"headers\" must be an object of names and values."));
        const QJsonObject ho = headers.toObject();
        for (auto h = ho.begin(); h != ho.end(); ++h) {
            if (!h.value().isString())
                return fail({ QStringLiteral("headers"), h.key() },
                    tr("header %1: the value must be a string.").arg(quoted(h.key())));
            const QString problem = ConnectionOptions::headerProblem(h.key().toUtf8());
            if (!problem.isEmpty())
                return fail({ QStringLiteral("headers"), h.key() },
                    tr("header %1: %2").arg(quoted(h.key()), problem));
            c.headers.append({ h.key(), h.value().toString() });
        }
        const QJsonValue protocols = co.value(QLatin1String("subprotocols"));
        if (!protocols.isUndefined()) {
            const QJsonArray array = protocols.toArray();
            for (const QJsonValue &p : array) {
                if (!p.isString() || p.toString().isEmpty())
                    return fail(
                        { QStringLiteral("subprotocols") }, tr("\"subprotocols\" must be a list of names."));
                c.subprotocols.append(p.toString());
            }
            if (!protocols.isArray())
                return fail(
                    { QStringLiteral("subprotocols") }, tr("\"subprotocols\" must be a list of names."));
        }
        const QJsonValue origin = co.value(QLatin1String("origin"));
        if (!origin.isUndefined() && !origin.isString())
            return fail({ QStringLiteral("origin") }, tr("\"origin\" must be a string."));
        c.origin = origin.toString();
        m_scenario.connections.append(c);
    }
    m_where.clear();
    m_prefix.clear();
    return true;
}

bool ScenarioParser::readDecoder(const QJsonObject &co, ScenarioConnection *c)
{
    const QJsonValue v = co.value(QLatin1String("decoder"));
    if (v.isUndefined())
        return true;
    if (!v.isObject())
        return fail({ QStringLiteral("decoder") },
            tr("\"decoder\" must be an object such as {\"codec\": \"protobuf\", \"protoFiles\": "
               "[\"feed.proto\"], "
               "\"typeIn\": \"feed.Event\", \"typeOut\": \"feed.Command\"}."));
    QString error;
    std::optional<DecoderSetting> setting = DecoderSetting::fromJson(v.toObject(), &error);
    if (!setting)
        return fail({ QStringLiteral("decoder") }, error);
    // Relative to the scenario's folder, as "file" sends are; an absolute path stays as it is.
    const QDir folder(m_scenario.folder);
    for (QString &file : setting->protoFiles)
        file = folder.filePath(file);
    for (QString &path : setting->importPaths)
        path = folder.filePath(path);
    // The .proto files are read now, so a scenario that cannot decode fails before it connects.
    if (!setting->isNone()) {
        c->codec = PayloadCodec::create(*setting, &error);
        if (!c->codec)
            return fail({ QStringLiteral("decoder") }, error);
    }
    c->decoder = *setting;
    return true;
}

bool ScenarioParser::readMs(const QJsonObject &o, const QString &key, int *ms)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined())
        return true;
    if (!isWholeNumber(v, 0, 24.0 * 3600 * 1000))
        return fail({ key }, tr("%1 must be a number of milliseconds.").arg(quoted(key)));
    *ms = v.toInt();
    return true;
}

bool ScenarioParser::readConnectionName(const QJsonObject &o, const QString &key, ScenarioStep *step)
{
    const QJsonValue v = o.value(key);
    if (!v.isString())
        return fail({ key }, tr("%1 must name a connection, such as \"a\".").arg(quoted(key)));
    if (!m_scenario.connection(v.toString())) {
        QStringList names;
        for (const ScenarioConnection &c : std::as_const(m_scenario.connections))
            names.append(c.name);
        return fail({ key },
            tr("%1: no connection named %2 (the file declares %3).")
                .arg(quoted(key), quoted(v.toString()), names.join(QLatin1String(", "))));
    }
    step->connection = v.toString();
    return true;
}

bool ScenarioParser::checkPattern(const QString &pattern, const QString &key)
{
    if (Variables::containsVariables(pattern))
        return true; // checked when the step runs, with the values filled in
    const QRegularExpression re(pattern);
    if (!re.isValid())
        return fail({ key },
            tr("%1 is not a valid regular expression at offset %2: %3.")
                .arg(quoted(key))
                .arg(re.patternErrorOffset())
                .arg(re.errorString()));
    return true;
}

bool ScenarioParser::readStep(const QJsonObject &o, ScenarioStep *step)
{
    QStringList kinds;
    for (const QLatin1String &k : StepKinds) {
        // "expect" is also the expectation inside a connect or close step, and "close" the
        // expected code of an expect step.
        if (!o.contains(k) || (k == QLatin1String("expect") && !o.value(k).isString())
            || (k == QLatin1String("close") && o.value(QLatin1String("expect")).isString()))
            continue;
        kinds.append(k);
    }
    if (kinds.size() > 1 && kinds.contains(QLatin1String("expect"))
        && (kinds.contains(QLatin1String("connect")) || kinds.contains(QLatin1String("close"))))
        kinds.removeAll(QLatin1String("expect"));
    if (kinds.isEmpty())
        return fail({},
            tr("a step needs one of \"connect\", \"send\", \"expect\", \"expectNone\", \"wait\", "
               "\"ping\", \"close\", \"script\" or \"command\"."));
    if (kinds.size() > 1)
        return fail({ kinds.at(1) },
            tr("a step does one thing: this one has both %1 and %2.")
                .arg(quoted(kinds.at(0)), quoted(kinds.at(1))));
    const QString kind = kinds.first();
    const QJsonValue name = o.value(QLatin1String("name"));
    if (!name.isUndefined() && !name.isString())
        return fail({ QStringLiteral("name") }, tr("\"name\" must be a string."));
    step->name = name.toString();
    const QStringList common { QStringLiteral("name"), QStringLiteral("comment") };
    const QString what = tr("a \"%1\" step").arg(kind);
    if (kind == QLatin1String("wait")) {
        step->type = ScenarioStep::Type::Wait;
        if (!checkKeys(o, common + QStringList { kind }, what))
            return false;
        if (!o.value(kind).isDouble())
            return fail({ kind }, tr("\"wait\" must be a number of milliseconds."));
        return readMs(o, kind, &step->withinMs);
    }
    if (kind == QLatin1String("script"))
        return readScript(o, step);
    if (!readConnectionName(o, kind, step))
        return false;
    if (kind == QLatin1String("command"))
        return readCommand(o, step);
    if (kind == QLatin1String("connect"))
        return checkKeys(
                   o, common + QStringList { kind, QStringLiteral("expect"), QStringLiteral("within") }, what)
            && readMs(o, QStringLiteral("within"), &step->withinMs) && readConnect(o, step);
    if (kind == QLatin1String("send"))
        return checkKeys(o,
                   common
                       + QStringList { kind, QStringLiteral("text"), QStringLiteral("json"),
                           QStringLiteral("hex"), QStringLiteral("base64"), QStringLiteral("file"),
                           QStringLiteral("msgpack"), QStringLiteral("cbor"), QStringLiteral("bson"),
                           QStringLiteral("protobuf") },
                   what)
            && readSend(o, step);
    if (kind == QLatin1String("ping")) {
        step->type = ScenarioStep::Type::Ping;
        if (!checkKeys(
                o, common + QStringList { kind, QStringLiteral("payload"), QStringLiteral("within") }, what)
            || !readMs(o, QStringLiteral("within"), &step->withinMs))
            return false;
        const QJsonValue payload = o.value(QLatin1String("payload"));
        if (!payload.isUndefined() && !payload.isString())
            return fail({ QStringLiteral("payload") }, tr("\"payload\" must be a string."));
        step->pingPayload = payload.toString();
        if (step->pingPayload.toUtf8().size() > CloseCodes::MaxPingBytes)
            return fail({ QStringLiteral("payload") },
                tr("\"payload\" is longer than a ping can carry (125 bytes)."));
        return true;
    }
    if (kind == QLatin1String("close"))
        return checkKeys(o,
                   common
                       + QStringList { kind, QStringLiteral("code"), QStringLiteral("reason"),
                           QStringLiteral("expect"), QStringLiteral("within") },
                   what)
            && readMs(o, QStringLiteral("within"), &step->withinMs) && readClose(o, step);
    const QStringList matchKeys { QStringLiteral("text"), QStringLiteral("contains"), QStringLiteral("regex"),
        QStringLiteral("json"), QStringLiteral("hex"), QStringLiteral("base64"), QStringLiteral("event"),
        QStringLiteral("topic"), QStringLiteral("destination"), QStringLiteral("operation"),
        QStringLiteral("type"), QStringLiteral("id"), QStringLiteral("qos"), QStringLiteral("raw") };
    if (kind == QLatin1String("expectNone")) {
        step->type = ScenarioStep::Type::ExpectNone;
        step->withinMs = 1000;
        return checkKeys(o, common + matchKeys + QStringList { kind, QStringLiteral("for") }, what)
            && readMs(o, QStringLiteral("for"), &step->withinMs) && readMatcher(o, step);
    }
    step->type = ScenarioStep::Type::Expect;
    if (!checkKeys(o,
            common + matchKeys
                + QStringList { kind, QStringLiteral("close"), QStringLiteral("within"),
                    QStringLiteral("strict"), QStringLiteral("save") },
            what)
        || !readMs(o, QStringLiteral("within"), &step->withinMs))
        return false;
    const QJsonValue strict = o.value(QLatin1String("strict"));
    if (!strict.isUndefined() && !strict.isBool())
        return fail({ QStringLiteral("strict") }, tr("\"strict\" must be true or false."));
    step->strict = strict.toBool();
    if (o.contains(QLatin1String("close"))) {
        step->type = ScenarioStep::Type::ExpectClose;
        const QJsonValue code = o.value(QLatin1String("close"));
        if (!(code.isBool() && code.toBool()) && !isWholeNumber(code, 1000, 4999))
            return fail({ QStringLiteral("close") },
                tr("\"close\" must be a close code (1000-4999) or true for any."));
        step->expectCloseCode = code.isBool() ? -1 : code.toInt();
        for (const QString &k : matchKeys + QStringList { QStringLiteral("save") }) {
            if (o.contains(k))
                return fail({ k },
                    tr("an expected close has no message: %1 cannot be used with \"close\".").arg(quoted(k)));
        }
        return true;
    }
    return readMatcher(o, step) && readSaves(o.value(QLatin1String("save")), &step->saves);
}

bool ScenarioParser::readConnect(const QJsonObject &o, ScenarioStep *step)
{
    step->type = ScenarioStep::Type::Connect;
    const QJsonValue expect = o.value(QLatin1String("expect"));
    if (expect.isUndefined())
        return true;
    if (!expect.isObject())
        return fail({ QStringLiteral("expect") },
            tr("\"expect\" of a connect step is {\"status\": 101, \"subprotocol\": …, \"headers\": {…}}."));
    const QJsonObject e = expect.toObject();
    m_where.append(QStringLiteral("expect"));
    const bool ok = [&] {
        if (!checkKeys(e,
                { QStringLiteral("status"), QStringLiteral("subprotocol"), QStringLiteral("headers") },
                tr("a connect step's \"expect\"")))
            return false;
        const QJsonValue status = e.value(QLatin1String("status"));
        if (!status.isUndefined() && !isWholeNumber(status, 100, 599))
            return fail({ QStringLiteral("status") },
                tr("\"status\" must be an HTTP status code such as 101 or 403."));
        step->expectStatus = status.isUndefined() ? 101 : status.toInt();
        const QJsonValue sub = e.value(QLatin1String("subprotocol"));
        if (!sub.isUndefined() && !sub.isString())
            return fail(
                { QStringLiteral("subprotocol") }, tr("\"subprotocol\" must be a string (\"\" for none)."));
        if (sub.isString())
            step->expectSubprotocol = sub.toString();
        const QJsonValue headers = e.value(QLatin1String("headers"));
        if (!headers.isUndefined() && !headers.isObject())
            return fail(
                { QStringLiteral("headers") }, tr("\"headers\" must be an object of names and values."));
        const QJsonObject ho = headers.toObject();
        for (auto h = ho.begin(); h != ho.end(); ++h) {
            if (h.value().isString())
                step->expectHeaders.append({ h.key(), h.value().toString() });
            else if (h.value().isBool() && h.value().toBool())
                step->expectHeaders.append({ h.key(), std::nullopt });
            else
                return fail({ QStringLiteral("headers"), h.key() },
                    tr("header %1: the value must be a string, or true for any value.").arg(quoted(h.key())));
        }
        return true;
    }();
    m_where.removeLast();
    return ok;
}

bool ScenarioParser::readSend(const QJsonObject &o, ScenarioStep *step)
{
    step->type = ScenarioStep::Type::Send;
    const QList<QPair<QString, MessageFormat::Type>> formats { { QStringLiteral("text"),
                                                                   MessageFormat::Type::Text },
        { QStringLiteral("json"), MessageFormat::Type::Json },
        { QStringLiteral("hex"), MessageFormat::Type::Hex },
        { QStringLiteral("base64"), MessageFormat::Type::Base64 },
        { QStringLiteral("file"), MessageFormat::Type::File },
        { QStringLiteral("msgpack"), MessageFormat::Type::MessagePack },
        { QStringLiteral("cbor"), MessageFormat::Type::Cbor },
        { QStringLiteral("bson"), MessageFormat::Type::Bson },
        { QStringLiteral("protobuf"), MessageFormat::Type::Protobuf } };
    QStringList given;
    for (const auto &f : formats) {
        if (o.contains(f.first)) {
            given.append(f.first);
            step->format = f.second;
        }
    }
    if (given.size() != 1)
        return fail(given.isEmpty() ? QList<QVariant> {} : QList<QVariant> { given.at(1) },
            tr("a send step has exactly one of \"text\", \"json\", \"hex\", \"base64\", \"file\", "
               "\"msgpack\", \"cbor\", \"bson\" or \"protobuf\"."));
    const QString key = given.first();
    const QJsonValue v = o.value(key);
    // Protobuf is encoded with the connection's .proto files: without them the step could never run.
    const ScenarioConnection *connection = m_scenario.connection(step->connection);
    const PayloadCodec *codec = connection ? connection->codec.get() : nullptr;
    if (step->format == MessageFormat::Type::Protobuf
        && (!codec || connection->decoder.codec != DecoderSetting::Codec::Protobuf))
        return fail({ key },
            tr("\"protobuf\": connection %1 has no protobuf \"decoder\" to encode with; give it one, such as "
               "\"decoder\": {\"codec\": \"protobuf\", \"protoFiles\": [\"feed.proto\"], \"typeOut\": "
               "\"feed.Command\"}.")
                .arg(quoted(step->connection)));
    if (MessageFormat::isJsonBody(step->format) && !v.isString()) {
        // A JSON value written as JSON is sent compact, its members in the file's order;
        // {{variables}} in its strings are filled.
        step->body = QString::fromUtf8(JsonLocator::compactText(m_json, m_where + QList<QVariant> { key }));
        if (step->body.isEmpty())
            step->body = JsonPath::scalarText(v);
        if (step->format == MessageFormat::Type::Json)
            return true;
    } else if (!v.isString()) {
        return fail({ key }, tr("%1 must be a string.").arg(quoted(key)));
    } else {
        step->body = v.toString();
    }
    if (!Variables::containsVariables(step->body)) {
        const QString body = step->format == MessageFormat::Type::File
            ? QDir(m_scenario.folder).filePath(step->body) // an absolute path stays as it is
            : step->body;
        const QString problem = MessageFormat::check(step->format, body, codec);
        if (!problem.isEmpty())
            return fail({ key }, tr("%1: %2").arg(quoted(key), problem));
    }
    return true;
}

bool ScenarioParser::readClose(const QJsonObject &o, ScenarioStep *step)
{
    step->type = ScenarioStep::Type::Close;
    const QJsonValue code = o.value(QLatin1String("code"));
    if (!code.isUndefined() && !isWholeNumber(code, 0, 65535))
        return fail({ QStringLiteral("code") }, tr("\"code\" must be a close code such as 1000."));
    step->closeCode = code.isUndefined() ? 1000 : code.toInt();
    const QJsonValue reason = o.value(QLatin1String("reason"));
    if (!reason.isUndefined() && !reason.isString())
        return fail({ QStringLiteral("reason") }, tr("\"reason\" must be a string."));
    step->closeReason = reason.toString();
    const QString problem = CloseCodes::validate(step->closeCode, step->closeReason);
    if (!problem.isEmpty())
        return fail({ QStringLiteral("code") }, problem);
    const QJsonValue expect = o.value(QLatin1String("expect"));
    if (expect.isUndefined())
        return true;
    const QJsonValue expected = expect.toObject().value(QLatin1String("code"));
    if (!expect.isObject() || expect.toObject().size() != 1 || !isWholeNumber(expected, 1000, 4999))
        return fail({ QStringLiteral("expect") },
            tr("\"expect\" of a close step is {\"code\": 1000}: the code the server's Close frame carries."));
    step->expectCloseCode = expected.toInt();
    return true;
}

} // namespace wst
