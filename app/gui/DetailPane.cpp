#include "DetailPane.h"

#include "ActionRegistry.h"
#include "FindBar.h"
#include "GuiHelpers.h"
#include "HistoryDelegate.h"
#include "JsonHighlighter.h"
#include "JsonTreeView.h"
#include "TextLinesView.h"
#include "Theme.h"
#include "format/JsonFormat.h"
#include "format/PayloadCodec.h"
#include "messages/MessageLogModel.h"
#include "messages/WorkerPool.h"
#include "protocol/CloseCodes.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QFontDatabase>
#include <QFutureWatcher>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QModelIndex>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPromise>
#include <QStackedWidget>
#include <QTextCursor>
#include <QTextDocument>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace wst {

namespace {

// QPlainTextEdit lays out a whole paragraph at once; a very long line is slow even when small.
constexpr qsizetype MaxEditorLineLength = 20000;

QString dataSize(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1);
}

} // namespace

DetailPane::DetailPane(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("detailPane"));

    m_header = new QLabel(this);
    m_header->setObjectName(QStringLiteral("detailHeader"));
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_header->setTextFormat(Qt::PlainText);
    m_header->setMinimumWidth(1);

    m_modeCombo = new QComboBox(this);
    m_modeCombo->setObjectName(QStringLiteral("detailModeCombo"));
    for (Mode mode : { Mode::Auto, Mode::Text, Mode::Json, Mode::Hex, Mode::Tree, Mode::Protocol })
        m_modeCombo->addItem(QString(), int(mode)); // named in retranslateUi()
    connect(m_modeCombo, &QComboBox::currentIndexChanged, this,
        [this](int i) { setMode(Mode(m_modeCombo->itemData(i).toInt())); });

    m_copyButton = new QToolButton(this);
    m_copyButton->setObjectName(QStringLiteral("detailCopyButton"));
    m_copyButton->setPopupMode(QToolButton::MenuButtonPopup);
    m_copyButton->setAutoRaise(true);
    connect(m_copyButton, &QToolButton::clicked, this, &DetailPane::copyPayload);
    auto *copyMenu = new QMenu(m_copyButton);
    copyMenu->addAction(QString(), this, &DetailPane::copyPayload)
        ->setObjectName(QStringLiteral("detailCopyPayloadAction"));
    m_copyPrettyAction = copyMenu->addAction(QString(), this, &DetailPane::copyPrettyJson);
    m_copyPrettyAction->setObjectName(QStringLiteral("detailCopyPrettyAction"));
    m_copyButton->setMenu(copyMenu);

    m_windowButton = new QToolButton(this);
    m_windowButton->setObjectName(QStringLiteral("detailWindowButton"));
    // An icon only: the pane sits beside the history on a small screen and needs its width there.
    m_windowButton->setIcon(gui::icon(QStringLiteral("open-window")));
    m_windowButton->setToolButtonStyle(Qt::ToolButtonIconOnly);
    m_windowButton->setAutoRaise(true);
    connect(m_windowButton, &QToolButton::clicked, this, &DetailPane::openInWindowRequested);

    m_messageLabel = new QLabel(this);
    m_messageLabel->setObjectName(QStringLiteral("detailMessageLabel"));
    m_messageLabel->setWordWrap(true);
    m_messageLabel->setTextFormat(Qt::PlainText);
    m_messageLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    theme::setColour(m_messageLabel, QPalette::WindowText, theme::Role::ErrorText);
    m_messageLabel->hide();

    m_decodedLabel = new QLabel(this);
    m_decodedLabel->setObjectName(QStringLiteral("detailDecodedLabel"));
    m_decodedLabel->setWordWrap(true);
    m_decodedLabel->setTextFormat(Qt::PlainText);
    m_decodedLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    theme::setColour(m_decodedLabel, QPalette::WindowText, theme::Role::InfoText);
    m_decodedLabel->hide();

    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);

    m_edit = new QPlainTextEdit(this);
    m_edit->setObjectName(QStringLiteral("detailTextEdit"));
    m_edit->setReadOnly(true);
    m_edit->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_edit->setFont(mono);
    m_edit->setUndoRedoEnabled(false);
    m_highlighter = new JsonHighlighter(nullptr);
    m_highlighter->setParent(this);

    m_lines = new TextLinesView(this);
    m_lines->setObjectName(QStringLiteral("detailLinesView"));

    m_placeholderPage = new QWidget(this);
    m_placeholder = new QLabel(m_placeholderPage);
    m_placeholder->setObjectName(QStringLiteral("detailPlaceholder"));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    m_progress = new QProgressBar(m_placeholderPage);
    m_progress->setObjectName(QStringLiteral("detailProgress"));
    m_progress->setRange(0, 0);
    m_progress->setTextVisible(false);
    m_progress->setMaximumWidth(240);
    m_progress->hide();
    auto *placeholderLayout = new QVBoxLayout(m_placeholderPage);
    placeholderLayout->addStretch(1);
    placeholderLayout->addWidget(m_placeholder);
    placeholderLayout->addWidget(m_progress, 0, Qt::AlignHCenter);
    placeholderLayout->addStretch(2);

    m_treePage = new QWidget(this);
    m_tree = new JsonTreeView(m_treePage);
    auto *treeLayout = new QVBoxLayout(m_treePage);
    treeLayout->setContentsMargins(0, 0, 0, 0);
    treeLayout->setSpacing(2);
    treeLayout->addWidget(m_tree->makeToolBar(m_treePage));
    treeLayout->addWidget(m_tree, 1);
    // The stack is as tall as its tallest page's minimum: the tree's tool bar must not make the
    // pane (and so the window) taller than it was.
    m_treePage->setMinimumHeight(1);

    m_findBar = new FindBar(this);
    // Ctrl+F itself belongs to whoever holds the pane (the history routes it; a message window
    // has its own), so that it never competes with the history's filter shortcut.
    QAction *next
        = ActionRegistry::addLocal(this, QStringLiteral("findNextAction"), Qt::WidgetWithChildrenShortcut);
    connect(next, &QAction::triggered, m_findBar, &FindBar::findNext);
    QAction *previous = ActionRegistry::addLocal(
        this, QStringLiteral("findPreviousAction"), Qt::WidgetWithChildrenShortcut);
    connect(previous, &QAction::triggered, m_findBar, &FindBar::findPrevious);

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_placeholderPage);
    m_stack->addWidget(m_edit);
    m_stack->addWidget(m_lines);
    m_stack->addWidget(m_treePage);
    m_stack->setMinimumHeight(fontMetrics().lineSpacing() * 3); // not 70 px: room on 800×600

    auto *top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(m_header, 1);
    top->addWidget(m_modeCombo);
    top->addWidget(m_copyButton);
    top->addWidget(m_windowButton);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(top);
    layout->addWidget(m_decodedLabel);
    layout->addWidget(m_messageLabel);
    layout->addWidget(m_findBar);
    layout->addWidget(m_stack, 1);

    clearMessage();
    retranslateUi();
}

