#pragma once

#include <QCoreApplication>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace wst {

// The faults a local server puts on purpose into what it sends, so that a client's handling of a
// bad network can be tested. A plain value with a default for every limit; built from specs
// ("delay=300,jitter=50", the grammar is in specHelp()) or from JSON.
struct FaultPlan
{
    Q_DECLARE_TR_FUNCTIONS(FaultPlan)
public:
    enum class Corruption { None, Utf8, Opcode, Rsv };

    // When a close or an abort happens: after this many messages were sent to a client, or this
    // long after it connected; neither: right after the handshake.
    struct Trigger
    {
        int messages = 0;
        int ms = 0;
        bool operator==(const Trigger &) const = default;
    };

    static constexpr int MaxDelayMs = 600000;
    static constexpr int MaxFragments = 1000;
    static constexpr int MaxCount = 1000000;
    static constexpr int DefaultRefuseStatus = 503;
    static constexpr int DefaultCloseCode = 4000;
    static constexpr int MaxBytesPerSecond = 100 * 1000 * 1000;

    int delayMs = 0;
    int jitterMs = 0; // each message waits delayMs ± up to this, never less than 0; order is kept
    int dropPercent = 0;
    int fragments = 0; // 0 or 1: one frame a message
    int closeCode = 0; // 0: no close fault
    QString closeReason;
    Trigger closeAfter;
    bool abort = false; // drop the TCP connection without a Close frame
    Trigger abortAfter;
    bool stopReading = false; // leave what the client sends unread, so that its buffers fill
    Trigger stopReadingAfter;
    int refuseCount = 0; // refuse this many handshakes from the start
    int refuseStatus = DefaultRefuseStatus;
    int slowBytesPerSecond = 0; // 0: send as fast as the client takes it
    bool ignorePings = false; // the client's pings get no pong
    Corruption corrupt = Corruption::None;
    int corruptAt = 1; // the message (1: the first to each client) sent as a broken frame
    quint32 seed = 0; // for drop and jitter; 0: a new one each start

    bool isEmpty() const;
    // True when messages must pass through the fault logic (not only the connection-level faults).
    bool touchesMessages() const;
    bool operator==(const FaultPlan &) const = default;

    // Adds one spec to the plan; false with one line in *error when the spec is wrong.
    bool apply(const QString &spec, QString *error);
    static FaultPlan parse(const QStringList &specs, QString *error);
    // The specs that build this plan again, one per fault.
    QStringList toSpecs() const;
    // Empty when the plan can be used; otherwise the first problem.
    QString validate() const;
    // One line for the history, e.g. "delay 300 ms ± 50, drop 10 %".
    QString describe() const;
    static QString specHelp();

    QJsonObject toJson() const;
    // Missing keys keep their defaults (an empty plan), so older files load.
    static FaultPlan fromJson(const QJsonObject &object, QString *error);

    static QByteArray statusLine(int status);
    static QString afterMessages(qint64 count);
    static bool isSendableCloseCode(int code);
};

} // namespace wst
