#include "ComposerWidget.h"

#include "ActionRegistry.h"
#include "Dialogs.h"
#include "GuiHelpers.h"
#include "Theme.h"
#include "compose/SessionEnvironment.h"
#include "compose/Variables.h"
#include "format/JsonFormat.h"
#include "format/PayloadCodec.h"

#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QTextBlock>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace wst {

using gui::describe;

namespace {
// Checking JSON as it is typed is instant for messages of ordinary size; past this the check
// waits for a pause in typing so that the editor stays responsive.
constexpr int ImmediateCheckChars = 256 * 1024;

bool isSendKey(const QKeyEvent *e)
{
    return (e->key() == Qt::Key_Return || e->key() == Qt::Key_Enter)
        && (e->modifiers() & Qt::ControlModifier);
}

bool isRecallKey(const QKeyEvent *e)
{
    const auto mods = e->modifiers() & ~Qt::KeypadModifier;
    return (e->key() == Qt::Key_Up || e->key() == Qt::Key_Down) && mods == Qt::ControlModifier;
}
} // namespace

ComposerWidget::ComposerWidget(QWidget *parent)
    : QWidget(parent)
    , m_modeCombo(new QComboBox(this))
    , m_formatButton(new QPushButton(this))
    , m_recentButton(new QToolButton(this))
    , m_recentMenu(new QMenu(this))
    , m_saveButton(new QToolButton(this))
    , m_saveMenu(new QMenu(this))
    , m_stack(new QStackedWidget(this))
    , m_editor(new QPlainTextEdit(this))
    , m_filePage(new QWidget(this))
    , m_fileLabel(new QLabel(m_filePage))
    , m_chooseFileButton(new QPushButton(m_filePage))
    , m_status(new QLabel(this))
    , m_hint(new QLabel(this))
    , m_sendButton(new QPushButton(this))
    , m_validateTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("composer"));
    for (Mode m : MessageFormat::all())
        m_modeCombo->addItem(MessageFormat::label(m), int(m));

    m_formatButton->setIcon(gui::icon(QStringLiteral("format")));

    m_recentButton->setIcon(gui::icon(QStringLiteral("history")));
    m_recentButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_recentButton->setPopupMode(QToolButton::InstantPopup);
    m_recentButton->setMenu(m_recentMenu);
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));

    m_saveButton->setIcon(gui::icon(QStringLiteral("saved")));
    m_saveButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_saveButton->setPopupMode(QToolButton::InstantPopup);
    m_saveButton->setMenu(m_saveMenu);
    m_saveMenu->setObjectName(QStringLiteral("saveMessageMenu"));
    QAction *saveLocal = m_saveMenu->addAction(QString());
    saveLocal->setObjectName(QStringLiteral("saveLocalAction"));
    saveLocal->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    saveLocal->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(saveLocal); // so that Ctrl+D works while the menu is closed
    QAction *saveGlobal = m_saveMenu->addAction(QString());
    saveGlobal->setObjectName(QStringLiteral("saveGlobalAction"));
    connect(saveLocal, &QAction::triggered, this, [this] { Q_EMIT saveRequested(false); });
    connect(saveGlobal, &QAction::triggered, this, [this] { Q_EMIT saveRequested(true); });

    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setTabChangesFocus(true);
    m_editor->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_editor->setMinimumHeight(m_editor->fontMetrics().lineSpacing() * 2 + 12); // room on 800×600
    m_editor->installEventFilter(this);

    m_fileLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_chooseFileButton->setIcon(gui::icon(QStringLiteral("file")));
    auto *fileLayout = new QVBoxLayout(m_filePage);
    fileLayout->addStretch();
    fileLayout->addWidget(m_fileLabel, 0, Qt::AlignHCenter);
    fileLayout->addWidget(m_chooseFileButton, 0, Qt::AlignHCenter);
    fileLayout->addStretch();
    m_filePage->setObjectName(QStringLiteral("filePage"));
    m_filePage->setAutoFillBackground(true);
    m_filePage->setBackgroundRole(QPalette::Base);
    m_stack->addWidget(m_editor);
    m_stack->addWidget(m_filePage);

    m_status->setTextFormat(Qt::PlainText);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setMinimumWidth(50);
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_hint->setObjectName(QStringLiteral("composerHint"));
    m_hint->setEnabled(false); // drawn greyed: a hint, not a control
    m_sendButton->setIcon(gui::icon(QStringLiteral("send")));
    m_sendButton->setDefault(false);
    m_sendButton->setAutoDefault(false);

    auto *top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    auto *modeLabel = new QLabel(this);
    modeLabel->setObjectName(QStringLiteral("composerModeLabel"));
    modeLabel->setBuddy(m_modeCombo);
    top->addWidget(modeLabel);
    top->addWidget(m_modeCombo);
    top->addWidget(m_formatButton);
    top->addStretch();
    top->addWidget(m_saveButton);
    top->addWidget(m_recentButton);

    auto *bottom = new QHBoxLayout;
    bottom->setContentsMargins(0, 0, 0, 0);
    bottom->addWidget(m_status, 1);
    bottom->addWidget(m_hint);
    bottom->addWidget(m_sendButton);
    m_bottomRow = bottom;

    m_layout = new QVBoxLayout(this);
    m_layout->setContentsMargins(0, 4, 0, 0);
    m_layout->setSpacing(4);
    m_layout->addLayout(top);
    m_layout->addWidget(m_stack, 1);
    m_layout->addLayout(bottom);

    m_validateTimer->setSingleShot(true);
    m_validateTimer->setInterval(300);
    connect(m_validateTimer, &QTimer::timeout, this, &ComposerWidget::revalidate);
    connect(m_editor, &QPlainTextEdit::textChanged, this, &ComposerWidget::onTextChanged);
    connect(m_modeCombo, &QComboBox::activated, this,
        [this](int index) { setMode(Mode(m_modeCombo->itemData(index).toInt())); });
    connect(m_formatButton, &QPushButton::clicked, this, &ComposerWidget::formatJson);
    connect(m_chooseFileButton, &QPushButton::clicked, this, &ComposerWidget::chooseFile);
    connect(m_sendButton, &QPushButton::clicked, this, &ComposerWidget::send);
    // Ctrl+Enter from anywhere in the composer (the file page has no editor to catch it).
    QAction *sendAction = ActionRegistry::addLocal(
        this, QStringLiteral("composerSendAction"), Qt::WidgetWithChildrenShortcut);
    connect(sendAction, &QAction::triggered, this, &ComposerWidget::send);

    setTabOrder(m_modeCombo, m_formatButton);
    setTabOrder(m_formatButton, m_saveButton);
    setTabOrder(m_saveButton, m_recentButton);
    setTabOrder(m_recentButton, m_editor);
    setTabOrder(m_editor, m_chooseFileButton);
    setTabOrder(m_chooseFileButton, m_sendButton);

    // Every new composer starts in Text: a type chosen in one tab is not carried to the next.
    m_mode = Mode::Text;
    m_modeCombo->setCurrentIndex(m_modeCombo->findData(int(m_mode)));
    retranslateUi();
}

