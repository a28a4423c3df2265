// Export and HAR import behind a progress dialog (a large session, Cancel clicked while the
// worker is held at a known row) and the export options dialog.
#include "Dialogs.h"
#include "SessionExpect.h"
#include "SessionFixture.h"
#include "TransferDialogs.h"
#include "session/SessionReader.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProgressDialog>
#include <QPushButton>
#include <QRadioButton>
#include <QSemaphore>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

using namespace wst;

namespace {

constexpr qint64 ExtraRows = 200000;

// Counts the progress dialogs that were shown, however briefly.
class ShowWatcher : public QObject
{
public:
    int shown = 0;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Show && qobject_cast<QProgressDialog *>(watched))
            ++shown;
        return false;
    }
};

QProgressDialog *visibleProgressDialog()
{
    const QWidgetList widgets = QApplication::topLevelWidgets();
    for (QWidget *w : widgets) {
        if (auto *dialog = qobject_cast<QProgressDialog *>(w); dialog && dialog->isVisible())
            return dialog;
    }
    return nullptr;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

QStringList entries(const QString &folder)
{
    return QDir(folder).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

} // namespace

class tst_TransferDialogs : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void exportNdjsonOfALargeSession();
    void exportOneTabAndChosenRows();
    void smallExportShowsNoDialog();
    void cancelLeavesTargetAsItWas_data();
    void cancelLeavesTargetAsItWas();
    void exportFailureSaysWhy();
    void importChromeHar();
    void importBadHarSaysWhy();
    void optionsNdjsonCurrentTabByKeyboard();
    void optionsSuffixAndReplace();
    void optionsFileDialogCancelledKeepsDialogOpen();
    void optionsUnavailableScopes();
    void optionsControlsAreNamedAndDescribed();

private:
    QTemporaryDir m_dir;
    QString m_bigSession;
    QString m_smallSession;
    QWidget *m_window = nullptr;
};

void tst_TransferDialogs::initTestCase()
{
    // The progress label's digit grouping is checked literally.
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    QVERIFY(m_dir.isValid());
    m_bigSession = m_dir.filePath(QStringLiteral("big.wstsession"));
    m_smallSession = m_dir.filePath(QStringLiteral("small.wstsession"));
    QString error;
    QVERIFY2(SessionFixture::write(m_bigSession, &error, ExtraRows), qPrintable(error));
    QVERIFY2(SessionFixture::write(m_smallSession, &error), qPrintable(error));
    m_window = new QWidget;
    m_window->setObjectName(QStringLiteral("mainWindowStandIn"));
    m_window->resize(640, 480);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
}

void tst_TransferDialogs::init()
{
    Dialogs::clearNextAnswers();
}

void tst_TransferDialogs::cleanup()
{
    Transfer::setProgressHookForTests({});
    QVERIFY(!visibleProgressDialog());
}

void tst_TransferDialogs::exportNdjsonOfALargeSession()
{
    const QString target = m_dir.filePath(QStringLiteral("all.ndjson"));
    QString error = QStringLiteral("stale");
    QVERIFY(Transfer::exportSession(
        m_window, m_bigSession, SessionExport::Format::Ndjson, -1, {}, target, &error));
    QVERIFY(error.isEmpty());

    QList<QByteArray> lines = readAll(target).split('\n');
    QCOMPARE(lines.takeLast(), QByteArray());
    const QList<SessionFixture::Row> rows = SessionFixture::rows();
    QCOMPARE(lines.size(), rows.size() + ExtraRows);
    auto object = [&lines](qsizetype i) { return QJsonDocument::fromJson(lines.at(i)).object(); };
    // The client tab's own rows, its filler rows, then the server tab.
    QCOMPARE(object(0), SessionExpect::object(rows.at(0)));
    QCOMPARE(object(2), SessionExpect::object(rows.at(2)));
    const qsizetype clientRows = 13;
    const QJsonObject filler = object(clientRows + 12345);
    QCOMPARE(filler.value(QLatin1String("tab")).toInteger(), SessionFixture::ClientTab);
    QCOMPARE(filler.value(QLatin1String("seq")).toInteger(), clientRows + 12345);
    QCOMPARE(filler.value(QLatin1String("ts_us")).toInteger(), SessionFixture::T0 + 2000000 + 12345);
    QCOMPARE(filler.value(QLatin1String("data")).toString(), QString(256, QLatin1Char('x')));
    QCOMPARE(object(lines.size() - 1), SessionExpect::object(rows.last()));
}

