#include "ScenarioRecorder.h"

#include "compose/ClientSettingsJson.h"
#include "compose/Collection.h"
#include "compose/SecretValues.h"
#include "format/JsonLocator.h"
#include "format/JsonPath.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrl>

#include <algorithm>
#include <cmath>

namespace wst {

namespace {

// A JSON value as compact text (a string quoted and escaped).
QByteArray json(const QJsonValue &value)
{
    const QByteArray array = QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

QByteArray json(const QString &text)
{
    return json(QJsonValue(text));
}

// {"k": v, …} with the keys in the order given.
QByteArray object(const QList<QPair<QString, QByteArray>> &members)
{
    QByteArray out = "{";
    for (const auto &m : members) {
        if (out.size() > 1)
            out += ", ";
        out += json(m.first) + ": " + m.second;
    }
    return out + '}';
}

bool isSecretVariable(const QString &name)
{
    const QByteArray reference = "{{" + name.toUtf8() + "}}";
    return SecretValues::restore(reference) != reference;
}

// Text from the history as the scenario must hold it: a "{{" the server or the user sent is
// written "{{{{" (else the runner would read a variable), and every secret value becomes its
// {{name}}, noted in *secrets.
QString literal(const QString &text, QStringList *secrets)
{
    QString escaped = text;
    escaped.replace(QLatin1String("{{"), QLatin1String("{{{{"));
    bool changed = false;
    const QString masked = SecretValues::mask(escaped, &changed);
    if (changed) {
        for (const QString &name : Variables::referencedNames(masked)) {
            if (!secrets->contains(name))
                secrets->append(name);
        }
    }
    return masked;
}

QString memberPath(const QString &key)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    if (plain.match(key).hasMatch())
        return QStringLiteral("$.") + key;
    QString quoted = key;
    quoted.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('\''), QLatin1String("\\'"));
    return QStringLiteral("$['") + quoted + QStringLiteral("']");
}

bool isScalar(const QJsonValue &v)
{
    return v.isString() || v.isDouble() || v.isBool();
}

} // namespace

ScenarioRecorder::ScenarioRecorder(
    const QList<RecordedSource> &sources, const Variables::Environment &environment)
    : m_sources(sources)
    , m_environment(environment)
{
    addRows();
}

QString ScenarioRecorder::connectionName(int source) const
{
    if (source < 26)
        return QString(QChar(char16_t(u'a' + source)));
    return QStringLiteral("c%1").arg(source + 1);
}

int ScenarioRecorder::withinFor(qint64 delayMs)
{
    // Twice what it took and a second more, in tenths of a second: a loaded CI machine is slower.
    const qint64 within = ((qMax<qint64>(delayMs, 0) * 2 + 1000 + 99) / 100) * 100;
    return int(qBound<qint64>(2000, within, 24LL * 3600 * 1000));
}

QString ScenarioRecorder::defaultContains(const QString &text)
{
    QString line = text.section(u'\n', 0, 0).trimmed();
    constexpr int Max = 40;
    if (line.size() <= Max)
        return line.isEmpty() ? text.left(Max) : line;
    line.truncate(Max);
    const qsizetype cut = line.lastIndexOf(u' ');
    return cut >= Max / 2 ? line.left(cut) : line;
}

bool ScenarioRecorder::looksGenerated(const QJsonValue &value)
{
    if (value.isDouble())
        return std::abs(value.toDouble()) >= 1e9; // a time in seconds or milliseconds
    if (!value.isString())
        return false;
    const QString s = value.toString();
    static const QRegularExpression hex(QStringLiteral("^[0-9a-fA-F][0-9a-fA-F-]{7,}$"));
    static const QRegularExpression time(QStringLiteral("^\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d"));
    static const QRegularExpression opaque(
        QStringLiteral("^(?=.*[0-9])(?=.*[A-Za-z])[A-Za-z0-9+/=_.-]{16,}$"));
    return hex.match(s).hasMatch() || time.match(s).hasMatch() || opaque.match(s).hasMatch();
}

RecordedStep ScenarioRecorder::connectStep(int source, qint64 row, qint64 timeUs) const
{
    RecordedStep step;
    step.type = RecordedStep::Type::Connect;
    step.connection = connectionName(source);
    step.timeUs = timeUs;
    // The Open row carries the subprotocol the server chose; a selection that starts later is
    // still connected as the last Open before it was.
    const MessageStore &store = *m_sources.at(source).store;
    for (qint64 i = row; i >= 0; --i) {
        const MessageRow &r = store.row(i);
        if (r.direction == Direction::Event && r.kind == Kind::Open) {
            // "" is worth checking only where subprotocols were asked for: the server chose none.
            const QString chosen = QString::fromUtf8(store.payload(i));
            if (!chosen.isEmpty()
                || !m_sources.at(source).settings.value(QLatin1String("subprotocols")).toArray().isEmpty())
                step.subprotocol = chosen;
            break;
        }
    }
    return step;
}

