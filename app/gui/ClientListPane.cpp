#include "ClientListPane.h"

#include "GuiHelpers.h"
#include "server/ClientListModel.h"

#include <QEvent>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace wst {

using gui::describe;

namespace {

// A state dot in the client list's State column, and the "All clients" row in bold.
class ClientListDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        const bool allRow = index.data(ClientListModel::ClientIdRole).toUInt() == 0;
        if (allRow)
            option->font.setBold(true);
        if (index.column() == ClientListModel::StateColumn && !allRow) {
            option->features |= QStyleOptionViewItem::HasDecoration;
            option->icon = gui::stateIcon(index.data(ClientListModel::ConnectedRole).toBool()
                    ? ClientConnection::State::Open
                    : ClientConnection::State::Closed);
        }
    }
};

QLabel *sectionTitle(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont f = label->font();
    f.setBold(true);
    label->setFont(f);
    return label;
}

} // namespace

ClientListPane::ClientListPane(ClientListModel *clients, QWidget *parent)
    : QWidget(parent)
    , m_clients(clients)
{
    setObjectName(QStringLiteral("clientListPane"));
    m_title = sectionTitle(QString(), this);
    m_title->setObjectName(QStringLiteral("clientsTitle"));
    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("clientList"));
    m_view->setModel(m_clients);
    m_view->setItemDelegate(new ClientListDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setShowGrid(false);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTabKeyNavigation(false);
    m_view->setCornerButtonEnabled(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    QHeaderView *clientHeader = m_view->horizontalHeader();
    clientHeader->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    clientHeader->setHighlightSections(false);
    clientHeader->setStretchLastSection(true);
    const QFontMetrics fm = m_view->fontMetrics();
    const auto width = [&fm](const QString &sample) { return fm.horizontalAdvance(sample) + 20; };
    clientHeader->setMinimumSectionSize(width(QStringLiteral("00")));
    clientHeader->resizeSection(ClientListModel::IdColumn, width(QStringLiteral("Client")));
    clientHeader->resizeSection(ClientListModel::PeerColumn, width(QStringLiteral("127.0.0.1:00000")));
    clientHeader->resizeSection(ClientListModel::SinceColumn, width(QStringLiteral("00:00:00")));
    clientHeader->resizeSection(ClientListModel::InColumn, width(QStringLiteral("0000")));
    clientHeader->resizeSection(ClientListModel::OutColumn, width(QStringLiteral("0000")));
    // The state ("Closed (4000)") matters more than the counters: it comes second, as wide as
    // its longest words and its dot, so that a narrow pane cuts the counters rather than it.
    const int stateWidth = std::max({ width(ClientListModel::tr("Closed (%1)").arg(4999)),
        width(ClientListModel::tr("Connected")), width(ClientListModel::tr("%n connected", nullptr, 99)) });
    clientHeader->resizeSection(ClientListModel::StateColumn,
        stateWidth + m_view->style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, m_view) + 8);
    clientHeader->moveSection(clientHeader->visualIndex(ClientListModel::StateColumn), 1);

    m_handshakeTitle = sectionTitle(QString(), this);
    m_handshakeTitle->setObjectName(QStringLiteral("handshakeTitle"));
    m_handshakeView = new QPlainTextEdit(this);
    m_handshakeView->setObjectName(QStringLiteral("handshakeView"));
    m_handshakeView->setReadOnly(true);
    m_handshakeView->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_handshakeView->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_handshakeView->setTabChangesFocus(true);
    auto *handshakeBox = new QWidget(this);
    auto *handshakeLayout = new QVBoxLayout(handshakeBox);
    handshakeLayout->setContentsMargins(0, 4, 0, 0);
    handshakeLayout->setSpacing(4);
    handshakeLayout->addWidget(m_handshakeTitle);
    handshakeLayout->addWidget(m_handshakeView, 1);
    auto *listBox = new QWidget(this);
    auto *listLayout = new QVBoxLayout(listBox);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->setSpacing(4);
    listLayout->addWidget(m_title);
    listLayout->addWidget(m_view, 1);
    auto *clientsSplitter = new QSplitter(Qt::Vertical, this);
    clientsSplitter->setObjectName(QStringLiteral("clientsSplitter"));
    clientsSplitter->setChildrenCollapsible(false);
    clientsSplitter->addWidget(listBox);
    clientsSplitter->addWidget(handshakeBox);
    clientsSplitter->setStretchFactor(0, 1);
    clientsSplitter->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(clientsSplitter);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) { onCurrentChanged(current); });
    // The 101 of a shimmed client arrives after the client appears in the list.
    connect(m_clients, &QAbstractItemModel::dataChanged, this,
        [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
            const QModelIndex current = m_view->currentIndex();
            if (current.isValid() && current.row() >= topLeft.row() && current.row() <= bottomRight.row())
                showHandshake(current);
        });
    retranslateUi();
}

