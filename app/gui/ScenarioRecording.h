#pragma once

#include "compose/Variables.h"
#include "scenario/ScenarioRecorder.h"

#include <QObject>
#include <QPointer>

class QAction;

namespace wst {

class HistoryPane;
class MainWindow;
class ScenarioRecordDialog;

// Where "Create test" starts: "Create test from selection…" in a client tab's history context
// menu and "Create test from session…" in the File menu. Both open a ScenarioRecordDialog; every
// scenario saved from this window is announced by scenarioCreated(), for the Tests panel.
class ScenarioRecording : public QObject
{
    Q_OBJECT
public:
    // Rows beyond this many are left out: a test replays a few steps, not a whole day.
    static constexpr int MaxRows = 2000;

    // Adds the session action to the window's File menu (after Export).
    explicit ScenarioRecording(MainWindow *window);

    QAction *sessionAction() const { return m_sessionAction; }
    // Adds "Create test from selection…" to a client tab's history (its context menu).
    static void attachTo(HistoryPane *pane);
    // The recording window of the widget's window, if it has one.
    static ScenarioRecording *of(QWidget *widget);

    // A dialog (not modal, deleted when closed) over these rows, shown.
    static ScenarioRecordDialog *openDialog(QWidget *parent, const QList<RecordedSource> &sources,
        const Variables::Environment &environment, qint64 leftOut);

    // The rows selected in this history (the pane of a client tab).
    static ScenarioRecordDialog *createFromSelection(HistoryPane *pane);

public Q_SLOTS:
    // Every client tab of the window, all of its history, one connection each.
    ScenarioRecordDialog *createFromSession();

Q_SIGNALS:
    void scenarioCreated(const QString &path);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void retranslateUi();

    MainWindow *m_window = nullptr;
    QAction *m_sessionAction = nullptr;
};

} // namespace wst
