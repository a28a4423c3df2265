#pragma once

// The private part of SessionExport shared by its two files: SessionExport.cpp (the row formats
// and the public calls) and SessionExportHar.cpp (HAR 1.2).

#include "SessionExport.h"
#include "SessionReader.h"

#include <QByteArray>
#include <QJsonObject>

namespace wst {

struct LoadPlan;

namespace ExportDetail {

constexpr qint64 BufferSize = 1 << 20;
constexpr qint64 ProgressEvery = 4096;

// Header values and handshake bytes are not guaranteed UTF-8; JSON output must be.
inline QByteArray validUtf8(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes).toUtf8();
}

} // namespace ExportDetail

// One export run: the output buffer, the progress count and the formats.
class SessionExport::Writer
{
public:
    Writer(SessionExport &owner, const SessionReader &session, QIODevice *out)
        : m_owner(owner)
        , m_session(session)
        , m_out(out)
    {
        m_buffer.reserve(ExportDetail::BufferSize + (64 << 10));
    }

    Result run();

private:
    bool fail(const QString &message)
    {
        if (m_result == Result::Ok) {
            m_result = Result::Failed;
            m_owner.m_error = message;
        }
        return false;
    }
    bool flush();
    bool flushIfFull() { return m_buffer.size() < ExportDetail::BufferSize || flush(); }
    bool visited(); // one more row read; false to stop
    bool progress();
    const QList<qint64> *ids() const { return m_owner.m_ids.isEmpty() ? nullptr : &m_owner.m_ids; }
    bool cursorEnded(const SessionReader::Cursor &cursor);

    // A handshake's head or a tab's settings as exported: masked unless secrets are kept.
    QByteArray exportedHead(const QByteArray &head);
    QJsonObject exportedSettings(const QJsonObject &settings);
    // A row's payload as exported: when secrets are kept, the secret variables' values that the
    // file holds as {{name}} are put back (SecretValues); valid until the next call.
    QByteArrayView exportedPayload(QByteArrayView payload);

    bool writeLines(); // ndjson and csv
    bool writeJson();
    bool writeHar();
    bool writeLoadScript(); // k6 and artillery (SessionExportLoad.cpp)
    bool addLoadFlow(const SessionTab &tab, qint64 startUs, LoadPlan *plan);
    bool writeHarClientTab(const SessionTab &tab, bool *firstEntry);
    bool writeHarServerTab(const SessionTab &tab, const QList<quint32> &clients, bool *firstEntry);
    void openHarEntry(
        const SessionTab &tab, const SessionHandshake *handshake, qint64 startUs, bool *firstEntry);
    void appendHarMessage(const SessionReader::Cursor &cursor, bool server, bool *firstMessage);

    SessionExport &m_owner;
    const SessionReader &m_session;
    QIODevice *m_out;
    QByteArray m_buffer;
    QByteArray m_restored;
    QList<SessionTab> m_tabs;
    qint64 m_done = 0;
    qint64 m_total = 0;
    Result m_result = Result::Ok;
};

} // namespace wst
