#include "FirstLaunchHint.h"

#include "ClientTab.h"
#include "ComposerWidget.h"
#include "ConnectionPage.h"
#include "GuiHelpers.h"
#include "Theme.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QToolButton>

namespace wst {

FirstLaunchHint::FirstLaunchHint(QWidget *parent)
    : QFrame(parent)
    , m_text(new QLabel(this))
{
    setObjectName(QStringLiteral("firstLaunchHint"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    theme::setColour(this, QPalette::Window, theme::Role::HintBackground);
    theme::setColour(this, QPalette::WindowText, theme::Role::HintText);
    m_text->setObjectName(QStringLiteral("firstLaunchHintText"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *dismiss = new QToolButton(this);
    dismiss->setObjectName(QStringLiteral("dismissHintButton"));
    dismiss->setIcon(gui::icon(QStringLiteral("dismiss")));
    dismiss->setAutoRaise(true);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    layout->addWidget(m_text, 1);
    layout->addWidget(dismiss, 0, Qt::AlignTop);
    setVisible(false);
    connect(dismiss, &QToolButton::clicked, this, [this] {
        m_tab = nullptr;
        setVisible(false);
        Q_EMIT dismissed();
    });
    retranslateUi();
}

void FirstLaunchHint::attach(ClientTab *tab, ConnectionPage *server)
{
    m_tab = tab;
    m_server = server;
    // The server tab's title changes with the language after this hint has retranslated.
    connect(server, &ConnectionPage::titleChanged, this, &FirstLaunchHint::showText);
    showText();
    follow(tab);
    tab->composer()->editor()->setFocus(Qt::OtherFocusReason);
    // The same words in the history, where they stay after the hint is dismissed.
    auto *guard = new QObject(tab);
    connect(tab, &ClientTab::stateChanged, guard, [tab, guard](ClientConnection::State state) {
        if (state != ClientConnection::State::Open)
            return;
        tab->connection()->note(
            tr("This is a local echo server started for you: type a message below and press Ctrl+Enter."));
        tab->disconnect(guard);
        guard->deleteLater();
    });
}

void FirstLaunchHint::showText()
{
    m_text->setText(tr("A local echo server is running for you in the \u201c%1\u201d tab, and this tab is "
                       "connected to it. Type a message below and press Ctrl+Enter: it comes straight back.")
                        .arg(m_server ? m_server->title() : QString()));
}

void FirstLaunchHint::follow(const QWidget *current)
{
    setVisible(m_tab && current == m_tab);
}

void FirstLaunchHint::forget(const QWidget *page)
{
    if (page == m_tab)
        m_tab = nullptr;
}

void FirstLaunchHint::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QFrame::changeEvent(event);
}

void FirstLaunchHint::retranslateUi()
{
    setAccessibleName(tr("Hint"));
    gui::describe(findChild<QToolButton *>(QStringLiteral("dismissHintButton")),
        QStringLiteral("dismissHintButton"), tr("Dismiss hint"), tr("Hide this hint"));
    if (m_server)
        showText();
}

} // namespace wst
