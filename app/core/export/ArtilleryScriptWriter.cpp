#include "ArtilleryScriptWriter.h"

#include "LoadPlan.h"
#include "compose/Variables.h"
#include "session/RowJson.h"

namespace wst {

namespace {

// A JSON string is a YAML double-quoted scalar.
QByteArray quoted(const QString &text)
{
    QByteArray out;
    RowJson::appendString(out, text.toUtf8());
    return out;
}

QByteArray comment(const QByteArray &indent, const QString &text)
{
    QString line = text;
    line.replace(QLatin1Char('\r'), QLatin1Char(' ')).replace(QLatin1Char('\n'), QLatin1Char(' '));
    return indent + "# " + line.toUtf8() + '\n';
}

// Artillery reads a whole number as seconds and any other as milliseconds ("0.5" is half a
// millisecond): whole seconds stay numbers, the rest is written with its unit.
QByteArray think(qint64 ms)
{
    return ms % 1000 == 0 ? QByteArray::number(ms / 1000) : '"' + QByteArray::number(ms) + "ms\"";
}

QString describe(const MessageMatcher &m)
{
    QStringList parts;
    if (m.exact)
        parts.append(QStringLiteral("exact \u201c%1\u201d").arg(*m.exact));
    if (m.contains)
        parts.append(QStringLiteral("contains \u201c%1\u201d").arg(*m.contains));
    if (m.regex)
        parts.append(QStringLiteral("regex %1").arg(*m.regex));
    for (const JsonCheck &c : m.json)
        parts.append(QStringLiteral("json %1").arg(c.pathText));
    if (m.hex || m.base64)
        parts.append(QStringLiteral("binary"));
    return parts.isEmpty() ? QStringLiteral("any message") : parts.join(QStringLiteral(", "));
}

void appendConnection(QByteArray &out, const QByteArray &indent, const ScenarioConnection &c)
{
    if (!c.subprotocols.isEmpty()) {
        out += indent + "subprotocols:\n";
        for (const QString &p : c.subprotocols)
            out += indent + "  - " + quoted(p) + '\n';
    }
    if (!c.headers.isEmpty() || !c.origin.isEmpty()) {
        out += indent + "headers:\n";
        for (const auto &[name, value] : c.headers)
            out += indent + "  " + quoted(name) + ": " + quoted(value) + '\n';
        if (!c.origin.isEmpty())
            out += indent + "  \"Origin\": " + quoted(c.origin) + '\n';
    }
}

// One Artillery scenario: one connection of a flow, its sends paced by the waits around them.
QByteArray scenario(const Scenario &flow, const ScenarioConnection &c, bool ownConnect, bool literal)
{
    QByteArray out = "  - name: "
        + quoted(flow.connections.size() > 1 ? QStringLiteral("%1: %2").arg(flow.name, c.name) : flow.name)
        + "\n    engine: ws\n    flow:\n";
    const QByteArray indent = "      ";
    if (ownConnect) {
        out += indent + "- connect:\n" + indent + "    target: " + quoted(c.url) + '\n';
        appendConnection(out, indent + "    ", c);
    }
    qint64 pending = 0;
    bool connected = false;
    bool sent = false;
    for (const ScenarioStep &s : flow.steps) {
        if (s.type == ScenarioStep::Type::Wait || s.type == ScenarioStep::Type::ExpectNone) {
            pending += s.withinMs;
            continue;
        }
        if (s.connection != c.name)
            continue;
        const QString step = QStringLiteral("step %1: ").arg(s.number);
        switch (s.type) {
        case ScenarioStep::Type::Connect:
            if (pending > 0 && literal)
                out += comment(
                    indent, QStringLiteral("connected %1 ms after the recording began").arg(pending));
            pending = 0;
            connected = true;
            break;
        case ScenarioStep::Type::Send:
            if (pending > 0 && connected)
                out += indent + "- think: " + think(pending) + '\n';
            pending = 0;
            if (s.format == MessageFormat::Type::Text || s.format == MessageFormat::Type::Json) {
                out += indent + "- send: " + quoted(s.body) + '\n';
                sent = true;
            } else {
                out += comment(indent,
                    step
                        + QStringLiteral("not sent: Artillery's ws engine sends text only (%1 %2)")
                              .arg(MessageFormat::key(s.format), s.body.left(80)));
            }
            break;
        case ScenarioStep::Type::Expect:
            out += comment(indent,
                step
                    + QStringLiteral("not checked: expect %1 within %2 ms")
                          .arg(describe(s.matcher))
                          .arg(s.withinMs));
            break;
        case ScenarioStep::Type::ExpectClose:
            out += comment(indent, step + QStringLiteral("not checked: the server closes"));
            break;
        case ScenarioStep::Type::Ping:
            out += comment(indent, step + QStringLiteral("not sent: a ping"));
            break;
        case ScenarioStep::Type::Close:
            if (pending > 0)
                out += indent + "- think: " + think(pending) + '\n';
            pending = 0;
            out += comment(indent, step + QStringLiteral("close (Artillery closes when the flow ends)"));
            break;
        case ScenarioStep::Type::Command:
            out += comment(indent, step + QStringLiteral("not sent: a %1 command").arg(s.command.verb));
            break;
        default:
            break;
        }
    }
    if (!sent)
        out += indent + "- think: 0\n"; // a flow may not be empty
    return out;
}

} // namespace

QByteArray ArtilleryScriptWriter::write(const LoadPlan &plan)
{
    QByteArray out = comment(QByteArray(),
        QStringLiteral("Artillery test script exported by wstester " WST_VERSION " from %1")
            .arg(plan.source));
    if (!plan.title.isEmpty() && plan.title != plan.source)
        out += comment(QByteArray(), plan.title);
    out += "# Run it with Artillery 2: npx artillery run this-file.yml\n";
    out += "# wstester's expects are comments: Artillery's ws engine only matches the message that\n"
           "# follows a send. Artillery runs one scenario per virtual user, chosen by weight.\n";
    for (const QString &note : plan.notes)
        out += comment(QByteArray(), note);

    struct Entry
    {
        const Scenario *flow;
        const ScenarioConnection *connection;
    };
    QList<Entry> entries;
    QMap<QString, QString> variables;
    for (const Scenario &flow : plan.flows) {
        for (const ScenarioConnection &c : flow.connections)
            entries.append({ &flow, &c });
        variables.insert(flow.variables);
    }
    const bool one = entries.size() == 1;
    QString target = entries.isEmpty() ? QString() : entries.first().connection->url;
    QString error;
    if (!plan.literal) {
        // config.target is not templated by Artillery: fill it now.
        const QString filled = Variables::substitute(target, variables, &error);
        if (error.isEmpty())
            target = filled;
    }
    out += "config:\n  target: " + quoted(target) + '\n';
    out += "  phases:\n    - duration: 1\n      arrivalCount: "
        + QByteArray::number(std::max<qsizetype>(1, entries.size())) + '\n';
    if (one
        && (!entries.first().connection->subprotocols.isEmpty()
            || !entries.first().connection->headers.isEmpty()
            || !entries.first().connection->origin.isEmpty())) {
        out += "  ws:\n";
        appendConnection(out, "    ", *entries.first().connection);
    }
    if (!plan.literal && !variables.isEmpty()) {
        out += "  variables:\n";
        for (auto it = variables.cbegin(); it != variables.cend(); ++it)
            out += "    " + quoted(it.key()) + ":\n      - " + quoted(it.value()) + '\n';
    }
    out += "scenarios:\n";
    for (const Entry &e : std::as_const(entries))
        out += scenario(*e.flow, *e.connection,
            !one || (!plan.literal && Variables::containsVariables(e.connection->url)), plan.literal);
    if (entries.isEmpty())
        out += "  []\n";
    return out;
}

} // namespace wst
