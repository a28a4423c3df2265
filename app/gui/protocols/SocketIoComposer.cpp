#include "SocketIoComposer.h"

#include <QCheckBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>

namespace wst {

namespace {
bool parseValue(const QString &text, QJsonValue *value)
{
    QJsonParseError e;
    const QJsonDocument doc = QJsonDocument::fromJson('[' + text.toUtf8() + ']', &e);
    if (e.error != QJsonParseError::NoError || doc.array().size() != 1)
        return false;
    *value = doc.array().first();
    return true;
}

QString compactJson(const QJsonValue &value)
{
    const QByteArray wrapped = QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}
} // namespace

SocketIoComposer::SocketIoComposer(QWidget *parent)
    : ProtocolComposer(parent)
{
    setObjectName(QStringLiteral("socketIoComposer"));
    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    m_eventLabel = new QLabel(this);
    m_event = new QLineEdit(this);
    m_event->setObjectName(QStringLiteral("socketIoEvent"));
    m_eventLabel->setBuddy(m_event);
    form->addRow(m_eventLabel, m_event);
    m_argsLabel = new QLabel(this);
    m_args = new QPlainTextEdit(this);
    m_args->setObjectName(QStringLiteral("socketIoArgs"));
    m_args->setTabChangesFocus(true);
    m_args->setMaximumHeight(fontMetrics().lineSpacing() * 6);
    m_argsLabel->setBuddy(m_args);
    form->addRow(m_argsLabel, m_args);
    auto *row = new QHBoxLayout;
    m_expectAck = new QCheckBox(this);
    m_expectAck->setObjectName(QStringLiteral("socketIoExpectAck"));
    m_send = new QPushButton(this);
    m_send->setObjectName(QStringLiteral("socketIoSend"));
    row->addWidget(m_expectAck);
    row->addStretch();
    row->addWidget(m_send);
    form->addRow(row);
    m_reply = new QLabel(this);
    m_reply->setObjectName(QStringLiteral("socketIoReply"));
    m_reply->setWordWrap(true);
    m_reply->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(m_reply);
    connect(m_send, &QPushButton::clicked, this, [this] { send(); });
    connect(m_event, &QLineEdit::returnPressed, this, [this] { send(); });
    retranslateUi();
}

void SocketIoComposer::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    ProtocolComposer::changeEvent(event);
}

void SocketIoComposer::retranslateUi()
{
    m_eventLabel->setText(tr("&Event:"));
    m_event->setPlaceholderText(QStringLiteral("chat"));
    m_event->setAccessibleName(tr("Event name"));
    m_event->setToolTip(tr("The name of the Socket.IO event to emit"));
    m_argsLabel->setText(tr("&Args:"));
    m_args->setPlaceholderText(QStringLiteral("{\"text\": \"hi\"}\n42"));
    m_args->setAccessibleName(tr("Event arguments"));
    m_args->setToolTip(tr("One JSON value per line, or one JSON array holding all the arguments "
                          "(to send a single array, wrap it: [[1, 2]])"));
    m_expectAck->setText(tr("Expect &ack"));
    m_expectAck->setToolTip(
        tr("Ask the server to acknowledge the event; its reply and round-trip time are shown below"));
    m_send->setText(m_connected ? tr("&Emit") : tr("&Emit (queued until connected)"));
    m_send->setAccessibleName(tr("Emit the event"));
    m_reply->setAccessibleName(tr("Last acknowledgement"));
}

bool SocketIoComposer::parseArgs(const QString &text, QJsonArray *args, QString *error)
{
    *args = {};
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return true;
    QJsonValue whole;
    if (trimmed.startsWith(QLatin1Char('[')) && parseValue(trimmed, &whole) && whole.isArray()) {
        *args = whole.toArray();
        return true;
    }
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        if (lines.at(i).trimmed().isEmpty())
            continue;
        QJsonValue value;
        if (!parseValue(lines.at(i), &value)) {
            *error = tr("Args line %1 is not JSON (a text needs quotes: \"hi\"): %2")
                         .arg(i + 1)
                         .arg(lines.at(i).trimmed().left(60));
            return false;
        }
        args->append(value);
    }
    return true;
}

void SocketIoComposer::send()
{
    const QString name = m_event->text().trimmed();
    if (name.isEmpty()) {
        showProblem(tr("Give the event a name."));
        m_event->setFocus();
        return;
    }
    ProtocolCommand command;
    command.verb = QStringLiteral("emit");
    command.name = name;
    QString error;
    if (!parseArgs(m_args->toPlainText(), &command.args, &error)) {
        showProblem(error);
        m_args->setFocus();
        return;
    }
    command.expectReply = m_expectAck->isChecked();
    m_reply->setText(command.expectReply ? tr("Waiting for the ack of \"%1\"…").arg(name) : QString());
    Q_EMIT commandRequested(command);
}

void SocketIoComposer::showReply(const ProtocolNotice &notice)
{
    if (notice.type != ProtocolNotice::Type::Reply)
        return;
    m_reply->setText(tr("Ack #%1 for \"%2\" after %3 ms: %4")
                         .arg(notice.id, notice.name, QString::number(double(notice.rttUs) / 1000.0, 'f', 2),
                             compactJson(notice.data)));
}

void SocketIoComposer::setConnected(bool open)
{
    m_connected = open;
    retranslateUi();
}

void SocketIoComposer::showProblem(const QString &problem)
{
    m_reply->setText(problem);
}

} // namespace wst
