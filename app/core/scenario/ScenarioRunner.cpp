#include "ScenarioRunner.h"

#include "ScenarioScript.h"
#include "compose/Variables.h"
#include "connection/ConnectionStatus.h"
#include "format/PayloadCodec.h"
#include "messages/MessageStore.h"
#include "protocol/CloseCodes.h"
#include "protocols/Protocol.h"

#include <QDir>
#include <QRandomGenerator>

namespace wst {

namespace {

constexpr int PollMs = 10;
constexpr int CloseGraceMs = 1000;

bool isActing(ScenarioStep::Type type)
{
    return type == ScenarioStep::Type::Connect || type == ScenarioStep::Type::Send
        || type == ScenarioStep::Type::Ping || type == ScenarioStep::Type::Close
        || type == ScenarioStep::Type::Command;
}

bool isBusy(ClientConnection::State state)
{
    return state == ClientConnection::State::Open || state == ClientConnection::State::Connecting
        || state == ClientConnection::State::Closing;
}

} // namespace

ScenarioRunner::ScenarioRunner(QObject *parent)
    : QObject(parent)
{
    m_poll.setInterval(PollMs);
    m_deadline.setSingleShot(true);
    m_deadline.setTimerType(Qt::PreciseTimer);
    m_closeGrace.setSingleShot(true);
    connect(&m_poll, &QTimer::timeout, this, &ScenarioRunner::evaluate);
    connect(&m_deadline, &QTimer::timeout, this, &ScenarioRunner::onDeadline);
    connect(&m_closeGrace, &QTimer::timeout, this, [this] { Q_EMIT finished(); });
    m_hookPoll.setInterval(PollMs);
    connect(&m_hookPoll, &QTimer::timeout, this, &ScenarioRunner::runHooks);
}

ScenarioRunner::~ScenarioRunner() = default;

void ScenarioRunner::setConnectionFactory(ConnectionFactory factory)
{
    m_factory = std::move(factory);
}

void ScenarioRunner::setVariables(const QMap<QString, QString> &variables)
{
    m_outside = variables;
}

ClientConnection *ScenarioRunner::connection(const QString &name) const
{
    return m_links.value(name).connection;
}

void ScenarioRunner::start(const Scenario &scenario)
{
    // A run starts from fresh connections: nothing of an earlier run's history is matched.
    for (const Link &link : std::as_const(m_links)) {
        if (link.connection) {
            disconnect(link.connection, nullptr, this, nullptr);
            if (link.owned)
                link.connection->deleteLater();
        }
    }
    m_links.clear();
    m_closeGrace.stop();
    m_script.reset(); // a run starts without the globals of the last one's scripts
    m_scenario = scenario;
    m_variables = scenario.variables;
    for (auto it = m_outside.begin(); it != m_outside.end(); ++it)
        m_variables.insert(it.key(), it.value());
    m_report = {};
    m_report.file = scenario.file;
    m_report.name = scenario.name;
    for (const ScenarioStep &s : scenario.steps) {
        m_report.steps.append(
            { s.number, ScenarioReport::title(s), StepReport::Outcome::Pending, 0, {}, {}, {} });
        m_report.steps.last().line = s.line;
    }
    m_index = -1;
    m_running = true;
    m_runClock.start();
    if (hasHooks())
        m_hookPoll.start();
    QTimer::singleShot(0, this, &ScenarioRunner::startStep);
}

void ScenarioRunner::stop()
{
    if (m_stepActive)
        fail(tr("stopped."));
    else if (m_running)
        finishRun();
}

void ScenarioRunner::startStep()
{
    if (!m_running)
        return;
    ++m_index;
    if (m_index >= m_scenario.steps.size()) {
        finishRun();
        return;
    }
    const ScenarioStep &s = step();
    m_stepActive = true;
    m_stepClock.start();
    m_others.clear();
    m_log.clear();
    m_related = -1;
    m_matcher.reset();
    m_handshakePending = false;
    m_closeFramePending = false;
    m_protocolPending = false;
    m_replyPending = false;
    m_commandTaken = false;
    m_commandTicket = 0;
    Q_EMIT stepStarted(m_index);
    if (isActing(s.type)) {
        for (Link &link : m_links) {
            if (link.connection)
                link.windowStart = link.connection->store()->count();
        }
    }
    switch (s.type) {
    case ScenarioStep::Type::Wait:
        m_deadline.start(s.withinMs);
        break;
    case ScenarioStep::Type::Connect:
        startConnect(s);
        break;
    case ScenarioStep::Type::Send:
        startSend(s);
        break;
    case ScenarioStep::Type::Ping:
        startPing(s);
        break;
    case ScenarioStep::Type::Close:
        startClose(s);
        break;
    case ScenarioStep::Type::Expect:
    case ScenarioStep::Type::ExpectNone:
    case ScenarioStep::Type::ExpectClose:
        startExpect(s);
        break;
    case ScenarioStep::Type::Script:
        startScript(s);
        break;
    case ScenarioStep::Type::Command:
        startCommand(s);
        break;
    }
}

QString ScenarioRunner::fillIn(const QString &text, QString *error) const
{
    if (!Variables::containsVariables(text))
        return text;
    return Variables::substitute(text, m_variables, error);
}

ScenarioRunner::Link *ScenarioRunner::openLink(const ScenarioStep &s)
{
    Link &link = m_links[s.connection];
    if (!link.connection || link.connection->state() != ClientConnection::State::Open) {
        fail(tr("connection %1 is not open.").arg(s.connection));
        return nullptr;
    }
    return &link;
}

void ScenarioRunner::startConnect(const ScenarioStep &s)
{
    const ScenarioConnection *c = m_scenario.connection(s.connection);
    const QString name = s.connection;
    Link &link = m_links[name];
    if (!link.connection) {
        link.connection = m_factory ? m_factory(name) : new ClientConnection(this);
        link.owned = !m_factory;
        if (!link.connection) {
            fail(tr("connection %1 could not be made.").arg(name));
            return;
        }
        link.connection->setRecordFrames(true); // a close step reads the server's Close frame
        connect(link.connection, &ClientConnection::stateChanged, this,
            [this, name](ClientConnection::State state) { onStateChanged(name, state); });
        connect(link.connection, &ClientConnection::handshakeChanged, this, [this, name] {
            if (m_stepActive && m_handshakePending && step().connection == name)
                checkHandshake(step(), m_links[name]);
        });
        connect(link.connection, &ClientConnection::protocolNotice, this,
            [this, name](const ProtocolNotice &notice) { onProtocolNotice(name, notice); });
        connect(link.connection, &ClientConnection::commandHandled, this,
            [this, name](
                quint64 ticket, const QString &problem) { onCommandHandled(name, ticket, problem); });
        connect(link.connection, &ClientConnection::pongReceived, this,
            [this, name](qint64 rttUs, const QByteArray &payload) {
                if (m_stepActive && step().type == ScenarioStep::Type::Ping && step().connection == name
                    && payload == m_pingPayload)
                    pass(tr("pong in %1 ms").arg(double(rttUs) / 1000.0, 0, 'f', 1));
            });
    }
    if (isBusy(link.connection->state())) {
        fail(tr("connection %1 is already open.").arg(name));
        return;
    }
    QString error;
    ConnectionOptions options;
    const QString url = fillIn(c->url, &error);
    if (error.isEmpty())
        options.url = ConnectionOptions::parseUrl(url, &error);
    for (const auto &header : c->headers) {
        const QString value = error.isEmpty() ? fillIn(header.second, &error) : QString();
        options.headers.append({ header.first.toUtf8(), value.toUtf8() });
    }
    if (error.isEmpty())
        options.origin = fillIn(c->origin, &error);
    if (!error.isEmpty()) {
        fail(error);
        return;
    }
    options.subprotocols = c->subprotocols;
    options.protocol = c->protocol;
    options.protocol.params = Variables::substituteJson(c->protocol.params, m_variables, &error).toObject();
    if (!error.isEmpty()) {
        fail(tr("\"protocol\": %1").arg(error));
        return;
    }
    options.connectTimeoutMs = qMax(1, s.withinMs);
    if (const QString problem = options.validate(); !problem.isEmpty()) {
        fail(problem);
        return;
    }
    link.windowStart = link.connection->store()->count();
    link.consumed = link.windowStart;
    link.firstRow = link.hookScan = link.windowStart;
    link.matched = -1;
    link.connection->open(options);
    // The connection's own timer gives up at "within"; this one only guards against silence.
    m_deadline.start(s.withinMs + 2000);
}

void ScenarioRunner::startSend(const ScenarioStep &s)
{
    Link *link = openLink(s);
    if (!link)
        return;
    QString error;
    QString body = fillIn(s.body, &error);
    if (s.format == MessageFormat::Type::File)
        body = QDir(m_scenario.folder).filePath(body); // relative to the scenario's folder
    if (!error.isEmpty()) {
        fail(error);
        return;
    }
    const ScenarioConnection *c = m_scenario.connection(s.connection);
    const MessageFormat::Encoded encoded
        = MessageFormat::encode(s.format, body, c ? c->codec.get() : nullptr);
    if (!encoded.ok()) {
        fail(encoded.error);
        return;
    }
    if (encoded.binary)
        link->connection->sendBinary(encoded.payload);
    else
        link->connection->sendText(QString::fromUtf8(encoded.payload));
    pass(encoded.payload.size() == 1 ? tr("1 byte sent") : tr("%1 bytes sent").arg(encoded.payload.size()));
}

void ScenarioRunner::startPing(const ScenarioStep &s)
{
    Link *link = openLink(s);
    if (!link)
        return;
    QString error;
    m_pingPayload = fillIn(s.pingPayload, &error).toUtf8();
    if (!error.isEmpty()) {
        fail(error);
        return;
    }
    if (m_pingPayload.isEmpty()) // a payload of our own tells our pong from any other
        m_pingPayload = "wstester-" + QByteArray::number(s.number) + '-'
            + QByteArray::number(QRandomGenerator::global()->generate(), 16);
    if (!link->connection->ping(m_pingPayload)) {
        fail(tr("the ping payload is longer than 125 bytes."));
        return;
    }
    m_deadline.start(s.withinMs);
}

void ScenarioRunner::startClose(const ScenarioStep &s)
{
    Link *link = openLink(s);
    if (!link)
        return;
    QString error;
    const QString reason = fillIn(s.closeReason, &error);
    if (error.isEmpty())
        error = CloseCodes::validate(s.closeCode, reason);
    if (!error.isEmpty()) {
        fail(error);
        return;
    }
    link->framesStart = link->connection->frames()->count();
    link->connection->close(s.closeCode, reason);
    m_deadline.start(s.withinMs);
}

void ScenarioRunner::startExpect(const ScenarioStep &s)
{
    Link &link = m_links[s.connection];
    if (!link.connection) {
        fail(tr("connection %1 was never opened: add a connect step before this one.").arg(s.connection));
        return;
    }
    QString error;
    m_matcher = ScenarioMatcher::prepare(s.matcher, m_variables, &error);
    if (!m_matcher) {
        fail(error);
        return;
    }
    m_scan = qMax(link.consumed, link.windowStart);
    m_deadline.start(s.withinMs);
    m_poll.start();
    evaluate();
}

void ScenarioRunner::evaluate()
{
    if (!m_stepActive)
        return;
    runHooks(); // a hook sees a message before an expect does
    if (!m_stepActive)
        return;
    const ScenarioStep &s = step();
    if (s.type == ScenarioStep::Type::Close && m_closeFramePending) {
        checkClosed(s, m_links[s.connection]);
        return;
    }
    if (s.type != ScenarioStep::Type::Expect && s.type != ScenarioStep::Type::ExpectNone
        && s.type != ScenarioStep::Type::ExpectClose)
        return;
    Link &link = m_links[s.connection];
    if (!link.connection) { // deleted under the run (the window closed its tab)
        fail(tr("connection %1 no longer exists.").arg(s.connection));
        return;
    }
    const MessageStore &store = *link.connection->store();
    const qint64 end = store.count();
    // On a protocol connection expects read decoded messages (unless "raw"): the protocol's
    // housekeeping (keep-alives, its handshake) is not theirs to see.
    const std::shared_ptr<const Protocol> protocol = link.connection->protocol();
    const bool decode = !protocol->isRaw() && !m_matcher->isRaw();
    for (; m_scan < end && m_stepActive; ++m_scan) {
        const MessageRow &row = store.row(m_scan);
        if (row.direction == Direction::In && (row.kind == Kind::Text || row.kind == Kind::Binary)) {
            const bool binary = row.kind == Kind::Binary;
            QByteArray payload = store.payload(m_scan);
            QString preview;
            bool matches = false;
            if (decode) {
                const ProtocolMessage message = protocol->decode(row.direction, row.kind, payload);
                if (message.role == ProtocolMessage::Role::KeepAlive
                    || message.role == ProtocolMessage::Role::Handshake)
                    continue;
                preview = ScenarioMatcher::preview(message);
                matches = s.type != ScenarioStep::Type::ExpectClose && m_matcher->matches(message);
                payload = ScenarioMatcher::content(message).bytes; // what "save" reads
            } else {
                // With a decoder, a binary message that decodes is matched (and saved from) as its
                // JSON, unless the expect asks for bytes ("hex", "base64").
                const ScenarioConnection *c = m_scenario.connection(s.connection);
                bool asBinary = binary;
                if (binary && c && c->codec && !m_matcher->matchesBytes()) {
                    PayloadCodec::Decoded decoded = c->codec->decode(row.direction, payload);
                    if (decoded.ok()) {
                        payload = std::move(decoded.json);
                        asBinary = false;
                    }
                }
                preview = ScenarioMatcher::preview(asBinary, payload);
                matches = s.type != ScenarioStep::Type::ExpectClose && m_matcher->matches(asBinary, payload);
            }
            m_related = m_scan;
            if (matches) {
                if (s.type == ScenarioStep::Type::ExpectNone) {
                    fail(tr("a message matching %1 arrived: %2").arg(m_matcher->describe(), preview));
                    return;
                }
                link.consumed = m_scan + 1;
                link.matched = m_scan;
                QString error;
                if (!ScenarioMatcher::save(s.saves, payload, &m_variables, &error))
                    fail(error);
                else
                    pass(preview);
                return;
            }
            m_others.append(preview);
            if (s.strict) {
                fail(tr("strict: this message arrived first and does not match %1: %2")
                         .arg(s.type == ScenarioStep::Type::ExpectClose ? tr("a close")
                                                                        : m_matcher->describe(),
                             preview));
                return;
            }
        } else if (row.direction == Direction::Event && row.kind == Kind::Close) {
            m_related = m_scan;
            const QString closed
                = ConnectionStatus::closeText(int(row.extra), QString::fromUtf8(store.payload(m_scan)));
            if (s.type == ScenarioStep::Type::ExpectClose) {
                link.consumed = m_scan + 1;
                if (s.expectCloseCode < 0 || row.extra == s.expectCloseCode)
                    pass(closed);
                else
                    fail(tr("%1, expected %2.").arg(closed).arg(s.expectCloseCode));
                return;
            }
            if (s.type == ScenarioStep::Type::Expect) {
                fail(tr("the connection closed (%1) before a message matching %2 arrived; %3")
                         .arg(closed, m_matcher->describe(), othersText()));
                return;
            }
        }
    }
}

void ScenarioRunner::onDeadline()
{
    if (!m_stepActive)
        return;
    const ScenarioStep &s = step();
    evaluate();
    if (!m_stepActive)
        return;
    switch (s.type) {
    case ScenarioStep::Type::Wait:
        pass();
        break;
    case ScenarioStep::Type::ExpectNone:
        pass(tr("nothing matching arrived in %1 ms").arg(s.withinMs));
        break;
    case ScenarioStep::Type::Expect:
        fail(tr("no message matching %1 within %2 ms; %3")
                 .arg(m_matcher->describe())
                 .arg(s.withinMs)
                 .arg(othersText()));
        break;
    case ScenarioStep::Type::ExpectClose:
        fail(tr("the connection was not closed within %1 ms; %2").arg(s.withinMs).arg(othersText()));
        break;
    case ScenarioStep::Type::Connect: {
        const ClientConnection *c = m_links.value(s.connection).connection;
        if (m_protocolPending && c) {
            fail(tr("the %1 handshake was not done within %2 ms.")
                     .arg(ProtocolNames::displayName(c->protocol()->id()))
                     .arg(s.withinMs));
            break;
        }
        m_report.connectionFailed = true;
        fail(c && c->state() == ClientConnection::State::Error
                ? tr("cannot connect: %1").arg(ConnectionStatus::text(c->status()))
                : tr("the connection did not open within %1 ms.").arg(s.withinMs));
        break;
    }
    case ScenarioStep::Type::Ping:
        fail(tr("no pong within %1 ms.").arg(s.withinMs));
        break;
    case ScenarioStep::Type::Close:
        if (m_closeFramePending)
            fail(tr("the server sent no Close frame within %1 ms (expected %2).")
                     .arg(s.withinMs)
                     .arg(s.expectCloseCode));
        else
            fail(tr("the connection did not close within %1 ms.").arg(s.withinMs));
        break;
    case ScenarioStep::Type::Command:
        fail(m_commandTaken ? tr("no reply within %1 ms.").arg(s.withinMs)
                            : tr("the connection did not take the command within %1 ms.").arg(s.withinMs));
        break;
    case ScenarioStep::Type::Send:
    case ScenarioStep::Type::Script:
        break;
    }
}

void ScenarioRunner::onStateChanged(const QString &name, ClientConnection::State state)
{
    if (!m_stepActive) {
        if (!m_running && m_closeGrace.isActive()) {
            for (const Link &link : std::as_const(m_links)) {
                if (link.connection && isBusy(link.connection->state()))
                    return;
            }
            m_closeGrace.stop();
            Q_EMIT finished();
        }
        return;
    }
    const ScenarioStep &s = step();
    if (s.connection != name)
        return;
    Link &link = m_links[name];
    switch (s.type) {
    case ScenarioStep::Type::Connect:
        if (m_protocolPending) {
            if (!isBusy(state))
                fail(tr("the connection ended before the %1 handshake was done: %2")
                         .arg(ProtocolNames::displayName(link.connection->protocol()->id()),
                             ConnectionStatus::text(link.connection->status())));
        } else if (state == ClientConnection::State::Open || state == ClientConnection::State::Error) {
            checkHandshake(s, link);
        }
        break;
    case ScenarioStep::Type::Command:
        if (!isBusy(state))
            fail(tr("the connection ended before the reply: %1")
                     .arg(ConnectionStatus::text(link.connection->status())));
        break;
    case ScenarioStep::Type::Close:
        if (state == ClientConnection::State::Closed || state == ClientConnection::State::Error)
            checkClosed(s, link);
        break;
    case ScenarioStep::Type::Ping:
        if (!isBusy(state))
            fail(tr("the connection ended before the pong: %1")
                     .arg(ConnectionStatus::text(link.connection->status())));
        break;
    default:
        evaluate();
        break;
    }
}

void ScenarioRunner::pass(const QString &detail)
{
    if (!closeStep(StepReport::Outcome::Passed, detail))
        return;
    Q_EMIT stepFinished(m_index);
    QTimer::singleShot(0, this, &ScenarioRunner::startStep);
}

void ScenarioRunner::fail(const QString &reason)
{
    if (!closeStep(StepReport::Outcome::Failed, reason))
        return;
    for (qsizetype i = m_index + 1; i < m_report.steps.size(); ++i)
        m_report.steps[i].outcome = StepReport::Outcome::Skipped;
    Q_EMIT stepFinished(m_index);
    finishRun();
}

bool ScenarioRunner::closeStep(StepReport::Outcome outcome, const QString &detail)
{
    if (!m_stepActive)
        return false; // a late signal for a step already decided
    m_stepActive = false;
    m_poll.stop();
    m_deadline.stop();
    StepReport &r = m_report.steps[m_index];
    r.outcome = outcome;
    r.durationMs = m_stepClock.elapsed();
    r.detail = detail;
    r.others = m_others;
    r.log = m_log;
    r.messageIndex = m_related;
    return true;
}

void ScenarioRunner::finishRun()
{
    if (!m_running)
        return;
    m_running = false;
    m_hookPoll.stop();
    m_report.durationMs = m_runClock.elapsed();
    // Close what is still open, politely, and give the Close frames a moment to go out.
    bool waiting = false;
    for (const Link &link : std::as_const(m_links)) {
        if (!link.connection)
            continue;
        if (link.connection->state() == ClientConnection::State::Open) {
            link.connection->close(1000);
            waiting = true;
        } else if (link.connection->state() == ClientConnection::State::Connecting) {
            link.connection->abort();
        }
        link.connection->cancelReconnect();
    }
    if (waiting)
        m_closeGrace.start(CloseGraceMs);
    else
        QTimer::singleShot(0, this, [this] { Q_EMIT finished(); });
}

} // namespace wst
