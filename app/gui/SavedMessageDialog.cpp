#include "SavedMessageDialog.h"

#include "GuiHelpers.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace wst {

using gui::describe;

SavedMessageDialog::SavedMessageDialog(QWidget *parent)
    : QDialog(parent)
    , m_name(new QLineEdit(this))
    , m_format(new QComboBox(this))
    , m_body(new QPlainTextEdit(this))
    , m_error(gui::makeErrorLabel(QStringLiteral("savedMessageDialogError"), this))
{
    setObjectName(QStringLiteral("savedMessageDialog"));
    setWindowTitle(tr("Edit Saved Message"));
    describe(m_name, QStringLiteral("savedNameEdit"), tr("Name"),
        tr("The name shown in the Saved messages panel"));
    describe(m_format, QStringLiteral("savedFormatCombo"), tr("Format"),
        tr("How the body is sent: as text, as checked JSON, or as binary written in hex or base64"));
    m_format->addItem(tr("Text"), QStringLiteral("text"));
    m_format->addItem(tr("JSON"), QStringLiteral("json"));
    m_format->addItem(tr("Binary (hex)"), QStringLiteral("hex"));
    m_format->addItem(tr("Binary (base64)"), QStringLiteral("base64"));
    describe(m_body, QStringLiteral("savedBodyEdit"), tr("Message"),
        tr("The message; {{name}} is filled from the variables when it is sent"));
    m_body->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_body->setTabChangesFocus(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SavedMessageDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SavedMessageDialog::reject);
    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Format:"), m_format);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    auto *bodyLabel = new QLabel(tr("&Message:"), this);
    bodyLabel->setBuddy(m_body);
    layout->addWidget(bodyLabel);
    layout->addWidget(m_body, 1);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    resize(520, 360);
    connect(m_name, &QLineEdit::textChanged, this, [this] { gui::setInlineError(m_error, {}, m_name); });
}

void SavedMessageDialog::setMessage(const SavedMessage &message)
{
    m_name->setText(message.name);
    m_format->setCurrentIndex(qMax(0, m_format->findData(message.format)));
    m_body->setPlainText(message.body);
}

SavedMessage SavedMessageDialog::message() const
{
    return { m_name->text().trimmed(), m_format->currentData().toString(), m_body->toPlainText() };
}

void SavedMessageDialog::accept()
{
    if (m_name->text().trimmed().isEmpty()) {
        gui::setInlineError(m_error, tr("Give the message a name."), m_name);
        m_name->setFocus();
        return;
    }
    QDialog::accept();
}

} // namespace wst