void tst_TransferDialogs::exportOneTabAndChosenRows()
{
    const QString target = m_dir.filePath(QStringLiteral("server.ndjson"));
    QString error;
    QVERIFY2(Transfer::exportSession(m_window, m_bigSession, SessionExport::Format::Ndjson,
                 SessionFixture::ServerTab, {}, target, &error),
        qPrintable(error));
    QCOMPARE(readAll(target).count('\n'), 8);

    QVERIFY2(Transfer::exportSession(m_window, m_bigSession, SessionExport::Format::Csv, -1,
                 { { SessionFixture::ServerTab, 3 }, { SessionFixture::ClientTab, 1 } }, target, &error),
        qPrintable(error));
    const QList<QByteArray> lines = readAll(target).split('\n');
    QCOMPARE(lines.size(), 4); // header, two rows, and the empty end
    QVERIFY(lines.at(1).startsWith("1,1,"));
    QVERIFY(lines.at(1).endsWith(",hello\r"));
    QVERIFY(lines.at(2).startsWith("2,3,"));
}

void tst_TransferDialogs::smallExportShowsNoDialog()
{
    ShowWatcher watcher;
    qApp->installEventFilter(&watcher);
    const QString target = m_dir.filePath(QStringLiteral("small.har"));
    QString error;
    const bool ok = Transfer::exportSession(
        m_window, m_smallSession, SessionExport::Format::Har, -1, {}, target, &error);
    qApp->removeEventFilter(&watcher);
    QVERIFY2(ok, qPrintable(error));
    QCOMPARE(watcher.shown, 0);
    QVERIFY(QJsonDocument::fromJson(readAll(target)).object().contains(QLatin1String("log")));
}

void tst_TransferDialogs::cancelLeavesTargetAsItWas_data()
{
    QTest::addColumn<bool>("existing");
    QTest::newRow("new file") << false;
    QTest::newRow("existing file") << true;
}

void tst_TransferDialogs::cancelLeavesTargetAsItWas()
{
    QFETCH(bool, existing);
    QTemporaryDir out;
    const QString target = out.filePath(QStringLiteral("cancelled.ndjson"));
    const QByteArray before = "an earlier export\n";
    if (existing)
        QVERIFY(writeFile(target, before));

    // The worker waits at its first report after some rows, until the test has clicked Cancel.
    QSemaphore clicked;
    std::atomic<int> held { 0 };
    Transfer::setProgressHookForTests([&clicked, &held](qint64 done, qint64) {
        if (done > 0 && held.fetch_add(1) == 0)
            clicked.tryAcquire(1, 60000); // a bound for a broken test, not a synchronisation
    });
    QString seenLabel;
    bool wasWindowModal = false;
    QTimer poll;
    poll.setInterval(10);
    connect(&poll, &QTimer::timeout, this, [&] {
        QProgressDialog *dialog = visibleProgressDialog();
        if (!dialog || !dialog->labelText().contains(QLatin1String("4,096 of")))
            return;
        poll.stop();
        seenLabel = dialog->labelText();
        wasWindowModal = dialog->windowModality() == Qt::WindowModal && dialog->parentWidget() == m_window;
        auto *cancel = dialog->findChild<QPushButton *>(QStringLiteral("transferCancelButton"));
        QVERIFY(cancel);
        QTest::mouseClick(cancel, Qt::LeftButton);
        clicked.release();
    });
    poll.start();

    QString error = QStringLiteral("stale");
    const bool ok = Transfer::exportSession(
        m_window, m_bigSession, SessionExport::Format::Ndjson, -1, {}, target, &error);
    poll.stop();
    QVERIFY(!ok);
    QVERIFY2(error.isEmpty(), qPrintable(error)); // cancelled: nothing to tell
    QCOMPARE(seenLabel, QStringLiteral("Exporting to cancelled.ndjson\n4,096 of 200,021 messages"));
    QVERIFY(wasWindowModal);
    if (existing) {
        QCOMPARE(readAll(target), before);
        QCOMPARE(entries(out.path()), QStringList { QStringLiteral("cancelled.ndjson") });
    } else {
        QCOMPARE(entries(out.path()), QStringList());
    }
}

void tst_TransferDialogs::exportFailureSaysWhy()
{
    QString error;
    const QString target = m_dir.filePath(QStringLiteral("missing/folder/out.json"));
    QVERIFY(!Transfer::exportSession(
        m_window, m_smallSession, SessionExport::Format::Json, -1, {}, target, &error));
    QVERIFY2(error.contains(target), qPrintable(error));

    QVERIFY(!Transfer::exportSession(m_window, m_dir.filePath(QStringLiteral("nothing.wstsession")),
        SessionExport::Format::Json, -1, {}, m_dir.filePath(QStringLiteral("out.json")), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("out.json"))));
}

