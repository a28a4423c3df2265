#pragma once

#include "session/SessionExport.h"

#include <QDialog>
#include <QList>
#include <QString>

#include <functional>

class QButtonGroup;
class QCheckBox;
class QRadioButton;

namespace wst {

// Asks how to export a session: the format, what to export, then (on Export…) the file name
// through Dialogs::getSaveFileName. The dialog stays open when the file dialog is cancelled, so
// the user can change a choice and try again.
class ExportOptionsDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Scope { Session, Tab, Rows };
    // What the caller can export besides the whole session.
    struct Scopes
    {
        bool currentTab = false; // a tab is current: "Current tab" is offered
        QString currentTabTitle; // shown in that choice
        qint64 selectedRows = 0; // rows selected in that tab's history; 0: "Selected rows" is off
    };

    explicit ExportOptionsDialog(const Scopes &scopes, QWidget *parent = nullptr);

    void setFormat(SessionExport::Format format);
    SessionExport::Format format() const;
    // An unavailable scope falls back to the whole session.
    void setScope(Scope scope);
    Scope scope() const;
    // "Include secrets" (off by default): header values such as Authorization and cookies,
    // passphrases and proxy passwords as recorded instead of masked.
    void setKeepSecrets(bool keep);
    bool keepSecrets() const;
    // Where the file dialog starts: a folder and a base name ("/home/me/chat"); the format's
    // suffix is added.
    void setSuggestedPath(const QString &pathWithoutSuffix);
    // The chosen file, its suffix added when it lacked the format's (valid once accepted).
    QString fileName() const { return m_fileName; }

    // The file name for `name` in `format`: unchanged when it ends in one of the format's
    // suffixes (".har"; ".ndjson" or ".jsonl"; ".json"; ".csv"), else the suffix appended.
    static QString withSuffix(const QString &name, SessionExport::Format format);

    void accept() override;

private:
    QRadioButton *addFormat(SessionExport::Format format, const QString &objectName, const QString &text,
        const QString &accessibleName, const QString &explanation);

    QButtonGroup *m_formats = nullptr;
    QButtonGroup *m_scopes = nullptr;
    QCheckBox *m_keepSecrets = nullptr;
    QString m_suggestedPath;
    QString m_fileName;
};

// Long session transfers with a progress dialog. Each runs the core work on a worker thread
// (that opens its own database connection) and waits in a local event loop. A window-modal
// QProgressDialog with Cancel appears when the work takes longer than MinimumDurationMs, so
// small transfers do not flash; until then user input is held back (not dropped), so the
// caller's window cannot start a second transfer meanwhile.
//
// On failure they return false / an empty string with *error a message for the user. When the
// user cancels they return the same with *error empty: a cancel needs no message.
namespace Transfer {

constexpr int MinimumDurationMs = 300;

// Exports `sessionPath` to `target` (all tabs when `tab` is -1, only `rows` when not empty).
// `target` is written atomically: a failed or cancelled export leaves an existing file as it was
// and creates none. Secrets are masked unless `keepSecrets` (SessionExport::setKeepSecrets);
// *secretsMasked says how many handshakes and tab settings had one.
bool exportSession(QWidget *parent, const QString &sessionPath, SessionExport::Format format, qint64 tab,
    const QList<SessionExport::RowRef> &rows, const QString &target, QString *error, bool keepSecrets = false,
    qint64 *secretsMasked = nullptr);

// Imports the WebSocket connections of a HAR file into a new session file `targetSession`
// (replaced atomically when it exists). Returns `targetSession` on success. Reading and parsing
// the HAR comes first and cannot be cancelled half-way; Cancel takes effect once it is read.
QString importHar(QWidget *parent, const QString &harPath, const QString &targetSession, QString *error);

// Test seam: called on the worker thread at every progress report, once the count is recorded
// and before Cancel is checked (a test blocks it to cancel at a known point). An empty function removes it.
void setProgressHookForTests(const std::function<void(qint64 done, qint64 total)> &hook);

} // namespace Transfer
} // namespace wst