DetailPane::~DetailPane()
{
    m_pending.cancel();
}

void DetailPane::showIndex(const QModelIndex &index)
{
    if (!index.isValid()) {
        clearMessage();
        return;
    }
    showMessage(messageAt(index));
}

DetailPane::Message DetailPane::messageAt(const QModelIndex &index)
{
    Message message;
    message.storeIndex = index.data(MessageLogModel::StoreIndexRole).toLongLong();
    message.timeUs = index.data(MessageLogModel::TimeUsRole).toLongLong();
    message.direction = Direction(index.data(MessageLogModel::DirectionRole).toInt());
    message.kind = Kind(index.data(MessageLogModel::KindRole).toInt());
    message.extra = index.data(MessageLogModel::ExtraRole).toLongLong();
    message.payload = index.data(MessageLogModel::PayloadRole).toByteArray();
    message.protocolText = index.data(MessageLogModel::ProtocolDetailRole).toString();
    return message;
}

void DetailPane::showMessage(const Message &message)
{
    m_message = message;
    m_hasMessage = true;
    refresh();
}

void DetailPane::clearMessage()
{
    ++m_generation;
    m_pending.cancel();
    m_message = {};
    m_hasMessage = false;
    m_rendering = {};
    setBusy(false);
    m_edit->clear();
    m_lines->clear();
    m_tree->clearDocument();
    m_messageLabel->hide();
    m_messageLabel->clear();
    m_decodedLabel->hide();
    m_decodedLabel->clear();
    showPlaceholder(tr("Select a message to see its content."));
    updateFindContent();
    updateHeader();
    updateActions();
}