void ScenarioRecorder::addRows()
{
    struct Item
    {
        int source;
        qint64 row;
        qint64 timeUs;
    };
    QList<Item> items;
    for (int s = 0; s < m_sources.size(); ++s) {
        for (qint64 row : std::as_const(m_sources.at(s).rows))
            items.append({ s, row, m_sources.at(s).store->row(row).timeUs });
    }
    std::stable_sort(
        items.begin(), items.end(), [](const Item &a, const Item &b) { return a.timeUs < b.timeUs; });

    const int n = int(m_sources.size());
    QList<bool> connected(n, false);
    QList<bool> closing(n, false); // the server's Close frame was seen: the Close event adds nothing
    QList<int> pendingClose(n, -1); // a close step waiting for the server's answer
    qint64 previousUs = -1;
    qint64 lastActingUs = -1;
    const auto acting = [&](RecordedStep step) {
        step.delayMs = previousUs < 0 ? 0 : qMax<qint64>(0, (step.timeUs - previousUs) / 1000);
        lastActingUs = step.timeUs;
        m_steps.append(step);
    };
    const auto since = [&](qint64 timeUs) {
        return lastActingUs < 0 ? 0 : qMax<qint64>(0, (timeUs - lastActingUs) / 1000);
    };
    for (const Item &item : std::as_const(items)) {
        const MessageStore &store = *m_sources.at(item.source).store;
        const MessageRow &r = store.row(item.row);
        const QString name = connectionName(item.source);
        const bool message = r.kind == Kind::Text || r.kind == Kind::Binary;
        const bool relevant = message
            || (r.direction == Direction::Out && (r.kind == Kind::Ping || r.kind == Kind::Close))
            || (r.direction == Direction::In && r.kind == Kind::Close);
        if (relevant && r.direction != Direction::Event && !connected[item.source]) {
            acting(connectStep(item.source, item.row, item.timeUs));
            connected[item.source] = true;
            closing[item.source] = false;
        }
        RecordedStep step;
        step.connection = name;
        step.timeUs = item.timeUs;
        if (r.direction == Direction::Event && r.kind == Kind::Open) {
            acting(connectStep(item.source, item.row, item.timeUs));
            connected[item.source] = true;
            closing[item.source] = false;
            pendingClose[item.source] = -1;
        } else if (message && r.direction == Direction::Out) {
            step.type = RecordedStep::Type::Send;
            step.binary = r.kind == Kind::Binary;
            step.payload = store.payloadCopy(item.row);
            acting(step);
        } else if (message && r.direction == Direction::In) {
            step.type = RecordedStep::Type::Expect;
            step.binary = r.kind == Kind::Binary;
            step.payload = store.payloadCopy(item.row);
            step.delayMs = since(item.timeUs);
            const QString text = QString::fromUtf8(step.payload);
            const QJsonValue document = step.binary ? QJsonValue() : JsonPath::parseDocument(step.payload);
            const QJsonObject o = document.toObject();
            for (auto it = o.begin(); it != o.end(); ++it) {
                if (!isScalar(it.value()))
                    continue;
                step.fields.append(it.key());
                if (!looksGenerated(it.value()))
                    step.chosenFields.append(it.key());
            }
            step.containsText = defaultContains(text);
            if (!step.chosenFields.isEmpty()) {
                // A member that stays the same is a better "contains" than the start of a
                // message that may begin with an id.
                const QString first = QString::fromUtf8(
                    json(step.chosenFields.first()) + ':' + json(o.value(step.chosenFields.first())));
                if (text.contains(first))
                    step.containsText = first;
            }
            step.looseness
                = step.fields.isEmpty() ? RecordedStep::Looseness::Exact : RecordedStep::Looseness::JsonPath;
            m_steps.append(step);
        } else if (r.direction == Direction::Out && r.kind == Kind::Ping) {
            step.type = RecordedStep::Type::Ping;
            step.payload = store.payloadCopy(item.row);
            acting(step);
        } else if (r.direction == Direction::Out && r.kind == Kind::Close && !closing[item.source]) {
            step.type = RecordedStep::Type::Close;
            step.closeCode = int(r.extra);
            step.payload = store.payloadCopy(item.row);
            acting(step);
            pendingClose[item.source] = int(m_steps.size() - 1);
        } else if (r.kind == Kind::Close && !closing[item.source]) {
            // The server's Close frame (In) or, without one in the selection, the Close event.
            const int code = r.extra >= 1000 && r.extra <= 4999 ? int(r.extra) : -1;
            if (pendingClose[item.source] >= 0) {
                m_steps[pendingClose[item.source]].expectCloseCode = code;
                pendingClose[item.source] = -1;
            } else if (connected[item.source]) {
                step.type = RecordedStep::Type::ExpectClose;
                step.closeCode = code;
                step.delayMs = since(item.timeUs);
                m_steps.append(step);
            }
            closing[item.source] = r.direction == Direction::In;
            if (r.direction == Direction::Event)
                connected[item.source] = false;
        } else if (r.kind == Kind::Close) {
            connected[item.source] = false; // the event after the server's frame
        } else {
            continue; // pongs, pings from the server, errors and notes: nothing to replay
        }
        previousUs = item.timeUs;
    }
}

