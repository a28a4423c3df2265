#include "SavedMessagesPanel.h"

#include "ActionRegistry.h"
#include "Dialogs.h"
#include "EnvironmentEditor.h"
#include "GuiHelpers.h"
#include "SavedMessageDialog.h"

#include <QApplication>
#include <QDialog>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QToolButton>
#include <QVBoxLayout>

namespace wst {

using gui::describe;

namespace {

// Two lines per message (the name with its format, then a preview) and a send button drawn at
// the right: one click sends. The list's own Send button and Enter do the same from the keyboard.
class SavedItemDelegate : public QStyledItemDelegate
{
public:
    using Callback = std::function<void(const QModelIndex &)>;
    SavedItemDelegate(Callback onSend, QObject *parent)
        : QStyledItemDelegate(parent)
        , m_onSend(std::move(onSend))
        , m_icon(gui::icon(QStringLiteral("send")))
    {
    }

    static QRect buttonRect(const QRect &item)
    {
        const int size = qMin(28, item.height() - 8);
        return QRect(item.right() - size - 6, item.center().y() - size / 2, size, size);
    }

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const override
    {
        return QSize(200, option.fontMetrics.height() * 2 + 14);
    }

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        opt.text.clear();
        const QWidget *widget = option.widget;
        QStyle *style = widget ? widget->style() : QApplication::style();
        style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, widget);

        const bool selected = option.state & QStyle::State_Selected;
        const QPalette::ColorGroup group
            = option.state & QStyle::State_Active ? QPalette::Active : QPalette::Inactive;
        const QColor text
            = option.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
        QColor dim = text;
        dim.setAlphaF(0.62);

        const QRect button = buttonRect(option.rect);
        const QRect area = option.rect.adjusted(8, 5, -(button.width() + 16), -5);
        const int lineHeight = option.fontMetrics.height();
        QFont bold = option.font;
        bold.setBold(true);
        const QFontMetrics boldMetrics(bold);
        const QString format = formatLabel(index.data(SavedMessageList::FormatRole).toString());
        const int formatWidth = option.fontMetrics.horizontalAdvance(format) + 8;
        const QString name = boldMetrics.elidedText(index.data(SavedMessageList::NameRole).toString(),
            Qt::ElideRight, qMax(0, area.width() - formatWidth));

        painter->save();
        painter->setFont(bold);
        painter->setPen(text);
        const QRect nameRect(area.left(), area.top(), area.width(), lineHeight);
        painter->drawText(nameRect, Qt::AlignLeft | Qt::AlignVCenter, name);
        painter->setFont(option.font);
        painter->setPen(dim);
        painter->drawText(nameRect.adjusted(boldMetrics.horizontalAdvance(name) + 8, 0, 0, 0),
            Qt::AlignLeft | Qt::AlignVCenter, format);
        QString preview = index.data(SavedMessageList::PreviewRole).toString();
        if (preview.isEmpty())
            preview = SavedMessagesPanel::tr("(empty)");
        preview = option.fontMetrics.elidedText(preview, Qt::ElideRight, area.width());
        painter->drawText(QRect(area.left(), area.top() + lineHeight + 4, area.width(), lineHeight),
            Qt::AlignLeft | Qt::AlignVCenter, preview);
        const QIcon::Mode mode = option.state & QStyle::State_Enabled ? QIcon::Normal : QIcon::Disabled;
        if (option.state & QStyle::State_MouseOver) {
            QColor hover = option.palette.color(QPalette::Highlight);
            hover.setAlphaF(0.18);
            painter->setPen(Qt::NoPen);
            painter->setBrush(hover);
            painter->setRenderHint(QPainter::Antialiasing);
            painter->drawRoundedRect(button, 4, 4);
        }
        m_icon.paint(painter, button.adjusted(5, 5, -5, -5), Qt::AlignCenter, mode);
        painter->restore();
    }

