#include "SessionRecorder.h"

#include "SessionWriter.h"
#include "messages/MessageStore.h"

#include <QDateTime>
#include <QFile>
#include <QLockFile>
#include <QPointer>
#include <QThread>

#include <utility>

namespace wst {

namespace {

// QLockFile reports only "UnknownError" when it cannot write its file (a full disk, a file size
// limit, an I/O error): write a file of that name ourselves to learn the system's reason.
QString lockFileProblem(const QString &lockPath)
{
    QFile probe(lockPath);
    if (!probe.open(QIODevice::WriteOnly | QIODevice::NewOnly))
        return probe.errorString();
    const bool written = probe.write("0\n", 2) == 2 && probe.flush();
    const QString why = probe.errorString();
    probe.close();
    probe.remove();
    return written ? SessionRecorder::tr("the reason is unknown") : why;
}

} // namespace

SessionRecorder::SessionRecorder(QObject *parent)
    : QObject(parent)
{
}

SessionRecorder::~SessionRecorder()
{
    close();
}

bool SessionRecorder::open(const QString &path, QString *error, bool lock)
{
    close();
    if (lock) {
        m_lock = std::make_unique<QLockFile>(path + QLatin1StringView(".lock"));
        m_lock->setStaleLockTime(0);
        if (!m_lock->tryLock(0)) {
            const QLockFile::LockError lockError = m_lock->error();
            m_lock.reset();
            if (error)
                *error = lockError == QLockFile::LockFailedError
                    ? tr("The session %1 is in use by another wstester.").arg(path)
                    : tr("The session %1 cannot be recorded: its lock file cannot be written (%2).")
                          .arg(path, lockFileProblem(path + QLatin1StringView(".lock")));
            return false;
        }
    }
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("wst-session-writer"));
    auto *writer = new SessionWriter;
    writer->moveToThread(m_thread);
    m_thread->start();
    bool ok = false;
    QString why;
    QString notice;
    QMetaObject::invokeMethod(
        writer, [writer, path, &ok, &why, &notice] { ok = writer->openDatabase(path, &why, &notice); },
        Qt::BlockingQueuedConnection);
    if (!ok) {
        QMetaObject::invokeMethod(
            writer, [writer] { delete writer; }, Qt::BlockingQueuedConnection);
        m_thread->quit();
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
        m_lock.reset();
        if (error)
            *error = why;
        return false;
    }
    m_writer = writer;
    m_path = path;
    m_notice = notice;
    if (m_budget >= 0)
        setMemoryBudget(m_budget);
    // Continue the ids already in the file.
    m_nextTabId = writer->maxTabId() + 1;
    m_nextHandshakeId = writer->maxHandshakeId() + 1;
    m_savedGeneration = 0;
    m_marksPending = 0;
    connect(writer, &SessionWriter::written, this, &SessionRecorder::onWritten);
    connect(writer, &SessionWriter::failed, this, &SessionRecorder::writeFailed);
    setDirty(false);
    return true;
}

