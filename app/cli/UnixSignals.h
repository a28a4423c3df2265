#pragma once

#include <QObject>

class QSocketNotifier;

namespace wst::cli {

// Turns SIGINT and SIGTERM into a Qt signal, through a self-pipe (a signal handler may only
// write to a file descriptor).
class UnixSignals : public QObject
{
    Q_OBJECT
public:
    explicit UnixSignals(QObject *parent = nullptr);
    ~UnixSignals() override;

Q_SIGNALS:
    void terminationRequested(int signal);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace wst::cli
