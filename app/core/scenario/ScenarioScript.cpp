#include "ScenarioScript.h"

#include "ScriptWatchdog.h"

#include <QJSEngine>
#include <QRegularExpression>

namespace wst {

namespace {

// The API around the native object (ScenarioScriptApi): assertions, vars, send, log, and the
// msg objects. Problems the native side reports are thrown here, at the script's call.
const char Prelude[] = R"JS((function (api, t) {
    'use strict';
    function fill(template) {
        var args = arguments;
        return template.replace(/%(\d)/g, function (m, n) { return args[Number(n)]; });
    }
    function text(v) {
        if (typeof v === 'string') return v;
        if (v instanceof ArrayBuffer) return 'ArrayBuffer(' + v.byteLength + ')';
        try { var s = JSON.stringify(v); return s === undefined ? String(v) : s; } catch (e) { return String(v); }
    }
    function same(a, b) {
        if (a === b) return true;
        if (typeof a === 'number' && typeof b === 'number') return a !== a && b !== b;
        if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
        if (Array.isArray(a) !== Array.isArray(b)) return false;
        var ka = Object.keys(a), kb = Object.keys(b);
        if (ka.length !== kb.length) return false;
        for (var i = 0; i < ka.length; ++i) {
            if (!Object.prototype.hasOwnProperty.call(b, ka[i]) || !same(a[ka[i]], b[ka[i]])) return false;
        }
        return true;
    }
    function failure(message, detail) {
        var e = new Error(message === undefined ? detail : text(message) + (detail ? ': ' + detail : ''));
        e.wstExpect = true;
        return e;
    }
    function check(problem) { if (problem) throw new Error(problem); }
    function expect(value, message) {
        if (!value) throw failure(message, message === undefined ? fill(t.notTrue, text(value)) : '');
    }
    expect.equal = function (actual, expected, message) {
        if (!same(actual, expected)) throw failure(message, fill(t.equal, text(expected), text(actual)));
    };
    expect.notEqual = function (actual, unexpected, message) {
        if (same(actual, unexpected)) throw failure(message, fill(t.notEqual, text(unexpected)));
    };
    expect.match = function (value, pattern, message) {
        var re = pattern instanceof RegExp ? pattern : new RegExp(pattern);
        if (!re.test(String(value))) throw failure(message, fill(t.match, text(value), String(re)));
    };
    expect.fail = function (message) { throw failure(message === undefined ? t.failed : message, ''); };
    function bytes(data) {
        if (data instanceof ArrayBuffer) return data;
        if (ArrayBuffer.isView(data)) return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
        if (Array.isArray(data)) return new Uint8Array(data).buffer;
        throw new TypeError(t.bytes);
    }
    function log() { api.log(Array.prototype.map.call(arguments, text).join(' ')); }
    return {
        expect: expect,
        vars: Object.freeze({
            get: function (name) { return api.get(String(name)); },
            set: function (name, value) { check(api.set(String(name), text(value))); }
        }),
        send: function (connection, message) { check(api.send(String(connection), text(message))); },
        sendBinary: function (connection, data) { check(api.sendBinary(String(connection), bytes(data))); },
        log: log,
        console: Object.freeze({ log: log, info: log, warn: log, error: log }),
        message: function (connection, body, isBinary, buffer) {
            var json;
            if (!isBinary) { try { json = JSON.parse(body); } catch (e) { json = undefined; } }
            return Object.freeze({ connection: connection, text: body, json: json, isBinary: isBinary,
                binary: isBinary ? buffer : null });
        },
        functions: []
    };
}))JS";

const QLatin1String Globals[] = { QLatin1String("expect"), QLatin1String("vars"), QLatin1String("send"),
    QLatin1String("sendBinary"), QLatin1String("log"), QLatin1String("console") };

} // namespace

ScenarioScript::ScenarioScript(ScriptHost host)
    : m_host(std::move(host))
    , m_engine(std::make_unique<QJSEngine>())
    , m_watchdog(std::make_unique<ScriptWatchdog>(m_engine.get()))
{
    auto *api = new ScenarioScriptApi(&m_host, m_engine.get());
    QJSEngine::setObjectOwnership(api, QJSEngine::CppOwnership);
    QJSValue texts = m_engine->newObject();
    texts.setProperty(QStringLiteral("notTrue"), tr("expected a true value, got %1"));
    texts.setProperty(QStringLiteral("equal"), tr("expected %1, got %2"));
    texts.setProperty(QStringLiteral("notEqual"), tr("expected anything but %1"));
    texts.setProperty(QStringLiteral("match"), tr("expected %1 to match %2"));
    texts.setProperty(QStringLiteral("failed"), tr("failed"));
    texts.setProperty(QStringLiteral("bytes"),
        tr("sendBinary: the data must be an ArrayBuffer, a typed array or an array of byte values."));
    const QJSValue make = m_engine->evaluate(QString::fromUtf8(Prelude), QStringLiteral("wstester-prelude"));
    m_api = make.call({ m_engine->newQObject(api), texts });
    Q_ASSERT(!m_api.isError());
    QJSValue global = m_engine->globalObject();
    for (const QLatin1String &name : Globals)
        global.setProperty(name, m_api.property(name));
    if (global.property(QStringLiteral("globalThis")).isUndefined()) // not in Qt 6.4's engine
        global.setProperty(QStringLiteral("globalThis"), global);
    m_functions = m_api.property(QStringLiteral("functions"));
    global.setProperty(QStringLiteral("__wstester"), m_api);
}

