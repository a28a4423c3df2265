// View > Language switches the open window at once: after choosing 简体中文 no text of the window
// (labels, buttons, menus, actions, tooltips, placeholders, accessible names, tab titles, header
// labels, combo items, model cells) is still the English source of a string the translation
// has, and back in English none is Chinese; and nothing the user had is lost on the way.
#include "ClientTab.h"
#include "ComposerWidget.h"
#include "Dialogs.h"
#include "Gui.h"
#include "HistoryPane.h"
#include "MainWindow.h"
#include "ServerTab.h"
#include "SessionController.h"
#include "WorkspaceDock.h"
#include "messages/MessageLogModel.h"
#include "server/LocalServer.h"

#include "GuiTestSupport.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QApplication>
#include <QComboBox>
#include <QDeadlineTimer>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFile>
#include <QGroupBox>
#include <QHash>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTextEdit>
#include <QTranslator>
#include <QXmlStreamReader>
#include <QtTest>

#include <memory>

using namespace wst;

namespace {

struct Translation
{
    QString source;
    QString translation;
    // For a source with %1 (…): the whole text with any argument, and its longest literal part.
    QRegularExpression pattern;
    QString literal;
};

// The source and translation of every message of the .ts file whose translation the .qm (the
// translator) really gives and that differs from its source.
QList<Translation> readTranslations(const QString &tsPath, const QTranslator &translator)
{
    QList<Translation> found;
    QFile file(tsPath);
    if (!file.open(QIODevice::ReadOnly))
        return found;
    QXmlStreamReader xml(&file);
    QString context, source, translation;
    bool numerus = false;
    static const QRegularExpression placeholder(QStringLiteral("%L?[0-9n]+"));
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            if (xml.name() == QLatin1String("name"))
                context = xml.readElementText();
            else if (xml.name() == QLatin1String("message")) {
                numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
                source.clear();
                translation.clear();
            } else if (xml.name() == QLatin1String("source"))
                source = xml.readElementText();
            else if (xml.name() == QLatin1String("translation") && !numerus)
                translation = xml.readElementText();
            else if (xml.name() == QLatin1String("numerusform") && translation.isEmpty())
                translation = xml.readElementText();
        } else if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
            if (translation.isEmpty() || translation == source)
                continue;
            const QString given = translator.translate(
                context.toUtf8().constData(), source.toUtf8().constData(), nullptr, numerus ? 1 : -1);
            if (!numerus && given != translation)
                continue;
            Translation t { source, translation, {}, {} };
            if (source.contains(placeholder)) {
                QString regex;
                qsizetype at = 0;
                for (auto it = placeholder.globalMatch(source); it.hasNext();) {
                    const auto match = it.next();
                    const QString literal = source.mid(at, match.capturedStart() - at);
                    regex += QRegularExpression::escape(literal) + QStringLiteral(".*");
                    if (literal.size() > t.literal.size())
                        t.literal = literal;
                    at = match.capturedEnd();
                }
                const QString tail = source.mid(at);
                regex += QRegularExpression::escape(tail);
                if (tail.size() > t.literal.size())
                    t.literal = tail;
                t.pattern = QRegularExpression(QRegularExpression::anchoredPattern(regex),
                    QRegularExpression::DotMatchesEverythingOption);
            }
            found.append(t);
        }
    }
    return found;
}

bool hasChinese(const QString &text)
{
    for (QChar c : text) {
        if (c.unicode() >= 0x4e00 && c.unicode() <= 0x9fff)
            return true;
    }
    return false;
}

int letterCount(const QString &text)
{
    int letters = 0;
    for (QChar c : text)
        letters += c.isLetter() ? 1 : 0;
    return letters;
}

QString describe(const QObject *object)
{
    QStringList path;
    for (const QObject *o = object; o; o = o->parent()) {
        const QString name = o->objectName();
        path.prepend(name.isEmpty() ? QLatin1String(o->metaObject()->className()) : name);
        if (path.size() == 4)
            break;
    }
    return path.join(QLatin1Char('/'));
}

} // namespace

class tst_LiveLanguage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void switchesTheOpenWindow();

