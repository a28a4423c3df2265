// Environments in the window: the toolbar's switcher and the Environments page drive a real
// connection, and a secret variable's value is found in no file the app writes unless asked.
#include "ClientTab.h"
#include "ComposerWidget.h"
#include "Dialogs.h"
#include "EnvironmentsPanel.h"
#include "GuiTestSupport.h"
#include "MainWindow.h"
#include "SessionController.h"
#include "TransferDialogs.h"
#include "WorkspaceDock.h"
#include "compose/EnvironmentLibrary.h"
#include "compose/SecretStore.h"
#include "compose/SessionEnvironment.h"
#include "connection/ClientConnection.h"
#include "messages/MessageStore.h"
#include "session/SessionExport.h"

#include <QApplication>
#include <QComboBox>
#include <QDirIterator>
#include <QListWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace wst;
using guitest::child;

namespace {

const QByteArray Secret = "tok-5ecr3t-V4lue/+=";

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QStringList filesContaining(const QString &folder, const QByteArray &needle)
{
    QStringList found;
    QDirIterator it(folder, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (readAll(path).contains(needle))
            found << path;
    }
    return found;
}

void activate(MainWindow *window, const QString &name)
{
    auto *combo = child<QComboBox>(window, "environmentCombo");
    const int index = combo->findData(name);
    QVERIFY(index >= 0);
    combo->setCurrentIndex(index);
    Q_EMIT combo->activated(index);
}

} // namespace

class tst_EnvironmentsWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void secretIsInNoFileUnlessAsked();
    void panelEditsEnvironments();
    void activeEnvironmentSurvivesReopening();

private:
    QTemporaryDir m_dir;
    guitest::EchoServer m_echo;
    EnvironmentLibrary *m_library = nullptr;
    std::unique_ptr<MainWindow> m_window;
};

void tst_EnvironmentsWindow::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // Every file the app writes lands under m_dir: the data folder (captures, environments) and
    // the settings (recent URLs).
    qputenv("XDG_DATA_HOME", m_dir.filePath(QStringLiteral("data")).toUtf8());
    guitest::installSettings(this, m_dir)->setFirstRunDone(true);
    QVERIFY(EnvironmentLibrary::defaultFolder().startsWith(m_dir.path()));
    QVERIFY(SessionController::liveFolder().startsWith(m_dir.path()));
    m_library = new EnvironmentLibrary(EnvironmentLibrary::defaultFolder(), new MemorySecretStore, this);
    EnvironmentLibrary::setInstance(m_library);
    QVERIFY(m_echo.listen());
}

void tst_EnvironmentsWindow::init()
{
    Dialogs::clearNextAnswers();
    m_window = std::make_unique<MainWindow>();
    m_window->show();
}

void tst_EnvironmentsWindow::cleanup()
{
    m_window.reset();
    QList<QPointer<MainWindow>> others;
    for (QWidget *w : QApplication::topLevelWidgets()) {
        if (auto *other = qobject_cast<MainWindow *>(w))
            others.append(other);
    }
    for (const QPointer<MainWindow> &other : others)
        delete other.data();
    QString error;
    for (const QString &name : m_library->names())
        m_library->remove(name, &error);
}

