#pragma once

#include "RowPrinter.h"
#include "session/SessionRecorder.h"

#include <QEventLoop>
#include <QObject>
#include <QTimer>

#include <optional>

namespace wst {
class LocalServer;
}

namespace wst::cli {

// `wstester serve [options]`: a local test server without a window.
class ServeCommand : public QObject
{
    Q_OBJECT
public:
    explicit ServeCommand(QObject *parent = nullptr);
    int run(const QStringList &args);

private:
    void drain();
    void printPlain(qint64 index);
    void finish(int code);

    LocalServer *m_server = nullptr;
    SessionRecorder m_recorder;
    SessionTab m_tab;
    std::optional<RowPrinter> m_printer;
    bool m_json = false;
    QEventLoop m_loop;
    QTimer m_poll;
    qint64 m_next = 0;
    bool m_finished = false;
    bool m_listening = false;
    int m_exitCode = 0;
};

} // namespace wst::cli
