#include "HeldMessageEditor.h"

#include "GuiHelpers.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace wst {

using gui::describe;

HeldMessageEditor::HeldMessageEditor(
    Kind kind, const QByteArray &payload, const QString &title, QWidget *parent)
    : QDialog(parent)
    , m_title(title)
{
    setObjectName(QStringLiteral("heldMessageEditor"));
    m_formatLabel = new QLabel(this);
    m_format = new QComboBox(this);
    for (MessageFormat::Type type : { MessageFormat::Type::Text, MessageFormat::Type::Json,
             MessageFormat::Type::Hex, MessageFormat::Type::Base64 })
        m_format->addItem(MessageFormat::label(type), int(type));
    m_formatLabel->setBuddy(m_format);
    m_editor = new QPlainTextEdit(this);
    QFont mono = m_editor->font();
    mono.setFamily(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    m_editor->setFont(mono);
    m_editor->setMinimumSize(560, 280);
    m_error = gui::makeErrorLabel(QStringLiteral("heldMessageErrorLabel"), this);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);

    // The payload as it is best read: JSON pretty when it is JSON, text as it is, bytes in hex.
    MessageFormat::Type type = MessageFormat::Type::Text;
    QString body;
    if (kind == Kind::Binary) {
        type = MessageFormat::Type::Hex;
        body = QString::fromLatin1(payload.toHex(' '));
    } else if (const QJsonDocument json = QJsonDocument::fromJson(payload); !json.isNull()) {
        type = MessageFormat::Type::Json;
        body = QString::fromUtf8(json.toJson(QJsonDocument::Indented)).trimmed();
    } else {
        body = QString::fromUtf8(payload);
    }
    m_format->setCurrentIndex(m_format->findData(int(type)));
    m_editor->setPlainText(body);

    auto *top = new QHBoxLayout;
    top->addWidget(m_formatLabel);
    top->addWidget(m_format);
    top->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_editor, 1);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    connect(m_format, &QComboBox::currentIndexChanged, this, &HeldMessageEditor::revalidate);
    connect(m_editor, &QPlainTextEdit::textChanged, this, &HeldMessageEditor::revalidate);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        revalidate();
        if (m_encoded.ok())
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    retranslateUi();
    revalidate();
}

MessageFormat::Type HeldMessageEditor::format() const
{
    return MessageFormat::Type(m_format->currentData().toInt());
}

void HeldMessageEditor::revalidate()
{
    m_encoded = MessageFormat::encode(format(), m_editor->toPlainText());
    gui::setInlineError(m_error, m_encoded.error, m_editor);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_encoded.ok());
}

void HeldMessageEditor::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDialog::changeEvent(event);
}

void HeldMessageEditor::retranslateUi()
{
    setWindowTitle(m_title);
    m_formatLabel->setText(tr("&Format:"));
    for (int i = 0; i < m_format->count(); ++i)
        m_format->setItemText(i, MessageFormat::label(MessageFormat::Type(m_format->itemData(i).toInt())));
    describe(m_format, QStringLiteral("heldMessageFormatCombo"), tr("Message format"),
        tr("How the text below is read: text as it is, JSON (checked), or bytes in hex or base64 (sent as "
           "a binary message)"));
    describe(m_editor, QStringLiteral("heldMessageEdit"), tr("Message"),
        tr("The message to forward instead of the one held"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Forward"));
    describe(m_buttons->button(QDialogButtonBox::Ok), QStringLiteral("forwardEditedButton"),
        tr("Forward the edited message"), tr("Forward this message instead of the one held"));
    describe(m_buttons->button(QDialogButtonBox::Cancel), QStringLiteral("cancelEditButton"), tr("Cancel"),
        tr("Keep the message held, unchanged"));
}

} // namespace wst