void tst_EnvironmentsWindow::secretIsInNoFileUnlessAsked()
{
    QString error;
    QVERIFY(m_library->create(QStringLiteral("staging"), &error));
    QVERIFY(m_library->setVariables(QStringLiteral("staging"),
        { { QStringLiteral("port"), QString::number(m_echo->serverPort()), false },
            { QStringLiteral("token"), QString::fromUtf8(Secret), true } },
        &error));
    activate(m_window.get(), QStringLiteral("staging"));
    QCOMPARE(m_window->environment()->activeName(), QStringLiteral("staging"));

    // The secret in the URL's query, a header and a message, on a real connection (the echo
    // server sends the message back, so it is in the received history too).
    ClientTab *client = m_window->newClientTab();
    const QJsonObject settings { { QStringLiteral("url"),
                                     QStringLiteral("ws://127.0.0.1:{{port}}/feed?token={{token}}") },
        { QStringLiteral("headers"),
            QJsonArray {
                QJsonValue(QJsonArray { QStringLiteral("X-Api-Key"), QStringLiteral("{{token}}") }) } } };
    QVERIFY2(client->setSettingsJson(settings, &error), qPrintable(error));
    QVERIFY(client->connectToServer());
    QTRY_COMPARE(client->state(), ClientConnection::State::Open);
    QCOMPARE(m_echo.lastRequest.rawHeader("X-Api-Key"), Secret);
    QCOMPARE(m_echo.lastRequest.url().query(QUrl::FullyDecoded),
        QStringLiteral("token=") + QString::fromUtf8(Secret));
    client->composer()->setText(QStringLiteral("{\"auth\":\"{{token}}\"}"));
    QVERIFY(client->composer()->send());
    QTRY_COMPARE(client->connection()->store()->counters().messagesIn, qint64(1));
    QCOMPARE(m_echo.received.last(), QStringLiteral("{\"auth\":\"%1\"}").arg(QString::fromUtf8(Secret)));

    // Saved (even "with secrets": a secret variable's value is never in a session file) and
    // exported in every format, the way File > Export does it.
    QVERIFY2(m_window->session()->saveTo(m_dir.filePath(QStringLiteral("s.wstsession")), false, &error),
        qPrintable(error));
    QVERIFY(m_window->session()->saveTo(m_dir.filePath(QStringLiteral("s-kept.wstsession")), true, &error));
    const QString live = m_window->session()->livePath();
    QVERIFY(live.startsWith(m_dir.path()));
    QStringList kept;
    for (const auto format : { SessionExport::Format::Har, SessionExport::Format::Ndjson,
             SessionExport::Format::Json, SessionExport::Format::Csv }) {
        const QString name = QStringLiteral("export.") + SessionExport::fileSuffix(format);
        QVERIFY2(Transfer::exportSession(
                     m_window.get(), live, format, -1, {}, m_dir.filePath(name), &error, false),
            qPrintable(error));
        QVERIFY(readAll(m_dir.filePath(name)).size() > 100);
        kept << m_dir.filePath(QStringLiteral("kept/") + name);
    }
    QVERIFY(QFile::exists(EnvironmentLibrary::defaultFolder() + QStringLiteral("/staging.json")));
    QStringList leaks = filesContaining(m_dir.path(), Secret);
    leaks += filesContaining(m_dir.path(), QUrl::toPercentEncoding(QString::fromUtf8(Secret)));
    QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(QStringLiteral(", "))));
    // Where the value went, the files say {{token}}.
    QVERIFY(readAll(m_dir.filePath(QStringLiteral("export.ndjson"))).contains("{{token}}"));

    // Asked for: an export that keeps secrets has the value, in every format.
    QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("kept")));
    for (const auto format : { SessionExport::Format::Har, SessionExport::Format::Ndjson,
             SessionExport::Format::Json, SessionExport::Format::Csv }) {
        const QString target
            = m_dir.filePath(QStringLiteral("kept/export.") + SessionExport::fileSuffix(format));
        QVERIFY2(Transfer::exportSession(m_window.get(), live, format, -1, {}, target, &error, true),
            qPrintable(error));
    }
    QStringList found = filesContaining(m_dir.filePath(QStringLiteral("kept")), Secret);
    found.sort();
    kept.sort();
    QCOMPARE(found, kept);
}