QByteArray ScenarioRecorder::connectionJson(int source, QStringList *secrets, QStringList *referenced) const
{
    const QJsonObject &settings = m_sources.at(source).settings;
    const auto note = [referenced](const QString &text) {
        for (const QString &name : Variables::referencedNames(text)) {
            if (!referenced->contains(name) && !Variables::isBuiltin(name))
                referenced->append(name);
        }
    };
    QString url = settings.value(QLatin1String("url")).toString().trimmed();
    const QUrl parsed(url);
    const QString password = parsed.password(QUrl::FullyEncoded);
    if (!password.isEmpty() && !Collection::refersOnlyToVariables(password)) {
        url.replace(u':' + password + u'@', QStringLiteral(":{{url_password}}@"));
        if (!secrets->contains(QLatin1String("url_password")))
            secrets->append(QStringLiteral("url_password"));
    }
    url = SecretValues::mask(url);
    note(url);
    QList<QPair<QString, QByteArray>> members { { QStringLiteral("url"), json(url) } };

    QList<QPair<QString, QByteArray>> headers;
    for (const QJsonValue &v : settings.value(QLatin1String("headers")).toArray()) {
        const QJsonArray pair = v.toArray();
        const QString header = pair.at(0).toString().trimmed();
        QString value = pair.at(1).toString();
        if (header.isEmpty())
            continue;
        if (ClientSettingsJson::isSecretHeader(header.toUtf8())
            && !Collection::refersOnlyToVariables(value)) {
            const QString variable = header.toLower();
            value = QStringLiteral("{{") + variable + QStringLiteral("}}");
            if (!secrets->contains(variable))
                secrets->append(variable);
        }
        value = SecretValues::mask(value);
        note(value);
        headers.append({ header, json(value) });
    }
    if (!headers.isEmpty())
        members.append({ QStringLiteral("headers"), object(headers) });
    const QJsonArray protocols = settings.value(QLatin1String("subprotocols")).toArray();
    if (!protocols.isEmpty())
        members.append({ QStringLiteral("subprotocols"), json(protocols) });
    const QString origin = SecretValues::mask(settings.value(QLatin1String("origin")).toString());
    if (!origin.isEmpty()) {
        note(origin);
        members.append({ QStringLiteral("origin"), json(origin) });
    }
    // The tab's own name says which tab it was; a title that is only the host repeats the URL.
    const QString title = m_sources.at(source).title;
    if (!title.isEmpty() && !url.contains(title))
        members.append({ QStringLiteral("comment"), json(title) });
    return object(members);
}

QByteArray ScenarioRecorder::expectMatcher(const RecordedStep &step, QStringList *secrets) const
{
    if (step.binary) {
        // Binary cannot hold a {{variable}}: a secret in it would be written as it is.
        if (step.payload.size() <= 32)
            return "\"hex\": " + json(QString::fromLatin1(step.payload.toHex(' ')));
        return "\"base64\": " + json(QString::fromLatin1(step.payload.toBase64()));
    }
    const QString text = QString::fromUtf8(step.payload);
    if (step.looseness == RecordedStep::Looseness::Contains && !step.containsText.isEmpty())
        return "\"contains\": " + json(literal(step.containsText, secrets));
    if (step.looseness == RecordedStep::Looseness::JsonPath && step.isJsonObject()) {
        const QJsonObject o = JsonPath::parseDocument(step.payload).toObject();
        QList<QPair<QString, QByteArray>> checks;
        for (const QString &field : step.fields) {
            if (!step.chosenFields.contains(field))
                continue;
            QJsonValue v = o.value(field);
            if (v.isString())
                v = literal(v.toString(), secrets);
            checks.append({ memberPath(field), json(v) });
        }
        // Nothing chosen: the message is still the JSON object with these members.
        if (checks.isEmpty()) {
            for (const QString &field : step.fields)
                checks.append({ memberPath(field), "{\"exists\": true}" });
        }
        return "\"json\": " + object(checks);
    }
    return "\"text\": " + json(literal(text, secrets));
}

