#pragma once

#include <QByteArray>
#include <QObject>

class QSocketNotifier;

namespace wst::cli {

// Reads standard input line by line without blocking the event loop: through a socket
// notifier for pipes and terminals, in chunks for a redirected regular file.
class StdinReader : public QObject
{
    Q_OBJECT
public:
    explicit StdinReader(QObject *parent = nullptr);
    static bool isTerminal();
    void start();

Q_SIGNALS:
    void lineRead(const QString &line);
    void finished();

private:
    void readSome();
    void emitLines(bool atEnd);

    QSocketNotifier *m_notifier = nullptr;
    QByteArray m_buffer;
    bool m_done = false;
};

} // namespace wst::cli
