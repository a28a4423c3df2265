#pragma once

#include "ScenarioTabs.h"
#include "scenario/Scenario.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QSplitter;
class QToolButton;
class QTreeView;

namespace wst {

class ConnectionTabWidget;
class ScenarioEditor;
class ScenarioRunner;
class ScenarioStepModel;
class SessionEnvironment;

// The workspace's "Tests" page: a scenario file (*.wstest.json) opened, started from a template
// and edited with validation as you type; Run and Stop; each step's outcome and time as the run
// goes, a failed step's expected and actual text, and the summary. Runs use real client tabs
// (ScenarioTabs), so their history, handshake and frames show the run; clicking a step selects
// the message it decided on in that tab's history. The window's variables (its session's and its
// active environment's) override the file's "variables"; secret values are used, never shown.
class TestsPanel : public QWidget
{
    Q_OBJECT
public:
    TestsPanel(ConnectionTabWidget *tabs, SessionEnvironment *environment, ScenarioTabs::TabMaker makeTab,
        QWidget *parent = nullptr);
    ~TestsPanel() override;

    ScenarioEditor *editor() const { return m_editor; }
    QTreeView *stepView() const { return m_steps; }
    ScenarioStepModel *stepModel() const { return m_model; }
    ScenarioRunner *runner() const { return m_runner; }
    ScenarioTabs *scenarioTabs() const { return m_tabs; }
    QString filePath() const { return m_path; }
    QString summaryText() const;
    QString detailText() const;
    bool isRunning() const;

    // Each asks (through Dialogs) before unsaved changes would be lost; false when nothing was done.
    bool newScenario();
    bool open();
    // Opens this file without asking (the caller has asked); false with a warning when unreadable.
    bool openFile(const QString &path);
    bool save();
    bool saveAs();
    // Starts the editor's scenario (it must be valid: otherwise its error is shown); false when not.
    bool run();
    void stop();
    // Unsaved changes: asks Save / Discard / Cancel. True when they may go.
    bool confirmDiscard();

    // The text a new scenario starts from.
    static QString templateText();

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void retranslateUi();
    void buildUi();
    void onStepStarted(int index);
    void onStepFinished(int index);
    void onFinished();
    void syncSteps(int running);
    void updateButtons();
    void updateFileLabel();
    void updateSummary();
    void showDetail();
    void onStepClicked();
    QMap<QString, QString> windowVariables() const;
    QString displayName() const;

    QPointer<SessionEnvironment> m_environment;
    ScenarioTabs *m_tabs = nullptr;
    ScenarioRunner *m_runner = nullptr;
    ScenarioStepModel *m_model = nullptr;
    ScenarioEditor *m_editor = nullptr;
    QToolButton *m_newButton = nullptr;
    QToolButton *m_openButton = nullptr;
    QToolButton *m_saveButton = nullptr;
    QToolButton *m_runButton = nullptr;
    QToolButton *m_stopButton = nullptr;
    QLabel *m_fileLabel = nullptr;
    QLabel *m_summary = nullptr;
    QTreeView *m_steps = nullptr;
    QPlainTextEdit *m_detail = nullptr;
    QSplitter *m_splitter = nullptr;
    QPointer<QWidget> m_window; // whose closing asks about unsaved changes
    QString m_path;
    Scenario m_runScenario; // the scenario of the run shown
    QString m_notRun; // why the last Run did not start, shown as the summary
    QString m_selectionNote; // why clicking a step selected nothing
};

} // namespace wst