void tst_EnvironmentsWindow::panelEditsEnvironments()
{
    auto *panel = child<EnvironmentsPanel>(m_window.get(), "environmentsPanel");
    QVERIFY(panel);
    const QStringList problems = guitest::unnamedControls(panel,
        { "environmentList", "environmentVariables", "showSecretsCheck", "newEnvironmentButton",
            "renameEnvironmentButton", "duplicateEnvironmentButton", "deleteEnvironmentButton",
            "importEnvironmentButton", "exportEnvironmentButton", "activateEnvironmentButton",
            "addEnvironmentVariableButton", "removeEnvironmentVariableButton" });
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1String("; "))));

    Dialogs::setNextText(QStringLiteral("local"));
    panel->newEnvironment();
    QCOMPARE(panel->selectedName(), QStringLiteral("local"));
    Dialogs::setNextText(QStringLiteral("LOCAL"));
    panel->newEnvironment();
    QVERIFY2(panel->errorText().contains(QStringLiteral("already an environment")),
        qPrintable(panel->errorText()));

    QTableWidget *table = panel->table();
    panel->addVariable();
    table->item(0, 0)->setText(QStringLiteral("host"));
    table->item(0, 1)->setText(QStringLiteral("127.0.0.1"));
    panel->addVariable();
    table->item(1, 0)->setText(QStringLiteral("key"));
    table->item(1, 2)->setCheckState(Qt::Checked);
    table->item(1, 1)->setText(QStringLiteral("panel-s3cret-value"));
    QVERIFY2(panel->errorText().isEmpty(), qPrintable(panel->errorText()));
    const QList<EnvironmentVariable> expected { { QStringLiteral("host"), QStringLiteral("127.0.0.1"),
                                                    false },
        { QStringLiteral("key"), QStringLiteral("panel-s3cret-value"), true } };
    QCOMPARE(m_library->environment(QStringLiteral("local")).variables, expected);
    const QByteArray file = readAll(EnvironmentLibrary::defaultFolder() + QStringLiteral("/local.json"));
    QVERIFY(file.contains("127.0.0.1"));
    QVERIFY(!file.contains("panel-s3cret-value"));
    QCOMPARE(
        table->item(1, 1)->data(Qt::AccessibleTextRole).toString(), QStringLiteral("secret value, hidden"));

    // A bad name: one line, and the file keeps what it had.
    table->item(0, 0)->setText(QStringLiteral("1host"));
    QVERIFY2(panel->errorText().contains(QStringLiteral("not a valid variable name")),
        qPrintable(panel->errorText()));
    QCOMPARE(m_library->environment(QStringLiteral("local")).variables, expected);
    table->item(0, 0)->setText(QStringLiteral("host"));
    QVERIFY(panel->errorText().isEmpty());

    // Set active: the toolbar follows, and {{host}} reaches what the tab connects to.
    panel->activateSelected();
    QCOMPARE(m_window->environment()->activeName(), QStringLiteral("local"));
    QCOMPARE(child<QComboBox>(m_window.get(), "environmentCombo")->currentText(), QStringLiteral("local"));
    QVERIFY(panel->list()->currentItem()->font().bold());
    ClientTab *client = m_window->newClientTab();
    client->setUrlText(QStringLiteral("ws://{{host}}:%1/{{key}}").arg(m_echo->serverPort()));
    QVERIFY(client->connectToServer());
    QTRY_COMPARE(client->state(), ClientConnection::State::Open);
    QCOMPARE(m_echo.lastRequest.url().path(), QStringLiteral("/panel-s3cret-value"));

    // Duplicate and rename; the active one follows its rename.
    Dialogs::setNextText(QStringLiteral("staging"));
    panel->duplicateSelected();
    QCOMPARE(m_library->names(), (QStringList { QStringLiteral("local"), QStringLiteral("staging") }));
    panel->selectEnvironment(QStringLiteral("local"));
    Dialogs::setNextText(QStringLiteral("dev"));
    panel->renameSelected();
    QCOMPARE(m_window->environment()->activeName(), QStringLiteral("dev"));
    Dialogs::setNextAnswer(QMessageBox::Yes);
    panel->deleteSelected();
    QCOMPARE(m_library->names(), QStringList { QStringLiteral("staging") });
    QCOMPARE(m_window->environment()->activeName(), QString());

    // "Manage environments…" shows this page.
    auto *combo = child<QComboBox>(m_window.get(), "environmentCombo");
    m_window->workspace()->hide();
    Q_EMIT combo->activated(combo->count() - 1);
    QTRY_VERIFY(m_window->workspace()->isVisible());
    QCOMPARE(m_window->workspace()->currentPage(), panel);
    QCOMPARE(combo->currentIndex(), 0);
}

void tst_EnvironmentsWindow::activeEnvironmentSurvivesReopening()
{
    QString error;
    QVERIFY(m_library->create(QStringLiteral("staging"), &error));
    activate(m_window.get(), QStringLiteral("staging"));
    const QString file = m_dir.filePath(QStringLiteral("active.wstsession"));
    QVERIFY(m_window->session()->saveTo(file, false, &error));
    m_window.reset();
    MainWindow other;
    QCOMPARE(other.environment()->activeName(), QString());
    MainWindow *shown = other.openSession(file);
    QVERIFY(shown);
    QCOMPARE(shown->environment()->activeName(), QStringLiteral("staging"));
    QCOMPARE(child<QComboBox>(shown, "environmentCombo")->currentText(), QStringLiteral("staging"));
    // Reopening is not a change of the user's.
    QTest::qWait(300);
    QVERIFY(!shown->session()->needsSaving());
}

QTEST_MAIN(tst_EnvironmentsWindow)
#include "tst_EnvironmentsWindow.moc"