void DetailPane::setMode(Mode mode)
{
    const int comboIndex = m_modeCombo->findData(int(mode));
    if (comboIndex != m_modeCombo->currentIndex()) {
        // The combo's signal comes back here with the same mode.
        m_modeCombo->setCurrentIndex(comboIndex);
        return;
    }
    if (mode == m_mode)
        return;
    m_mode = mode;
    if (m_hasMessage)
        refresh();
}

DetailPane::Rendering DetailPane::render(const QByteArray &payload, Kind kind, Mode mode)
{
    Rendering r;
    if (mode == Mode::Hex || (mode == Mode::Auto && kind == Kind::Binary)) {
        r.mode = Mode::Hex;
        r.useLinesView = true;
        return r;
    }
    if (mode == Mode::Tree) {
        // The tree reads the bytes itself, as the user opens it: here they are only checked.
        const JsonFormat::Result checked = JsonFormat::check(payload);
        if (checked.ok) {
            r.mode = Mode::Tree;
            r.tree = true;
            r.treeSkeleton = JsonTreeModel::prepare(payload);
            return r;
        }
        r.error = checked.error;
        r.errorOffset = checked.errorOffset;
    }
    bool json = false;
    if (mode == Mode::Json || (mode == Mode::Auto && JsonFormat::looksLikeJson(payload))) {
        JsonFormat::Result pretty = JsonFormat::pretty(payload);
        if (pretty.ok) {
            json = true;
            r.text = QString::fromUtf8(pretty.text);
        } else if (mode == Mode::Json) {
            r.error = pretty.error;
            r.errorOffset = pretty.errorOffset;
        }
    }
    r.mode = json ? Mode::Json : Mode::Text;
    if (!json)
        r.text = QString::fromUtf8(payload);
    r.lineStarts = TextLinesView::lineStartsOf(r.text, &r.maxLineLength);
    r.useLinesView = r.text.size() > LinesViewThreshold || r.maxLineLength > MaxEditorLineLength;
    if (!r.useLinesView)
        r.lineStarts.clear();
    return r;
}

DetailPane::Rendering DetailPane::render(const QByteArray &payload, Kind kind, Mode mode, Direction direction,
    const std::shared_ptr<const PayloadCodec> &codec)
{
    if (!codec || kind != Kind::Binary || !(mode == Mode::Auto || mode == Mode::Json || mode == Mode::Tree))
        return render(payload, kind, mode);
    const PayloadCodec::Decoded decoded = codec->decode(direction, payload);
    if (!decoded.ok()) {
        Rendering r = render(payload, kind, Mode::Hex);
        r.decodeError = decoded.error;
        return r;
    }
    Rendering r = render(decoded.json, Kind::Text, mode == Mode::Auto ? Mode::Json : mode);
    r.decoded = decoded.json;
    r.decodedType = decoded.type.isEmpty() ? DecoderSetting::label(codec->codec()) : decoded.type;
    return r;
}

void DetailPane::setCodec(std::shared_ptr<const PayloadCodec> codec)
{
    if (codec == m_codec)
        return;
    m_codec = std::move(codec);
    if (m_hasMessage)
        refresh();
}

bool DetailPane::decodes(Mode mode) const
{
    return m_codec && m_message.kind == Kind::Binary
        && (mode == Mode::Auto || mode == Mode::Json || mode == Mode::Tree);
}

const QByteArray &DetailPane::shownBytes() const
{
    return m_rendering.decoded.isEmpty() ? m_message.payload : m_rendering.decoded;
}

QString DetailPane::decodedText() const
{
    return m_decodedLabel->isHidden() ? QString() : m_decodedLabel->text();
}

