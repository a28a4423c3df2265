#pragma once

#include "RowPrinter.h"
#include "connection/ClientConnection.h"
#include "format/PayloadCodec.h"
#include "protocols/ProtocolCommand.h"
#include "session/SessionRecorder.h"

#include <QEventLoop>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <optional>

namespace wst::cli {

// `wstester connect URL [options]`: the client tab without a window.
class ConnectCommand : public QObject
{
    Q_OBJECT
public:
    explicit ConnectCommand(QObject *parent = nullptr);
    // args[0] is the program, args[1] "connect". Returns the process exit code.
    int run(const QStringList &args);

private:
    void onStateChanged(ClientConnection::State state);
    void drain();
    void printHandshake();
    // What compression did, when the server agreed it: a JSON line with --json, else on stderr.
    void printCompression();
    void warnIgnoredCertificates();
    void sendLine(const QString &line);
    void finish(int code);
    void closeNormally();
    // stdin's end closes, once the protocol's sends are out and their replies are in.
    void closeAtEnd();
    bool countsAsReceived(qint64 index) const;
    void onProtocolNotice(const wst::ProtocolNotice &notice);

    ClientConnection *m_connection = nullptr;
    SessionRecorder m_recorder;
    std::optional<RowPrinter> m_printer;
    QEventLoop m_loop;
    QTimer m_poll;
    QTimer m_timeout;
    QStringList m_pendingSends;
    QList<QByteArray> m_pendingBinary; // --send texts encoded by --encode
    std::shared_ptr<const PayloadCodec> m_encoder; // --encode; null: texts go as text
    QList<FrameSpec> m_pendingFrames;
    qint64 m_next = 0;
    qint64 m_received = 0;
    qint64 m_count = -1;
    bool m_open = false;
    bool m_warnedCertificates = false;
    bool m_waitForEnd = false; // -n or -t given: stdin's end does not close
    bool m_stdinDone = false;
    bool m_timedOut = false;
    bool m_finished = false;
    int m_exitCode = 0;
    bool m_verbose = false;
    bool m_json = false;
    std::shared_ptr<const Protocol> m_protocol; // null: raw
    qsizetype m_repliesAwaited = 0;
};

} // namespace wst::cli