    bool editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
        const QModelIndex &index) override
    {
        if (event->type() == QEvent::MouseButtonRelease) {
            const auto *mouse = static_cast<QMouseEvent *>(event);
            if (mouse->button() == Qt::LeftButton
                && buttonRect(option.rect).contains(mouse->position().toPoint())) {
                m_onSend(index);
                return true;
            }
        }
        return QStyledItemDelegate::editorEvent(event, model, option, index);
    }

    static QString formatLabel(const QString &format)
    {
        if (format == QLatin1String("json"))
            return SavedMessagesPanel::tr("JSON");
        if (format == QLatin1String("hex"))
            return SavedMessagesPanel::tr("hex");
        if (format == QLatin1String("base64"))
            return SavedMessagesPanel::tr("base64");
        return SavedMessagesPanel::tr("text");
    }

private:
    Callback m_onSend;
    QIcon m_icon;
};

} // namespace

SavedMessagesPanel::SavedMessagesPanel(QWidget *parent)
    : QWidget(parent)
    , m_variablesButton(new QPushButton(gui::icon(QStringLiteral("variables")), QString(), this))
    , m_error(gui::makeErrorLabel(QStringLiteral("savedError"), this))
{
    setObjectName(QStringLiteral("savedPanel"));
    m_variablesButton->setObjectName(QStringLiteral("variablesButton"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(buildSection(false), 1);
    layout->addSpacing(6);
    layout->addWidget(buildSection(true), 1);
    layout->addWidget(m_error);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_variablesButton);
    bottom->addStretch();
    layout->addLayout(bottom);

    connect(m_variablesButton, &QPushButton::clicked, this, &SavedMessagesPanel::showVariables);
    retranslateUi();
}

QWidget *SavedMessagesPanel::buildSection(bool global)
{
    Section &s = m_sections[global ? 1 : 0];
    auto *box = new QWidget(this);
    const QString prefix = global ? QStringLiteral("global") : QStringLiteral("local");
    box->setObjectName(prefix + QStringLiteral("SavedSection"));

    auto *title = new QLabel(box);
    title->setObjectName(prefix + QStringLiteral("SavedTitle"));
    QFont titleFont = title->font();
    titleFont.setBold(true);
    title->setFont(titleFont);
    auto *save = new QToolButton(box);
    save->setObjectName(prefix + QStringLiteral("SaveComposerButton"));
    save->setIcon(gui::icon(QStringLiteral("add")));
    save->setAutoRaise(true);

    s.view = new QListView(box);
    s.view->setObjectName(prefix + QStringLiteral("SavedList"));
    s.view->setUniformItemSizes(true);
    s.view->setMouseTracking(true);
    s.view->setSelectionMode(QAbstractItemView::SingleSelection);
    s.view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    s.view->setContextMenuPolicy(Qt::CustomContextMenu);
    s.view->setItemDelegate(new SavedItemDelegate(
        [this, global](const QModelIndex &index) { sendAt(global, index.row()); }, s.view));
    title->setBuddy(s.view);

    s.empty = new QLabel(box);
    s.empty->setObjectName(prefix + QStringLiteral("SavedEmpty"));
    s.empty->setWordWrap(true);
    s.empty->setEnabled(false); // greyed: a hint

    s.send = new QPushButton(gui::icon(QStringLiteral("send")), QString(), box);
    s.send->setObjectName(prefix + QStringLiteral("SavedSendButton"));
    s.edit = new QPushButton(box);
    s.edit->setObjectName(prefix + QStringLiteral("SavedEditButton"));
    s.remove = new QPushButton(box);
    s.remove->setObjectName(prefix + QStringLiteral("SavedDeleteButton"));
    s.more = new QToolButton(box);
    s.more->setObjectName(prefix + QStringLiteral("SavedMoreButton"));
    s.more->setText(QStringLiteral("\u22ef"));
    s.more->setPopupMode(QToolButton::InstantPopup);
    s.menu = new QMenu(s.more);
    s.menu->setObjectName(prefix + QStringLiteral("SavedMenu"));
    s.more->setMenu(s.menu);
    for (QPushButton *b : { s.send, s.edit, s.remove })
        b->setAutoDefault(false);

    auto *header = new QHBoxLayout;
    header->addWidget(title, 1);
    header->addWidget(save);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(s.send);
    buttons->addWidget(s.edit);
    buttons->addWidget(s.remove);
    buttons->addStretch();
    buttons->addWidget(s.more);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(3);
    layout->addLayout(header);
    layout->addWidget(s.view, 1);
    layout->addWidget(s.empty);
    layout->addLayout(buttons);

    auto addMenuAction = [this, &s, global](const QString &text, const QString &name, auto slot) {
        QAction *a = s.menu->addAction(text);
        a->setObjectName(name);
        connect(a, &QAction::triggered, this, [this, global, slot] {
            const int row = currentRow(global);
            if (row >= 0)
                slot(row);
        });
        return a;
    };
    addMenuAction(QString(), prefix + QStringLiteral("RenameAction"),
        [this, global](int row) { renameAt(global, row); });
    addMenuAction(QString(), prefix + QStringLiteral("LoadAction"), [this, global](int row) {
        if (SavedMessageList *l = list(global))
            Q_EMIT loadRequested(l->at(row));
    });
    addMenuAction(QString(), prefix + QStringLiteral("PeriodicAction"), [this, global](int row) {
        if (SavedMessageList *l = list(global))
            Q_EMIT periodicRequested(l->at(row));
    });
    s.menu->addSeparator();
    addMenuAction(QString(), prefix + QStringLiteral("MoveUpAction"), [this, global](int row) {
        if (SavedMessageList *l = list(global); l && l->move(row, row - 1))
            view(global)->setCurrentIndex(l->index(row - 1));
    });
    addMenuAction(QString(), prefix + QStringLiteral("MoveDownAction"), [this, global](int row) {
        if (SavedMessageList *l = list(global); l && l->move(row, row + 1))
            view(global)->setCurrentIndex(l->index(row + 1));
    });
    addMenuAction(QString(), prefix + QStringLiteral("CopyAction"), [this, global](int row) {
        SavedMessageList *from = list(global);
        SavedMessageList *to = list(!global);
        if (from && to)
            to->add(from->at(row));
    });

    connect(save, &QToolButton::clicked, this, [this, global] { Q_EMIT saveComposerRequested(global); });
    connect(s.view, &QListView::activated, this,
        [this, global](const QModelIndex &index) { sendAt(global, index.row()); });
    connect(s.view, &QListView::customContextMenuRequested, this,
        [this, global](const QPoint &pos) { showContextMenu(global, pos); });
    connect(s.send, &QPushButton::clicked, this, [this, global] { sendAt(global, currentRow(global)); });
    connect(s.edit, &QPushButton::clicked, this, [this, global] { editAt(global, currentRow(global)); });
    connect(s.remove, &QPushButton::clicked, this, [this, global] { removeAt(global, currentRow(global)); });
    QAction *del
        = ActionRegistry::addLocal(s.view, QStringLiteral("removeSavedMessageAction"), Qt::WidgetShortcut);
    connect(del, &QAction::triggered, this, [this, global] { removeAt(global, currentRow(global)); });
    QAction *rename
        = ActionRegistry::addLocal(s.view, QStringLiteral("renameSavedMessageAction"), Qt::WidgetShortcut);
    connect(rename, &QAction::triggered, this, [this, global] { renameAt(global, currentRow(global)); });
    updateButtons(global);
    return box;
}

void SavedMessagesPanel::setLists(SavedMessageList *local, SavedMessageList *global)
{
    for (bool g : { false, true }) {
        SavedMessageList *previous = list(g);
        if (previous)
            previous->disconnect(this);
        SavedMessageList *now = g ? global : local;
        (g ? m_global : m_local) = now;
        Section &s = m_sections[g ? 1 : 0];
        s.view->setModel(now);
        if (!now)
            continue;
        connect(now, &SavedMessageList::changed, this, [this, g] { updateButtons(g); });
        connect(now, &QAbstractItemModel::modelReset, this, [this, g] { updateButtons(g); });
        connect(s.view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this, g] { updateButtons(g); });
        updateButtons(g);
    }
}

