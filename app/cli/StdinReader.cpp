#include "StdinReader.h"

#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <sys/stat.h>
#include <unistd.h>

namespace wst::cli {

StdinReader::StdinReader(QObject *parent)
    : QObject(parent)
{
}

bool StdinReader::isTerminal()
{
    return isatty(STDIN_FILENO);
}

void StdinReader::start()
{
    struct stat st = {};
    if (fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode)) {
        // A regular file is always "readable": read it in chunks from the event loop instead.
        QTimer::singleShot(0, this, &StdinReader::readSome);
        return;
    }
    m_notifier = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &StdinReader::readSome);
}

void StdinReader::readSome()
{
    if (m_done)
        return;
    char chunk[65536];
    const ssize_t n = ::read(STDIN_FILENO, chunk, sizeof chunk);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        m_done = true;
        if (m_notifier)
            m_notifier->setEnabled(false);
        emitLines(true);
        Q_EMIT finished();
        return;
    }
    m_buffer.append(chunk, n);
    emitLines(false);
    if (!m_notifier)
        QTimer::singleShot(0, this, &StdinReader::readSome);
}

void StdinReader::emitLines(bool atEnd)
{
    qsizetype start = 0;
    for (;;) {
        const qsizetype nl = m_buffer.indexOf('\n', start);
        if (nl < 0)
            break;
        qsizetype end = nl;
        if (end > start && m_buffer.at(end - 1) == '\r')
            --end;
        Q_EMIT lineRead(QString::fromUtf8(m_buffer.constData() + start, end - start));
        start = nl + 1;
    }
    m_buffer.remove(0, start);
    if (atEnd && !m_buffer.isEmpty()) {
        Q_EMIT lineRead(QString::fromUtf8(m_buffer));
        m_buffer.clear();
    }
}

} // namespace wst::cli