void ComposerWidget::setProtobufAvailable(bool available)
{
    m_protobufAvailable = available;
    const int index = m_modeCombo->findData(int(Mode::Protobuf));
    if (!available && index >= 0 && m_mode != Mode::Protobuf)
        m_modeCombo->removeItem(index);
    else if (available && index < 0)
        m_modeCombo->addItem(MessageFormat::label(Mode::Protobuf), int(Mode::Protobuf));
    revalidate();
}

void ComposerWidget::setMode(Mode mode)
{
    // A recalled or saved Protobuf message shows its type even where Protobuf is not offered.
    if (m_modeCombo->findData(int(mode)) < 0)
        m_modeCombo->addItem(MessageFormat::label(mode), int(mode));
    const int index = m_modeCombo->findData(int(mode));
    if (m_modeCombo->currentIndex() != index)
        m_modeCombo->setCurrentIndex(index);
    if (mode == m_mode)
        return;
    m_mode = mode;
    updateModeWidgets();
    revalidate();
    Q_EMIT modeChanged(mode);
}

void ComposerWidget::updateModeWidgets()
{
    m_formatButton->setVisible(MessageFormat::isJsonBody(m_mode));
    m_stack->setCurrentWidget(m_mode == Mode::File ? m_filePage : m_editor);
    switch (m_mode) {
    case Mode::Text:
        m_editor->setPlaceholderText(
            tr("Type a message\u2026  Ctrl+Enter sends it, Ctrl+Up recalls the last one."));
        break;
    case Mode::Json:
        m_editor->setPlaceholderText(tr("{\"type\": \"hello\"}"));
        break;
    case Mode::Hex:
        m_editor->setPlaceholderText(tr("Hex bytes, e.g. 48 65 6c 6c 6f or 0x01:0x02"));
        break;
    case Mode::Base64:
        m_editor->setPlaceholderText(tr("Base64, e.g. SGVsbG8="));
        break;
    case Mode::MessagePack:
    case Mode::Cbor:
        m_editor->setPlaceholderText(
            tr("JSON sent as %1, e.g. {\"price\": 1.5, \"raw\": {\"$base64\": \"AAE=\"}}")
                .arg(m_mode == Mode::Cbor ? tr("CBOR") : tr("MessagePack")));
        break;
    case Mode::Bson:
        m_editor->setPlaceholderText(tr("A JSON object sent as a BSON document, e.g. {\"price\": 1.5, "
                                        "\"id\": {\"$oid\": \"5f1d7f0e2c8b9a0001a1b2c3\"}}"));
        break;
    case Mode::Protobuf:
        m_editor->setPlaceholderText(tr("JSON sent as the protobuf message type the tab’s decoder "
                                        "sends, e.g. {\"op\": \"ping\", \"seq\": 1}"));
        break;
    case Mode::File:
        break;
    }
}

