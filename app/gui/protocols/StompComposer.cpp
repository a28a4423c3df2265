#include "StompComposer.h"

#include "GuiHelpers.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>

namespace wst {

using gui::describe;

namespace {
const char *const Frames[]
    = { "SEND", "SUBSCRIBE", "UNSUBSCRIBE", "ACK", "NACK", "BEGIN", "COMMIT", "ABORT" };
} // namespace

StompComposer::StompComposer(QWidget *parent)
    : ProtocolComposer(parent)
    , m_type(new QComboBox(this))
    , m_destination(new QLineEdit(this))
    , m_id(new QLineEdit(this))
    , m_ack(new QComboBox(this))
    , m_transaction(new QLineEdit(this))
    , m_headers(new QPlainTextEdit(this))
    , m_body(new QPlainTextEdit(this))
    , m_receipt(new QCheckBox(this))
    , m_send(new QPushButton(this))
    , m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("stompComposer"));
    for (const char *frame : Frames)
        m_type->addItem(QLatin1String(frame), QString::fromLatin1(frame).toLower());
    for (const char *mode : { "auto", "client", "client-individual" })
        m_ack->addItem(QLatin1String(mode), QLatin1String(mode));
    m_headers->setTabChangesFocus(true);
    m_headers->setMaximumHeight(80);
    m_body->setTabChangesFocus(true);
    m_status->setObjectName(QStringLiteral("stompStatus"));
    m_status->setWordWrap(true);
    m_status->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // Labels get their text in retranslateUi(); a row added with an empty one would have none.
    auto *form = new QFormLayout(this);
    form->setContentsMargins(4, 4, 4, 4);
    form->addRow(QStringLiteral("-"), m_type);
    form->addRow(QStringLiteral("-"), m_destination);
    form->addRow(QStringLiteral("-"), m_id);
    form->addRow(QStringLiteral("-"), m_ack);
    form->addRow(QStringLiteral("-"), m_transaction);
    form->addRow(QStringLiteral("-"), m_headers);
    form->addRow(QStringLiteral("-"), m_body);
    form->addRow(QString(), m_receipt);
    form->addRow(m_send);
    form->addRow(m_status);
    retranslateUi();
    updateFields();

    connect(m_type, &QComboBox::currentIndexChanged, this, [this] { updateFields(); });
    connect(m_send, &QPushButton::clicked, this, [this] { submit(); });
}

QString StompComposer::verb() const
{
    return m_type->currentData().toString();
}

void StompComposer::updateFields()
{
    const QString v = verb();
    const bool send = v == QLatin1String("send");
    const bool subscribe = v == QLatin1String("subscribe");
    const bool transaction
        = v == QLatin1String("begin") || v == QLatin1String("commit") || v == QLatin1String("abort");
    m_destination->setEnabled(send || subscribe);
    m_id->setEnabled(!send);
    m_ack->setEnabled(subscribe);
    m_transaction->setEnabled(send || v == QLatin1String("ack") || v == QLatin1String("nack"));
    m_body->setEnabled(send);
    // Only the fields this frame has are shown (disabled ones also stay out of the command).
    if (auto *form = qobject_cast<QFormLayout *>(layout())) {
        for (QWidget *field :
            std::initializer_list<QWidget *> { m_destination, m_id, m_ack, m_transaction, m_body })
            form->setRowVisible(field, field->isEnabled());
    }
    QString idLabel;
    QString idTip;
    if (subscribe || v == QLatin1String("unsubscribe")) {
        idLabel = tr("Subscription id:");
        idTip = subscribe ? tr("The id of the new subscription; empty: sub-0, sub-1, ...")
                          : tr("The id of the subscription to end");
    } else if (transaction) {
        idLabel = tr("Transaction:");
        idTip = tr("The transaction id that BEGIN starts and COMMIT or ABORT ends");
    } else {
        idLabel = tr("Message id:");
        idTip = tr("The ack header of the MESSAGE to acknowledge (its message-id in STOMP 1.1)");
    }
    gui::setFormLabel(m_id, idLabel);
    describe(m_id, QStringLiteral("stompId"), idLabel.chopped(1), idTip);
    m_id->setPlaceholderText(subscribe ? tr("automatic") : QString());
}

ProtocolFields StompComposer::parseHeaders(const QString &text, QString *error)
{
    ProtocolFields headers;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(QLatin1Char(':'));
        if (colon <= 0) {
            *error = tr("Header line %1 is not \"Name: value\": %2").arg(i + 1).arg(line);
            return {};
        }
        headers.append({ line.left(colon).trimmed(), line.mid(colon + 1).trimmed() });
    }
    return headers;
}