void DetailPane::refresh()
{
    const quint64 generation = ++m_generation;
    m_pending.cancel();
    updateHeader();
    if (m_mode == Mode::Protocol || (m_mode == Mode::Auto && !m_message.protocolText.isEmpty())) {
        if (!m_message.protocolText.isEmpty()) {
            setBusy(false);
            Rendering r;
            r.mode = Mode::Protocol;
            r.text = m_message.protocolText;
            present(r);
            return;
        }
    }
    // Protocol asked for a message that is not one: shown as Auto would.
    const Mode mode = m_mode == Mode::Protocol ? Mode::Auto : m_mode;
    const bool decode = decodes(mode);
    const bool hex = !decode && (mode == Mode::Hex || (mode == Mode::Auto && m_message.kind == Kind::Binary));
    // Only a decoding job needs the codec; holding it keeps it alive while the job runs.
    const std::shared_ptr<const PayloadCodec> codec = decode ? m_codec : nullptr;
    if (m_message.payload.size() <= AsyncThreshold || hex) {
        setBusy(false);
        present(render(m_message.payload, m_message.kind, mode, m_message.direction, codec));
        return;
    }

    setBusy(true,
        (decode ? tr("Decoding %1\u2026") : tr("Formatting %1\u2026"))
            .arg(dataSize(m_message.payload.size())));
    m_rendering = {};
    m_messageLabel->hide();
    m_decodedLabel->hide();
    updateActions();
    m_pending = QtConcurrent::run(
        workerPool(),
        [](QPromise<Rendering> &promise, const QByteArray &payload, Kind kind, Mode mode, Direction direction,
            const std::shared_ptr<const PayloadCodec> &codec) {
            // A newer selection may have made this job pointless before it started.
            if (promise.isCanceled())
                return;
            promise.addResult(render(payload, kind, mode, direction, codec));
        },
        m_message.payload, m_message.kind, mode, m_message.direction, codec);
    auto *watcher = new QFutureWatcher<Rendering>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        const QFuture<Rendering> future = watcher->future();
        // A result for a message that is no longer selected is dropped.
        if (generation != m_generation || future.isCanceled() || future.resultCount() == 0)
            return;
        setBusy(false);
        present(future.result());
    });
    watcher->setFuture(m_pending);
}

void DetailPane::present(const Rendering &rendering)
{
    m_rendering = rendering;
    if (!m_rendering.decodeError.isEmpty()) {
        m_messageLabel->setText(tr("Not decoded: %1").arg(m_rendering.decodeError));
        m_messageLabel->show();
    } else if (m_rendering.error.isEmpty()) {
        m_messageLabel->hide();
        m_messageLabel->clear();
    } else {
        const qsizetype lineNumber = errorLine();
        const QByteArrayView before = bytesBeforeError();
        const qsizetype column = before.size() - before.lastIndexOf('\n');
        m_messageLabel->setText(tr("Not valid JSON at byte %1 (line %2, column %3): %4")
                                    .arg(m_rendering.errorOffset)
                                    .arg(lineNumber)
                                    .arg(column)
                                    .arg(m_rendering.error));
        m_messageLabel->show();
    }
    if (m_rendering.decoded.isEmpty()) {
        m_decodedLabel->hide();
        m_decodedLabel->clear();
    } else {
        m_decodedLabel->setText(
            tr("Decoded as %1 (%2 bytes) \u2014 Hex shows the original bytes")
                .arg(m_rendering.decodedType, QLocale().toString(m_message.payload.size())));
        m_decodedLabel->show();
    }

    m_tree->clearDocument();
    if (m_message.payload.isEmpty()) {
        m_edit->clear();
        m_lines->clear();
        showPlaceholder(tr("This message has no payload."));
    } else if (m_rendering.tree) {
        m_edit->clear();
        m_lines->clear();
        m_tree->setDocument(shownBytes(), m_rendering.treeSkeleton);
        m_stack->setCurrentWidget(m_treePage);
    } else if (m_rendering.mode == Mode::Hex) {
        m_edit->clear();
        m_lines->setHexData(m_message.payload);
        m_stack->setCurrentWidget(m_lines);
    } else if (m_rendering.useLinesView) {
        m_edit->clear();
        m_lines->setText(m_rendering.text, m_rendering.lineStarts, m_rendering.maxLineLength,
            m_rendering.mode == Mode::Json ? TextLinesView::Syntax::Json : TextLinesView::Syntax::Plain);
        m_stack->setCurrentWidget(m_lines);
        if (m_rendering.errorOffset >= 0)
            m_lines->scrollToLine(errorLine() - 4);
    } else {
        m_lines->clear();
        const bool json = m_rendering.mode == Mode::Json;
        // Detach the highlighter first so that setPlainText does not colour text that is not JSON.
        m_highlighter->setDocument(nullptr);
        m_edit->setLineWrapMode(json ? QPlainTextEdit::NoWrap : QPlainTextEdit::WidgetWidth);
        m_edit->setPlainText(m_rendering.text);
        if (json)
            m_highlighter->setDocument(m_edit->document());
        m_stack->setCurrentWidget(m_edit);
        markError();
    }
    updateActions();
    updateFindContent();
    Q_EMIT contentShown();
}