void SavedMessagesPanel::setEnvironment(SessionEnvironment *environment)
{
    m_environment = environment;
}

QListView *SavedMessagesPanel::view(bool global) const
{
    return m_sections[global ? 1 : 0].view;
}

void SavedMessagesPanel::setError(const QString &error)
{
    gui::setInlineError(m_error, error);
}

QString SavedMessagesPanel::errorText() const
{
    return m_error->text();
}

int SavedMessagesPanel::currentRow(bool global) const
{
    const QModelIndex index = view(global)->currentIndex();
    return index.isValid() ? index.row() : -1;
}

void SavedMessagesPanel::updateButtons(bool global)
{
    const Section &s = m_sections[global ? 1 : 0];
    SavedMessageList *l = list(global);
    const bool empty = !l || l->count() == 0;
    s.empty->setVisible(empty);
    // Keep a current row, so that the buttons always act on something the user can see.
    if (!empty && !s.view->currentIndex().isValid())
        s.view->setCurrentIndex(l->index(0));
    const int row = currentRow(global);
    const bool has = row >= 0;
    s.send->setEnabled(has);
    s.edit->setEnabled(has);
    s.remove->setEnabled(has);
    s.more->setEnabled(has);
    const QList<QAction *> actions = s.menu->actions();
    for (QAction *a : actions) {
        if (a->objectName().endsWith(QLatin1String("MoveUpAction")))
            a->setEnabled(row > 0);
        else if (a->objectName().endsWith(QLatin1String("MoveDownAction")))
            a->setEnabled(has && row < l->count() - 1);
    }
}