void ClientListPane::selectClient(quint32 id)
{
    const int row = m_clients->rowForClient(id);
    if (row >= 0)
        m_view->setCurrentIndex(m_clients->index(row, 0));
}

void ClientListPane::updateTitle()
{
    const int connected = m_clients->connectedCount();
    m_title->setText(tr("Clients: %1 connected, %2 in all").arg(connected).arg(m_clients->rowCount() - 1));
}

void ClientListPane::onCurrentChanged(const QModelIndex &current)
{
    m_selected = current.isValid() ? m_clients->clientId(current.row()) : 0;
    showHandshake(current);
    Q_EMIT selectedClientChanged(m_selected);
}

void ClientListPane::showHandshake(const QModelIndex &current)
{
    const LocalServer::ClientInfo *info = current.isValid() ? m_clients->clientAt(current.row()) : nullptr;
    if (info) {
        m_handshakeTitle->setText(handshakeTitle(*info));
        const QString text = handshakeText(*info);
        if (m_handshakeView->toPlainText() != text)
            m_handshakeView->setPlainText(text);
    } else {
        m_handshakeTitle->setText(tr("Handshake"));
        m_handshakeView->clear();
        m_handshakeView->setPlaceholderText(tr("Select a client to see its opening handshake."));
    }
}

QString ClientListPane::handshakeTitle(const LocalServer::ClientInfo &info)
{
    // The 101 is shown when the server's shim wrote it; otherwise only the request is known.
    return info.handshakeResponse.isEmpty() ? tr("Handshake request of client %1").arg(info.id)
                                            : tr("Handshake of client %1").arg(info.id);
}

QString ClientListPane::handshakeText(const LocalServer::ClientInfo &info)
{
    QString text = QString::fromUtf8(info.handshakeRequest);
    // The 101 is known when the server's shim wrote it (compression agreed, or a pace or ping
    // fault); Qt writes it itself otherwise.
    if (!info.handshakeResponse.isEmpty())
        text += QString::fromUtf8(info.handshakeResponse);
    if (!info.extensions.isEmpty())
        text += tr("Agreed: %1").arg(info.extensions) + QLatin1Char('\n');
    return text;
}

void ClientListPane::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void ClientListPane::retranslateUi()
{
    describe(m_view, QStringLiteral("clientList"), tr("Clients"),
        tr("The clients of this server. Select one to see its handshake and history; All shows every "
           "client's messages."));
    describe(m_handshakeView, QStringLiteral("handshakeView"), tr("Handshake"),
        tr("The selected client's opening HTTP request, exactly as it arrived, and the 101 response "
           "when wstester wrote it (compression or a fault on that client)"));
    m_title->setText(tr("Clients")); // the server tab counts them (updateTitle())
    showHandshake(m_view->currentIndex()); // the title and the "Agreed:" line
    gui::retranslateView(m_view);
}

} // namespace wst
