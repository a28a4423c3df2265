#include "MessageWindow.h"

#include "ActionRegistry.h"
#include "HistoryPane.h"
#include "messages/MessageLogModel.h"

#include <QAction>
#include <QEvent>
#include <QGuiApplication>
#include <QScreen>
#include <QVBoxLayout>

namespace wst {

MessageWindow::MessageWindow(const DetailPane::Message &message, DetailPane::Mode mode, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_detail(new DetailPane(this))
{
    setObjectName(QStringLiteral("messageWindow"));
    setAttribute(Qt::WA_DeleteOnClose);
    m_storeIndex = message.storeIndex;
    m_direction = message.direction;
    m_kind = message.kind;
    retranslateUi();

    m_detail->setWindowButtonVisible(false);
    // Opened from a history: binary payloads read with its tab's decoder, as in its details.
    if (const auto *history = qobject_cast<HistoryPane *>(parent))
        m_detail->setCodec(history->detailPane()->codec());
    m_detail->setMode(mode);
    m_detail->showMessage(message);

    // No history here to share Ctrl+F with: it always finds in the message.
    QAction *find = ActionRegistry::addLocal(this, QStringLiteral("findInMessageAction"), Qt::WindowShortcut);
    connect(find, &QAction::triggered, m_detail, &DetailPane::showFind);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 8);
    layout->addWidget(m_detail);

    // Large, but never beyond the screen.
    QSize size(900, 700);
    if (const QScreen *screen = parent ? parent->screen() : QGuiApplication::primaryScreen())
        size = size.boundedTo(screen->availableSize() * 0.9);
    resize(size);
}

void MessageWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void MessageWindow::retranslateUi()
{
    const QString number = m_storeIndex >= 0 ? tr("#%1").arg(m_storeIndex + 1) : QString();
    setWindowTitle(
        tr("Message %1 %2 %3")
            .arg(number, MessageLogModel::directionArrow(m_direction), MessageLogModel::kindName(m_kind))
            .simplified());
    setAccessibleName(windowTitle());
}

} // namespace wst