QByteArrayView DetailPane::bytesBeforeError() const
{
    const QByteArray &bytes = shownBytes();
    return QByteArrayView(bytes).first(qBound(qsizetype(0), m_rendering.errorOffset, bytes.size()));
}

qsizetype DetailPane::errorLine() const
{
    return bytesBeforeError().count('\n') + 1;
}

void DetailPane::markError()
{
    QList<QTextEdit::ExtraSelection> marks;
    if (m_rendering.errorOffset >= 0) {
        // Put the caret on the offending character, so the message line and the text agree.
        const qsizetype at = QString::fromUtf8(bytesBeforeError()).size();
        QTextCursor cursor(m_edit->document());
        cursor.setPosition(int(qMin<qsizetype>(at, m_edit->document()->characterCount() - 1)));
        cursor.movePosition(QTextCursor::NextCharacter, QTextCursor::KeepAnchor);
        QTextEdit::ExtraSelection mark;
        mark.cursor = cursor;
        mark.format.setBackground(HistoryDelegate::errorColor(palette()));
        mark.format.setForeground(palette().color(QPalette::Base));
        marks.append(mark);
        QTextCursor caret = cursor;
        caret.setPosition(cursor.selectionStart());
        m_edit->setTextCursor(caret);
        m_edit->ensureCursorVisible();
    }
    m_edit->setExtraSelections(marks);
}

