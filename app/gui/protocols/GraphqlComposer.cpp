#include "GraphqlComposer.h"

#include "GuiHelpers.h"
#include "Theme.h"
#include "protocols/graphql/GraphqlQueryInfo.h"

#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>

namespace wst {

GraphqlComposer::GraphqlComposer(QWidget *parent)
    : ProtocolComposer(parent)
    , m_query(new QPlainTextEdit(this))
    , m_variables(new QPlainTextEdit(this))
    , m_operationName(new QLineEdit(this))
    , m_subscribe(new QPushButton(this))
    , m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("graphqlComposer"));
    m_query->setTabChangesFocus(true);
    m_variables->setTabChangesFocus(true);
    m_variables->setMaximumHeight(fontMetrics().lineSpacing() * 4);
    m_status->setObjectName(QStringLiteral("graphqlStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *form = new QFormLayout(this);
    form->addRow(tr("&Query:"), m_query);
    form->addRow(tr("&Variables:"), m_variables);
    form->addRow(tr("Operation &name:"), m_operationName);
    auto *row = new QHBoxLayout;
    row->addWidget(m_subscribe);
    row->addWidget(m_status, 1);
    form->addRow(row);

    connect(m_subscribe, &QPushButton::clicked, this, &GraphqlComposer::submit);
    connect(m_query, &QPlainTextEdit::textChanged, this, &GraphqlComposer::updateButton);
    auto *shortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    shortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(shortcut, &QShortcut::activated, this, &GraphqlComposer::submit);
    retranslateUi();
}

bool GraphqlComposer::objectFromText(const QString &text, QJsonObject *object, QString *error)
{
    *object = {};
    if (text.trimmed().isEmpty())
        return true;
    const QByteArray utf8 = text.toUtf8();
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(utf8, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const QByteArray before = utf8.left(parseError.offset);
        const int line = int(before.count('\n')) + 1;
        const int column = int(QString::fromUtf8(before.mid(before.lastIndexOf('\n') + 1)).size()) + 1;
        *error = tr("%1 at line %2, column %3.").arg(parseError.errorString()).arg(line).arg(column);
        return false;
    }
    if (!doc.isObject()) {
        *error = tr("must be a JSON object, like {\"id\": 1}.");
        return false;
    }
    *object = doc.object();
    return true;
}

void GraphqlComposer::submit()
{
    const QString query = m_query->toPlainText();
    if (query.trimmed().isEmpty()) {
        setStatus(tr("Write a query first."), true);
        m_query->setFocus(Qt::OtherFocusReason);
        return;
    }
    QJsonObject variables;
    QString error;
    if (!objectFromText(m_variables->toPlainText(), &variables, &error)) {
        // The text stays as typed so the user can fix it.
        setStatus(tr("Variables: %1").arg(error), true);
        m_variables->setFocus(Qt::OtherFocusReason);
        return;
    }
    QJsonObject data { { QStringLiteral("query"), query } };
    if (!variables.isEmpty())
        data.insert(QStringLiteral("variables"), variables);
    if (const QString name = m_operationName->text().trimmed(); !name.isEmpty())
        data.insert(QStringLiteral("operationName"), name);
    ProtocolCommand command;
    command.verb = QStringLiteral("subscribe");
    command.data = data;
    setStatus(m_connected ? QString() : tr("Queued until the server acknowledges the connection."), false);
    Q_EMIT commandRequested(command);
}

void GraphqlComposer::setConnected(bool open)
{
    m_connected = open;
    updateButton();
}

void GraphqlComposer::showReply(const ProtocolNotice &notice)
{
    const QString who = notice.name.isEmpty() ? QStringLiteral("#") + notice.id
                                              : QStringLiteral("#%1 %2").arg(notice.id, notice.name);
    const QString ms = QString::number(double(notice.rttUs) / 1000.0, 'f', 1);
    if (notice.type == ProtocolNotice::Type::Error) {
        QString errors;
        for (const auto &field : notice.fields) {
            if (field.first == QLatin1String("errors"))
                errors = field.second;
        }
        setStatus(tr("%1 failed: %2").arg(who, errors), true);
    } else if (notice.type == ProtocolNotice::Type::Reply) {
        QString results = QStringLiteral("0");
        for (const auto &field : notice.fields) {
            if (field.first == QLatin1String("results"))
                results = field.second;
        }
        setStatus(notice.rttUs >= 0
                ? tr("%1 complete: %2 result(s), the first after %3 ms.").arg(who, results, ms)
                : tr("%1 complete: %2 result(s).").arg(who, results),
            false);
    }
}

void GraphqlComposer::showProblem(const QString &problem)
{
    setStatus(problem, true);
}

void GraphqlComposer::setStatus(const QString &text, bool problem)
{
    m_status->setText(text);
    m_status->setToolTip(text);
    if (problem)
        theme::setColour(m_status, QPalette::WindowText, theme::Role::ErrorText);
    else
        theme::clearColour(m_status, QPalette::WindowText);
}

void GraphqlComposer::updateButton()
{
    const QString operation = GraphqlQueryInfo::scan(m_query->toPlainText()).operation;
    if (operation == QLatin1String("query"))
        m_subscribe->setText(tr("Run query"));
    else if (operation == QLatin1String("mutation"))
        m_subscribe->setText(tr("Run mutation"));
    else
        m_subscribe->setText(tr("Subscribe"));
    gui::describe(m_subscribe, QStringLiteral("graphqlSubscribe"), tr("Start the operation"),
        m_connected ? tr("Send the operation to the server (Ctrl+Return)")
                    : tr("Not ready yet: the operation is sent once the server acknowledges the connection "
                         "(Ctrl+Return)"));
}

void GraphqlComposer::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    ProtocolComposer::changeEvent(event);
}

void GraphqlComposer::retranslateUi()
{
    gui::describe(m_query, QStringLiteral("graphqlQuery"), tr("GraphQL query"),
        tr("A subscription, query or mutation; one operation runs per click"));
    m_query->setPlaceholderText(QStringLiteral("subscription { count(to: 3) }"));
    gui::describe(m_variables, QStringLiteral("graphqlVariables"), tr("Variables"),
        tr("The operation's variables as a JSON object; leave empty for none"));
    m_variables->setPlaceholderText(QStringLiteral("{\"to\": 3}"));
    gui::describe(m_operationName, QStringLiteral("graphqlOperationName"), tr("Operation name"),
        tr("Which operation of the document to run, when it holds several"));
    m_operationName->setPlaceholderText(tr("optional"));
    gui::describe(m_status, QStringLiteral("graphqlStatus"), tr("Operation status"), m_status->text());
    gui::setFormLabel(m_query, tr("&Query:"));
    gui::setFormLabel(m_variables, tr("&Variables:"));
    gui::setFormLabel(m_operationName, tr("Operation &name:"));
    updateButton();
}

} // namespace wst
