#pragma once

#include "CheckCase.h"
#include "protocol/PerMessageDeflate.h"

#include <QElapsedTimer>
#include <QObject>
#include <QUrl>

class QTcpSocket;
class QTimer;

namespace wst {

// `wstester check URL`: runs CheckCase::catalogue() against an echo server, one fresh
// connection a case, over a raw socket (so that nothing of Qt's WebSocket answers for us),
// and judges what the server did against what RFC 6455 requires.
class ServerCheck : public QObject
{
    Q_OBJECT
public:
    // Skipped: the case needs what the server declined (permessage-deflate).
    enum class Verdict { Pass, Lenient, Fail, Skipped };
    struct Result
    {
        CheckCase testCase;
        Verdict verdict = Verdict::Fail;
        QString outcome; // what the server did: "closed 1002", "echoed", "dropped TCP without a Close"
        qint64 elapsedMs = 0;
        bool reached = true; // false: no WebSocket connection at all (refused, handshake refused)
    };
    struct Options
    {
        QUrl url;
        int timeoutMs = 2000;
        bool ignoreSslErrors = false;
        QStringList only; // case ids or group numbers ("3", "7.4"); empty: all
    };

    explicit ServerCheck(QObject *parent = nullptr);
    ~ServerCheck() override;
    void start(const Options &options);
    const QList<Result> &results() const { return m_results; }
    static QString verdictName(Verdict verdict);
    // The verdicts counted, and "52 cases: 40 pass, 3 lenient, 1 FAIL" (", 8 skipped" when some were).
    struct Counts
    {
        int pass = 0;
        int lenient = 0;
        int fail = 0;
        int skipped = 0;
    };
    static Counts count(const QList<Result> &results);
    static QString summary(const QList<Result> &results);
    // The cases the options select (the "only" filter applied).
    static QList<CheckCase> selectCases(const QStringList &only);

Q_SIGNALS:
    void caseFinished(const wst::ServerCheck::Result &result);
    void finished();

private:
    struct Received
    {
        quint8 opcode = 0;
        QByteArray payload;
    };
    void nextCase();
    void onConnected();
    void onReadyRead();
    void onDisconnected();
    void writeNext();
    void handleFrame(const Received &frame);
    void conclude(Verdict verdict, const QString &outcome);
    void onTimeout();
    void writeFrame(quint8 opcode, const QByteArray &payload);
    void queueFrames(const QList<FrameSpec> &frames);
    // permessage-deflate (ServerCheckDeflate.cpp): false when the case ended (skipped, failed).
    bool agreeDeflate(const QByteArray &head);
    // A whole message from the server: inflated when it came with RSV1. False when it could not be.
    bool inflateMessage(bool compressed, QByteArray *payload);

    Options m_options;
    QList<CheckCase> m_cases;
    QList<Result> m_results;
    qsizetype m_index = -1;
    QTcpSocket *m_socket = nullptr;
    QTimer *m_timer = nullptr;
    QElapsedTimer m_clock;
    QByteArray m_key;
    QByteArray m_buffer;
    bool m_upgraded = false;
    bool m_done = true;
    // The frames of the case, as chunks to write (with their pauses).
    QList<std::pair<QByteArray, int>> m_chunks;
    QByteArray m_message; // a fragmented message from the server, so far
    quint8 m_messageOpcode = 0;
    bool m_messageCompressed = false;
    std::unique_ptr<MessageDeflater> m_deflater; // while a case has agreed permessage-deflate
    std::unique_ptr<MessageInflater> m_inflater;
    int m_echoes = 0; // Expect::Echo: how many came back so far
    bool m_probeSent = false;
    QList<Received> m_seen; // what came before the verdict
    static constexpr qsizetype MaxFrameBytes = 16 * 1024 * 1024;
};

} // namespace wst

Q_DECLARE_METATYPE(wst::ServerCheck::Result)
