#include "ConnectionTabWidget.h"

#include "CollectionLink.h"
#include "ConnectionPage.h"
#include "Dialogs.h"
#include "GuiHelpers.h"
#include "TabLabels.h"

#include <QEvent>
#include <QLabel>
#include <QMenu>
#include <QPointer>
#include <QPushButton>
#include <QStyle>
#include <QTabBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace wst {

ConnectionTabWidget::ConnectionTabWidget(QWidget *parent)
    : QTabWidget(parent)
{
    setObjectName(QStringLiteral("tabs"));
    setTabsClosable(true);
    setMovable(true);
    setDocumentMode(true);
    setUsesScrollButtons(true);
    // Qt's eliding cut every tab to its first letters ("127.0…"): the labels are made short and
    // telling instead (updateLabels()), and a bar still too full scrolls.
    setElideMode(Qt::ElideNone);
    tabBar()->setContextMenuPolicy(Qt::CustomContextMenu);
    auto *newTabButton = new QToolButton(this);
    newTabButton->setObjectName(QStringLiteral("newTabButton"));
    newTabButton->setIcon(gui::icon(QStringLiteral("add")));
    newTabButton->setAutoRaise(true);
    newTabButton->setFocusPolicy(Qt::NoFocus); // Ctrl+T does the same from the keyboard
    setCornerWidget(newTabButton, Qt::TopRightCorner);
    connect(newTabButton, &QToolButton::clicked, this, &ConnectionTabWidget::newClientRequested);

    m_emptyPage = createEmptyPage();
    connect(this, &QTabWidget::tabCloseRequested, this, &ConnectionTabWidget::closeRequested);
    connect(this, &QTabWidget::tabBarDoubleClicked, this, [this](int index) {
        if (index >= 0)
            renamePage(index);
        else
            Q_EMIT newClientRequested(); // double-clicking the empty part of the bar, as in browsers
    });
    connect(tabBar(), &QTabBar::customContextMenuRequested, this, &ConnectionTabWidget::showContextMenu);
    updateEmptyPage();
    retranslateUi();
}

ConnectionTabWidget::~ConnectionTabWidget()
{
    // QTabWidget's own destructor would delete the pages after its parts are gone, and a page
    // that says something on its way out (its counters, its state) would reach whoever listens
    // through a half-destroyed tab widget. So the pages go first, silenced.
    blockSignals(true);
    const QList<ConnectionPage *> all = pages() + m_closing;
    m_closing.clear();
    for (ConnectionPage *page : all) {
        page->blockSignals(true);
        delete page;
    }
}

QWidget *ConnectionTabWidget::createEmptyPage()
{
    // Shown over the tabs when the last one is closed, so the window never looks broken.
    auto *empty = new QWidget(this);
    empty->setObjectName(QStringLiteral("emptyPage"));
    empty->setAutoFillBackground(true);
    auto *layout = new QVBoxLayout(empty);
    auto *icon = new QLabel(empty);
    icon->setPixmap(gui::icon(QStringLiteral("wstester")).pixmap(64, 64));
    auto *text = new QLabel(empty);
    text->setObjectName(QStringLiteral("emptyPageText"));
    text->setAlignment(Qt::AlignCenter);
    QFont font = text->font();
    font.setPointSizeF(font.pointSizeF() * 1.3);
    text->setFont(font);
    auto *hint = new QLabel(empty);
    hint->setObjectName(QStringLiteral("emptyPageHint"));
    hint->setEnabled(false); // greyed: a hint
    auto *newClient = new QPushButton(gui::icon(QStringLiteral("new-connection")), QString(), empty);
    newClient->setObjectName(QStringLiteral("emptyNewConnectionButton"));
    auto *newServer = new QPushButton(gui::icon(QStringLiteral("new-server")), QString(), empty);
    newServer->setObjectName(QStringLiteral("emptyNewServerButton"));
    layout->addStretch();
    layout->addWidget(icon, 0, Qt::AlignHCenter);
    layout->addWidget(text, 0, Qt::AlignHCenter);
    layout->addWidget(hint, 0, Qt::AlignHCenter);
    layout->addSpacing(8);
    layout->addWidget(newClient, 0, Qt::AlignHCenter);
    layout->addWidget(newServer, 0, Qt::AlignHCenter);
    layout->addStretch();
    connect(newClient, &QPushButton::clicked, this, &ConnectionTabWidget::newClientRequested);
    connect(newServer, &QPushButton::clicked, this, &ConnectionTabWidget::newServerRequested);
    return empty;
}

