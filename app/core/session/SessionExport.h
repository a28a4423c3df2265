#pragma once

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

class QIODevice;

namespace wst {

class SessionReader;

// Writes a session (all of it, one tab, or chosen rows) as JSON, NDJSON, CSV, HAR 1.2 with
// Chrome's WebSocket extension, or a load script for k6 or Artillery. Rows are streamed from SQLite into a
// small buffer: memory does not grow with the session. Messages for the user are translated in the context
// "SessionExport".
//
// Formats:
// - ndjson: one object a row: {"tab","seq", then RowJson's members}.
// - json: {"format":"wstester-export","version":1,"tabs":[{"id","kind","title","url",
//   "read_only","settings":{...},"handshakes":[...],"messages":[...]}]}.
// - csv (RFC 4180, CRLF, header row): tab,seq,time,ts_us,client,dir,kind,size,code,encoding,data.
// - har: one entry a connection (a client tab's handshakes; a server tab's clients), with its
//   text and binary messages in "_webSocketMessages" as Chrome writes them.
// - k6, artillery: a load script that replays each client tab's connections (URL, handshake
//   headers, subprotocols) and sends with the recorded gaps (LoadPlan, K6ScriptWriter,
//   ArtilleryScriptWriter); server tabs and received messages are left out.
// Secrets are masked unless setKeepSecrets(true) (see there).
class SessionExport
{
    Q_DECLARE_TR_FUNCTIONS(SessionExport)
public:
    enum class Format { Json, Ndjson, Csv, Har, K6, Artillery };
    enum class Result { Ok, Failed, Cancelled };
    struct RowRef
    {
        qint64 tab = 0;
        qint64 seq = 0;
    };
    // Called every few thousand rows and at the end; returning false cancels the export.
    using Progress = std::function<bool(qint64 done, qint64 total)>;

    explicit SessionExport(Format format);

    // "json", "ndjson", "csv", "har", "k6", "artillery"
    static std::optional<Format> formatFromName(QStringView name);
    static QString formatName(Format format);
    static QString fileSuffix(Format format); // "json", "ndjson", "csv", "har", "js", "yml"
    static bool isLoadScript(Format format) { return format == Format::K6 || format == Format::Artillery; }

    // Only this tab (-1: every tab, the default).
    void setTab(qint64 tab);
    // Only these rows (in history order, whatever the order given); an empty list: all rows.
    void setRows(const QList<RowRef> &rows);
    void setProgress(const Progress &progress);
    // By default the values of secret headers (Authorization, Proxy-Authorization, Cookie,
    // Set-Cookie) in handshakes and tab settings, and the settings' passphrases and proxy
    // passwords, are written as SecretMasking leaves them; true writes them as recorded.
    void setKeepSecrets(bool keep);

    // Writes to `out` (open for writing). On Failed or Cancelled part of the output may have
    // been written: write files through writeFile() (or a QSaveFile) to never leave half a file.
    Result write(const SessionReader &session, QIODevice *out);
    Result write(const QString &sessionPath, QIODevice *out);
    // Writes `target` atomically with QSaveFile: it appears (or is replaced) only on Ok.
    Result writeFile(const SessionReader &session, const QString &target);
    Result writeFile(const QString &sessionPath, const QString &target);

    QString errorString() const { return m_error; }
    qint64 rowsWritten() const { return m_rowsWritten; }
    // How many handshake heads and tab settings had a secret masked in the last write().
    qint64 secretsMasked() const { return m_secretsMasked; }

private:
    class Writer;
    Format m_format;
    qint64 m_tab = -1;
    QList<qint64> m_ids; // sorted Schema::messageId values; empty: all
    Progress m_progress;
    QString m_error;
    qint64 m_rowsWritten = 0;
    bool m_keepSecrets = false;
    qint64 m_secretsMasked = 0;
};

} // namespace wst
