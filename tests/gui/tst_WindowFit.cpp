// The window on a small screen (800×600, the size of the window here), in English and in
// Chinese: it fits and stays usable with the request options open and with a server tab, never
// grows itself past the screen, its texts are not clipped, and many tabs stay told apart.
#include "ClientListPane.h"
#include "ClientTab.h"
#include "DetailPane.h"
#include "Dialogs.h"
#include "HistoryPane.h"
#include "HistoryView.h"
#include "MainWindow.h"
#include "ServerTab.h"
#include "SessionController.h"
#include "TabLabels.h"
#include "TransferDialogs.h"
#include "server/ClientListModel.h"
#include "server/LocalServer.h"

#include "GuiTestSupport.h"

#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScreen>
#include <QStyleOptionTab>
#include <QTabBar>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QTranslator>
#include <QWebSocket>
#include <QtTest>

#include <memory>

using namespace wst;

namespace {

// An 800×600 screen: the window is given all of it (the offscreen platform's screen is larger).
QRect smallScreen()
{
    return QRect(QGuiApplication::primaryScreen()->availableGeometry().topLeft(), QSize(800, 600));
}

// QTabBar elides a tab's text in initStyleOption(): what it paints is what the user reads.
struct TabBarPeek : QTabBar
{
    using QTabBar::initStyleOption;
};

QString shownTabText(QTabBar *bar, int index)
{
    QStyleOptionTab option;
    // Through a pointer to QTabBar's member: no cast of the bar to a type it is not.
    const auto initStyleOption = &TabBarPeek::initStyleOption;
    (bar->*initStyleOption)(&option, index);
    return option.text;
}

} // namespace

class tst_WindowFit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void fitsSmallScreen_data();
    void fitsSmallScreen();
    void textsNotClipped_data();
    void textsNotClipped();
    void nameFieldFitsItsText();
    void tabLabelsTellTabsApart();
    void distinctiveLabels();
    void importedHarTabsHaveDistinctNames();
    void detailGetsItsShareAtFirst();

private:
    void useLanguage(const QString &language);
    template <typename T> T *child(const QObject *parent, const char *name) const
    {
        return guitest::child<T>(parent, name);
    }

    QTemporaryDir m_dir;
    std::unique_ptr<QTranslator> m_translator;
    std::unique_ptr<MainWindow> m_window;
};

void tst_WindowFit::initTestCase()
{
    QVERIFY(m_dir.isValid());
    guitest::installSettings(this, m_dir);
    SessionController::setLiveFolder(m_dir.filePath(QStringLiteral("sessions")));
    QVERIFY(QGuiApplication::primaryScreen());
}

void tst_WindowFit::init()
{
    Dialogs::clearNextAnswers();
    // Each test starts as a first run: no window size or sidebar state from the one before.
    QFile::remove(m_dir.filePath(QStringLiteral("settings.ini")));
    guitest::installSettings(this, m_dir);
}

void tst_WindowFit::cleanup()
{
    m_window.reset();
    if (m_translator) {
        QCoreApplication::removeTranslator(m_translator.get());
        m_translator.reset();
    }
}

void tst_WindowFit::useLanguage(const QString &language)
{
    if (language == QLatin1String("en"))
        return;
    m_translator = std::make_unique<QTranslator>();
    const QString qm = QStringLiteral(WST_QM_DIR "/wstester_%1.qm").arg(language);
    QVERIFY2(m_translator->load(qm), qPrintable(qm));
    QCoreApplication::installTranslator(m_translator.get());
}

void tst_WindowFit::fitsSmallScreen_data()
{
    QTest::addColumn<QString>("language");
    QTest::newRow("en") << QStringLiteral("en");
    QTest::newRow("zh_CN") << QStringLiteral("zh_CN");
}