void SavedMessagesPanel::showContextMenu(bool global, const QPoint &pos)
{
    const QModelIndex index = view(global)->indexAt(pos);
    if (!index.isValid())
        return;
    view(global)->setCurrentIndex(index);
    updateButtons(global);
    QMenu menu(this);
    menu.addAction(gui::icon(QStringLiteral("send")), tr("&Send"), this,
        [this, global, row = index.row()] { sendAt(global, row); });
    menu.addAction(tr("&Edit\u2026"), this, [this, global, row = index.row()] { editAt(global, row); });
    menu.addActions(m_sections[global ? 1 : 0].menu->actions());
    menu.addSeparator();
    menu.addAction(gui::icon(QStringLiteral("remove")), tr("&Delete"), this,
        [this, global, row = index.row()] { removeAt(global, row); });
    menu.exec(view(global)->viewport()->mapToGlobal(pos));
}

void SavedMessagesPanel::sendAt(bool global, int row)
{
    SavedMessageList *l = list(global);
    if (!l || row < 0 || row >= l->count())
        return;
    Q_EMIT sendRequested(l->at(row));
}

SavedMessageDialog *SavedMessagesPanel::editAt(bool global, int row)
{
    SavedMessageList *l = list(global);
    if (!l || row < 0 || row >= l->count())
        return nullptr;
    auto *dialog = new SavedMessageDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setMessage(l->at(row));
    const SavedMessage original = l->at(row);
    connect(dialog, &QDialog::accepted, this, [this, global, original, dialog] {
        SavedMessageList *target = list(global);
        if (!target)
            return;
        // The row may have moved while the dialog was open: find the message again.
        int at = -1;
        for (int i = 0; i < target->count(); ++i) {
            if (target->at(i) == original) {
                at = i;
                break;
            }
        }
        if (at >= 0)
            target->edit(at, dialog->message());
        else
            target->add(dialog->message());
    });
    dialog->setWindowModality(Qt::WindowModal);
    dialog->open();
    return dialog;
}

void SavedMessagesPanel::renameAt(bool global, int row)
{
    SavedMessageList *l = list(global);
    if (!l || row < 0 || row >= l->count())
        return;
    QString name;
    if (!Dialogs::getText(this, tr("Rename Saved Message"), tr("Name:"), l->at(row).name, &name))
        return;
    name = name.trimmed();
    if (name.isEmpty() || row >= l->count())
        return;
    SavedMessage m = l->at(row);
    m.name = name;
    l->edit(row, m);
}