QString ComposerWidget::text() const
{
    return m_editor->toPlainText();
}

void ComposerWidget::setText(const QString &text)
{
    m_editor->setPlainText(text);
}

void ComposerWidget::setFilePath(const QString &path)
{
    m_filePath = path;
    revalidate();
}

void ComposerWidget::chooseFile()
{
    const QString dir = m_filePath.isEmpty() ? QString() : QFileInfo(m_filePath).absolutePath();
    const QString path = Dialogs::getOpenFileName(this, tr("Choose a file to send"), dir);
    if (path.isEmpty())
        return;
    setMode(Mode::File);
    setFilePath(path);
}

void ComposerWidget::setSendAllowed(bool allowed, const QString &reason)
{
    m_sendAllowed = allowed;
    m_notAllowedReason = reason;
    updateSendButton();
}

QString ComposerWidget::statusText() const
{
    return m_status->text();
}

void ComposerWidget::onTextChanged()
{
    if (!m_applying)
        m_recallPos = -1;
    if (m_mode == Mode::File)
        return;
    if (m_editor->document()->characterCount() > ImmediateCheckChars)
        m_validateTimer->start();
    else
        revalidate();
}

void ComposerWidget::setStatus(const QString &text, bool error, bool good)
{
    m_status->setText(text);
    m_status->setToolTip(text);
    if (error || good)
        theme::setColour(
            m_status, QPalette::WindowText, error ? theme::Role::ErrorText : theme::Role::SuccessText);
    else
        theme::clearColour(m_status, QPalette::WindowText);
}

void ComposerWidget::revalidate()
{
    m_validateTimer->stop();
    m_problem.clear();
    QString text = m_editor->toPlainText();
    if (m_mode != Mode::File && Variables::containsVariables(text)) {
        QString error;
        text = substituted(text, &error);
        if (!error.isEmpty()) {
            m_problem = error;
            setStatus(error, true);
            updateSendButton();
            return;
        }
    }
    if (m_mode == Mode::File) {
        m_problem = MessageFormat::check(Mode::File, m_filePath);
        if (m_filePath.isEmpty()) {
            m_fileLabel->setText(tr("No file chosen"));
            setStatus(m_problem, false);
        } else {
            const QFileInfo info(m_filePath);
            m_fileLabel->setText(tr("%1 \u2014 %2").arg(info.fileName(), gui::formatBytes(info.size())));
            m_fileLabel->setToolTip(QDir::toNativeSeparators(info.absoluteFilePath()));
            if (m_problem.isEmpty())
                setStatus(tr("%1 will be sent as one binary message").arg(info.fileName()), false);
            else
                setStatus(m_problem, true);
        }
        updateSendButton();
        return;
    }
    if (text.isEmpty() && MessageFormat::isJsonBody(m_mode)) {
        // Nothing typed yet is not a mistake: no red "Invalid JSON at byte 0" before the first
        // key. (Empty hex or base64 is a valid empty binary message, and Text sends "" too.)
        m_problem = tr("Empty message");
        setStatus(m_problem, false);
        updateSendButton();
        return;
    }
    const MessageFormat::Encoded encoded = m_mode == Mode::Protobuf && !m_protobufAvailable
        ? MessageFormat::Encoded { true, {},
              tr("Protobuf: a local server has no decoder to encode with; send it from a client tab, "
                 "or choose another type.") }
        : MessageFormat::encode(m_mode, text, m_codec.get());
    if (!encoded.ok()) {
        m_problem = encoded.error;
        setStatus(m_problem, true);
    } else if (m_mode == Mode::Text) {
        setStatus(text.isEmpty()
                ? tr("Empty message")
                : tr("Text message \u00b7 %1 in UTF-8").arg(gui::formatBytes(encoded.payload.size())),
            false);
    } else if (m_mode == Mode::Json) {
        setStatus(tr("Valid JSON \u00b7 %1").arg(gui::formatBytes(encoded.payload.size())), false, true);
    } else if (m_mode == Mode::Protobuf) {
        setStatus(tr("Valid JSON \u00b7 %1 of protobuf %2")
                      .arg(gui::formatBytes(encoded.payload.size()), m_codec->typeFor(Direction::Out)),
            false, true);
    } else if (MessageFormat::isJsonBody(m_mode)) {
        setStatus(tr("Valid JSON \u00b7 %1 of %2")
                      .arg(gui::formatBytes(encoded.payload.size()),
                          m_mode == Mode::Cbor       ? tr("CBOR")
                              : m_mode == Mode::Bson ? tr("BSON")
                                                     : tr("MessagePack")),
            false, true);
    } else {
        setStatus(encoded.payload.isEmpty()
                ? tr("Empty message")
                : tr("%1 of binary data").arg(gui::formatBytes(encoded.payload.size())),
            false);
    }
    updateSendButton();
}

