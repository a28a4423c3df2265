#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <functional>

namespace wst {

// Turns the WebSocket connections of a HAR file (as Chrome DevTools saves it, with its
// "_webSocketMessages" extension) into a session file: one read-only client tab a connection,
// with its settings (URL, headers, subprotocols, origin), a handshake synthesised from the
// recorded headers, an Open row, the messages and a closing Info row. Other entries are passed
// over. The target is written into a temporary file next to it and renamed over it only when
// everything succeeded: a failure or a cancel never leaves half a file or changes an existing
// one. Messages for the user are translated in the context "HarImport".
class HarImport
{
    Q_DECLARE_TR_FUNCTIONS(HarImport)
public:
    enum class Result { Ok, Failed, Cancelled };
    // Called every few thousand messages and at the end; returning false cancels the import.
    using Progress = std::function<bool(qint64 done, qint64 total)>;

    void setProgress(const Progress &progress);

    Result importFile(const QString &harPath, const QString &target);
    // `sourceName` names the HAR in the session's meta and in the closing Info rows.
    Result importData(const QByteArray &har, const QString &target, const QString &sourceName = {});

    QString errorString() const { return m_error; }
    int tabCount() const { return m_tabs; }
    qint64 messageCount() const { return m_messages; } // text and binary messages imported
    int skippedEntries() const { return m_skippedEntries; } // entries that are not WebSockets

private:
    class Writer;
    Result fail(const QString &message);
    Progress m_progress;
    QString m_error;
    int m_tabs = 0;
    qint64 m_messages = 0;
    int m_skippedEntries = 0;
};

} // namespace wst