void ConnectionTabWidget::addPage(ConnectionPage *page)
{
    addTab(page, QString());
    connect(page, &ConnectionPage::titleChanged, this, [this, page] { updateTab(page); });
    connect(page, &ConnectionPage::indicatorChanged, this, [this, page] { updateTab(page); });
    connect(page, &ConnectionPage::statusChanged, this, [this, page] { updateTab(page); });
    updateTab(page);
}

ConnectionPage *ConnectionTabWidget::page(int index) const
{
    return qobject_cast<ConnectionPage *>(widget(index));
}

ConnectionPage *ConnectionTabWidget::currentPage() const
{
    return qobject_cast<ConnectionPage *>(currentWidget());
}

QList<ConnectionPage *> ConnectionTabWidget::pages() const
{
    QList<ConnectionPage *> all;
    for (int i = 0; i < count(); ++i) {
        if (ConnectionPage *p = page(i))
            all.append(p);
    }
    return all;
}

void ConnectionTabWidget::updateTab(ConnectionPage *page)
{
    const int index = indexOf(page);
    if (index >= 0) {
        updateLabels();
        setTabIcon(index, gui::stateIcon(page->indicator()));
        setTabToolTip(index, CollectionLink::decorateToolTip(page, page->tabToolTip()));
        setTabWhatsThis(index, page->statusText());
    }
    Q_EMIT pageChanged(page);
}

void ConnectionTabWidget::updateLabels()
{
    QStringList titles;
    int needed = 0;
    const QFontMetrics metrics = tabBar()->fontMetrics();
    // Icon, close button and padding: what a tab takes beside its text.
    const int extra = tabBar()->iconSize().width() + 4
        + 2 * style()->pixelMetric(QStyle::PM_TabBarTabHSpace, nullptr, tabBar())
        + style()->pixelMetric(QStyle::PM_TabCloseIndicatorWidth, nullptr, tabBar()) + 8;
    for (int i = 0; i < count(); ++i) {
        const ConnectionPage *p = page(i);
        titles.append(p ? p->title() : tabText(i));
        needed += metrics.horizontalAdvance(titles.last()) + extra;
    }
    const int available = width() - (cornerWidget() ? cornerWidget()->sizeHint().width() : 0);
    // Whole titles while they fit; past that what they share goes, so that each says which it is.
    const QStringList labels = needed > available ? TabLabels::distinctive(titles) : titles;
    const int longest = metrics.averageCharWidth() * 32;
    for (int i = 0; i < count(); ++i) {
        QString text = CollectionLink::decorateTitle(
            page(i), metrics.elidedText(labels.at(i), Qt::ElideMiddle, longest));
        text.replace(u'&', QStringLiteral("&&"));
        if (tabText(i) != text)
            setTabText(i, text);
    }
}

void ConnectionTabWidget::closePage(int index)
{
    ConnectionPage *page = this->page(index);
    if (!page)
        return;
    removeTab(index);
    page->hide();
    // What the page says from now on concerns no tab.
    page->disconnect(this);
    m_closing.append(page);
    connect(page, &ConnectionPage::closeFinished, this, [this, page] { finishClosing(page); });
    page->closeGracefully();
}

void ConnectionTabWidget::finishClosing(ConnectionPage *page)
{
    if (!m_closing.removeOne(page))
        return;
    // Deleting a connection aborts its socket: that is why a page is only deleted once closed.
    page->deleteLater();
    if (m_closing.isEmpty())
        Q_EMIT closingFinished();
}

void ConnectionTabWidget::renamePage(int index)
{
    ConnectionPage *page = this->page(index);
    if (!page)
        return;
    QString name;
    if (!Dialogs::getText(this, tr("Rename Tab"), page->renamePrompt(), page->title(), &name))
        return;
    page->setCustomTitle(name);
}

