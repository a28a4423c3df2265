#pragma once

#include "RowPrinter.h"
#include "session/SessionRecorder.h"

#include <QEventLoop>
#include <QObject>
#include <QTimer>

#include <optional>

namespace wst {
class ProxyServer;
}

namespace wst::cli {

// `wstester proxy --listen PORT --upstream URL`: an intercepting proxy without a window, which
// passes everything on and prints (and records) what crossed it.
class ProxyCommand : public QObject
{
    Q_OBJECT
public:
    explicit ProxyCommand(QObject *parent = nullptr);
    int run(const QStringList &args);

private:
    void drain();
    void printPlain(qint64 index);
    void finish(int code);

    ProxyServer *m_proxy = nullptr;
    SessionRecorder m_recorder;
    SessionTab m_tab;
    std::optional<RowPrinter> m_printer;
    bool m_json = false;
    bool m_quiet = false;
    QEventLoop m_loop;
    QTimer m_poll;
    qint64 m_next = 0;
    bool m_finished = false;
    bool m_listening = false;
    int m_exitCode = 0;
};

} // namespace wst::cli