void DetailPane::setBusy(bool busy, const QString &text)
{
    if (busy) {
        m_edit->clear();
        m_lines->clear();
        m_tree->clearDocument();
        m_findBar->setUnavailable(text);
        showPlaceholder(text);
    }
    m_progress->setVisible(busy);
    if (busy == m_busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged(m_busy);
}

void DetailPane::showPlaceholder(const QString &text)
{
    m_placeholder->setText(text);
    m_stack->setCurrentWidget(m_placeholderPage);
}

QString DetailPane::headerText() const
{
    return m_header->text();
}

QString DetailPane::messageText() const
{
    return m_messageLabel->isHidden() ? QString() : m_messageLabel->text();
}

QString DetailPane::contentText() const
{
    if (m_stack->currentWidget() == m_lines)
        return m_lines->text();
    if (m_stack->currentWidget() == m_edit)
        return m_edit->toPlainText();
    return {};
}

bool DetailPane::usesTreeView() const
{
    return m_stack->currentWidget() == m_treePage;
}

void DetailPane::setWindowButtonVisible(bool visible)
{
    m_windowButton->setVisible(visible);
}

void DetailPane::showFind()
{
    m_findBar->open();
}

void DetailPane::updateFindContent()
{
    QWidget *shown = m_stack->currentWidget();
    if (shown == m_lines && m_lines->isHex())
        m_findBar->setHexContent(m_message.payload, m_lines);
    else if (shown == m_lines)
        m_findBar->setContent(m_rendering.text, m_lines);
    else if (shown == m_edit)
        m_findBar->setContent(m_rendering.text, m_edit);
    else if (shown == m_treePage)
        m_findBar->setUnavailable(tr("Find works in the Text, JSON and Hex views"));
    else
        m_findBar->setUnavailable(tr("No message to search"));
}

bool DetailPane::usesLinesView() const
{
    return m_stack->currentWidget() == m_lines;
}

void DetailPane::updateHeader()
{
    if (!m_hasMessage) {
        m_header->setText(tr("No message selected"));
        return;
    }
    const Message &m = m_message;
    QStringList parts;
    if (m.storeIndex >= 0)
        parts << tr("#%1").arg(m.storeIndex + 1);
    parts << QDateTime::fromMSecsSinceEpoch(m.timeUs / 1000).toString(Qt::ISODateWithMs);
    parts << MessageLogModel::directionArrow(m.direction);
    parts << MessageLogModel::kindName(m.kind);
    parts << tr("%1 bytes").arg(QLocale().toString(qint64(m.payload.size())));
    if (m.kind == Kind::Pong) {
        parts << (m.extra >= 0 ? tr("round trip %1 ms").arg(double(m.extra) / 1000.0, 0, 'f', 2)
                               : tr("unsolicited"));
    } else if (m.kind == Kind::Close) {
        parts << tr("code %1 (%2)").arg(m.extra).arg(CloseCodes::description(int(m.extra)));
    }
    m_header->setText(parts.join(QStringLiteral("  \u00b7  ")));
}

void DetailPane::updateActions()
{
    m_copyButton->setEnabled(m_hasMessage && !m_message.payload.isEmpty());
    m_windowButton->setEnabled(m_hasMessage);
    m_copyPrettyAction->setEnabled(
        m_rendering.mode == Mode::Json && m_rendering.error.isEmpty() && !m_rendering.text.isEmpty());
}

void DetailPane::copyPayload()
{
    if (!m_hasMessage)
        return;
    const QString text = m_message.kind == Kind::Binary ? QString::fromLatin1(m_message.payload.toHex(' '))
                                                        : QString::fromUtf8(m_message.payload);
    QGuiApplication::clipboard()->setText(text);
}

void DetailPane::copyPrettyJson()
{
    if (m_rendering.mode == Mode::Json && m_rendering.error.isEmpty())
        QGuiApplication::clipboard()->setText(m_rendering.text);
}

void DetailPane::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void DetailPane::retranslateUi()
{
    setAccessibleName(tr("Message details"));
    setToolTip(tr("The content of the selected message"));
    m_header->setAccessibleName(tr("Message summary"));
    m_header->setToolTip(tr("Time, direction, kind and size of the selected message"));
    m_modeCombo->setAccessibleName(tr("View as"));
    m_modeCombo->setToolTip(
        tr("How to show the content: Auto picks JSON for valid JSON, and for binary the decoded JSON "
           "when the tab has a decoder, hex otherwise"));
    m_copyButton->setText(tr("Copy"));
    m_copyButton->setAccessibleName(tr("Copy payload"));
    m_copyButton->setToolTip(tr("Copy the payload as text (as hex for binary messages)"));
    m_windowButton->setText(tr("Open in Window"));
    m_windowButton->setAccessibleName(tr("Open in a window"));
    m_windowButton->setToolTip(
        tr("Read this message in a window of its own (also: double-click the message in the history)"));
    m_messageLabel->setAccessibleName(tr("Format error"));
    m_decodedLabel->setAccessibleName(tr("Decoder"));
    m_decodedLabel->setToolTip(tr("The tab's decoder read this binary message; choose Hex to see its bytes"));
    m_edit->setAccessibleName(tr("Message content"));
    m_edit->setToolTip(tr("The content of the selected message"));
    m_lines->setAccessibleName(tr("Message content"));
    m_lines->setToolTip(tr("The content of the selected message. Ctrl+A selects all, Ctrl+C copies."));
    m_progress->setAccessibleName(tr("Formatting"));
    const QString modeNames[] = { tr("Auto"), tr("Text"), tr("JSON"), tr("Hex"), tr("Tree"), tr("Protocol") };
    for (int i = 0; i < m_modeCombo->count(); ++i)
        m_modeCombo->setItemText(i, modeNames[i]);
    findChild<QAction *>(QStringLiteral("detailCopyPayloadAction"))->setText(tr("Copy &Payload"));
    m_copyPrettyAction->setText(tr("Copy as Pretty &JSON"));
    if (!m_hasMessage)
        showPlaceholder(tr("Select a message to see its content."));
    else if (m_message.payload.isEmpty())
        showPlaceholder(tr("This message has no payload."));
    updateFindContent();
    updateHeader();
}

} // namespace wst
