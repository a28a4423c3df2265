#pragma once

#include "FaultPlan.h"
#include "messages/Message.h"

#include <QElapsedTimer>
#include <QObject>
#include <QRandomGenerator>

#include <deque>
#include <map>
#include <memory>

class QTimer;

namespace wst {

// Applies a FaultPlan to a local server's clients, in the network thread: decides what is
// dropped, delayed, split, corrupted, and when a client is closed or dropped, and says so in the
// history through its sink. The server does the sending.
class ServerFaults : public QObject
{
    Q_OBJECT
public:
    class Sink
    {
    public:
        virtual ~Sink() = default;
        // Sends one message now, split into this many frames (1: one frame).
        virtual void deliver(quint32 id, Kind kind, const QByteArray &payload, int frames) = 0;
        // Writes hand-made frame bytes under the WebSocket (the message they stand for is recorded).
        virtual void writeRaw(quint32 id, Kind kind, const QByteArray &payload, const QByteArray &frame) = 0;
        virtual void close(quint32 id, int code, const QString &reason) = 0;
        virtual void abort(quint32 id, const QString &why) = 0;
        virtual void stopReading(quint32 id) = 0;
        virtual void note(quint32 id, const QString &text) = 0;
    };

    ServerFaults(Sink *sink, QObject *parent);
    ~ServerFaults() override;

    // Empty plan: faults off. Notes the plan and the seed used.
    void start(const FaultPlan &plan);
    void stop();
    const FaultPlan &plan() const { return m_plan; }
    quint32 seed() const { return m_seed; }
    // True when outgoing messages must go through send().
    bool takesMessages() const { return m_plan.touchesMessages(); }
    // True (and the HTTP status to answer with) when this handshake is to be refused.
    bool refuseNext(int *status, QString *why);
    void opened(quint32 id);
    void closed(quint32 id);
    void send(quint32 id, Kind kind, const QByteArray &payload);

    // A frame that breaks the protocol in the chosen way, carrying this payload (server frames
    // are not masked).
    static QByteArray corruptFrame(FaultPlan::Corruption how, Kind kind, const QByteArray &payload);

private:
    struct Pending
    {
        qint64 dueMs = 0;
        Kind kind = Kind::Text;
        QByteArray payload;
        qint64 number = 0;
    };
    struct ClientState
    {
        QRandomGenerator random;
        qint64 offered = 0;
        qint64 delivered = 0;
        qint64 lastDueMs = 0;
        std::deque<Pending> queue;
        QObject *guard = nullptr; // context of this client's timers, gone with the client
        QTimer *queueTimer = nullptr;
        bool ended = false;
        bool notReading = false;
    };

    void deliverNow(quint32 id, ClientState &state, const Pending &message);
    void releaseDue(quint32 id);
    void afterDelivered(quint32 id, ClientState &state);
    void end(quint32 id, ClientState &state, bool abort, const QString &when);
    void stopReading(quint32 id, ClientState &state, const QString &when);
    ClientState *find(quint32 id);

    Sink *m_sink;
    FaultPlan m_plan;
    quint32 m_seed = 0;
    int m_refused = 0;
    QElapsedTimer m_clock;
    std::map<quint32, std::unique_ptr<ClientState>> m_clients;
};

} // namespace wst
