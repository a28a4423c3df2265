#include "ScenarioRecording.h"

#include "ActionRegistry.h"
#include "ClientTab.h"
#include "HistoryPane.h"
#include "HistoryView.h"
#include "MainWindow.h"
#include "ScenarioRecordDialog.h"
#include "compose/SessionEnvironment.h"

#include <QAction>
#include <QEvent>
#include <QItemSelectionModel>
#include <QMenu>

namespace wst {

namespace {

ClientTab *tabOf(QWidget *widget)
{
    for (QWidget *w = widget; w; w = w->parentWidget()) {
        if (auto *tab = qobject_cast<ClientTab *>(w))
            return tab;
    }
    return nullptr;
}

Variables::Environment environmentOf(ClientTab *tab)
{
    return tab && tab->environment() ? tab->environment()->effectiveVariables() : Variables::Environment {};
}

// The history's action: its texts follow the language of the pane it is in.
class SelectionAction : public QAction
{
public:
    explicit SelectionAction(HistoryPane *pane)
        : QAction(pane)
        , m_pane(pane)
    {
        setObjectName(QStringLiteral("createTestFromSelectionAction"));
        retranslate();
        pane->installEventFilter(this);
        connect(this, &QAction::triggered, pane, [pane] { ScenarioRecording::createFromSelection(pane); });
        QItemSelectionModel *selection = pane->view()->selectionModel();
        connect(selection, &QItemSelectionModel::selectionChanged, this,
            [this, selection] { setEnabled(selection->hasSelection()); });
        setEnabled(selection->hasSelection());
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == m_pane && event->type() == QEvent::LanguageChange)
            retranslate();
        return QAction::eventFilter(watched, event);
    }

private:
    void retranslate()
    {
        setText(ScenarioRecording::tr("Create &Test from Selection…"));
        setToolTip(ScenarioRecording::tr("Make a test of the selected messages: what was sent is sent "
                                         "again, what was received is expected"));
    }

    HistoryPane *m_pane;
};

} // namespace

ScenarioRecording::ScenarioRecording(MainWindow *window)
    : QObject(window)
    , m_window(window)
{
    setObjectName(QStringLiteral("scenarioRecording"));
    m_sessionAction = new QAction(window);
    m_sessionAction->setObjectName(QStringLiteral("createTestFromSessionAction"));
    connect(m_sessionAction, &QAction::triggered, this, &ScenarioRecording::createFromSession);
    // Beside Export: both turn what the session holds into a file.
    QAction *exportAction = window->actionRegistry()->action(QStringLiteral("exportAction"));
    const QList<QObject *> holders = exportAction ? exportAction->associatedObjects() : QList<QObject *> {};
    for (QObject *holder : holders) {
        if (auto *menu = qobject_cast<QMenu *>(holder)) {
            const QList<QAction *> actions = menu->actions();
            const qsizetype at = actions.indexOf(exportAction);
            menu->insertAction(actions.value(at + 1), m_sessionAction);
        }
    }
    window->installEventFilter(this);
    retranslateUi();
}

void ScenarioRecording::retranslateUi()
{
    m_sessionAction->setText(tr("Create Test from &Session…"));
    m_sessionAction->setToolTip(tr("Make a test of every client tab's history: one connection per tab, the "
                                   "steps in time order"));
}

bool ScenarioRecording::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_window && event->type() == QEvent::LanguageChange)
        retranslateUi();
    return QObject::eventFilter(watched, event);
}

void ScenarioRecording::attachTo(HistoryPane *pane)
{
    auto *action = new SelectionAction(pane);
    // After Copy and Resend, before the separator.
    const QList<QAction *> actions = pane->view()->actions();
    QAction *before = nullptr;
    for (QAction *a : actions) {
        if (a->isSeparator()) {
            before = a;
            break;
        }
    }
    pane->view()->insertAction(before, action);
}

ScenarioRecording *ScenarioRecording::of(QWidget *widget)
{
    QWidget *window = widget ? widget->window() : nullptr;
    return window ? window->findChild<ScenarioRecording *>(QString(), Qt::FindDirectChildrenOnly) : nullptr;
}

ScenarioRecordDialog *ScenarioRecording::openDialog(QWidget *parent, const QList<RecordedSource> &sources,
    const Variables::Environment &environment, qint64 leftOut)
{
    auto *dialog = new ScenarioRecordDialog(std::make_unique<ScenarioRecorder>(sources, environment), parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (leftOut > 0)
        dialog->setNote(tr("Only the first %n message(s) are used; %1 more are left out.", nullptr, MaxRows)
                            .arg(leftOut));
    if (ScenarioRecording *recording = of(parent))
        connect(
            dialog, &ScenarioRecordDialog::scenarioCreated, recording, &ScenarioRecording::scenarioCreated);
    dialog->show();
    return dialog;
}

ScenarioRecordDialog *ScenarioRecording::createFromSelection(HistoryPane *pane)
{
    ClientTab *tab = tabOf(pane);
    if (!tab)
        return nullptr;
    QList<qint64> rows = pane->selectedStoreIndexes();
    const qint64 leftOut = qMax<qint64>(0, rows.size() - MaxRows);
    rows = rows.mid(0, MaxRows);
    return openDialog(pane->window(), { { tab->title(), tab->settingsJson(), tab->store(), rows } },
        environmentOf(tab), leftOut);
}

ScenarioRecordDialog *ScenarioRecording::createFromSession()
{
    QList<RecordedSource> sources;
    qint64 budget = MaxRows;
    qint64 leftOut = 0;
    ClientTab *first = nullptr;
    for (int i = 0; i < m_window->tabCount(); ++i) {
        ClientTab *tab = m_window->tabAt(i);
        if (!tab || tab->store()->count() == 0)
            continue;
        const qint64 count = tab->store()->count();
        QList<qint64> rows;
        for (qint64 r = 0; r < count && r < budget; ++r)
            rows.append(r);
        leftOut += count - rows.size();
        budget -= rows.size();
        first = first ? first : tab;
        sources.append({ tab->title(), tab->settingsJson(), tab->store(), rows });
    }
    return openDialog(m_window, sources, environmentOf(first), leftOut);
}

} // namespace wst
