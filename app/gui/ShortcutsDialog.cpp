#include "ShortcutsDialog.h"

#include "ActionRegistry.h"
#include "GuiHelpers.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QTableWidget>
#include <QVBoxLayout>

namespace wst {

ShortcutsDialog::ShortcutsDialog(QWidget *parent)
    : QDialog(parent)
    , m_table(new QTableWidget(this))
{
    setObjectName(QStringLiteral("shortcutsDialog"));

    auto *intro = new QLabel(this);
    intro->setObjectName(QStringLiteral("shortcutsIntro"));
    intro->setWordWrap(true);

    m_table->setObjectName(QStringLiteral("shortcutsTable"));
    m_table->setColumnCount(3);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->button(QDialogButtonBox::Close)->setObjectName(QStringLiteral("closeShortcutsButton"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_table, 1);
    layout->addWidget(buttons);
    retranslateUi();
    resize(620, 560);
}

void ShortcutsDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDialog::changeEvent(event);
}

void ShortcutsDialog::retranslateUi()
{
    setWindowTitle(tr("Keyboard Shortcuts"));
    setAccessibleName(tr("Keyboard shortcuts"));
    findChild<QLabel *>(QStringLiteral("shortcutsIntro"))
        ->setText(tr("Window shortcuts work in any tab; the others where the list says."));
    gui::describe(m_table, QStringLiteral("shortcutsTable"), tr("Keyboard shortcuts"),
        tr("Every keyboard shortcut: what it does, its keys and where it works"));
    m_table->setHorizontalHeaderLabels({ tr("Action"), tr("Shortcut"), tr("Where") });
    // The table's words are the ActionRegistry's: the rows are made again in this language.
    const QList<ActionRegistry::Entry> shortcuts = ActionRegistry::shortcuts();
    m_table->setRowCount(int(shortcuts.size()));
    for (int row = 0; row < shortcuts.size(); ++row) {
        const ActionRegistry::Entry &e = shortcuts.at(row);
        QString text = e.text;
        text.remove(QStringLiteral("\u2026"));
        // A mnemonic of its own in parentheses, as translations write it ("新建连接(&N)"), goes
        // whole; "&&" is a literal ampersand; a single one marks the mnemonic.
        static const QRegularExpression ownMnemonic(QStringLiteral("\\(&[^&]\\)"));
        text.remove(ownMnemonic);
        text.replace(QStringLiteral("&&"), QStringLiteral("\x01")).remove(u'&').replace(u'\x01', u'&');
        QStringList keys;
        for (const QKeySequence &key : e.keys)
            keys.append(key.toString(QKeySequence::NativeText));
        auto *name = new QTableWidgetItem(text);
        name->setData(Qt::UserRole, e.id);
        m_table->setItem(row, 0, name);
        m_table->setItem(row, 1, new QTableWidgetItem(keys.join(tr(" or "))));
        m_table->setItem(row, 2, new QTableWidgetItem(e.where));
    }
    m_table->resizeColumnsToContents();
    if (auto *close = findChild<QPushButton *>(QStringLiteral("closeShortcutsButton")))
        gui::describe(close, QStringLiteral("closeShortcutsButton"), tr("Close"), tr("Close this list"));
}

} // namespace wst