void tst_TransferDialogs::importChromeHar()
{
    const QString target = m_dir.filePath(QStringLiteral("chrome.wstsession"));
    QString error = QStringLiteral("stale");
    QCOMPARE(
        Transfer::importHar(m_window, QStringLiteral(WST_TEST_DATA "/chrome-websocket.har"), target, &error),
        target);
    QVERIFY(error.isEmpty());
    SessionReader reader;
    QVERIFY2(reader.open(target), qPrintable(reader.errorString()));
    const QList<SessionTab> tabs = reader.tabs();
    QCOMPARE(tabs.size(), 2);
    QVERIFY(tabs.at(0).readOnly);
    QCOMPARE(tabs.at(0).url, QStringLiteral("wss://chat.example.test/socket?room=42&token=a%2Bb"));
}

void tst_TransferDialogs::importBadHarSaysWhy()
{
    QTemporaryDir out;
    const QString har = out.filePath(QStringLiteral("page.har"));
    QVERIFY(writeFile(har, "<html></html>"));
    const QString target = out.filePath(QStringLiteral("page.wstsession"));
    QString error;
    QCOMPARE(Transfer::importHar(m_window, har, target, &error), QString());
    QVERIFY2(error.contains(QLatin1String("page.har is not a HAR file")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("not valid JSON")), qPrintable(error));
    QCOMPARE(entries(out.path()), QStringList { QStringLiteral("page.har") });

    QCOMPARE(
        Transfer::importHar(m_window, out.filePath(QStringLiteral("gone.har")), target, &error), QString());
    QVERIFY2(error.contains(QLatin1String("does not exist")), qPrintable(error));
}

void tst_TransferDialogs::optionsNdjsonCurrentTabByKeyboard()
{
    ExportOptionsDialog dialog({ true, QStringLiteral("Echo & more"), 0 }, m_window);
    dialog.setSuggestedPath(m_dir.filePath(QStringLiteral("suggested")));
    dialog.show();
    dialog.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&dialog));
    QCOMPARE(dialog.format(), SessionExport::Format::Har);
    QCOMPARE(dialog.scope(), ExportOptionsDialog::Scope::Session);
    QCOMPARE(dialog.findChild<QRadioButton *>(QStringLiteral("exportScopeTab"))->text(),
        QStringLiteral("Current &tab: \u201cEcho && more\u201d"));

    // The mnemonics: Alt+N for NDJSON, Alt+T for the current tab; Enter for Export….
    // (A mnemonic animates the click: the button toggles when it is released, 100 ms later.)
    QTest::keyClick(&dialog, Qt::Key_N, Qt::AltModifier);
    QTRY_COMPARE(dialog.format(), SessionExport::Format::Ndjson);
    QTest::keyClick(&dialog, Qt::Key_T, Qt::AltModifier);
    QTRY_COMPARE(dialog.scope(), ExportOptionsDialog::Scope::Tab);
    // Secrets are left out unless asked for (Alt+I).
    auto *keep = dialog.findChild<QCheckBox *>(QStringLiteral("exportKeepSecrets"));
    QVERIFY(keep && !keep->accessibleName().isEmpty() && !keep->toolTip().isEmpty());
    QVERIFY(!dialog.keepSecrets());
    QTest::keyClick(&dialog, Qt::Key_I, Qt::AltModifier);
    QTRY_VERIFY(dialog.keepSecrets());
    Dialogs::setNextSaveFileName(m_dir.filePath(QStringLiteral("capture")));
    const int shownBefore = Dialogs::shownCount();
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
    QCOMPARE(Dialogs::shownCount(), shownBefore + 1);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QVERIFY(!dialog.isVisible());
    QCOMPARE(dialog.fileName(), m_dir.filePath(QStringLiteral("capture.ndjson")));
    QCOMPARE(dialog.format(), SessionExport::Format::Ndjson);
    QCOMPARE(dialog.scope(), ExportOptionsDialog::Scope::Tab);
}