private:
    // Every text the window shows or will show (hidden panels included): "where: text".
    QList<std::pair<QString, QString>> shownTexts() const;
    // The texts still in English although the translation has them (zh_CN) or in Chinese (en).
    QStringList offenders(bool chinese) const;
    // offenders(), once the window has had up to two seconds of events to settle them.
    QStringList settledOffenders(bool chinese) const;
    void chooseLanguage(const char *actionName);

    QTemporaryDir m_dir;
    guitest::EchoServer m_server;
    QTranslator m_reference;
    QList<Translation> m_translations;
    QHash<QString, QString> m_exact;
    std::unique_ptr<MainWindow> m_window;
};

void tst_LiveLanguage::initTestCase()
{
    QVERIFY(m_dir.isValid());
    guitest::installSettings(this, m_dir);
    AppSettings::instance()->setLanguage(QStringLiteral("en"));
    SessionController::setLiveFolder(m_dir.filePath(QStringLiteral("sessions")));
    gui::setTranslationFolder(QStringLiteral(WST_QM_DIR));
    gui::installTranslations(QCoreApplication::instance(), QStringLiteral("en"));
    QVERIFY(m_reference.load(QStringLiteral(WST_QM_DIR "/wstester_zh_CN.qm")));
    m_translations = readTranslations(QStringLiteral(WST_TS_FILE), m_reference);
    QVERIFY2(m_translations.size() > 1000, qPrintable(QString::number(m_translations.size())));
    for (const Translation &t : std::as_const(m_translations)) {
        if (!t.pattern.isValid() || t.pattern.pattern().isEmpty())
            m_exact.insert(t.source, t.translation);
    }
    QVERIFY(m_server.listen());
}

void tst_LiveLanguage::cleanupTestCase()
{
    m_window.reset();
    gui::installTranslations(QCoreApplication::instance(), QStringLiteral("en"));
}

void tst_LiveLanguage::chooseLanguage(const char *actionName)
{
    QAction *action = guitest::action(m_window.get(), actionName);
    QVERIFY(action);
    action->trigger();
    // QApplication posts the LanguageChange to each window.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LanguageChange);
    QCoreApplication::processEvents();
}