void ComposerWidget::updateSendButton()
{
    m_sendButton->setEnabled(canSend());
    if (!m_sendAllowed)
        m_sendButton->setToolTip(m_notAllowedReason.isEmpty() ? tr("Not connected") : m_notAllowedReason);
    else if (!m_problem.isEmpty() && m_mode == Mode::Json)
        m_sendButton->setToolTip(tr("%1\nTo send it as it is, switch the type to Text.").arg(m_problem));
    else if (!m_problem.isEmpty())
        m_sendButton->setToolTip(m_problem);
    else
        m_sendButton->setToolTip(tr("Send the message (Ctrl+Enter)"));
}

void ComposerWidget::formatJson()
{
    const JsonFormat::Result r = JsonFormat::pretty(m_editor->toPlainText().toUtf8());
    if (!r.ok) {
        revalidate();
        return;
    }
    // Through the cursor, so that Ctrl+Z brings the original back.
    QTextCursor cursor(m_editor->document());
    cursor.select(QTextCursor::Document);
    cursor.insertText(QString::fromUtf8(r.text));
}

bool ComposerWidget::send()
{
    if (m_validateTimer->isActive())
        revalidate();
    if (!canSend())
        return false;
    const QString written = m_editor->toPlainText();
    // Filled again for each send: {{uuid}} and {{timestamp}} differ every time.
    QString error;
    const QString text = m_mode == Mode::File ? written : substituted(written, &error);
    if (!error.isEmpty()) {
        m_problem = error;
        setStatus(error, true);
        updateSendButton();
        return false;
    }
    const bool file = m_mode == Mode::File;
    const MessageFormat::Encoded encoded
        = MessageFormat::encode(m_mode, file ? m_filePath : text, m_codec.get());
    if (!encoded.ok()) {
        setStatus(encoded.error, true);
        return false;
    }
    if (encoded.binary)
        Q_EMIT sendBinary(encoded.payload);
    else
        Q_EMIT sendText(text);
    remember({ m_mode, file ? m_filePath : written });
    return true;
}

QString ComposerWidget::substituted(const QString &text, QString *error) const
{
    if (m_environment)
        return m_environment->substitute(text, error);
    return Variables::substitute(text, Variables::Environment(), error);
}

void ComposerWidget::setEnvironment(SessionEnvironment *environment)
{
    if (m_environment == environment)
        return;
    if (m_environment)
        m_environment->disconnect(this);
    m_environment = environment;
    if (environment)
        connect(environment, &SessionEnvironment::valuesChanged, this, &ComposerWidget::revalidate);
    revalidate();
}

void ComposerWidget::setCodec(std::shared_ptr<const PayloadCodec> codec)
{
    m_codec = std::move(codec);
    revalidate();
}

SavedMessage ComposerWidget::currentMessage(QString *error) const
{
    if (error)
        error->clear();
    if (m_mode == Mode::File) {
        if (error)
            *error = tr("A file cannot be saved or repeated: choose Text, JSON, hex or base64.");
        return {};
    }
    SavedMessage message;
    message.format = MessageFormat::key(m_mode);
    message.body = m_editor->toPlainText();
    return message;
}