void tst_WindowFit::fitsSmallScreen()
{
    QFETCH(QString, language);
    useLanguage(language);
    if (QTest::currentTestFailed())
        return;
    const QRect screen = smallScreen();
    m_window = std::make_unique<MainWindow>();
    ClientTab *tab = m_window->newClientTab();
    m_window->setGeometry(screen);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    const auto fits = [&](const char *what) {
        QCoreApplication::sendPostedEvents(); // the layout requests that would grow the window
        QCoreApplication::processEvents();
        const QSize min = m_window->minimumSizeHint();
        QVERIFY2(min.width() <= screen.width() && min.height() <= screen.height(),
            qPrintable(QStringLiteral("%1: needs %2×%3")
                           .arg(QLatin1String(what))
                           .arg(min.width())
                           .arg(min.height())));
        QVERIFY2(m_window->width() <= screen.width() && m_window->height() <= screen.height(),
            qPrintable(QStringLiteral("%1: the window grew to %2×%3")
                           .arg(QLatin1String(what))
                           .arg(m_window->width())
                           .arg(m_window->height())));
    };

    // Usable: the history shows several rows and the detail pane several lines.
    fits("a client tab");
    HistoryView *view = tab->historyPane()->view();
    const int rowHeight = view->rowHeight();
    QVERIFY2(view->viewport()->height() >= 5 * rowHeight,
        qPrintable(QStringLiteral("history: %1 px for rows of %2 px")
                       .arg(view->viewport()->height())
                       .arg(rowHeight)));
    DetailPane *detail = tab->historyPane()->detailPane();
    const int lineHeight = detail->fontMetrics().lineSpacing();
    QVERIFY2(detail->height() >= 5 * lineHeight,
        qPrintable(QStringLiteral("detail: %1 px for lines of %2 px").arg(detail->height()).arg(lineHeight)));

    // The request options open inside the window, which keeps its size; closed again, all is as before.
    const QSize before = m_window->size();
    auto *toggle = child<QToolButton>(tab, "requestToggle");
    QTest::mouseClick(toggle, Qt::LeftButton);
    QVERIFY(child<QWidget>(tab, "requestPanel")->isVisible());
    fits("request options open");
    QCOMPARE(m_window->size(), before);
    QTest::mouseClick(toggle, Qt::LeftButton);
    fits("request options closed");
    QCOMPARE(m_window->size(), before);

    // A server tab (its settings open) does not widen the window.
    ServerTab *server = m_window->newServerTab();
    QVERIFY(server);
    fits("a server tab");
    QCOMPARE(m_window->size(), before);

    // The workspace sidebar starts hidden on a screen this narrow (F9 shows it).
    QAction *workspace = guitest::action(m_window.get(), "workspaceAction");
    QVERIFY(workspace);
    QVERIFY(!workspace->isChecked());
    auto *dock = child<QDockWidget>(m_window.get(), "workspaceDock");
    QVERIFY(dock->isHidden());
    // F9 shows it over the window's left edge: the window keeps its size.
    workspace->trigger();
    QVERIFY(dock->isVisible());
    QVERIFY(dock->isFloating());
    fits("the sidebar shown");
    QCOMPARE(m_window->size(), before);
    QVERIFY2(dock->width() <= m_window->width() / 2, qPrintable(QString::number(dock->width())));

    // In a window wide enough for both, it docks beside the tabs.
    workspace->trigger();
    QVERIFY(dock->isHidden());
    dock->setFloating(false);
    m_window->resize(1280, screen.height());
    QCoreApplication::processEvents();
    workspace->trigger();
    QVERIFY(dock->isVisible());
    QVERIFY(!dock->isFloating());
    QCOMPARE(m_window->width(), 1280);
}

void tst_WindowFit::textsNotClipped_data()
{
    fitsSmallScreen_data();
}

