#pragma once

#include "Scenario.h"
#include "ScenarioMatcher.h"
#include "ScenarioReport.h"
#include "connection/ClientConnection.h"

#include <QElapsedTimer>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <memory>

namespace wst {

class ScenarioScript;

// Runs a scenario's steps in order over real client connections (the window's ClientConnection,
// through the wire relay), driven by the event loop: no step blocks, nothing nests a loop.
//
// Expect semantics (README, "Testing your API"):
// - An expect waits for the first message on its connection that matches, among the messages
//   received after the previous step that acted (connect, send, ping, close) began, and after the
//   message an earlier expect on that connection matched. Expects, expectNone and wait only
//   watch, so an expect on b also sees what b received while an expect on a was waiting.
// - Messages that do not match are kept in the step's report, not failures, unless the step is
//   "strict": then the first one fails it. Order across connections follows the steps; order on
//   one connection follows arrival (a matched message consumes what came before it).
// - The first failed step ends the run: the rest are reported as skipped.
// - Scripts (ScenarioScript) run on this object's thread: a script step at once, onMessage hooks
//   for each received message, in arrival order, before an expect looks at it. A failing hook
//   fails the step that is running.
class ScenarioRunner : public QObject
{
    Q_OBJECT
public:
    // Where connections come from: the window can hand out real tabs' connections. By default
    // the runner makes its own (parented to it).
    using ConnectionFactory = std::function<ClientConnection *(const QString &name)>;

    explicit ScenarioRunner(QObject *parent = nullptr);
    ~ScenarioRunner() override;

    void setConnectionFactory(ConnectionFactory factory);
    // Values from outside the file (an environment, then --var, later ones winning): they
    // override the file's "variables"; "save" overrides both as the run goes.
    void setVariables(const QMap<QString, QString> &variables);
    void start(const Scenario &scenario);
    // Fails the current step ("stopped") and skips the rest.
    void stop();
    // The reply's text for reports and "save": the notice's data as JSON, else its fields.
    static QByteArray replyContent(const ProtocolNotice &notice);

    bool isRunning() const { return m_running; }
    const ScenarioReport &report() const { return m_report; }
    QMap<QString, QString> variables() const { return m_variables; }
    ClientConnection *connection(const QString &name) const;

Q_SIGNALS:
    void stepStarted(int index);
    void stepFinished(int index);
    void finished();

private:
    struct Link
    {
        QPointer<ClientConnection> connection;
        qint64 consumed = 0; // rows before this are behind the last matched message
        qint64 windowStart = 0; // rows before this came before the last acting step
        qint64 framesStart = 0;
        bool owned = false; // made by the runner, not handed out by the factory
        qint64 firstRow = 0; // the first row of this run's connection
        qint64 hookScan = 0; // rows before this went through the onMessage hooks
        qint64 matched = -1; // the message the last expect matched: a script step's msg
    };

    void startStep();
    void startConnect(const ScenarioStep &step);
    void startSend(const ScenarioStep &step);
    void startPing(const ScenarioStep &step);
    void startClose(const ScenarioStep &step);
    void startExpect(const ScenarioStep &step);
    void startScript(const ScenarioStep &step);
    // ScenarioRunnerProtocol.cpp
    void startCommand(const ScenarioStep &step);
    void onCommandHandled(const QString &name, quint64 ticket, const QString &problem);
    void onProtocolNotice(const QString &name, const ProtocolNotice &notice);
    // The WebSocket handshake passed: a protocol connection waits for its own handshake too.
    void handshakePassed(const ScenarioStep &step, Link &link, const QString &detail);

    void runHooks();
    bool hasHooks() const;
    ScenarioScript &script();
    QString sendFromScript(const QString &connection, const QByteArray &data, bool binary);
    void evaluate();
    void onDeadline();
    void onStateChanged(const QString &name, ClientConnection::State state);
    void checkHandshake(const ScenarioStep &step, Link &link);
    void checkClosed(const ScenarioStep &step, Link &link);
    void pass(const QString &detail = {});
    void fail(const QString &reason);
    // Records the active step's outcome; false when no step is active.
    bool closeStep(StepReport::Outcome outcome, const QString &detail);
    void finishRun();
    Link *openLink(const ScenarioStep &step);
    QString fillIn(const QString &text, QString *error) const;
    QString othersText() const;
    const ScenarioStep &step() const { return m_scenario.steps.at(m_index); }

    ConnectionFactory m_factory;
    Scenario m_scenario;
    QMap<QString, QString> m_outside;
    QMap<QString, QString> m_variables;
    QMap<QString, Link> m_links;
    ScenarioReport m_report;
    int m_index = -1;
    bool m_running = false;
    bool m_stepActive = false;
    QTimer m_poll;
    QTimer m_deadline;
    QTimer m_closeGrace;
    QElapsedTimer m_runClock;
    QElapsedTimer m_stepClock;
    std::optional<ScenarioMatcher> m_matcher;
    qint64 m_scan = 0;
    qint64 m_related = -1; // StepReport::messageIndex of the active step
    QStringList m_others;
    QByteArray m_pingPayload;
    bool m_handshakePending = false;
    bool m_closeFramePending = false; // a close step waits for the server's Close frame
    std::unique_ptr<ScenarioScript> m_script; // made by the first script of a run
    QTimer m_hookPoll;
    QStringList m_log; // the active step's log() lines
    bool m_inScriptStep = false;
    bool m_inHooks = false;
    // A connect step waits for the protocol's handshake; a command step for the protocol to take
    // its command (ticket), then for the reply it asked for.
    bool m_protocolPending = false;
    QString m_connectDetail;
    quint64 m_commandTicket = 0;
    bool m_replyPending = false;
    bool m_commandTaken = false;
    ProtocolCommand m_command;
};

} // namespace wst
