#include "FrameView.h"

#include "FrameComposer.h"
#include "GuiHelpers.h"
#include "ServerCheckDialog.h"
#include "connection/ClientConnection.h"
#include "messages/FrameLogModel.h"
#include "messages/MessageLogModel.h"

#include <QCheckBox>
#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>

namespace wst {

using gui::describe;

FrameView::FrameView(ClientConnection *connection, QWidget *parent)
    : QWidget(parent)
    , m_connection(connection)
    , m_model(new FrameLogModel(connection->frames(), this))
    , m_recordCheck(new QCheckBox(this))
    , m_clearButton(new QPushButton(this))
    , m_hint(new QLabel(this))
    , m_view(new QTableView(this))
    , m_composeButton(new QPushButton(this))
    , m_composer(new FrameComposer(connection, this))
    , m_checkButton(new QPushButton(this))
{
    setObjectName(QStringLiteral("frameView"));

    m_recordCheck->setChecked(connection->recordsFrames());
    m_clearButton->setIcon(gui::icon(QStringLiteral("remove")));
    m_hint->setObjectName(QStringLiteral("framesHint"));
    m_hint->setWordWrap(true);
    m_hint->setEnabled(false); // greyed: it explains, it is not a control

    m_view->setModel(m_model);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_view->setWordWrap(false);
    m_view->setShowGrid(false);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->setTabKeyNavigation(false);
    m_view->setCornerButtonEnabled(false);
    m_view->verticalHeader()->hide();
    // Fixed sizes let the headers answer every geometry question by multiplication: a flood of
    // frames costs the view no more than a handful (the history view does the same).
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setMinimumSectionSize(1);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setHighlightSections(false);
    m_view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    applyMetrics();

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_recordCheck);
    bar->addWidget(m_hint, 1);
    bar->addWidget(m_checkButton, 0, Qt::AlignTop);
    bar->addWidget(m_composeButton, 0, Qt::AlignTop);
    bar->addWidget(m_clearButton, 0, Qt::AlignTop);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_composer);
    m_composer->hide();
    m_composeButton->setCheckable(true);
    connect(m_composeButton, &QPushButton::toggled, m_composer, &QWidget::setVisible);
    connect(m_composer, &FrameComposer::aboutToSend, this, [this] { setRecording(true); });
    connect(m_checkButton, &QPushButton::clicked, this, [this] {
        auto *dialog = new ServerCheckDialog(m_connection->options().url, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });

    connect(m_recordCheck, &QCheckBox::toggled, this, &FrameView::setRecording);
    connect(m_clearButton, &QPushButton::clicked, this, &FrameView::clear);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &FrameView::onRowsInserted);
    QScrollBar *scroll = m_view->verticalScrollBar();
    connect(scroll, &QAbstractSlider::actionTriggered, this, [this](int) { onUserScrolled(); });
    connect(scroll, &QAbstractSlider::sliderReleased, this, &FrameView::onUserScrolled);
    retranslateUi();
}

void FrameView::applyMetrics()
{
    const QFontMetrics fm(m_view->font());
    m_view->verticalHeader()->setDefaultSectionSize(fm.height() + 6);
    QHeaderView *header = m_view->horizontalHeader();
    const auto width = [&fm](const QString &sample) { return fm.horizontalAdvance(sample) + 16; };
    const auto fit = [this, &width](int column, const QString &sample) {
        const QString title = m_model->headerData(column, Qt::Horizontal).toString();
        m_view->horizontalHeader()->resizeSection(column, qMax(width(sample), width(title)));
    };
    header->setMinimumSectionSize(width(QStringLiteral("00")));
    fit(FrameLogModel::IdColumn, QStringLiteral("000000"));
    fit(FrameLogModel::TimeColumn, QStringLiteral("00:00:00.000"));
    fit(FrameLogModel::DirectionColumn, MessageLogModel::directionArrow(Direction::Out));
    fit(FrameLogModel::OpcodeColumn, QStringLiteral("0xa continuation"));
    fit(FrameLogModel::FinColumn, QStringLiteral("0"));
    fit(FrameLogModel::RsvColumn, QStringLiteral("000"));
    fit(FrameLogModel::MaskColumn, QStringLiteral("00000000"));
    fit(FrameLogModel::LengthColumn, QStringLiteral("0000000000"));
}

bool FrameView::isRecording() const
{
    return m_recordCheck->isChecked();
}

void FrameView::setRecording(bool on)
{
    if (m_recordCheck->isChecked() != on)
        m_recordCheck->setChecked(on); // comes back here through toggled
    else
        m_connection->setRecordFrames(on);
}

void FrameView::clear()
{
    m_model->clear();
    m_following = true;
}

void FrameView::onRowsInserted()
{
    // One call per published batch, not per frame.
    if (m_following)
        m_view->scrollToBottom();
}

void FrameView::onUserScrolled()
{
    // actionTriggered comes with sliderPosition already moved but value not yet: judge by it.
    const QScrollBar *bar = m_view->verticalScrollBar();
    m_following = bar->sliderPosition() >= bar->maximum();
}

void FrameView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void FrameView::retranslateUi()
{
    setAccessibleName(tr("Frames"));
    describe(m_recordCheck, QStringLiteral("recordFramesCheck"), tr("Record frames"),
        tr("Decode and list every frame of this connection from now on. Off by default: a flood "
           "costs more with it on."));
    describe(m_clearButton, QStringLiteral("clearFramesButton"), tr("Clear frames"),
        tr("Forget the frames listed so far"));
    m_hint->setText(tr("Every frame both ways as it crossed the wire, including the ping, pong and "
                       "close frames QWebSocket answers by itself, and each fragment of a message."));
    describe(m_view, QStringLiteral("framesView"), tr("Frames"),
        tr("One row per WebSocket frame: direction, opcode, FIN and RSV bits, mask key, payload "
           "length and the first payload bytes, unmasked"));
    m_recordCheck->setText(tr("&Record frames"));
    m_clearButton->setText(tr("Clear"));
    describe(m_composeButton, QStringLiteral("composeFrameButton"), tr("Compose a frame"),
        tr("Show the frame composer: hand-made frames sent straight to the server, for testing how it "
           "copes"));
    m_composeButton->setText(tr("Com&pose"));
    describe(m_checkButton, QStringLiteral("checkServerButton"), tr("Check server"),
        tr("Check how the server (an echo server) keeps RFC 6455, with hand-made frames; as wstester check "
           "does"));
    m_checkButton->setText(tr("Check server…"));
    gui::retranslateView(m_view);
}

} // namespace wst