void SessionRecorder::close()
{
    if (!m_thread)
        return;
    SessionWriter *writer = m_writer;
    QMetaObject::invokeMethod(
        writer,
        [writer] {
            writer->writeRows();
            delete writer;
        },
        Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    m_lock.reset();
    m_path.clear();
    m_notice.clear();
    m_writer = nullptr;
}

qint64 SessionRecorder::addTab(SessionTab tab)
{
    if (tab.id <= 0)
        tab.id = m_nextTabId++;
    else
        m_nextTabId = qMax(m_nextTabId, tab.id + 1);
    if (tab.createdUs == 0)
        tab.createdUs = QDateTime::currentMSecsSinceEpoch() * 1000;
    updateTab(tab);
    return tab.id;
}

void SessionRecorder::updateTab(const SessionTab &tab)
{
    if (SessionWriter *writer = m_writer)
        QMetaObject::invokeMethod(writer, [writer, tab] { writer->writeTab(tab); });
}

void SessionRecorder::removeTab(qint64 id)
{
    if (SessionWriter *writer = m_writer)
        QMetaObject::invokeMethod(writer, [writer, id] { writer->removeTab(id); });
}

void SessionRecorder::setMemoryBudget(qint64 bytes)
{
    m_budget = bytes;
    if (SessionWriter *writer = m_writer)
        QMetaObject::invokeMethod(writer, [writer, bytes] { writer->setMemoryBudget(bytes); });
}

void SessionRecorder::attach(qint64 tabId, std::shared_ptr<MessageStore> store, qint64 firstRow)
{
    if (SessionWriter *writer = m_writer) {
        QMetaObject::invokeMethod(writer, [writer, tabId, store = std::move(store), firstRow]() mutable {
            writer->addSource(tabId, std::move(store), firstRow);
        });
    }
}

void SessionRecorder::detach(qint64 tabId)
{
    if (SessionWriter *writer = m_writer) {
        QMetaObject::invokeMethod(writer, [writer, tabId] { writer->removeSource(tabId); });
    }
}

qint64 SessionRecorder::recordHandshake(
    qint64 tabId, quint32 conn, const HandshakeRecord &record, qint64 timeUs, qint64 id, const QString &side)
{
    SessionWriter *writer = m_writer;
    if (!writer || (record.request.isEmpty() && record.response.isEmpty() && record.upstreamError.isEmpty()))
        return id;
    if (id <= 0)
        id = m_nextHandshakeId++;
    QMetaObject::invokeMethod(writer, [writer, id, tabId, conn, record, timeUs, side] {
        writer->writeHandshake(id, tabId, conn, timeUs, record, side);
    });
    return id;
}

void SessionRecorder::setMeta(const QString &key, const QVariant &value)
{
    if (SessionWriter *writer = m_writer) {
        QMetaObject::invokeMethod(writer, [writer, key, value] { writer->writeMeta(key, value); });
    }
}

void SessionRecorder::setSavedMessages(qint64 tabId, const QJsonArray &messages)
{
    if (SessionWriter *writer = m_writer)
        QMetaObject::invokeMethod(
            writer, [writer, tabId, messages] { writer->writeSavedMessages(tabId, messages); });
}

void SessionRecorder::flush()
{
    if (SessionWriter *writer = m_writer)
        QMetaObject::invokeMethod(
            writer, [writer] { writer->writeRows(); }, Qt::BlockingQueuedConnection);
}

void SessionRecorder::saveAs(const QString &target, bool keepSecrets)
{
    SessionWriter *writer = m_writer;
    if (!writer) {
        Q_EMIT saveFinished(target, tr("No session is open."));
        return;
    }
    QPointer<SessionRecorder> self(this);
    QMetaObject::invokeMethod(writer, [writer, target, keepSecrets, self] {
        qint64 generation = 0;
        const QString error = writer->saveAs(target, keepSecrets, &generation);
        QMetaObject::invokeMethod(self, [self, target, error, generation] {
            if (!self)
                return;
            if (error.isEmpty())
                self->saved(generation);
            Q_EMIT self->saveFinished(target, error);
        });
    });
}

bool SessionRecorder::saveAsBlocking(const QString &target, bool keepSecrets, QString *error)
{
    SessionWriter *writer = m_writer;
    if (!writer) {
        if (error)
            *error = tr("No session is open.");
        return false;
    }
    QString why;
    qint64 generation = 0;
    QMetaObject::invokeMethod(
        writer,
        [writer, target, keepSecrets, &why, &generation] {
            why = writer->saveAs(target, keepSecrets, &generation);
        },
        Qt::BlockingQueuedConnection);
    if (!why.isEmpty()) {
        if (error)
            *error = why;
        return false;
    }
    saved(generation);
    return true;
}

void SessionRecorder::markSaved()
{
    SessionWriter *writer = m_writer;
    if (!writer) {
        setDirty(false);
        return;
    }
    // Clean at once (the window's title must not flicker to "modified" while the writer, which
    // may be busy, sends back the change count this mark covers); written() notes that come in
    // meanwhile are settled when it arrives.
    ++m_marksPending;
    setDirty(false);
    QPointer<SessionRecorder> self(this);
    QMetaObject::invokeMethod(writer, [writer, self] {
        const qint64 generation = writer->changes();
        QMetaObject::invokeMethod(self, [self, generation] {
            if (!self)
                return;
            self->m_marksPending = qMax(0, self->m_marksPending - 1);
            self->saved(generation);
        });
    });
}

void SessionRecorder::setDirty(bool dirty)
{
    if (m_dirty == dirty)
        return;
    m_dirty = dirty;
    Q_EMIT dirtyChanged(dirty);
}

qint64 SessionRecorder::rowsWritten() const
{
    return m_writer ? m_writer->rowsWritten() : 0;
}

void SessionRecorder::onWritten()
{
    if (m_marksPending > 0)
        return;
    if (SessionWriter *writer = m_writer)
        setDirty(writer->changes() > m_savedGeneration);
}

void SessionRecorder::saved(qint64 generation)
{
    m_savedGeneration = qMax(m_savedGeneration, generation);
    onWritten();
}

} // namespace wst
