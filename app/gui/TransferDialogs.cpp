#include "TransferDialogs.h"

#include "Dialogs.h"
#include "GuiHelpers.h"
#include "session/HarImport.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QEventLoop>
#include <QFileInfo>
#include <QGroupBox>
#include <QLabel>
#include <QLocale>
#include <QMutex>
#include <QPointer>
#include <QProgressDialog>
#include <QPushButton>
#include <QRadioButton>
#include <QStyle>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <atomic>
#include <memory>

namespace wst {

using gui::describe;

namespace {

QStringList suffixesOf(SessionExport::Format format)
{
    if (format == SessionExport::Format::Ndjson)
        return { QStringLiteral("ndjson"), QStringLiteral("jsonl") };
    if (format == SessionExport::Format::Artillery)
        return { QStringLiteral("yml"), QStringLiteral("yaml") };
    return { SessionExport::fileSuffix(format) };
}

} // namespace

ExportOptionsDialog::ExportOptionsDialog(const Scopes &scopes, QWidget *parent)
    : QDialog(parent)
    , m_formats(new QButtonGroup(this))
    , m_scopes(new QButtonGroup(this))
{
    using Format = SessionExport::Format;
    setObjectName(QStringLiteral("exportOptionsDialog"));
    setWindowTitle(tr("Export Session"));

    auto *formatBox = new QGroupBox(tr("Format"), this);
    formatBox->setObjectName(QStringLiteral("exportFormatBox"));
    auto *formatLayout = new QVBoxLayout(formatBox);
    // The explanations line up with the radio buttons' text.
    const int indent = style()->pixelMetric(QStyle::PM_ExclusiveIndicatorWidth)
        + style()->pixelMetric(QStyle::PM_RadioButtonLabelSpacing);
    const struct
    {
        Format format;
        const char *objectName;
        QString text;
        QString name;
        QString explanation;
    } formats[] = {
        { Format::Har, "exportFormatHar", tr("&HAR (HTTP Archive)"), tr("HAR"),
            tr("Each connection with its handshake and its text and binary messages. "
               "Chrome DevTools and HAR viewers read it.") },
        { Format::Ndjson, "exportFormatNdjson", tr("&NDJSON"), tr("NDJSON"),
            tr("One JSON object per line for every row: for jq, grep and scripts, at any size.") },
        { Format::Json, "exportFormatJson", tr("&JSON"), tr("JSON"),
            tr("One document with the tabs, their settings, handshakes and messages.") },
        { Format::Csv, "exportFormatCsv", tr("&CSV"), tr("CSV"),
            tr("One line per row, for spreadsheets; binary payloads as base64.") },
        { Format::K6, "exportFormatK6", tr("k&6 load script"), tr("k6 load script"),
            tr("A k6 script that replays each client tab: its URL, handshake headers and "
               "subprotocols, and its sends with the recorded gaps.") },
        { Format::Artillery, "exportFormatArtillery", tr("&Artillery load script"),
            tr("Artillery load script"),
            tr("An Artillery scenario (YAML, engine ws) with each client tab's sends and the "
               "recorded gaps as think steps.") },
    };
    for (const auto &f : formats) {
        QRadioButton *radio
            = addFormat(f.format, QLatin1StringView(f.objectName), f.text, f.name, f.explanation);
        auto *explanation = new QLabel(f.explanation, formatBox);
        explanation->setObjectName(radio->objectName() + QStringLiteral("Explanation"));
        explanation->setWordWrap(true);
        explanation->setForegroundRole(QPalette::PlaceholderText);
        explanation->setContentsMargins(indent, 0, 0, 4);
        formatLayout->addWidget(radio);
        formatLayout->addWidget(explanation);
    }

    auto *scopeBox = new QGroupBox(tr("What to export"), this);
    scopeBox->setObjectName(QStringLiteral("exportScopeBox"));
    auto *scopeLayout = new QVBoxLayout(scopeBox);
    auto *session = new QRadioButton(tr("Whole &session"), scopeBox);
    describe(session, QStringLiteral("exportScopeSession"), tr("Whole session"),
        tr("Every tab of the session with all its rows"));
    QString title = scopes.currentTabTitle;
    title.replace(QLatin1Char('&'), QStringLiteral("&&"));
    auto *tab = new QRadioButton(scopes.currentTab && !title.isEmpty()
            ? tr("Current &tab: \u201c%1\u201d").arg(title)
            : tr("Current &tab"),
        scopeBox);
    describe(tab, QStringLiteral("exportScopeTab"), tr("Current tab"),
        scopes.currentTab ? tr("Only the rows of the current tab") : tr("No tab is open"));
    tab->setEnabled(scopes.currentTab);
    const bool haveRows = scopes.selectedRows > 0;
    auto *rows
        = new QRadioButton(haveRows ? tr("Selected &rows (%1)").arg(QLocale().toString(scopes.selectedRows))
                                    : tr("Selected &rows (none selected)"),
            scopeBox);
    describe(rows, QStringLiteral("exportScopeRows"), tr("Selected rows"),
        haveRows ? tr("Only the rows selected in the current tab's history")
                 : tr("Select rows in a tab's history first"));
    rows->setEnabled(haveRows);
    m_scopes->addButton(session, int(Scope::Session));
    m_scopes->addButton(tab, int(Scope::Tab));
    m_scopes->addButton(rows, int(Scope::Rows));
    scopeLayout->addWidget(session);
    scopeLayout->addWidget(tab);
    scopeLayout->addWidget(rows);

    // Off by default: an export is made to be shared, the session file is not.
    m_keepSecrets = new QCheckBox(tr("&Include secrets"), this);
    describe(m_keepSecrets, QStringLiteral("exportKeepSecrets"), tr("Include secrets"),
        tr("Write Authorization, Proxy-Authorization, Cookie and Set-Cookie values, passphrases and "
           "proxy passwords as recorded. Unchecked, they are written as \u201c(masked)\u201d or left "
           "empty."));
    auto *secretsNote = new QLabel(
        tr("Unchecked, secret header values, passphrases and proxy passwords are masked."), this);
    secretsNote->setObjectName(QStringLiteral("exportKeepSecretsExplanation"));
    secretsNote->setWordWrap(true);
    secretsNote->setForegroundRole(QPalette::PlaceholderText);
    secretsNote->setContentsMargins(style()->pixelMetric(QStyle::PM_IndicatorWidth)
            + style()->pixelMetric(QStyle::PM_CheckBoxLabelSpacing),
        0, 0, 0);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    QPushButton *ok = buttons->button(QDialogButtonBox::Ok);
    ok->setText(tr("&Export\u2026"));
    describe(ok, QStringLiteral("exportButton"), tr("Export"), tr("Choose the file to write"));
    describe(buttons->button(QDialogButtonBox::Cancel), QStringLiteral("exportCancelButton"), tr("Cancel"),
        tr("Close without exporting"));
    connect(buttons, &QDialogButtonBox::accepted, this, &ExportOptionsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ExportOptionsDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(formatBox);
    layout->addWidget(scopeBox);
    layout->addWidget(m_keepSecrets);
    layout->addWidget(secretsNote);
    layout->addStretch();
    layout->addWidget(buttons);
    setFormat(Format::Har);
    setScope(Scope::Session);
    // The explanations wrap: the height follows from the width, not from the size hint.
    const int width = std::max(sizeHint().width(), fontMetrics().averageCharWidth() * 96);
    resize(width, layout->hasHeightForWidth() ? layout->totalHeightForWidth(width) : sizeHint().height());
}

void ExportOptionsDialog::setKeepSecrets(bool keep)
{
    m_keepSecrets->setChecked(keep);
}

bool ExportOptionsDialog::keepSecrets() const
{
    return m_keepSecrets->isChecked();
}

QRadioButton *ExportOptionsDialog::addFormat(SessionExport::Format format, const QString &objectName,
    const QString &text, const QString &accessibleName, const QString &explanation)
{
    auto *radio = new QRadioButton(text, this);
    describe(radio, objectName, accessibleName, explanation);
    radio->setAccessibleDescription(explanation);
    m_formats->addButton(radio, int(format));
    return radio;
}

void ExportOptionsDialog::setFormat(SessionExport::Format format)
{
    if (QAbstractButton *button = m_formats->button(int(format)))
        button->setChecked(true);
}

SessionExport::Format ExportOptionsDialog::format() const
{
    return SessionExport::Format(m_formats->checkedId());
}

void ExportOptionsDialog::setScope(Scope scope)
{
    QAbstractButton *button = m_scopes->button(int(scope));
    if (!button || !button->isEnabled())
        button = m_scopes->button(int(Scope::Session));
    button->setChecked(true);
}

ExportOptionsDialog::Scope ExportOptionsDialog::scope() const
{
    return Scope(m_scopes->checkedId());
}

void ExportOptionsDialog::setSuggestedPath(const QString &pathWithoutSuffix)
{
    m_suggestedPath = pathWithoutSuffix;
}

QString ExportOptionsDialog::withSuffix(const QString &name, SessionExport::Format format)
{
    const QStringList suffixes = suffixesOf(format);
    for (const QString &suffix : suffixes) {
        if (name.endsWith(QLatin1Char('.') + suffix, Qt::CaseInsensitive))
            return name;
    }
    return name + QLatin1Char('.') + suffixes.first();
}

void ExportOptionsDialog::accept()
{
    const SessionExport::Format chosen = format();
    QStringList patterns;
    for (const QString &suffix : suffixesOf(chosen))
        patterns.append(QStringLiteral("*.") + suffix);
    const QString filter
        = tr("%1 files (%2)")
              .arg(SessionExport::formatName(chosen).toUpper(), patterns.join(QLatin1Char(' ')))
        + QStringLiteral(";;") + tr("All files (*)");
    const QString suggested = m_suggestedPath.isEmpty() ? QString() : withSuffix(m_suggestedPath, chosen);
    const QString name = Dialogs::getSaveFileName(this, tr("Export Session As"), suggested, filter);
    if (name.isEmpty())
        return; // back to the choices
    const QString file = withSuffix(name, chosen);
    // The file dialog asked about replacing the name as typed, not about the one with the suffix.
    if (file != name && QFileInfo::exists(file)
        && Dialogs::question(this, tr("Export Session"),
               tr("%1 already exists. Do you want to replace it?").arg(QFileInfo(file).fileName()))
            != QMessageBox::Yes)
        return;
    m_fileName = file;
    QDialog::accept();
}

namespace Transfer {

namespace {

QMutex hookMutex;
std::function<void(qint64, qint64)> progressHook;

// What the worker reports and the GUI reads; total is -1 until the work has counted its rows.
struct Shared
{
    std::atomic<qint64> done { 0 };
    std::atomic<qint64> total { -1 };
    std::atomic<bool> cancel { false };
};

// Runs one piece of work on its own thread behind a QProgressDialog.
class Runner
{
    Q_DECLARE_TR_FUNCTIONS(Transfer)
public:
    using Progress = std::function<bool(qint64 done, qint64 total)>;
    // The label for a count (total -1: not known yet).
    using Label = std::function<QString(qint64 done, qint64 total)>;

    static constexpr int Steps = 1000;
    static constexpr int TickMs = 100;

    // Returns when the work has ended; the work's own result says whether it was cancelled.
    static void run(QWidget *parent, const QString &title, const QString &cancelToolTip, const Label &label,
        const std::function<void(const Progress &)> &work);
    static QString count(qint64 n) { return QLocale().toString(n); }
};

void Runner::run(QWidget *parent, const QString &title, const QString &cancelToolTip, const Label &label,
    const std::function<void(const Progress &)> &work)
{
    auto shared = std::make_shared<Shared>();
    std::function<void(qint64, qint64)> hook;
    {
        QMutexLocker locker(&hookMutex);
        hook = progressHook;
    }
    const Progress progress = [shared, hook](qint64 done, qint64 total) {
        shared->done.store(done);
        shared->total.store(total);
        if (hook)
            hook(done, total);
        return !shared->cancel.load();
    };

    // On the heap with a QPointer: the parent may go away while the local loop runs.
    QPointer<QProgressDialog> dialog = new QProgressDialog(parent);
    dialog->setObjectName(QStringLiteral("transferProgressDialog"));
    dialog->setWindowTitle(title);
    dialog->setAccessibleName(title);
    dialog->setWindowModality(parent ? Qt::WindowModal : Qt::ApplicationModal);
    // Closed by us when the thread ends, not when the bar reaches its end (a commit may follow).
    dialog->setAutoClose(false);
    dialog->setAutoReset(false);
    auto *cancelButton = new QPushButton(tr("Cancel"), dialog);
    describe(cancelButton, QStringLiteral("transferCancelButton"), tr("Cancel"), cancelToolTip);
    dialog->setCancelButton(cancelButton);
    dialog->setLabelText(label(0, -1));
    dialog->setMinimumWidth(dialog->fontMetrics().averageCharWidth() * 50);
    dialog->setMinimumDuration(MinimumDurationMs);
    dialog->setRange(0, Steps);
    dialog->setValue(0); // starts the minimum-duration timer
    QObject::connect(dialog, &QProgressDialog::canceled, dialog, [shared, dialog, cancelButton] {
        shared->cancel.store(true);
        dialog->setLabelText(tr("Cancelling\u2026"));
        cancelButton->setEnabled(false);
    });

    QEventLoop loop;
    bool finished = false;
    std::unique_ptr<QThread> thread(QThread::create([&work, &progress] { work(progress); }));
    QObject::connect(thread.get(), &QThread::finished, &loop, [&finished, &loop] {
        finished = true;
        loop.quit();
    });
    bool waitingForDialog = true;
    QTimer ticker;
    ticker.setInterval(TickMs);
    QObject::connect(&ticker, &QTimer::timeout, dialog, [&loop, &waitingForDialog, &label, dialog, shared] {
        if (waitingForDialog && dialog->isVisible())
            loop.quit(); // on to the loop that lets the user cancel
        if (shared->cancel.load())
            return;
        const qint64 total = shared->total.load();
        const qint64 done = shared->done.load();
        if (total < 0) {
            // Busy while a HAR is read; only once shown: a reset bar would restart the show timer.
            if (dialog->isVisible())
                dialog->setRange(0, 0);
            return;
        }
        dialog->setLabelText(label(done, total));
        dialog->setRange(0, Steps);
        dialog->setValue(total > 0 ? int(std::min(done, total) * Steps / total) : Steps);
    });
    thread->start();
    ticker.start();
    // User input waits (it is not dropped) until the dialog is up and blocks the parent window.
    if (!finished)
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    waitingForDialog = false;
    if (!finished)
        loop.exec();
    ticker.stop();
    if (!finished)
        shared->cancel.store(true); // the application is quitting
    thread->wait();
    delete dialog.data();
}

} // namespace

bool exportSession(QWidget *parent, const QString &sessionPath, SessionExport::Format format, qint64 tab,
    const QList<SessionExport::RowRef> &rows, const QString &target, QString *error, bool keepSecrets,
    qint64 *secretsMasked)
{
    const QString name = QFileInfo(target).fileName();
    SessionExport::Result result = SessionExport::Result::Failed;
    QString message;
    Runner::run(
        parent, Runner::tr("Export"),
        Runner::tr("Stop the export: no file is written and an existing file is kept"),
        [name](qint64 done, qint64 total) {
            return total < 0 ? Runner::tr("Exporting to %1\u2026").arg(name)
                             : Runner::tr("Exporting to %1\n%2 of %3 messages")
                                   .arg(name, Runner::count(done), Runner::count(total));
        },
        [&](const Runner::Progress &progress) {
            SessionExport exporter(format);
            exporter.setTab(tab);
            exporter.setRows(rows);
            exporter.setProgress(progress);
            exporter.setKeepSecrets(keepSecrets);
            result = exporter.writeFile(sessionPath, target);
            message = exporter.errorString();
            if (secretsMasked)
                *secretsMasked = exporter.secretsMasked();
        });
    if (error)
        error->clear();
    if (result == SessionExport::Result::Ok)
        return true;
    if (error && result == SessionExport::Result::Failed)
        *error = message.isEmpty() ? Runner::tr("The export to %1 failed.").arg(target) : message;
    return false;
}

QString importHar(QWidget *parent, const QString &harPath, const QString &targetSession, QString *error)
{
    const QString name = QFileInfo(harPath).fileName();
    HarImport::Result result = HarImport::Result::Failed;
    QString message;
    Runner::run(
        parent, Runner::tr("Import HAR"), Runner::tr("Stop the import: no session file is written"),
        [name](qint64 done, qint64 total) {
            return total < 0 ? Runner::tr("Reading %1\u2026").arg(name)
                             : Runner::tr("Importing %1\n%2 of %3 messages")
                                   .arg(name, Runner::count(done), Runner::count(total));
        },
        [&](const Runner::Progress &progress) {
            HarImport importer;
            importer.setProgress(progress);
            result = importer.importFile(harPath, targetSession);
            message = importer.errorString();
        });
    if (error)
        error->clear();
    if (result == HarImport::Result::Ok)
        return targetSession;
    if (error && result == HarImport::Result::Failed)
        *error = message.isEmpty() ? Runner::tr("The import of %1 failed.").arg(harPath) : message;
    return {};
}

void setProgressHookForTests(const std::function<void(qint64 done, qint64 total)> &hook)
{
    QMutexLocker locker(&hookMutex);
    progressHook = hook;
}

} // namespace Transfer
} // namespace wst
