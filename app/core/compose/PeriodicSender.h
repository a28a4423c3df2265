#pragma once

#include "SavedMessage.h"
#include "connection/ClientConnection.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

class QTimer;

namespace wst {

class PayloadCodec;
class SessionEnvironment;

// Sends one message again and again: the first at once, then one every intervalMs
// (QTimer::PreciseTimer), count times or until stopped. The variables are filled for each send,
// {{counter}} counting 1, 2, 3… within the run. Sends through a ClientConnection (and stops on
// its own when the connection leaves the Open state) or through a sink, for tests and tools.
class PeriodicSender : public QObject
{
    Q_OBJECT
public:
    enum class StopReason { Finished, Stopped, ConnectionClosed, Error };
    Q_ENUM(StopReason)

    // Receives each message: text (binary false) or bytes.
    using Sink = std::function<void(bool binary, const QByteArray &payload)>;

    explicit PeriodicSender(ClientConnection *connection, QObject *parent = nullptr);
    explicit PeriodicSender(Sink sink, QObject *parent = nullptr);
    ~PeriodicSender() override;

    // Not owned; may be null (then only the built-ins are defined).
    void setEnvironment(SessionEnvironment *environment);
    // The tab's decoder, which "protobuf" messages are encoded with (null: none). A run in
    // progress uses the new one from its next message.
    void setCodec(std::shared_ptr<const PayloadCodec> codec) { m_codec = std::move(codec); }

    // Starts (a run in progress is stopped first, silently). count 0 sends until stopped.
    // Refuses, with *error set and nothing sent, when the connection is not open, the interval
    // is not positive, or the first message cannot be made (an undefined variable, bad hex…).
    bool start(const SavedMessage &message, int intervalMs, int count, QString *error);
    // Emits stopped(Stopped) when running.
    void stop();

    bool isRunning() const { return m_running; }
    int sent() const { return m_sent; }
    int count() const { return m_count; } // 0: until stopped
    int remaining() const { return m_count == 0 ? -1 : m_count - m_sent; } // -1: until stopped
    int intervalMs() const { return m_intervalMs; }
    SavedMessage message() const { return m_message; }
    // Why the last run stopped, in words ("Stopped: the connection closed after 3 of 10 sent.").
    QString lastStopMessage() const { return m_lastStopMessage; }
    // "Sending every 500 ms · 12 of 100 sent" (or "· 12 sent" until stopped); empty when idle.
    QString progressText() const;

Q_SIGNALS:
    void started();
    void progress(int sent, int remaining);
    void stopped(wst::PeriodicSender::StopReason reason, const QString &message);

private:
    void init();
    void tick();
    bool sendOne(QString *error);
    void finish(StopReason reason, const QString &message);

    QPointer<ClientConnection> m_connection;
    Sink m_sink;
    QPointer<SessionEnvironment> m_environment;
    std::shared_ptr<const PayloadCodec> m_codec;
    QTimer *m_timer = nullptr;
    SavedMessage m_message;
    int m_intervalMs = 0;
    int m_count = 0;
    int m_sent = 0;
    bool m_running = false;
    QString m_lastStopMessage;
};

} // namespace wst