void tst_WindowFit::textsNotClipped()
{
    QFETCH(QString, language);
    useLanguage(language);
    if (QTest::currentTestFailed())
        return;
    const QRect screen = smallScreen();
    m_window = std::make_unique<MainWindow>();
    ClientTab *tab = m_window->newClientTab();
    m_window->setGeometry(screen);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QCoreApplication::processEvents();

    // The detail pane's "Select a message" placeholder: all its lines in sight.
    auto *placeholder = child<QLabel>(tab, "detailPlaceholder");
    QVERIFY(placeholder->isVisible());
    QVERIFY2(placeholder->height() >= placeholder->heightForWidth(placeholder->width()),
        qPrintable(QStringLiteral("placeholder: %1 px high, needs %2")
                       .arg(placeholder->height())
                       .arg(placeholder->heightForWidth(placeholder->width()))));
    QVERIFY2(placeholder->width() >= placeholder->minimumSizeHint().width(),
        qPrintable(QStringLiteral("placeholder: %1 px wide").arg(placeholder->width())));

    // A server tab: its TLS hint whole, and a closed client's state ("Closed (4000)") whole.
    ServerTab *server = m_window->newServerTab();
    QTest::mouseClick(child<QPushButton>(server, "serverStartButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(server->server()->state(), LocalServer::State::Listening, 10000);
    QCoreApplication::processEvents();
    auto *hint = child<QLabel>(server, "serverTlsHint");
    if (hint->isVisible()) {
        QVERIFY2(hint->height() >= hint->heightForWidth(hint->width()),
            qPrintable(QStringLiteral("TLS hint: %1 px high, needs %2")
                           .arg(hint->height())
                           .arg(hint->heightForWidth(hint->width()))));
    }
    QWebSocket client;
    client.open(server->server()->url());
    QTRY_COMPARE_WITH_TIMEOUT(server->clientModel()->rowCount(), 2, 10000); // "All" and the client
    client.close(QWebSocketProtocol::CloseCode(4000));
    auto *list = child<QTableView>(server, "clientList");
    const QModelIndex state = list->model()->index(1, ClientListModel::StateColumn);
    QTRY_VERIFY_WITH_TIMEOUT(state.data().toString().contains(QLatin1String("4000")), 10000);
    const int needed = list->fontMetrics().horizontalAdvance(state.data().toString()) + 16 /* its dot */
        + 2 * list->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, list) + 8;
    QVERIFY2(list->visualRect(state).width() >= needed,
        qPrintable(QStringLiteral("State column: %1 px for \"%2\", needs %3")
                       .arg(list->visualRect(state).width())
                       .arg(state.data().toString())
                       .arg(needed)));
    QVERIFY2(list->viewport()->rect().contains(list->visualRect(state)),
        "the State column is scrolled out of sight");
}

void tst_WindowFit::nameFieldFitsItsText()
{
    // The name prompt (saving a message, renaming a tab) shows the whole name it offers.
    const QString name = QStringLiteral("subscribe: ticker.BTC-USD level2 x");
    QLineEdit *field = nullptr;
    int shownWidth = 0;
    int needed = 0;
    QTimer::singleShot(0, this, [&] {
        auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        field = dialog->findChild<QLineEdit *>();
        if (field) {
            shownWidth = field->width();
            needed = field->fontMetrics().horizontalAdvance(name) + 12;
        }
        dialog->reject();
    });
    QString result;
    QVERIFY(!Dialogs::getText(nullptr, QStringLiteral("Save"), QStringLiteral("Name:"), name, &result));
    QVERIFY(field);
    QVERIFY2(shownWidth >= needed, qPrintable(QStringLiteral("%1 px for %2").arg(shownWidth).arg(needed)));
}

void tst_WindowFit::tabLabelsTellTabsApart()
{
    // Eight tabs on the same host in a window 800 px wide: each label still says which it is
    // (they all read "127.0…"), and the tooltip has the whole URL.
    m_window = std::make_unique<MainWindow>();
    m_window->setGeometry(smallScreen());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QStringList urls;
    for (int i = 1; i <= 8; ++i) {
        ClientTab *tab = m_window->newClientTab();
        urls << QStringLiteral("ws://127.0.0.1:90%1/echo").arg(i, 2, 10, QLatin1Char('0'));
        tab->setUrlText(urls.last());
    }
    QCoreApplication::processEvents();
    QTabBar *bar = m_window->tabs()->tabBar();
    QCOMPARE(bar->count(), 8);
    QStringList shown;
    for (int i = 0; i < bar->count(); ++i) {
        shown << shownTabText(bar, i);
        const QString port = QStringLiteral("90%1").arg(i + 1, 2, 10, QLatin1Char('0'));
        QVERIFY2(shown.last().contains(port), qPrintable(shown.join(QLatin1String(" | "))));
        QVERIFY2(!shown.last().contains(u'\u2026'), qPrintable(shown.last())); // not cut
        QVERIFY2(bar->tabToolTip(i).contains(urls.at(i)), qPrintable(bar->tabToolTip(i)));
    }
    // Few tabs: the whole title, host, port and path.
    while (bar->count() > 2)
        m_window->tabs()->removeTab(bar->count() - 1);
    QCoreApplication::processEvents();
    QCOMPARE(m_window->tabs()->tabText(0), QStringLiteral("127.0.0.1:9001/echo"));
    QCOMPARE(shownTabText(bar, 0), QStringLiteral("127.0.0.1:9001/echo"));
}

void tst_WindowFit::distinctiveLabels()
{
    const auto labels = [](std::initializer_list<const char *> titles) {
        QStringList in;
        for (const char *t : titles)
            in << QString::fromUtf8(t);
        return TabLabels::distinctive(in).join(QLatin1String(" | "));
    };
    QCOMPARE(labels({ "127.0.0.1:9001/echo", "127.0.0.1:9002/echo", "api.example.com" }),
        QStringLiteral(":9001 | :9002 | api.example.com"));
    QCOMPARE(labels({ "127.0.0.1:9001/echo", "127.0.0.1:9001/chat" }), QStringLiteral("/echo | /chat"));
    QCOMPARE(labels({ "chat.test/socket", "chat.test/socket (2)" }), QStringLiteral("/socket | /socket (2)"));
    QCOMPARE(labels({ "a.b", "a.c" }), QStringLiteral("a.b | a.c")); // too little to cut
    QCOMPARE(labels({ "127.0.0.1/", "127.0.0.1/" }), QStringLiteral("127.0.0.1/ | 127.0.0.1/"));
    QCOMPARE(TabLabels::forUrl(QUrl(QStringLiteral("wss://h.test:8443/feed?x=1"))),
        QStringLiteral("h.test:8443/feed"));
    QCOMPARE(TabLabels::forUrl(QUrl(QStringLiteral("ws://h.test/"))), QStringLiteral("h.test"));
}

void tst_WindowFit::importedHarTabsHaveDistinctNames()
{
    // A page that opened the same socket twice: two tabs, two names.
    QFile source(QStringLiteral(WST_TEST_DATA "/chrome-websocket.har"));
    QVERIFY(source.open(QIODevice::ReadOnly));
    QJsonObject har = QJsonDocument::fromJson(source.readAll()).object();
    QJsonObject log = har.value(QLatin1String("log")).toObject();
    QJsonArray entries = log.value(QLatin1String("entries")).toArray();
    entries.append(entries.at(1)); // the wss:// socket again
    log.insert(QStringLiteral("entries"), entries);
    har.insert(QStringLiteral("log"), log);
    const QString harPath = m_dir.filePath(QStringLiteral("twice.har"));
    QFile out(harPath);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(QJsonDocument(har).toJson());
    out.close();

    m_window = std::make_unique<MainWindow>();
    m_window->show();
    const QString target = m_dir.filePath(QStringLiteral("twice.wstsession"));
    QString error;
    QCOMPARE(Transfer::importHar(m_window.get(), harPath, target, &error), target);
    QCOMPARE(m_window->openSession(target), m_window.get());
    QCOMPARE(m_window->tabCount(), 3);
    QStringList names;
    for (int i = 0; i < 3; ++i)
        names << m_window->tabs()->tabText(i);
    QCOMPARE(names.at(0), QStringLiteral("chat.example.test/socket"));
    QCOMPARE(names.at(2), QStringLiteral("chat.example.test/socket (2)"));
    QCOMPARE(QSet<QString>(names.cbegin(), names.cend()).size(), 3);
}

// By their size hints alone the history took nearly all the height and the message's detail
// three lines, on any screen; the detail gets two fifths when the panes first have a size.
void tst_WindowFit::detailGetsItsShareAtFirst()
{
    m_window = std::make_unique<MainWindow>();
    ClientTab *tab = m_window->newClientTab();
    m_window->setGeometry(QRect(smallScreen().topLeft(), QSize(1280, 860)));
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QCoreApplication::processEvents();
    const int history = tab->historyPane()->view()->height();
    const int detail = tab->historyPane()->detailPane()->height();
    QVERIFY2(detail * 10 >= (history + detail) * 3,
        qPrintable(QStringLiteral("history %1 px, detail %2 px").arg(history).arg(detail)));
}

QTEST_MAIN(tst_WindowFit)
#include "tst_WindowFit.moc"
