#include "DiffDialog.h"

#include "Theme.h"
#include "format/JsonPath.h"
#include "format/MessageDiff.h"
#include "messages/HighlightRules.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace wst {

namespace {

QString valueText(const QJsonValue &value)
{
    if (value.isUndefined())
        return {};
    QString text = value.isString() ? u'"' + value.toString() + u'"' : JsonPath::scalarText(value);
    if (text.size() > 500) {
        text.truncate(500);
        text += QChar(0x2026);
    }
    return text;
}

void colourItem(QTreeWidgetItem *item, HighlightRules::Colour colour, const QPalette &palette, int columns)
{
    const QBrush background(theme::colour(theme::highlightRole(int(colour)), palette));
    const QBrush text(palette.color(QPalette::Text));
    for (int c = 0; c < columns; ++c) {
        item->setBackground(c, background);
        item->setForeground(c, text);
    }
}

} // namespace

DiffDialog::DiffDialog(const Side &before, const Side &after, QWidget *parent)
    : QDialog(parent)
    , m_summary(new QLabel(this))
    , m_tree(new QTreeWidget(this))
{
    setObjectName(QStringLiteral("diffDialog"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("Compare Messages"));
    setAccessibleName(tr("Compare messages"));

    auto *sides = new QFormLayout;
    auto *beforeLabel = new QLabel(before.title, this);
    beforeLabel->setObjectName(QStringLiteral("diffBeforeLabel"));
    beforeLabel->setAccessibleName(tr("Before"));
    beforeLabel->setToolTip(tr("The earlier of the two messages"));
    auto *afterLabel = new QLabel(after.title, this);
    afterLabel->setObjectName(QStringLiteral("diffAfterLabel"));
    afterLabel->setAccessibleName(tr("After"));
    afterLabel->setToolTip(tr("The later of the two messages"));
    sides->addRow(tr("Before:"), beforeLabel);
    sides->addRow(tr("After:"), afterLabel);

    m_summary->setObjectName(QStringLiteral("diffSummary"));
    m_summary->setAccessibleName(tr("Summary of the differences"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_tree->setObjectName(QStringLiteral("diffTree"));
    m_tree->setAccessibleName(tr("Differences"));
    m_tree->setToolTip(tr("What changed from the first message to the second"));
    m_tree->setRootIsDecorated(false);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(false);
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);

    auto *box = new QDialogButtonBox(QDialogButtonBox::Close, this);
    box->button(QDialogButtonBox::Close)->setToolTip(tr("Close the comparison"));
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(sides);
    layout->addWidget(m_summary);
    layout->addWidget(m_tree, 1);
    layout->addWidget(box);
    resize(820, 520);

    if (before.payload.size() > MaxBytes || after.payload.size() > MaxBytes) {
        m_summary->setText(tr("These messages are too large to compare (over %1 each at most).")
                               .arg(QLocale().formattedDataSize(MaxBytes)));
        return;
    }
    if (!before.document.isUndefined() && !after.document.isUndefined())
        showJson(before.document, after.document);
    else
        showText(QString::fromUtf8(before.payload), QString::fromUtf8(after.payload));
}

QString DiffDialog::summaryText() const
{
    return m_summary->text();
}

void DiffDialog::showJson(const QJsonValue &before, const QJsonValue &after)
{
    m_json = true;
    m_tree->setHeaderLabels({ tr("Change"), tr("Path"), tr("Before"), tr("After") });
    bool truncated = false;
    const QList<MessageDiff::JsonChange> changes = MessageDiff::diffJson(before, after, MaxRows, &truncated);
    int added = 0, removed = 0, changed = 0;
    QList<QTreeWidgetItem *> items;
    for (const MessageDiff::JsonChange &c : changes) {
        QString what;
        HighlightRules::Colour colour = HighlightRules::Colour::Yellow;
        switch (c.type) {
        case MessageDiff::JsonChange::Type::Added:
            what = tr("added");
            colour = HighlightRules::Colour::Green;
            ++added;
            break;
        case MessageDiff::JsonChange::Type::Removed:
            what = tr("removed");
            colour = HighlightRules::Colour::Red;
            ++removed;
            break;
        case MessageDiff::JsonChange::Type::Changed:
            what = tr("changed");
            ++changed;
            break;
        }
        auto *item = new QTreeWidgetItem({ what, c.path, valueText(c.before), valueText(c.after) });
        item->setToolTip(1, c.path);
        colourItem(item, colour, palette(), 4);
        items.append(item);
    }
    m_tree->addTopLevelItems(items);
    m_tree->header()->resizeSections(QHeaderView::ResizeToContents);
    if (changes.isEmpty()) {
        m_summary->setText(tr("The two JSON documents are the same."));
        return;
    }
    QString text = tr("JSON: %1 changed, %2 added, %3 removed.").arg(changed).arg(added).arg(removed);
    if (truncated)
        text += u' ' + tr("Only the first %1 differences are listed.").arg(QLocale().toString(MaxRows));
    m_summary->setText(text);
}

void DiffDialog::showText(const QString &before, const QString &after)
{
    m_tree->setHeaderLabels({ tr("Before"), tr("After"), tr("Line") });
    const MessageDiff::TextResult result = MessageDiff::diffText(before, after);
    if (!result.problem.isEmpty()) {
        m_summary->setText(result.problem);
        return;
    }
    int added = 0, removed = 0;
    QList<QTreeWidgetItem *> items;
    for (const MessageDiff::Line &line : result.lines) {
        if (items.size() >= MaxRows)
            break;
        const QString prefix = line.op == MessageDiff::Line::Op::Added ? QStringLiteral("+ ")
            : line.op == MessageDiff::Line::Op::Removed                ? QStringLiteral("\u2212 ")
                                                                       : QStringLiteral("  ");
        auto *item = new QTreeWidgetItem({ line.beforeLine > 0 ? QString::number(line.beforeLine) : QString(),
            line.afterLine > 0 ? QString::number(line.afterLine) : QString(), prefix + line.text });
        if (line.op == MessageDiff::Line::Op::Added) {
            colourItem(item, HighlightRules::Colour::Green, palette(), 3);
            ++added;
        } else if (line.op == MessageDiff::Line::Op::Removed) {
            colourItem(item, HighlightRules::Colour::Red, palette(), 3);
            ++removed;
        }
        items.append(item);
    }
    m_tree->addTopLevelItems(items);
    m_tree->resizeColumnToContents(0);
    m_tree->resizeColumnToContents(1);
    QString text = added + removed == 0 ? tr("The two messages are the same text.")
                                        : tr("Text: %1 lines removed, %2 added.").arg(removed).arg(added);
    if (result.lines.size() > MaxRows)
        text += u' ' + tr("Only the first %1 lines are listed.").arg(QLocale().toString(MaxRows));
    m_summary->setText(text);
}

} // namespace wst