ScenarioScript::~ScenarioScript()
{
    m_watchdog.reset(); // its thread touches the engine
    m_api = QJSValue();
    m_functions = QJSValue();
}

ScenarioScript::Outcome ScenarioScript::evaluate(
    const QString &program, const QString &fileName, int timeoutMs)
{
    Outcome outcome;
    m_watchdog->arm(qBound(1, timeoutMs, ScriptSource::MaxTimeoutMs));
    outcome.value = m_engine->evaluate(program, fileName, 1, &outcome.trace);
    outcome.timedOut = m_watchdog->disarm();
    if (outcome.timedOut || m_engine->isInterrupted())
        m_engine->setInterrupted(false);
    return outcome;
}

QString ScenarioScript::where(const ScriptSource &source, const QString &fileName, const QStringList &trace,
    const QJSValue &thrown) const
{
    // Entries read "function:line:column:file"; the first in the script is where it stopped.
    static const QRegularExpression entry(QStringLiteral("^[^:]*:(\\d+):-?\\d+:(?:file:)?(.*)$"));
    QString line;
    for (const QString &frame : trace) {
        const QRegularExpressionMatch m = entry.match(frame);
        if (m.hasMatch() && m.captured(2) == fileName) {
            line = m.captured(1);
            break;
        }
    }
    // A syntax error comes back as an error value, without a trace.
    if (line.isEmpty() && thrown.isError()
        && thrown.property(QStringLiteral("fileName")).toString().endsWith(QLatin1Char(':') + fileName))
        line = QString::number(thrown.property(QStringLiteral("lineNumber")).toInt());
    if (line.isEmpty())
        return source.file;
    return source.file.isEmpty() ? tr("line %1").arg(line) : source.file + QLatin1Char(':') + line;
}

bool ScenarioScript::run(const ScriptSource &source, const std::optional<Message> &message, QString *error)
{
    const QString fileName
        = QStringLiteral("wstester-script-%1").arg(m_compiled.value(source.code, m_compiled.size()));
    auto failed = [&](const Outcome &o) {
        const QString at = where(source, fileName, o.trace, o.value);
        if (o.timedOut) {
            *error = at.isEmpty()
                ? tr("stopped: the script ran past its time limit of %1 ms.").arg(source.timeoutMs)
                : tr("%1: stopped: the script ran past its time limit of %2 ms.")
                      .arg(at)
                      .arg(source.timeoutMs);
            return false;
        }
        const QString what = o.value.isError() && o.value.property(QStringLiteral("wstExpect")).toBool()
            ? o.value.property(QStringLiteral("message")).toString()
            : o.value.toString();
        *error = at.isEmpty() ? what : tr("%1: %2").arg(at, what);
        return false;
    };
    auto index = m_compiled.constFind(source.code);
    if (index == m_compiled.constEnd()) {
        // The code's first line stays line 1: the wrapper opens on it. A script may "return".
        const Outcome compiled
            = evaluate(QStringLiteral("(function (msg) {") + source.code + QStringLiteral("\n})"), fileName,
                source.timeoutMs);
        if (!compiled.trace.isEmpty() || compiled.timedOut || compiled.value.isError()
            || !compiled.value.isCallable())
            return failed(compiled);
        const int n = int(m_compiled.size());
        m_functions.setProperty(quint32(n), compiled.value);
        index = m_compiled.insert(source.code, n);
    }
    QJSValue msg(QJSValue::UndefinedValue);
    if (message) {
        const QString body = QString::fromUtf8(message->payload);
        msg = m_api.property(QStringLiteral("message"))
                  .call({ message->connection, body, message->binary,
                      message->binary ? m_engine->toScriptValue(message->payload) : QJSValue() });
    }
    m_api.setProperty(QStringLiteral("msg"), msg);
    const Outcome ran = evaluate(QStringLiteral("__wstester.functions[%1](__wstester.msg)").arg(*index),
        QStringLiteral("wstester-call"), source.timeoutMs);
    m_api.setProperty(QStringLiteral("msg"), QJSValue());
    if (!ran.trace.isEmpty() || ran.timedOut)
        return failed(ran);
    error->clear();
    return true;
}

} // namespace wst