void StompComposer::submit()
{
    QString error;
    ProtocolCommand command;
    command.verb = verb();
    command.headers = parseHeaders(m_headers->toPlainText(), &error);
    if (!error.isEmpty()) {
        showProblem(error);
        return;
    }
    command.expectReply = m_receipt->isChecked();
    if (m_destination->isEnabled())
        command.name = m_destination->text().trimmed();
    if (m_id->isEnabled())
        command.id = m_id->text().trimmed();
    if (m_ack->isEnabled())
        command.options.insert(QStringLiteral("ack"), m_ack->currentData().toString());
    if (m_transaction->isEnabled() && !m_transaction->text().trimmed().isEmpty())
        command.options.insert(QStringLiteral("transaction"), m_transaction->text().trimmed());
    if (m_body->isEnabled())
        command.body = m_body->toPlainText().toUtf8();
    // The client says why a command cannot go (no destination, no id); clear the old message.
    m_status->clear();
    Q_EMIT commandRequested(command);
}

void StompComposer::showReply(const ProtocolNotice &notice)
{
    switch (notice.type) {
    case ProtocolNotice::Type::Reply:
        m_status->setText(tr("RECEIPT %1 for %2 in %3 ms")
                              .arg(notice.id, notice.name)
                              .arg(double(notice.rttUs) / 1000.0, 0, 'f', 1));
        break;
    case ProtocolNotice::Type::Error: {
        const QString body = notice.data.isString()
            ? notice.data.toString()
            : QString::fromUtf8(
                QJsonDocument::fromVariant(notice.data.toVariant()).toJson(QJsonDocument::Compact));
        m_status->setText(tr("ERROR from the server: %1\n%2").arg(notice.name, body.trimmed()));
        break;
    }
    case ProtocolNotice::Type::OperationStarted:
        m_status->setText(tr("Subscribed to %1 as %2").arg(notice.name, notice.id));
        break;
    default:
        break;
    }
}

void StompComposer::setConnected(bool open)
{
    m_open = open;
    retranslateUi();
}

void StompComposer::showProblem(const QString &problem)
{
    m_status->setText(problem);
}

void StompComposer::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    ProtocolComposer::changeEvent(event);
}

void StompComposer::retranslateUi()
{
    setAccessibleName(tr("STOMP frame"));
    describe(m_type, QStringLiteral("stompFrameType"), tr("Frame"), tr("The STOMP frame to send"));
    gui::setFormLabel(m_type, tr("Frame:"));
    describe(m_destination, QStringLiteral("stompDestination"), tr("Destination"),
        tr("Where SEND goes or what SUBSCRIBE listens to, e.g. /topic/chat or /queue/orders"));
    gui::setFormLabel(m_destination, tr("Destination:"));
    m_destination->setPlaceholderText(QStringLiteral("/topic/chat"));
    describe(m_ack, QStringLiteral("stompAckMode"), tr("Ack mode"),
        tr("auto: the server forgets a message once sent; client: ACK acknowledges it and every earlier "
           "one; client-individual: ACK acknowledges that message only"));
    gui::setFormLabel(m_ack, tr("Ack mode:"));
    describe(m_transaction, QStringLiteral("stompTransaction"), tr("In transaction"),
        tr("Send or acknowledge inside this transaction (BEGIN it first); empty: at once"));
    gui::setFormLabel(m_transaction, tr("In transaction:"));
    m_transaction->setPlaceholderText(tr("none"));
    describe(m_headers, QStringLiteral("stompHeaders"), tr("Headers"),
        tr("Extra headers, one \"Name: value\" a line (content-type, persistent, priority, ...)"));
    gui::setFormLabel(m_headers, tr("Headers:"));
    m_headers->setPlaceholderText(tr("Name: value"));
    describe(m_body, QStringLiteral("stompBody"), tr("Body"),
        tr("The SEND body; content-type is application/json when it parses as JSON, else text/plain, "
           "unless a header says otherwise"));
    gui::setFormLabel(m_body, tr("Body:"));
    describe(m_receipt, QStringLiteral("stompReceipt"), tr("Request receipt"),
        tr("Ask the server for a RECEIPT and show how long it took"));
    m_receipt->setText(tr("Request receipt"));
    describe(m_send, QStringLiteral("stompSend"), m_open ? tr("Send frame") : tr("Queue frame"),
        m_open ? tr("Send this frame") : tr("Not connected yet: the frame is sent once STOMP is connected"));
    m_send->setText(m_open ? tr("Send frame") : tr("Queue frame"));
    updateFields();
}

} // namespace wst