void SavedMessagesPanel::removeAt(bool global, int row)
{
    SavedMessageList *l = list(global);
    if (!l || row < 0 || row >= l->count())
        return;
    const QString name = l->at(row).name;
    if (Dialogs::question(
            this, tr("Delete Saved Message"), tr("Delete the saved message \u201c%1\u201d?").arg(name))
        != QMessageBox::Yes)
        return;
    if (row < l->count() && l->at(row).name == name)
        l->remove(row);
    view(global)->setFocus(Qt::OtherFocusReason);
}

void SavedMessagesPanel::showVariables()
{
    if (!m_variablesDialog)
        m_variablesDialog = EnvironmentEditor::dialog(m_environment, this);
    m_variablesDialog->show();
    m_variablesDialog->raise();
    m_variablesDialog->activateWindow();
}

void SavedMessagesPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void SavedMessagesPanel::retranslateUi()
{
    setAccessibleName(tr("Saved messages"));
    m_variablesButton->setText(tr("&Variables\u2026"));
    describe(m_variablesButton, QStringLiteral("variablesButton"), tr("Variables"),
        tr("Edit the session's variables: {{name}} in a message is replaced by its value when sent"));
    for (const bool global : { false, true }) {
        const Section &s = m_sections[global ? 1 : 0];
        const QString prefix = global ? QStringLiteral("global") : QStringLiteral("local");
        const auto named = [this, &prefix](const char *name) {
            return findChild<QWidget *>(prefix + QLatin1String(name));
        };
        qobject_cast<QLabel *>(named("SavedTitle"))
            ->setText(global ? tr("&Global (every connection)") : tr("&This connection"));
        describe(named("SaveComposerButton"), prefix + QStringLiteral("SaveComposerButton"),
            tr("Save the composer's message"),
            global ? tr("Save the composer's message in the global list, shown in every connection")
                   : tr("Save the composer's message in this connection's list (Ctrl+D)"));
        describe(s.view, prefix + QStringLiteral("SavedList"),
            global ? tr("Global saved messages") : tr("This connection's saved messages"),
            tr("Click the arrow, double-click or press Enter to send a message; right-click for more"));
        s.empty->setText(global ? tr("Messages saved here are shown in every connection.")
                                : tr("No saved messages yet: write one in the composer and press Ctrl+D."));
        s.send->setText(tr("Send"));
        describe(s.send, prefix + QStringLiteral("SavedSendButton"), tr("Send saved message"),
            tr("Send the selected message, with its variables filled (Enter)"));
        s.edit->setText(tr("Edit\u2026"));
        describe(s.edit, prefix + QStringLiteral("SavedEditButton"), tr("Edit saved message"),
            tr("Change the selected message's name, format or text"));
        s.remove->setText(tr("Delete"));
        describe(s.remove, prefix + QStringLiteral("SavedDeleteButton"), tr("Delete saved message"),
            tr("Delete the selected message (Delete)"));
        describe(s.more, prefix + QStringLiteral("SavedMoreButton"), tr("More actions"),
            tr("Rename, put in the composer, send periodically, move or copy the selected message"));
        const std::pair<const char *, QString> actions[] = {
            { "RenameAction", tr("&Rename\u2026") },
            { "LoadAction", tr("Put in the &Composer") },
            { "PeriodicAction", tr("Send &Periodically") },
            { "MoveUpAction", tr("Move &Up") },
            { "MoveDownAction", tr("Move &Down") },
            { "CopyAction", global ? tr("Copy to &This Connection") : tr("Copy to &Global") },
        };
        for (const auto &[name, text] : actions)
            s.menu->findChild<QAction *>(prefix + QLatin1String(name))->setText(text);
        s.view->viewport()->update(); // the rows' "(empty)" and kinds are painted in this language
    }
}

} // namespace wst
