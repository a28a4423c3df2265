// k6 and Artillery: each client tab's connections and sends, with the recorded gaps, as a
// LoadPlan that export/K6ScriptWriter and export/ArtilleryScriptWriter write.
#include "SessionExportWriter_p.h"
#include "SessionSchema.h"
#include "export/LoadPlan.h"

#include <QFileInfo>

#include <algorithm>
#include <limits>

namespace wst {

namespace {

// Headers that the load engine's WebSocket client writes itself.
bool isHandshakeHeader(const QByteArray &name)
{
    static const QByteArrayList own { "host", "upgrade", "connection", "sec-websocket-key",
        "sec-websocket-version", "sec-websocket-extensions", "content-length" };
    return own.contains(name.toLower());
}

ScenarioStep makeStep(ScenarioStep::Type type, const QString &connection, int *number)
{
    ScenarioStep s;
    s.type = type;
    s.connection = connection;
    s.number = ++*number;
    return s;
}

} // namespace

bool SessionExport::Writer::addLoadFlow(const SessionTab &tab, qint64 startUs, LoadPlan *plan)
{
    QList<SessionHandshake> handshakes;
    for (const SessionHandshake &h : m_session.handshakes(tab.id)) {
        if (h.conn == 0)
            handshakes.append(h);
    }
    Scenario flow;
    flow.name = tab.title.isEmpty() ? QStringLiteral("tab %1").arg(tab.id)
                                    : QStringLiteral("tab %1 \u201c%2\u201d").arg(tab.id).arg(tab.title);
    flow.file = plan->source;
    int number = 0;
    qint64 clockUs = startUs; // where the steps so far end; waits are rounded against it, not added up
    qint64 lastRowUs = -1;
    qsizetype current = -1;
    bool open = false;
    auto waitUntil = [&](qint64 us) {
        const qint64 ms = (us - clockUs) / 1000;
        if (ms <= 0)
            return;
        ScenarioStep wait = makeStep(ScenarioStep::Type::Wait, QString(), &number);
        wait.withinMs = int(std::min<qint64>(ms, std::numeric_limits<int>::max()));
        flow.steps.append(wait);
        clockUs += qint64(wait.withinMs) * 1000;
    };
    auto closeCurrent = [&](int code) {
        if (!open)
            return;
        waitUntil(lastRowUs);
        ScenarioStep close = makeStep(ScenarioStep::Type::Close, flow.connections.last().name, &number);
        close.closeCode = code;
        flow.steps.append(close);
        open = false;
    };
    auto openNext = [&](qint64 atUs) {
        closeCurrent(1000);
        ++current;
        ScenarioConnection c;
        c.name = current == 0 ? QStringLiteral("tab%1").arg(tab.id)
                              : QStringLiteral("tab%1-%2").arg(tab.id).arg(current + 1);
        c.url = tab.url;
        if (current < handshakes.size()) {
            for (const auto &[name, value] :
                HandshakeRecord::parseHeaders(exportedHead(handshakes.at(current).record.request))) {
                if (name.compare("sec-websocket-protocol", Qt::CaseInsensitive) == 0) {
                    for (const QByteArray &p : value.split(','))
                        c.subprotocols.append(QString::fromUtf8(p.trimmed()));
                } else if (!isHandshakeHeader(name)) {
                    c.headers.append({ QString::fromUtf8(name), QString::fromUtf8(value) });
                }
            }
        }
        flow.connections.append(c);
        waitUntil(atUs);
        flow.steps.append(makeStep(ScenarioStep::Type::Connect, c.name, &number));
        open = true;
        lastRowUs = atUs;
    };

    SessionReader::Cursor cursor(m_session, tab.id, ids());
    while (cursor.next()) {
        const MessageRow &r = cursor.row;
        if (current < 0)
            openNext(handshakes.isEmpty() ? r.timeUs : std::min(r.timeUs, handshakes.first().timeUs));
        while (current + 1 < handshakes.size() && r.timeUs >= handshakes.at(current + 1).timeUs)
            openNext(handshakes.at(current + 1).timeUs);
        if (open)
            lastRowUs = std::max(lastRowUs, r.timeUs);
        if (r.direction == Direction::Out && open
            && (r.kind == Kind::Text || r.kind == Kind::Binary || r.kind == Kind::Close)) {
            waitUntil(r.timeUs);
            if (r.kind == Kind::Close) {
                closeCurrent(int(r.extra));
            } else {
                ScenarioStep send = makeStep(ScenarioStep::Type::Send, flow.connections.last().name, &number);
                const QByteArrayView payload = exportedPayload(cursor.payload);
                if (r.kind == Kind::Text) {
                    send.body = QString::fromUtf8(payload);
                } else {
                    send.format = MessageFormat::Type::Hex;
                    send.body = QString::fromLatin1(payload.toByteArray().toHex());
                }
                flow.steps.append(send);
                ++m_owner.m_rowsWritten;
            }
        }
        if (!visited())
            return false;
    }
    if (!cursorEnded(cursor))
        return false;
    while (current + 1 < handshakes.size())
        openNext(handshakes.at(current + 1).timeUs);
    closeCurrent(1000);
    if (!flow.steps.isEmpty())
        plan->flows.append(flow);
    return true;
}

bool SessionExport::Writer::writeLoadScript()
{
    LoadPlan plan;
    plan.literal = true;
    plan.source
        = m_session.path().isEmpty() ? QStringLiteral("a session") : QFileInfo(m_session.path()).fileName();
    plan.title = m_session.meta("name");
    // Every tab starts as long after the first one as it did when it was recorded.
    qint64 startUs = std::numeric_limits<qint64>::max();
    bool anyClient = false;
    for (const SessionTab &tab : std::as_const(m_tabs)) {
        if (tab.hasConnections()) {
            plan.notes.append(
                (tab.isProxy() ? QStringLiteral("Left out: tab %1 \u201c%2\u201d is a proxy.")
                               : QStringLiteral("Left out: tab %1 \u201c%2\u201d is a local server."))
                    .arg(tab.id)
                    .arg(tab.title));
            continue;
        }
        anyClient = true;
        for (const SessionHandshake &h : m_session.handshakes(tab.id)) {
            if (h.conn == 0)
                startUs = std::min(startUs, h.timeUs);
        }
        SessionReader::Cursor first(m_session, tab.id, ids());
        if (first.next())
            startUs = std::min(startUs, first.row.timeUs);
    }
    if (!anyClient)
        return fail(tr("The session has no client tab to export: a load script replays what a client sent."));
    for (const SessionTab &tab : std::as_const(m_tabs)) {
        if (!tab.hasConnections() && !addLoadFlow(tab, startUs, &plan))
            return false;
    }
    m_buffer.append(LoadPlan::write(
        m_owner.m_format == Format::K6 ? LoadPlan::Engine::K6 : LoadPlan::Engine::Artillery, plan));
    return true;
}

} // namespace wst