void tst_TransferDialogs::optionsSuffixAndReplace()
{
    using Format = SessionExport::Format;
    QCOMPARE(
        ExportOptionsDialog::withSuffix(QStringLiteral("/t/a"), Format::Har), QStringLiteral("/t/a.har"));
    QCOMPARE(
        ExportOptionsDialog::withSuffix(QStringLiteral("/t/a.HAR"), Format::Har), QStringLiteral("/t/a.HAR"));
    QCOMPARE(ExportOptionsDialog::withSuffix(QStringLiteral("/t/a.jsonl"), Format::Ndjson),
        QStringLiteral("/t/a.jsonl"));
    QCOMPARE(ExportOptionsDialog::withSuffix(QStringLiteral("/t/a.json"), Format::Ndjson),
        QStringLiteral("/t/a.json.ndjson"));
    QCOMPARE(ExportOptionsDialog::withSuffix(QStringLiteral("/t/v1.2"), Format::Csv),
        QStringLiteral("/t/v1.2.csv"));

    // The file dialog asked about "old", not "old.csv": replacing old.csv is asked here.
    QTemporaryDir out;
    QVERIFY(writeFile(out.filePath(QStringLiteral("old.csv")), "kept"));
    ExportOptionsDialog dialog({}, m_window);
    dialog.setFormat(Format::Csv);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *exportButton = dialog.findChild<QPushButton *>(QStringLiteral("exportButton"));
    Dialogs::setNextSaveFileName(out.filePath(QStringLiteral("old")));
    Dialogs::setNextAnswer(QMessageBox::No);
    QTest::mouseClick(exportButton, Qt::LeftButton);
    QVERIFY(dialog.isVisible());
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    Dialogs::setNextSaveFileName(out.filePath(QStringLiteral("old")));
    Dialogs::setNextAnswer(QMessageBox::Yes);
    QTest::mouseClick(exportButton, Qt::LeftButton);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.fileName(), out.filePath(QStringLiteral("old.csv")));
}

void tst_TransferDialogs::optionsFileDialogCancelledKeepsDialogOpen()
{
    ExportOptionsDialog dialog({}, m_window);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    Dialogs::setNextSaveFileName(QString());
    QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("exportButton")), Qt::LeftButton);
    QVERIFY(dialog.isVisible());
    QVERIFY(dialog.fileName().isEmpty());
    QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("exportCancelButton")), Qt::LeftButton);
    QVERIFY(!dialog.isVisible());
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
}

void tst_TransferDialogs::optionsUnavailableScopes()
{
    ExportOptionsDialog none({}, m_window);
    QVERIFY(!none.findChild<QRadioButton *>(QStringLiteral("exportScopeTab"))->isEnabled());
    QVERIFY(!none.findChild<QRadioButton *>(QStringLiteral("exportScopeRows"))->isEnabled());
    none.setScope(ExportOptionsDialog::Scope::Rows);
    QCOMPARE(none.scope(), ExportOptionsDialog::Scope::Session);

    ExportOptionsDialog rows({ true, QStringLiteral("Echo"), 12345 }, m_window);
    auto *rowsRadio = rows.findChild<QRadioButton *>(QStringLiteral("exportScopeRows"));
    QVERIFY(rowsRadio->isEnabled());
    QCOMPARE(rowsRadio->text(), QStringLiteral("Selected &rows (12,345)"));
    rows.setScope(ExportOptionsDialog::Scope::Rows);
    QCOMPARE(rows.scope(), ExportOptionsDialog::Scope::Rows);
}

void tst_TransferDialogs::optionsControlsAreNamedAndDescribed()
{
    ExportOptionsDialog dialog({ true, QStringLiteral("Echo"), 3 }, m_window);
    const QList<QAbstractButton *> buttons = dialog.findChildren<QAbstractButton *>();
    QCOMPARE(
        buttons.size(), 6 + 3 + 1 + 2); // formats (k6, Artillery too), scopes, include secrets, Export/Cancel
    for (QAbstractButton *b : buttons) {
        QVERIFY2(!b->objectName().isEmpty(), qPrintable(b->text()));
        QVERIFY2(!b->accessibleName().isEmpty(), qPrintable(b->objectName()));
        QVERIFY2(!b->toolTip().isEmpty(), qPrintable(b->objectName()));
        QVERIFY2(b->focusPolicy() & Qt::TabFocus, qPrintable(b->objectName()));
    }
    const QString har = dialog.findChild<QRadioButton *>(QStringLiteral("exportFormatHar"))->toolTip();
    QVERIFY2(har.contains(QLatin1String("Chrome DevTools and HAR viewers read it")), qPrintable(har));
}

QTEST_MAIN(tst_TransferDialogs)
#include "tst_TransferDialogs.moc"
