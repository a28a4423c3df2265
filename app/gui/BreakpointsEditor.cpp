#include "BreakpointsEditor.h"

#include "GuiHelpers.h"
#include "compose/ProxySettingsJson.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace wst {

using gui::describe;

namespace {

enum Column { EnabledColumn, DirectionColumn, MatchColumn, FieldColumn, ValueColumn, ColumnCount };

} // namespace

BreakpointsEditor::BreakpointsEditor(QWidget *parent)
    : QWidget(parent)
{
    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_add = new QPushButton(gui::icon(QStringLiteral("add")), QString(), this);
    m_remove = new QPushButton(gui::icon(QStringLiteral("remove")), QString(), this);
    m_error = gui::makeErrorLabel(QStringLiteral("breakpointsErrorLabel"), this);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_error);
    layout->addLayout(buttons);
    connect(m_table, &QTableWidget::itemChanged, this, &BreakpointsEditor::onEdited);
    connect(m_add, &QPushButton::clicked, this, [this] {
        ProxyBreakpoint b;
        b.match.match = ReplyRule::Match::Contains;
        addBreakpoint(b);
        m_table->setCurrentCell(m_table->rowCount() - 1, ValueColumn);
        m_table->editItem(m_table->item(m_table->rowCount() - 1, ValueColumn));
    });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        if (m_table->currentRow() >= 0) {
            m_table->removeRow(m_table->currentRow());
            onEdited();
        }
    });
    retranslateUi();
}

void BreakpointsEditor::addBreakpoint(const ProxyBreakpoint &b)
{
    const bool loading = m_loading;
    m_loading = true;
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    auto *enabled = new QTableWidgetItem;
    enabled->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    enabled->setCheckState(b.enabled ? Qt::Checked : Qt::Unchecked);
    m_table->setItem(row, EnabledColumn, enabled);
    auto *direction = new QComboBox(m_table);
    direction->addItem(tr("Both ways"), int(ProxyBreakpoint::Direction::Both));
    direction->addItem(tr("→ server"), int(ProxyBreakpoint::Direction::ToServer));
    direction->addItem(tr("→ client"), int(ProxyBreakpoint::Direction::ToClient));
    direction->setCurrentIndex(direction->findData(int(b.direction)));
    describe(direction, QStringLiteral("breakpointDirectionCombo"), tr("Breakpoint direction"),
        tr("Which messages the breakpoint stops: those to the server, to the client, or both"));
    auto *match = new QComboBox(m_table);
    match->addItem(tr("is exactly"), int(ReplyRule::Match::Exact));
    match->addItem(tr("contains"), int(ReplyRule::Match::Contains));
    match->addItem(tr("matches regex"), int(ReplyRule::Match::Regex));
    match->addItem(tr("JSON field"), int(ReplyRule::Match::JsonField));
    match->setCurrentIndex(match->findData(int(b.match.match)));
    describe(match, QStringLiteral("breakpointMatchCombo"), tr("How the message matches"),
        tr("Exactly, contains, a regular expression, or a JSON field (its path, and the value it must have; "
           "no "
           "value: the field exists)"));
    m_table->setCellWidget(row, DirectionColumn, direction);
    m_table->setCellWidget(row, MatchColumn, match);
    m_table->setItem(row, FieldColumn, new QTableWidgetItem(b.match.field));
    m_table->setItem(row, ValueColumn, new QTableWidgetItem(b.match.value));
    connect(direction, &QComboBox::currentIndexChanged, this, &BreakpointsEditor::onEdited);
    connect(match, &QComboBox::currentIndexChanged, this, &BreakpointsEditor::onEdited);
    m_loading = loading;
    onEdited();
}

void BreakpointsEditor::setBreakpoints(const QList<ProxyBreakpoint> &breakpoints)
{
    m_loading = true;
    m_table->setRowCount(0);
    for (const ProxyBreakpoint &b : breakpoints)
        addBreakpoint(b);
    m_loading = false;
    onEdited();
}

QList<ProxyBreakpoint> BreakpointsEditor::breakpoints(QString *error) const
{
    QList<ProxyBreakpoint> list;
    QString first;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const auto *direction = qobject_cast<QComboBox *>(m_table->cellWidget(row, DirectionColumn));
        const auto *match = qobject_cast<QComboBox *>(m_table->cellWidget(row, MatchColumn));
        if (!direction || !match)
            continue;
        // The settings' reader checks a breakpoint the way a session file's is checked.
        static const char *const Directions[] = { "both", "to-server", "to-client" };
        static const char *const Matches[] = { "exact", "contains", "regex", "json" };
        QJsonObject o;
        o.insert(
            QStringLiteral("direction"), QLatin1StringView(Directions[direction->currentData().toInt()]));
        o.insert(QStringLiteral("match"), QLatin1StringView(Matches[match->currentData().toInt()]));
        o.insert(QStringLiteral("field"),
            m_table->item(row, FieldColumn) ? m_table->item(row, FieldColumn)->text() : QString());
        o.insert(QStringLiteral("value"),
            m_table->item(row, ValueColumn) ? m_table->item(row, ValueColumn)->text() : QString());
        o.insert(QStringLiteral("enabled"), m_table->item(row, EnabledColumn)->checkState() == Qt::Checked);
        QString problem;
        const ProxyBreakpoint b = ProxySettingsJson::breakpointFromJson(o, &problem);
        if (!problem.isEmpty()) {
            if (first.isEmpty())
                first = tr("Breakpoint %1: %2").arg(row + 1).arg(problem);
            continue;
        }
        list.append(b);
    }
    if (error)
        *error = first;
    return list;
}

void BreakpointsEditor::onEdited()
{
    if (m_loading)
        return;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const auto *match = qobject_cast<QComboBox *>(m_table->cellWidget(row, MatchColumn));
        const bool json
            = match && ReplyRule::Match(match->currentData().toInt()) == ReplyRule::Match::JsonField;
        if (QTableWidgetItem *field = m_table->item(row, FieldColumn)) {
            const QSignalBlocker blocker(m_table);
            field->setFlags(json ? (field->flags() | Qt::ItemIsEditable | Qt::ItemIsEnabled)
                                 : (field->flags() & ~(Qt::ItemIsEditable | Qt::ItemIsEnabled)));
        }
    }
    QString error;
    breakpoints(&error);
    gui::setInlineError(m_error, error, m_table);
    Q_EMIT changed();
}

void BreakpointsEditor::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void BreakpointsEditor::retranslateUi()
{
    m_table->setHorizontalHeaderLabels({ tr("On"), tr("Way"), tr("Match"), tr("JSON field"), tr("Value") });
    describe(m_table, QStringLiteral("breakpointsTable"), tr("Breakpoints"),
        tr("Messages that match an enabled breakpoint are held until you forward, edit or drop them"));
    m_add->setText(tr("&Add Breakpoint"));
    describe(m_add, QStringLiteral("addBreakpointButton"), tr("Add a breakpoint"),
        tr("Add a breakpoint that holds matching messages"));
    m_remove->setText(tr("&Remove Breakpoint"));
    describe(m_remove, QStringLiteral("removeBreakpointButton"), tr("Remove the breakpoint"),
        tr("Remove the selected breakpoint"));
}

} // namespace wst