QByteArray ScenarioRecorder::stepJson(const RecordedStep &step, QStringList *secrets) const
{
    const QByteArray name = json(step.connection);
    switch (step.type) {
    case RecordedStep::Type::Connect: {
        QByteArray expect = "{\"status\": 101";
        if (step.subprotocol)
            expect += ", \"subprotocol\": " + json(*step.subprotocol);
        return "{\"connect\": " + name + ", \"expect\": " + expect + "}}";
    }
    case RecordedStep::Type::Send: {
        if (step.binary) {
            if (step.payload.size() <= 32)
                return "{\"send\": " + name
                    + ", \"hex\": " + json(QString::fromLatin1(step.payload.toHex(' '))) + '}';
            return "{\"send\": " + name
                + ", \"base64\": " + json(QString::fromLatin1(step.payload.toBase64())) + '}';
        }
        const QString text = literal(QString::fromUtf8(step.payload), secrets);
        const QByteArray utf8 = text.toUtf8();
        // A compact JSON object or array is written as JSON (easier to read and edit); the
        // runner sends it compact, so the bytes are the same. Anything else stays text.
        const QJsonValue document = JsonPath::parseDocument(utf8);
        if ((document.isObject() || document.isArray()) && JsonLocator::compactText(utf8, {}) == utf8)
            return "{\"send\": " + name + ", \"json\": " + utf8 + '}';
        return "{\"send\": " + name + ", \"text\": " + json(text) + '}';
    }
    case RecordedStep::Type::Expect:
        return "{\"expect\": " + name + ", " + expectMatcher(step, secrets)
            + ", \"within\": " + QByteArray::number(withinFor(step.delayMs)) + '}';
    case RecordedStep::Type::ExpectClose:
        return "{\"expect\": " + name + ", \"close\": "
            + (step.closeCode >= 1000 ? QByteArray::number(step.closeCode) : QByteArray("true"))
            + ", \"within\": " + QByteArray::number(withinFor(step.delayMs)) + '}';
    case RecordedStep::Type::Ping: {
        const QString payload = QString::fromUtf8(step.payload);
        return "{\"ping\": " + name + (payload.isEmpty() ? QByteArray() : ", \"payload\": " + json(payload))
            + '}';
    }
    case RecordedStep::Type::Close: {
        QByteArray out = "{\"close\": " + name + ", \"code\": " + QByteArray::number(step.closeCode);
        const QString reason = SecretValues::mask(QString::fromUtf8(step.payload));
        if (!reason.isEmpty())
            out += ", \"reason\": " + json(reason);
        if (step.expectCloseCode >= 1000)
            out += ", \"expect\": {\"code\": " + QByteArray::number(step.expectCloseCode) + '}';
        return out + '}';
    }
    }
    return {};
}

QByteArray ScenarioRecorder::toJson(const Options &options) const
{
    QStringList secrets;
    QStringList referenced;
    QList<QByteArray> connections;
    for (int s = 0; s < m_sources.size(); ++s)
        connections.append(
            "    " + json(connectionName(s)) + ": " + connectionJson(s, &secrets, &referenced));

    QList<QByteArray> steps;
    qint64 previousUs = -1;
    for (const RecordedStep &step : m_steps) {
        const bool isActing
            = step.type != RecordedStep::Type::Expect && step.type != RecordedStep::Type::ExpectClose;
        if (options.keepGaps && isActing && previousUs >= 0 && step.delayMs >= options.minimumGapMs)
            steps.append("    {\"wait\": " + QByteArray::number(step.delayMs) + '}');
        steps.append("    " + stepJson(step, &secrets));
        previousUs = step.timeUs;
    }

    // Variables the URL and headers refer to: a plain value from the tab's variables is kept in
    // the file; a secret one, or one the tab does not define, is left for the user to set.
    QList<QPair<QString, QByteArray>> variables;
    m_missing = secrets;
    for (const QString &name : std::as_const(referenced)) {
        if (m_missing.contains(name))
            continue;
        const auto it = std::find_if(m_environment.cbegin(), m_environment.cend(),
            [&name](const QPair<QString, QString> &v) { return v.first == name; });
        if (isSecretVariable(name) || it == m_environment.cend())
            m_missing.append(name);
        else
            variables.append({ name, json(it->second) });
    }

    QString title = options.name;
    if (title.isEmpty() && !m_sources.isEmpty())
        title = tr("Recorded from %1").arg(m_sources.first().title);
    QByteArray out = "{\n  \"name\": " + json(title) + ",\n";
    if (!m_missing.isEmpty())
        out += "  \"comment\": "
            + json(tr("Set these variables before running (an environment, or --var name=value): %1.")
                       .arg(m_missing.join(QLatin1String(", "))))
            + ",\n";
    if (!variables.isEmpty())
        out += "  \"variables\": " + object(variables) + ",\n";
    out += "  \"connections\": {\n" + connections.join(",\n") + "\n  },\n";
    out += "  \"steps\": [\n" + steps.join(",\n") + "\n  ]\n}\n";
    return out;
}

} // namespace wst
