#include "HighlightRulesDialog.h"

#include "Theme.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace wst {

namespace {

enum Column { ExpressionColumn, ColourColumn, EnabledColumn };

QIcon swatch(int colour, const QPalette &palette)
{
    QPixmap pixmap(16, 16);
    pixmap.fill(theme::colour(theme::highlightRole(colour), palette));
    QPainter painter(&pixmap);
    painter.setPen(palette.color(QPalette::Text));
    painter.drawRect(0, 0, 15, 15);
    return QIcon(pixmap);
}

QToolButton *toolButton(QWidget *parent, const QString &name, const QString &text, const QString &tip)
{
    auto *b = new QToolButton(parent);
    b->setObjectName(name);
    b->setText(text);
    b->setToolTip(tip);
    b->setAccessibleName(tip);
    return b;
}

} // namespace

HighlightRulesDialog::HighlightRulesDialog(const QList<HighlightRules::Rule> &rules, QWidget *parent)
    : QDialog(parent)
    , m_table(new QTableWidget(0, 3, this))
    , m_error(new QLabel(this))
{
    setObjectName(QStringLiteral("highlightRulesDialog"));
    setWindowTitle(tr("Highlight Rules"));
    setAccessibleName(tr("Highlight rules"));

    auto *intro
        = new QLabel(tr("Rows whose message matches a rule take its colour; the first matching rule "
                        "wins. Rules are filter expressions such as <code>$.level == \"error\"</code>, "
                        "<code>$.data.price &gt; 100</code> or <code>$.user</code> (exists)."),
            this);
    intro->setWordWrap(true);

    m_table->setObjectName(QStringLiteral("highlightRulesTable"));
    m_table->setAccessibleName(tr("Highlight rules"));
    m_table->setToolTip(tr("One rule a row: the expression, the colour, and whether it is on"));
    m_table->setHorizontalHeaderLabels({ tr("Expression"), tr("Colour"), tr("On") });
    m_table->horizontalHeader()->setSectionResizeMode(ExpressionColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(ColourColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(EnabledColumn, QHeaderView::ResizeToContents);
    m_table->verticalHeader()->setSectionsClickable(false);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    for (const HighlightRules::Rule &rule : rules)
        insertRow(m_table->rowCount(), rule);
    connect(m_table, &QTableWidget::itemChanged, this, &HighlightRulesDialog::validate);

    auto *add = toolButton(this, QStringLiteral("addHighlightRuleButton"), tr("&Add"), tr("Add a rule"));
    m_remove = toolButton(
        this, QStringLiteral("removeHighlightRuleButton"), tr("&Remove"), tr("Remove the selected rule"));
    m_up = toolButton(this, QStringLiteral("moveHighlightRuleUpButton"), tr("&Up"),
        tr("Move the selected rule up: it is tried earlier"));
    m_down = toolButton(this, QStringLiteral("moveHighlightRuleDownButton"), tr("&Down"),
        tr("Move the selected rule down: it is tried later"));
    connect(add, &QToolButton::clicked, this, [this] {
        addRule(
            QStringLiteral("$."), HighlightRules::Colour(m_table->rowCount() % HighlightRules::ColourCount));
        m_table->setCurrentCell(m_table->rowCount() - 1, ExpressionColumn);
        m_table->editItem(m_table->item(m_table->rowCount() - 1, ExpressionColumn));
    });
    connect(m_remove, &QToolButton::clicked, this, [this] {
        if (m_table->currentRow() >= 0)
            m_table->removeRow(m_table->currentRow());
        validate();
    });
    connect(m_up, &QToolButton::clicked, this, [this] { moveCurrent(-1); });
    connect(m_down, &QToolButton::clicked, this, [this] { moveCurrent(1); });
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(m_remove);
    buttons->addWidget(m_up);
    buttons->addWidget(m_down);
    buttons->addStretch(1);

    m_error->setObjectName(QStringLiteral("highlightRulesError"));
    m_error->setWordWrap(true);
    m_error->setAccessibleName(tr("Problems with the rules"));
    theme::setColour(m_error, QPalette::WindowText, theme::Role::ErrorText);

    auto *box = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    box->setObjectName(QStringLiteral("highlightRulesButtons"));
    box->button(QDialogButtonBox::Ok)->setToolTip(tr("Colour the history with these rules"));
    box->button(QDialogButtonBox::Cancel)->setToolTip(tr("Keep the rules as they were"));
    connect(box, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_error);
    layout->addWidget(box);
    resize(620, 360);
    validate();
}

void HighlightRulesDialog::insertRow(int row, const HighlightRules::Rule &rule)
{
    const QSignalBlocker blocker(m_table);
    m_table->insertRow(row);
    auto *expression = new QTableWidgetItem(rule.expression);
    expression->setToolTip(tr("A filter expression, for example $.level == \"error\""));
    m_table->setItem(row, ExpressionColumn, expression);
    auto *colour = new QComboBox(m_table);
    colour->setObjectName(QStringLiteral("highlightColourBox"));
    colour->setAccessibleName(tr("Colour"));
    colour->setToolTip(tr("The row's background when the rule matches"));
    for (int c = 0; c < HighlightRules::ColourCount; ++c)
        colour->addItem(swatch(c, palette()), HighlightRules::colourLabel(HighlightRules::Colour(c)), c);
    colour->setCurrentIndex(int(rule.colour));
    m_table->setCellWidget(row, ColourColumn, colour);
    auto *enabled = new QTableWidgetItem;
    enabled->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
    enabled->setCheckState(rule.enabled ? Qt::Checked : Qt::Unchecked);
    enabled->setToolTip(tr("Whether the rule is used"));
    m_table->setItem(row, EnabledColumn, enabled);
}

void HighlightRulesDialog::addRule(const QString &expression, HighlightRules::Colour colour)
{
    insertRow(m_table->rowCount(), { expression, colour, true });
    validate();
}

QList<HighlightRules::Rule> HighlightRulesDialog::rules() const
{
    QList<HighlightRules::Rule> rules;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        HighlightRules::Rule rule;
        rule.expression = m_table->item(row, ExpressionColumn)->text().trimmed();
        if (const auto *box = qobject_cast<QComboBox *>(m_table->cellWidget(row, ColourColumn)))
            rule.colour = HighlightRules::Colour(box->currentData().toInt());
        rule.enabled = m_table->item(row, EnabledColumn)->checkState() == Qt::Checked;
        rules.append(rule);
    }
    return rules;
}

void HighlightRulesDialog::moveCurrent(int by)
{
    const int row = m_table->currentRow();
    const int to = row + by;
    if (row < 0 || to < 0 || to >= m_table->rowCount())
        return;
    const QList<HighlightRules::Rule> all = rules();
    const QSignalBlocker blocker(m_table);
    m_table->removeRow(row);
    insertRow(to, all.at(row));
    m_table->setCurrentCell(to, ExpressionColumn);
    validate();
}

QString HighlightRulesDialog::errorText() const
{
    return m_error->text();
}

void HighlightRulesDialog::validate()
{
    QStringList errors;
    HighlightRules check;
    check.setRules(rules(), &errors);
    m_error->setText(errors.join(u'\n'));
    m_error->setVisible(!errors.isEmpty());
    if (auto *box = findChild<QDialogButtonBox *>(QStringLiteral("highlightRulesButtons")))
        box->button(QDialogButtonBox::Ok)->setEnabled(errors.isEmpty());
    const bool hasRow = m_table->rowCount() > 0;
    m_remove->setEnabled(hasRow);
    m_up->setEnabled(hasRow);
    m_down->setEnabled(hasRow);
}

} // namespace wst
