#include "K6ScriptWriter.h"

#include "LoadPlan.h"
#include "session/RowJson.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace wst {

namespace {

// A JSON string is a JavaScript string literal (ES2019 and later).
QByteArray js(const QString &text)
{
    QByteArray out;
    RowJson::appendString(out, text.toUtf8());
    return out;
}

QByteArray jsValue(const QJsonValue &value)
{
    const QByteArray array = QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

// Comments hold text from the user's files: a newline would end the comment.
QByteArray comment(const QString &text)
{
    QString line = text;
    line.replace(QLatin1Char('\r'), QLatin1Char(' ')).replace(QLatin1Char('\n'), QLatin1Char(' '));
    return "// " + line.toUtf8() + '\n';
}

class Writer
{
public:
    explicit Writer(const LoadPlan &plan)
        : m_plan(plan)
    {
    }
    QByteArray run();

private:
    // A text of the file: filled with the flow's variables at run time, unless the plan is literal.
    QByteArray text(const QString &value) const
    {
        return m_plan.literal ? js(value) : "fill(vars, " + js(value) + ')';
    }
    void flow(int index, const Scenario &scenario);
    void step(const Scenario &scenario, const ScenarioStep &s, int flowIndex);
    QByteArray predicate(const MessageMatcher &m);
    void line(const QByteArray &code) { m_out += "  " + code + '\n'; }
    void check(const QByteArray &value, const QString &label, const QByteArray &condition)
    {
        line("if (!check(" + value + ", { " + js(label) + ": (x) => " + condition + " })) return false;");
    }

    const LoadPlan &m_plan;
    QByteArray m_out;
    QByteArray m_files; // open() calls: k6 reads files in the init context only
};

QByteArray Writer::predicate(const MessageMatcher &m)
{
    QByteArrayList parts;
    if (m.hex)
        parts.append("sameBytes(m, bytes(" + text(*m.hex) + "))");
    if (m.base64)
        parts.append("sameBytes(m, b64decode(" + text(*m.base64) + "))");
    if (m.exact)
        parts.append("isText(m) && m === " + text(*m.exact));
    if (m.contains)
        parts.append("isText(m) && m.includes(" + text(*m.contains) + ')');
    if (m.regex)
        parts.append("isText(m) && new RegExp(" + text(*m.regex) + ").test(m)");
    if (!m.json.isEmpty()) {
        QByteArrayList checks;
        for (const JsonCheck &c : m.json) {
            QByteArray op;
            QByteArray value = "null";
            switch (c.op) {
            case JsonCheck::Op::Equals:
                op = "equals";
                value = m_plan.literal ? jsValue(c.value) : "fillValue(vars, " + jsValue(c.value) + ')';
                break;
            case JsonCheck::Op::Exists:
                op = "exists";
                break;
            case JsonCheck::Op::Missing:
                op = "missing";
                break;
            case JsonCheck::Op::Matches:
                op = "matches";
                value = text(c.pattern);
                break;
            case JsonCheck::Op::Less:
                op = "<";
                value = jsValue(c.value);
                break;
            case JsonCheck::Op::LessOrEqual:
                op = "<=";
                value = jsValue(c.value);
                break;
            case JsonCheck::Op::Greater:
                op = ">";
                value = jsValue(c.value);
                break;
            case JsonCheck::Op::GreaterOrEqual:
                op = ">=";
                value = jsValue(c.value);
                break;
            }
            checks.append('[' + js(c.pathText) + ", \"" + op + "\", " + value + ']');
        }
        parts.append("jsonMatches(m, [" + checks.join(", ") + "])");
    }
    return parts.isEmpty() ? QByteArray("true") : parts.join(" && ");
}

void Writer::step(const Scenario &scenario, const ScenarioStep &s, int flowIndex)
{
    const QByteArray conn = "c[" + js(s.connection) + ']';
    const QString label = QStringLiteral("step %1: ").arg(s.number);
    const QByteArray within = QByteArray::number(s.withinMs);
    if (!s.name.isEmpty())
        m_out += "  " + comment(QStringLiteral("step %1: %2").arg(s.number).arg(s.name));
    switch (s.type) {
    case ScenarioStep::Type::Connect: {
        const ScenarioConnection *c = scenario.connection(s.connection);
        if (!c)
            return;
        QByteArrayList protocols;
        for (const QString &p : c->subprotocols)
            protocols.append(text(p));
        QByteArrayList headers;
        for (const auto &[name, value] : c->headers)
            headers.append(js(name) + ": " + text(value));
        if (!c->origin.isEmpty())
            headers.append("\"Origin\": " + text(c->origin));
        line("mark(c);");
        line(conn + " = await connect(" + text(c->url) + ", "
            + (protocols.isEmpty() ? QByteArray("null") : '[' + protocols.join(", ") + ']') + ", {"
            + headers.join(", ") + "}, " + within + ");");
        if (s.expectStatus == 101) {
            check(conn, label + QStringLiteral("connect %1").arg(s.connection), "x.opened");
        } else {
            m_out += "  "
                + comment(QStringLiteral("status %1 expected: k6 only tells that the connection did not open")
                              .arg(s.expectStatus));
            check(conn, label + QStringLiteral("connect %1 is refused").arg(s.connection), "!x.opened");
        }
        if (s.expectSubprotocol)
            check(conn, label + QStringLiteral("subprotocol %1").arg(*s.expectSubprotocol),
                "x.ws.protocol === " + text(*s.expectSubprotocol));
        for (const auto &[name, value] : s.expectHeaders) {
            m_out += "  "
                + comment(QStringLiteral("not checked: response header %1%2 (k6/websockets does not expose "
                                         "the handshake's response)")
                              .arg(name, value ? QStringLiteral(": ") + *value : QString()));
        }
        break;
    }
    case ScenarioStep::Type::Send:
        line("mark(c);");
        switch (s.format) {
        case MessageFormat::Type::Hex:
            line(conn + ".ws.send(bytes(" + text(s.body) + "));");
            break;
        case MessageFormat::Type::Base64:
            line(conn + ".ws.send(b64decode(" + text(s.body) + "));");
            break;
        case MessageFormat::Type::File: {
            const QByteArray name
                = "file" + QByteArray::number(flowIndex) + '_' + QByteArray::number(s.number);
            const QString path
                = QDir::isAbsolutePath(s.body) ? s.body : QDir(scenario.folder).absoluteFilePath(s.body);
            m_files += "const " + name + " = open(" + js(QDir::cleanPath(path)) + ", 'b');\n";
            line(conn + ".ws.send(" + name + ");");
            break;
        }
        default:
            line(conn + ".ws.send(" + text(s.body) + ");");
            break;
        }
        break;
    case ScenarioStep::Type::Expect: {
        line("{");
        line("  const found = await expectMessage(" + conn + ", (m) => " + predicate(s.matcher) + ", "
            + within + (s.strict ? ", true);" : ", false);"));
        m_out += "  ";
        check("found", label + QStringLiteral("expect on %1").arg(s.connection), "x !== undefined");
        for (const SaveRule &r : s.saves) {
            if (r.path) {
                line("  vars[" + js(r.variable) + "] = scalar(jsonPath(parseJson(found), "
                    + js(r.path->text()) + ")[0]);");
            } else {
                line("  vars[" + js(r.variable) + "] = ((isText(found) && new RegExp(" + js(r.pattern)
                    + ").exec(found)) || [])[" + QByteArray::number(r.group) + "] ?? '';");
            }
        }
        line("}");
        break;
    }
    case ScenarioStep::Type::ExpectNone:
        line("{");
        line("  const found = await expectNone(" + conn + ", (m) => " + predicate(s.matcher) + ", " + within
            + ");");
        m_out += "  ";
        check("found", label + QStringLiteral("nothing matching on %1").arg(s.connection), "x === undefined");
        line("}");
        break;
    case ScenarioStep::Type::ExpectClose:
        if (s.expectCloseCode >= 0)
            m_out += "  "
                + comment(QStringLiteral(
                    "not checked: close code %1 (k6/websockets' close event does not report it)")
                              .arg(s.expectCloseCode));
        check("await waitClosed(" + conn + ", " + within + ')',
            label + QStringLiteral("%1 closes").arg(s.connection), "x");
        break;
    case ScenarioStep::Type::Wait:
        line("await sleep(" + within + ");");
        break;
    case ScenarioStep::Type::Ping:
        line("mark(c);");
        check("await ping(" + conn + ", " + within + ')',
            label + QStringLiteral("pong from %1").arg(s.connection), "x");
        break;
    case ScenarioStep::Type::Close:
        line("mark(c);");
        if (s.closeCode != 1000 || !s.closeReason.isEmpty())
            m_out += "  "
                + comment(
                    QStringLiteral("wstester closes with code %1%2; k6/websockets' close() sends 1000")
                        .arg(s.closeCode)
                        .arg(s.closeReason.isEmpty() ? QString()
                                                     : QStringLiteral(" \u201c%1\u201d").arg(s.closeReason)));
        if (s.expectCloseCode >= 0)
            m_out += "  "
                + comment(QStringLiteral("not checked: the server's close code %1").arg(s.expectCloseCode));
        line(conn + ".ws.close();");
        check("await waitClosed(" + conn + ", " + within + ')',
            label + QStringLiteral("close %1").arg(s.connection), "x");
        break;
    case ScenarioStep::Type::Script:
        // wstester's script API (msg, vars, expect, send) is not k6's: said, not translated.
        m_out += "  " + comment(QStringLiteral("not exported: a script step on %1").arg(s.connection));
        break;
    case ScenarioStep::Type::Command:
        // The protocol sessions (Socket.IO, MQTT, ...) are wstester's, not k6's.
        m_out += "  "
            + comment(QStringLiteral("not exported: a %1 command on %2").arg(s.command.verb, s.connection));
        break;
    }
}

void Writer::flow(int index, const Scenario &scenario)
{
    m_out += '\n' + comment(scenario.name);
    m_out += "async function flow" + QByteArray::number(index) + "() {\n";
    if (!m_plan.literal) {
        // The file's variables; k6's environment (k6 run -e user=bob) wins, like --var.
        m_out += "  const vars = {";
        QByteArrayList pairs;
        for (auto it = scenario.variables.cbegin(); it != scenario.variables.cend(); ++it)
            pairs.append(js(it.key()) + ": " + js(it.value()));
        m_out += pairs.join(", ") + "};\n";
        m_out += "  for (const [k, v] of Object.entries(__ENV)) if (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(k)) "
                 "vars[k] = v;\n";
    }
    m_out += "  const c = {};\n";
    m_out += "  try {\n";
    for (const ScenarioStep &s : scenario.steps) {
        const qsizetype at = m_out.size();
        step(scenario, s, index);
        // Indent the step's lines once more: they sit inside the try block.
        QByteArray body = m_out.mid(at);
        m_out.truncate(at);
        body.replace("\n  ", "\n    ");
        m_out += "  " + body;
    }
    m_out += "    return true;\n  } finally {\n";
    m_out += "    for (const conn of Object.values(c)) if (conn.ws && !conn.closed) conn.ws.close();\n";
    m_out += "  }\n}\n";
}

QByteArray Writer::run()
{
    QByteArray head = comment(
        QStringLiteral("k6 load script exported by wstester " WST_VERSION " from %1").arg(m_plan.source));
    if (!m_plan.title.isEmpty() && m_plan.title != m_plan.source)
        head += comment(m_plan.title);
    head += "// Run it with k6 0.54 or newer: k6 run --vus 10 --duration 30s this-file.js\n";
    if (!m_plan.literal)
        head += "// Variables: the file's, overridden by k6's -e name=value.\n";
    for (const QString &note : m_plan.notes)
        head += comment(note);
    head += "import { check } from 'k6';\n"
            "import { b64decode } from 'k6/encoding';\n"
            "import { setTimeout, clearTimeout } from 'k6/timers';\n"
            "import { WebSocket } from 'k6/websockets';\n\n"
            "export const options = { vus: 1, iterations: 1 };\n\n";
    QFile prelude(QStringLiteral(":/export/K6Prelude.js"));
    prelude.open(QIODevice::ReadOnly);
    const QByteArray helpers = prelude.readAll();
    for (qsizetype i = 0; i < m_plan.flows.size(); ++i)
        flow(int(i) + 1, m_plan.flows.at(i));
    QByteArrayList calls;
    for (qsizetype i = 0; i < m_plan.flows.size(); ++i)
        calls.append("flow" + QByteArray::number(i + 1) + "()");
    return head + m_files + (m_files.isEmpty() ? "" : "\n") + helpers + m_out
        + "\nexport default async function () {\n  await Promise.all([" + calls.join(", ") + "]);\n}\n";
}

} // namespace

QByteArray K6ScriptWriter::write(const LoadPlan &plan)
{
    return Writer(plan).run();
}

} // namespace wst