void ComposerWidget::setMessage(const SavedMessage &message)
{
    applyEntry({ MessageFormat::fromKey(message.format, Mode::Text), message.body });
    m_recallPos = -1;
}

void ComposerWidget::addFooterWidget(QWidget *widget)
{
    m_layout->addWidget(widget);
    setTabOrder(m_sendButton, widget);
}

void ComposerWidget::addTargetWidget(QWidget *widget)
{
    m_bottomRow->insertWidget(m_bottomRow->indexOf(m_sendButton), widget);
    setTabOrder(m_chooseFileButton, widget);
    setTabOrder(widget, m_sendButton);
}

void ComposerWidget::setSendButtonText(const QString &text)
{
    m_sendButton->setText(text);
}

void ComposerWidget::setSavingAvailable(bool available)
{
    m_saveButton->setVisible(available);
    for (QAction *action : m_saveMenu->actions())
        action->setEnabled(available);
}

bool ComposerWidget::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_editor
        && (event->type() == QEvent::KeyPress || event->type() == QEvent::ShortcutOverride)) {
        auto *key = static_cast<QKeyEvent *>(event);
        const bool mine = isSendKey(key) || isRecallKey(key);
        if (mine && event->type() == QEvent::ShortcutOverride) {
            // Claim the key for the editor, so no shortcut elsewhere takes it first.
            event->accept();
            return true;
        }
        if (mine) {
            if (isSendKey(key))
                send();
            else if (key->key() == Qt::Key_Up)
                recallOlder();
            else
                recallNewer();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void ComposerWidget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void ComposerWidget::retranslateUi()
{
    setAccessibleName(tr("Message composer"));
    describe(m_modeCombo, QStringLiteral("composerModeCombo"), tr("Message type"),
        tr("How the text is sent: as text, as checked JSON, as binary written in hex or base64, or a file "
           "sent as binary"));
    for (int i = 0; i < m_modeCombo->count(); ++i)
        m_modeCombo->setItemText(i, MessageFormat::label(Mode(m_modeCombo->itemData(i).toInt())));
    m_formatButton->setText(tr("For&mat"));
    describe(m_formatButton, QStringLiteral("formatButton"), tr("Format JSON"),
        tr("Re-indent the JSON (only white space changes)"));
    describe(m_recentButton, QStringLiteral("recentButton"), tr("Recent messages"),
        tr("Messages sent from this tab (Ctrl+Up / Ctrl+Down in the editor)"));
    m_recentButton->setText(tr("&Recent"));
    describe(m_saveButton, QStringLiteral("saveMessageButton"), tr("Save message"),
        tr("Keep this message under a name in the Saved messages panel, for this connection "
           "(Ctrl+D) or for every connection"));
    m_saveButton->setText(tr("Sa&ve\u2026"));
    QAction *saveLocal = m_saveMenu->actions().value(0);
    saveLocal->setText(tr("Save for This &Connection\u2026"));
    saveLocal->setToolTip(tr("Save the message in this connection's list (Ctrl+D)"));
    QAction *saveGlobal = m_saveMenu->actions().value(1);
    saveGlobal->setText(tr("Save for &Every Connection\u2026"));
    saveGlobal->setToolTip(tr("Save the message in the global list, shown in every connection"));
    describe(m_editor, QStringLiteral("composerEdit"), tr("Message"),
        tr("The message to send. Ctrl+Enter sends it; Ctrl+Up and Ctrl+Down recall sent messages. "
           "{{name}} is filled from the variables; write {{{{ for a literal {{."));
    describe(m_fileLabel, QStringLiteral("fileLabel"), tr("Chosen file"),
        tr("The file sent as one binary message"));
    m_chooseFileButton->setText(tr("Choos&e file\u2026"));
    describe(m_chooseFileButton, QStringLiteral("chooseFileButton"), tr("Choose file"),
        tr("Choose a file to send as one binary message"));
    describe(m_status, QStringLiteral("composerStatus"), tr("Message status"),
        tr("Whether the message is valid, and its size"));
    m_hint->setText(tr("Ctrl+Enter to send"));
    m_sendButton->setText(tr("&Send")); // a server tab sets its own again (setSendButtonText)
    describe(m_sendButton, QStringLiteral("sendButton"), tr("Send"), tr("Send the message (Ctrl+Enter)"));
    findChild<QLabel *>(QStringLiteral("composerModeLabel"))->setText(tr("&Type:"));
    updateModeWidgets();
    rebuildRecentMenu();
    revalidate();
}

} // namespace wst