QList<std::pair<QString, QString>> tst_LiveLanguage::shownTexts() const
{
    QList<std::pair<QString, QString>> texts;
    auto add = [&texts](const QObject *o, const char *what, const QString &text) {
        // Qt's own parts (a dock's buttons, a line edit's clear action) speak Qt's translation.
        const QString name = o->objectName();
        if (!text.isEmpty() && !name.startsWith(QLatin1String("qt_"))
            && !name.startsWith(QLatin1String("_q_")))
            texts.append({ describe(o) + QLatin1Char('.') + QLatin1String(what), text });
    };
    QList<QWidget *> widgets = m_window->findChildren<QWidget *>();
    widgets.prepend(m_window.get());
    for (QWidget *w : std::as_const(widgets)) {
        add(w, "windowTitle", w->isWindow() || qobject_cast<QDockWidget *>(w) ? w->windowTitle() : QString());
        add(w, "toolTip", w->toolTip());
        add(w, "statusTip", w->statusTip());
        add(w, "whatsThis", w->whatsThis());
        add(w, "accessibleName", w->accessibleName());
        add(w, "accessibleDescription", w->accessibleDescription());
        if (auto *l = qobject_cast<QLabel *>(w))
            add(w, "text", l->text());
        if (auto *b = qobject_cast<QAbstractButton *>(w))
            add(w, "text", b->text());
        if (auto *g = qobject_cast<QGroupBox *>(w))
            add(w, "title", g->title());
        if (auto *m = qobject_cast<QMenu *>(w))
            add(w, "title", m->title());
        if (auto *e = qobject_cast<QLineEdit *>(w))
            add(w, "placeholderText", e->placeholderText());
        if (auto *e = qobject_cast<QPlainTextEdit *>(w)) {
            add(w, "placeholderText", e->placeholderText());
            if (e->isReadOnly())
                add(w, "plainText", e->toPlainText().left(2000));
        }
        if (auto *e = qobject_cast<QTextEdit *>(w)) {
            add(w, "placeholderText", e->placeholderText());
            if (e->isReadOnly())
                add(w, "plainText", e->toPlainText().left(2000));
        }
        if (auto *spin = qobject_cast<QSpinBox *>(w)) {
            add(w, "suffix", spin->suffix());
            add(w, "specialValueText", spin->specialValueText());
        }
        if (auto *spin = qobject_cast<QDoubleSpinBox *>(w)) {
            add(w, "suffix", spin->suffix());
            add(w, "specialValueText", spin->specialValueText());
        }
        if (auto *c = qobject_cast<QComboBox *>(w)) {
            add(w, "placeholderText", c->placeholderText());
            for (int i = 0; i < c->count(); ++i)
                add(w, "item", c->itemText(i));
        }
        if (auto *bar = qobject_cast<QTabBar *>(w)) {
            for (int i = 0; i < bar->count(); ++i) {
                add(w, "tabText", bar->tabText(i));
                add(w, "tabToolTip", bar->tabToolTip(i));
            }
        }
        if (auto *s = qobject_cast<QStatusBar *>(w))
            add(w, "currentMessage", s->currentMessage());
        if (auto *view = qobject_cast<QAbstractItemView *>(w); view && view->model()) {
            const QAbstractItemModel *model = view->model();
            for (int c = 0; c < model->columnCount(); ++c) {
                add(w, "header", model->headerData(c, Qt::Horizontal).toString());
                add(w, "headerToolTip", model->headerData(c, Qt::Horizontal, Qt::ToolTipRole).toString());
            }
            // The cells of the first rows (and of their first children: a tree's folders). The
            // history's rows are what was recorded, in the language of the time: not checked.
            // (A header view shares its table's model: its cells are the table's.)
            const bool recorded = w->objectName() == QLatin1String("historyView")
                || w->objectName() == QLatin1String("framesView") || qobject_cast<QHeaderView *>(w);
            for (int r = 0; r < (recorded ? 0 : qMin(model->rowCount(), 50)); ++r) {
                for (int c = 0; c < model->columnCount(); ++c) {
                    const QModelIndex index = model->index(r, c);
                    add(w, "cell", model->data(index).toString());
                    add(w, "cellToolTip", model->data(index, Qt::ToolTipRole).toString());
                    for (int k = 0; k < qMin(model->rowCount(index), 10); ++k)
                        add(w, "cell", model->data(model->index(k, 0, index)).toString());
                }
            }
        }
        for (QAction *a : w->actions()) {
            add(a, "text", a->text());
            add(a, "toolTip", a->toolTip() == QAction(a->text()).toolTip() ? QString() : a->toolTip());
            add(a, "statusTip", a->statusTip());
        }
    }
    const QList<QAction *> actions = m_window->findChildren<QAction *>();
    for (QAction *a : actions) {
        add(a, "text", a->text());
        add(a, "statusTip", a->statusTip());
    }
    return texts;
}

QStringList tst_LiveLanguage::offenders(bool chinese) const
{
    QStringList found;
    QSet<QString> seen;
    const QList<std::pair<QString, QString>> texts = shownTexts();
    for (const auto &[where, text] : texts) {
        QString offence;
        if (!chinese) {
            // The language menu names each language in its own words.
            if (hasChinese(text) && text != QStringLiteral("\u7b80\u4f53\u4e2d\u6587"))
                offence = text;
        } else if (m_exact.contains(text)) {
            offence = text;
        } else {
            for (const Translation &t : m_translations) {
                if (t.pattern.pattern().isEmpty()) {
                    // An English sentence inside a longer text (rich text, "text (Ctrl+T)").
                    if (t.source.size() >= 16 && t.source.contains(QLatin1Char(' '))
                        && text.contains(t.source)) {
                        offence = t.source;
                        break;
                    }
                } else if (letterCount(t.literal) >= 6 && text.contains(t.literal)
                    && t.pattern.match(text).hasMatch()) {
                    offence = t.source;
                    break;
                }
            }
        }
        if (offence.isEmpty())
            continue;
        const QString line = where + QStringLiteral(": \u201c") + text.left(80) + QStringLiteral("\u201d");
        if (!seen.contains(line)) {
            seen.insert(line);
            found.append(line);
        }
    }
    return found;
}

QStringList tst_LiveLanguage::settledOffenders(bool chinese) const
{
    // The tabs set their state texts once their children have retranslated (a zero timer).
    QDeadlineTimer deadline(2000);
    QStringList found;
    do {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        found = offenders(chinese);
    } while (!found.isEmpty() && !deadline.hasExpired());
    return found;
}

