#include "GraphqlSettingsEditor.h"

#include "GraphqlComposer.h"
#include "GuiHelpers.h"

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSpinBox>

namespace wst {

namespace {
const int DefaultAckTimeoutMs = 10000;
} // namespace

GraphqlSettingsEditor::GraphqlSettingsEditor(QWidget *parent)
    : ProtocolSettingsEditor(parent)
    , m_subprotocol(new QComboBox(this))
    , m_payload(new QPlainTextEdit(this))
    , m_ackTimeout(new QSpinBox(this))
    , m_problem(gui::makeErrorLabel(QStringLiteral("graphqlSettingsProblem"), this))
{
    setObjectName(QStringLiteral("graphqlSettings"));
    m_subprotocol->addItem(QString(), QStringLiteral("graphql-transport-ws"));
    m_subprotocol->addItem(QString(), QStringLiteral("graphql-ws"));
    m_payload->setTabChangesFocus(true);
    m_payload->setMaximumHeight(fontMetrics().lineSpacing() * 5);
    m_ackTimeout->setRange(0, 600000);
    m_ackTimeout->setSingleStep(1000);
    m_ackTimeout->setValue(DefaultAckTimeoutMs);

    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Sub&protocol:"), m_subprotocol);
    form->addRow(tr("Connection pa&yload:"), m_payload);
    form->addRow(QString(), m_problem);
    form->addRow(tr("&Ack timeout:"), m_ackTimeout);

    connect(m_subprotocol, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_loading)
            Q_EMIT edited();
    });
    connect(m_ackTimeout, &QSpinBox::valueChanged, this, [this] {
        if (!m_loading)
            Q_EMIT edited();
    });
    connect(m_payload, &QPlainTextEdit::textChanged, this, &GraphqlSettingsEditor::payloadEdited);
    retranslateUi();
}

void GraphqlSettingsEditor::setParams(const QJsonObject &params)
{
    m_loading = true;
    m_params = params;
    const int index = m_subprotocol->findData(params.value(QStringLiteral("subprotocol")).toString());
    m_subprotocol->setCurrentIndex(index < 0 ? 0 : index);
    const QJsonValue payload = params.value(QStringLiteral("connectionParams"));
    m_payload->setPlainText(payload.isObject()
            ? QString::fromUtf8(QJsonDocument(payload.toObject()).toJson(QJsonDocument::Indented)).trimmed()
            : QString());
    const QJsonValue timeout = params.value(QStringLiteral("ackTimeoutMs"));
    m_ackTimeout->setValue(timeout.isDouble() ? timeout.toInt() : DefaultAckTimeoutMs);
    gui::setInlineError(m_problem, {}, m_payload);
    m_loading = false;
}

QJsonObject GraphqlSettingsEditor::params() const
{
    QJsonObject p = m_params;
    p.insert(QStringLiteral("subprotocol"), m_subprotocol->currentData().toString());
    QJsonObject payload;
    QString error;
    if (GraphqlComposer::objectFromText(m_payload->toPlainText(), &payload, &error)) {
        if (payload.isEmpty())
            p.remove(QStringLiteral("connectionParams"));
        else
            p.insert(QStringLiteral("connectionParams"), payload);
    }
    if (m_ackTimeout->value() == DefaultAckTimeoutMs)
        p.remove(QStringLiteral("ackTimeoutMs"));
    else
        p.insert(QStringLiteral("ackTimeoutMs"), m_ackTimeout->value());
    return p;
}

void GraphqlSettingsEditor::payloadEdited()
{
    if (m_loading)
        return;
    QJsonObject payload;
    QString error;
    if (GraphqlComposer::objectFromText(m_payload->toPlainText(), &payload, &error)) {
        gui::setInlineError(m_problem, {}, m_payload);
        // Remember the good payload: it is what params() gives while the text is being fixed.
        if (payload.isEmpty())
            m_params.remove(QStringLiteral("connectionParams"));
        else
            m_params.insert(QStringLiteral("connectionParams"), payload);
    } else {
        gui::setInlineError(m_problem, tr("Connection payload: %1").arg(error), m_payload);
    }
    Q_EMIT edited();
}

void GraphqlSettingsEditor::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    ProtocolSettingsEditor::changeEvent(event);
}

void GraphqlSettingsEditor::retranslateUi()
{
    m_subprotocol->setItemText(0, tr("graphql-transport-ws (the graphql-ws library)"));
    m_subprotocol->setItemText(1, tr("graphql-ws (legacy subscriptions-transport-ws)"));
    gui::describe(m_subprotocol, QStringLiteral("graphqlSubprotocol"), tr("GraphQL subprotocol"),
        tr("The messages spoken over the connection; offered as the WebSocket subprotocol unless you list "
           "one"));
    gui::describe(m_payload, QStringLiteral("graphqlConnectionParams"), tr("Connection payload"),
        tr("A JSON object sent with connection_init, e.g. an auth token; leave empty for none"));
    m_payload->setPlaceholderText(QStringLiteral("{\"token\": \"...\"}"));
    gui::describe(m_ackTimeout, QStringLiteral("graphqlAckTimeout"), tr("Acknowledgement timeout"),
        tr("Close with 4408 when the server has not acknowledged the connection by then; 0 waits forever"));
    m_ackTimeout->setSuffix(tr(" ms"));
    m_ackTimeout->setSpecialValueText(tr("wait forever"));
    gui::setFormLabel(m_subprotocol, tr("Sub&protocol:"));
    gui::setFormLabel(m_payload, tr("Connection pa&yload:"));
    gui::setFormLabel(m_ackTimeout, tr("&Ack timeout:"));
}

} // namespace wst