QMenu *ConnectionTabWidget::createContextMenu(int index, QWidget *parent)
{
    auto *menu = new QMenu(parent);
    menu->setObjectName(QStringLiteral("tabContextMenu"));
    if (ConnectionPage *page = this->page(index)) {
        QPointer<ConnectionPage> guarded(page);
        QAction *rename = menu->addAction(tr("&Rename\u2026"), this, [this, guarded] {
            if (guarded)
                renamePage(indexOf(guarded));
        });
        rename->setObjectName(QStringLiteral("renameTabMenuAction"));
        QAction *reset = menu->addAction(page->resetTitleText(), this, [guarded] {
            if (guarded)
                guarded->setCustomTitle({});
        });
        reset->setObjectName(QStringLiteral("resetTabNameAction"));
        reset->setEnabled(!page->customTitle().isEmpty());
        menu->addSeparator();
        QAction *close = menu->addAction(tr("&Close Tab"), this, [this, guarded] {
            if (guarded)
                Q_EMIT closeRequested(indexOf(guarded));
        });
        close->setObjectName(QStringLiteral("closeTabMenuAction"));
        QAction *others = menu->addAction(tr("Close &Other Tabs"), this, [this, guarded] {
            for (int i = count() - 1; i >= 0; --i) {
                if (widget(i) != guarded)
                    Q_EMIT closeRequested(i);
            }
        });
        others->setObjectName(QStringLiteral("closeOtherTabsAction"));
        others->setEnabled(count() > 1);
        menu->addSeparator();
    }
    menu->addActions(m_contextActions);
    return menu;
}

void ConnectionTabWidget::showContextMenu(const QPoint &pos)
{
    QMenu *menu = createContextMenu(tabBar()->tabAt(pos), this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(tabBar()->mapToGlobal(pos));
}

void ConnectionTabWidget::resizeEvent(QResizeEvent *event)
{
    QTabWidget::resizeEvent(event);
    m_emptyPage->setGeometry(rect());
    updateLabels();
}

void ConnectionTabWidget::tabInserted(int index)
{
    QTabWidget::tabInserted(index);
    updateEmptyPage();
}

void ConnectionTabWidget::tabRemoved(int index)
{
    QTabWidget::tabRemoved(index);
    updateEmptyPage();
    updateLabels();
}

void ConnectionTabWidget::updateEmptyPage()
{
    m_emptyPage->setGeometry(rect());
    m_emptyPage->setVisible(count() == 0);
    if (count() == 0)
        m_emptyPage->raise();
}

void ConnectionTabWidget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QTabWidget::changeEvent(event);
}

void ConnectionTabWidget::retranslateUi()
{
    setAccessibleName(tr("Connections"));
    setToolTip(
        tr("One tab per connection or local server. Double-click a tab to rename it; drag to reorder."));
    tabBar()->setAccessibleName(tr("Connection tabs"));
    gui::describe(findChild<QToolButton *>(QStringLiteral("newTabButton")), QStringLiteral("newTabButton"),
        tr("New connection"), tr("Open a tab for a new connection (Ctrl+T)"));
    // The page shown when no tab is open.
    findChild<QLabel *>(QStringLiteral("emptyPageText"))->setText(tr("No connection open"));
    findChild<QLabel *>(QStringLiteral("emptyPageHint"))
        ->setText(tr("Press Ctrl+T to open a connection in a new tab."));
    auto *newClient = findChild<QPushButton *>(QStringLiteral("emptyNewConnectionButton"));
    newClient->setText(tr("&New connection"));
    gui::describe(newClient, QStringLiteral("emptyNewConnectionButton"), tr("New connection"),
        tr("Open a tab for a new connection (Ctrl+T)"));
    auto *newServer = findChild<QPushButton *>(QStringLiteral("emptyNewServerButton"));
    newServer->setText(tr("New &local server"));
    gui::describe(newServer, QStringLiteral("emptyNewServerButton"), tr("New local server"),
        tr("Open a tab with a WebSocket server on this machine, for testing clients (Ctrl+Shift+T)"));
}

} // namespace wst