void tst_LiveLanguage::switchesTheOpenWindow()
{
    Dialogs::clearNextAnswers();
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1280, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));

    // A local server tab, started.
    ServerTab *server = m_window->newServerTab();
    QVERIFY(server);
    QVERIFY(server->start());
    QTRY_COMPARE_WITH_TIMEOUT(server->server()->state(), LocalServer::State::Listening, 10000);

    // A client tab connected to the echo server, with a message sent and echoed, and a draft.
    ClientTab *client = m_window->openUrl(m_server.url());
    QVERIFY(client);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), ClientConnection::State::Open, 10000);
    auto *edit = guitest::child<QPlainTextEdit>(client, "composerEdit");
    QVERIFY(edit);
    edit->setPlainText(QStringLiteral("hello server"));
    QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);
    // The echo is back and every row of the store is shown: nothing more arrives by itself.
    MessageLogModel *log = client->logModel();
    QTRY_VERIFY_WITH_TIMEOUT(
        log->store().counters().messagesIn >= 1 && log->rowCount() == log->store().count(), 10000);
    edit->setPlainText(QStringLiteral("a draft the user is writing"));

    // The sidebar, shown.
    QAction *workspace = guitest::action(m_window.get(), "workspaceAction");
    QVERIFY(workspace);
    if (!m_window->workspace()->isVisible())
        workspace->trigger();
    QTRY_VERIFY(m_window->workspace()->isVisible());
    QCoreApplication::processEvents();

    const int rows = client->logModel()->rowCount();
    const int tabs = m_window->tabCount();
    const int current = m_window->tabs()->currentIndex();
    QList<QList<int>> splitterSizes;
    const QList<QSplitter *> splitters = client->findChildren<QSplitter *>();
    for (QSplitter *s : splitters)
        splitterSizes.append(s->sizes());
    const int echoConnections = m_server.connections;

    QStringList before = offenders(true);
    QVERIFY2(!before.isEmpty(), "the English window shows no English source text: the check is blind");

    chooseLanguage("languageAction_zh_CN");
    QCOMPARE(AppSettings::instance()->language(), QStringLiteral("zh_CN"));
    QVERIFY(guitest::action(m_window.get(), "languageAction_zh_CN")->isChecked());
    const QStringList english = settledOffenders(true);
    // QtTest cuts a long message: each offender is also a line of its own.
    for (const QString &line : english)
        qWarning("still English: %s", qPrintable(line));
    QVERIFY2(english.isEmpty(),
        qPrintable(QStringLiteral("%1 texts still in English after choosing 简体中文:\n").arg(english.size())
            + english.join(QLatin1Char('\n'))));
    QVERIFY2(!offenders(false).isEmpty(), "the Chinese window shows no Chinese: the check is blind");

    chooseLanguage("languageAction_en");
    QCOMPARE(AppSettings::instance()->language(), QStringLiteral("en"));
    const QStringList chinese = settledOffenders(false);
    for (const QString &line : chinese)
        qWarning("still Chinese: %s", qPrintable(line));
    QVERIFY2(chinese.isEmpty(),
        qPrintable(QStringLiteral("%1 texts still in Chinese after choosing English:\n").arg(chinese.size())
            + chinese.join(QLatin1Char('\n'))));

    // Nothing the user had is lost.
    QCOMPARE(m_window->tabCount(), tabs);
    QCOMPARE(m_window->tabs()->currentIndex(), current);
    QCOMPARE(edit->toPlainText(), QStringLiteral("a draft the user is writing"));
    QCOMPARE(client->logModel()->rowCount(), rows);
    QCOMPARE(client->state(), ClientConnection::State::Open);
    QCOMPARE(m_server.connections, echoConnections);
    QCOMPARE(server->server()->state(), LocalServer::State::Listening);
    QVERIFY(m_window->workspace()->isVisible());
    for (int i = 0; i < splitters.size(); ++i)
        QCOMPARE(splitters.at(i)->sizes(), splitterSizes.at(i));
}

QTEST_MAIN(tst_LiveLanguage)
#include "tst_LiveLanguage.moc"
