#include "ProtocolOptionsWidget.h"

#include "ProtocolComposer.h"

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace wst {

ProtocolOptionsWidget::ProtocolOptionsWidget(QWidget *parent)
    : QWidget(parent)
    , m_combo(new QComboBox(this))
    , m_label(new QLabel(this))
    , m_note(new QLabel(this))
    , m_stack(new QStackedWidget(this))
    , m_empty(new QWidget(m_stack))
{
    m_combo->setObjectName(QStringLiteral("protocolCombo"));
    for (ProtocolId id : ProtocolNames::all())
        m_combo->addItem(QString(), int(id)); // named in retranslateUi()
    m_label->setBuddy(m_combo);
    m_note->setWordWrap(true);
    m_note->setObjectName(QStringLiteral("protocolNote"));
    m_stack->addWidget(m_empty);

    auto *form = new QFormLayout;
    form->addRow(m_label, m_combo);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_note);
    layout->addWidget(m_stack, 1);

    connect(m_combo, &QComboBox::currentIndexChanged, this, [this](int index) {
        showEditorFor(ProtocolId(m_combo->itemData(index).toInt()));
        if (!m_updating)
            Q_EMIT changed();
    });
    retranslateUi();
}

void ProtocolOptionsWidget::showEditorFor(ProtocolId id)
{
    ProtocolSettingsEditor *editor = m_editors.value(int(id));
    if (!editor && id != ProtocolId::Raw) {
        editor = ProtocolSettingsEditor::create(id, m_stack);
        if (editor) {
            m_stack->addWidget(editor);
            m_editors.insert(int(id), editor);
            connect(editor, &ProtocolSettingsEditor::edited, this, [this] {
                if (!m_updating)
                    Q_EMIT changed();
            });
        }
    }
    m_stack->setCurrentWidget(editor ? static_cast<QWidget *>(editor) : m_empty);
    retranslateUi();
}

ProtocolOptions ProtocolOptionsWidget::options() const
{
    ProtocolOptions options;
    options.id = ProtocolId(m_combo->currentData().toInt());
    if (const ProtocolSettingsEditor *editor = m_editors.value(int(options.id)))
        options.params = editor->params();
    return options;
}

void ProtocolOptionsWidget::setOptions(const ProtocolOptions &options)
{
    m_updating = true;
    m_combo->setCurrentIndex(qMax(0, m_combo->findData(int(options.id))));
    showEditorFor(options.id);
    if (ProtocolSettingsEditor *editor = m_editors.value(int(options.id)))
        editor->setParams(options.params);
    m_updating = false;
}

void ProtocolOptionsWidget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void ProtocolOptionsWidget::retranslateUi()
{
    for (int i = 0; i < m_combo->count(); ++i)
        m_combo->setItemText(i, ProtocolNames::displayName(ProtocolId(m_combo->itemData(i).toInt())));
    m_label->setText(tr("P&rotocol:"));
    m_combo->setAccessibleName(tr("Protocol"));
    m_combo->setToolTip(
        tr("What is spoken over the WebSocket: raw messages, or Socket.IO, GraphQL, STOMP or MQTT, "
           "whose messages are then decoded and whose keep-alives are answered by themselves"));
    const auto id = ProtocolId(m_combo->currentData().toInt());
    m_note->setText(id == ProtocolId::Raw ? tr("Messages are sent and shown as they are.")
                                          : tr("Applies from the next connect. The raw frames stay visible "
                                               "in the history and the Frames view."));
    m_note->setAccessibleName(tr("Protocol note"));
}

} // namespace wst
