#include "SocketIoSettingsEditor.h"

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>

namespace wst {

SocketIoSettingsEditor::SocketIoSettingsEditor(QWidget *parent)
    : ProtocolSettingsEditor(parent)
{
    setObjectName(QStringLiteral("socketIoSettings"));
    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    m_namespaceLabel = new QLabel(this);
    m_namespace = new QLineEdit(this);
    m_namespace->setObjectName(QStringLiteral("socketIoNamespace"));
    m_namespaceLabel->setBuddy(m_namespace);
    form->addRow(m_namespaceLabel, m_namespace);
    m_authLabel = new QLabel(this);
    m_auth = new QPlainTextEdit(this);
    m_auth->setObjectName(QStringLiteral("socketIoAuth"));
    m_auth->setTabChangesFocus(true);
    m_auth->setMaximumHeight(fontMetrics().lineSpacing() * 5);
    m_authLabel->setBuddy(m_auth);
    form->addRow(m_authLabel, m_auth);
    m_eioLabel = new QLabel(this);
    m_eio = new QComboBox(this);
    m_eio->setObjectName(QStringLiteral("socketIoEio"));
    m_eio->addItem(QString(), 4);
    m_eio->addItem(QString(), 3);
    m_eioLabel->setBuddy(m_eio);
    form->addRow(m_eioLabel, m_eio);
    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("socketIoSettingsProblem"));
    m_problem->setWordWrap(true);
    m_problem->hide();
    form->addRow(m_problem);
    connect(m_namespace, &QLineEdit::textEdited, this, [this] {
        updateProblem();
        Q_EMIT edited();
    });
    connect(m_auth, &QPlainTextEdit::textChanged, this, [this] {
        updateProblem();
        Q_EMIT edited();
    });
    connect(m_eio, &QComboBox::activated, this, [this] { Q_EMIT edited(); });
    retranslateUi();
}

void SocketIoSettingsEditor::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    ProtocolSettingsEditor::changeEvent(event);
}

void SocketIoSettingsEditor::retranslateUi()
{
    m_namespaceLabel->setText(tr("&Namespace:"));
    m_namespace->setPlaceholderText(QStringLiteral("/"));
    m_namespace->setAccessibleName(tr("Socket.IO namespace"));
    m_namespace->setToolTip(tr("The namespace to connect to, e.g. /admin (default /)"));
    m_authLabel->setText(tr("&Auth:"));
    m_auth->setPlaceholderText(QStringLiteral("{\"token\": \"…\"}"));
    m_auth->setAccessibleName(tr("Socket.IO auth payload"));
    m_auth->setToolTip(tr("A JSON object sent in the namespace CONNECT packet (Socket.IO v3/v4)"));
    m_eioLabel->setText(tr("&Version:"));
    m_eio->setItemText(0, tr("Socket.IO v3/v4 (Engine.IO 4)"));
    m_eio->setItemText(1, tr("Socket.IO v2 (Engine.IO 3)"));
    m_eio->setAccessibleName(tr("Socket.IO version"));
    m_eio->setToolTip(tr("The Engine.IO protocol revision the server speaks"));
    updateProblem();
}

void SocketIoSettingsEditor::updateProblem()
{
    QString problem;
    const QString ns = m_namespace->text().trimmed();
    if (!ns.isEmpty() && !ns.startsWith(QLatin1Char('/')))
        problem = tr("The namespace must start with \"/\".");
    const QString auth = m_auth->toPlainText().trimmed();
    if (problem.isEmpty() && !auth.isEmpty() && !QJsonDocument::fromJson(auth.toUtf8()).isObject())
        problem = tr("Auth must be a JSON object, e.g. {\"token\": \"abc\"}.");
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
}

void SocketIoSettingsEditor::setParams(const QJsonObject &params)
{
    m_other = params;
    m_namespace->setText(m_other.take(QStringLiteral("namespace")).toString());
    const QJsonValue auth = m_other.take(QStringLiteral("auth"));
    QSignalBlocker block(m_auth);
    if (auth.isObject())
        m_auth->setPlainText(
            QString::fromUtf8(QJsonDocument(auth.toObject()).toJson(QJsonDocument::Compact)));
    else
        m_auth->setPlainText(auth.toString());
    m_eio->setCurrentIndex(m_other.take(QStringLiteral("eio")).toInt(4) == 3 ? 1 : 0);
    updateProblem();
}

QJsonObject SocketIoSettingsEditor::params() const
{
    QJsonObject o = m_other;
    const QString ns = m_namespace->text().trimmed();
    if (!ns.isEmpty() && ns != QLatin1String("/"))
        o.insert(QStringLiteral("namespace"), ns);
    const QString auth = m_auth->toPlainText().trimmed();
    if (!auth.isEmpty()) {
        const QJsonDocument doc = QJsonDocument::fromJson(auth.toUtf8());
        o.insert(QStringLiteral("auth"), doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(auth));
    }
    if (m_eio->currentData().toInt() == 3)
        o.insert(QStringLiteral("eio"), 3);
    return o;
}

} // namespace wst
