#include "TestsPanel.h"

#include "Dialogs.h"
#include "GuiHelpers.h"
#include "ScenarioEditor.h"
#include "ScenarioStepModel.h"
#include "compose/SecretValues.h"
#include "compose/SessionEnvironment.h"
#include "scenario/ScenarioRunner.h"

#include <QCloseEvent>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QSaveFile>
#include <QSplitter>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace wst {

namespace {

QToolButton *makeButton(QWidget *parent, const QString &icon, const char *objectName)
{
    auto *button = new QToolButton(parent);
    button->setObjectName(QLatin1String(objectName));
    button->setIcon(gui::icon(icon));
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    button->setAutoRaise(true);
    return button;
}

} // namespace

TestsPanel::TestsPanel(ConnectionTabWidget *tabs, SessionEnvironment *environment,
    ScenarioTabs::TabMaker makeTab, QWidget *parent)
    : QWidget(parent)
    , m_environment(environment)
    , m_tabs(new ScenarioTabs(tabs, std::move(makeTab), this))
    , m_runner(new ScenarioRunner(this))
    , m_model(new ScenarioStepModel(this))
{
    setObjectName(QStringLiteral("testsPanel"));
    buildUi();
    m_runner->setConnectionFactory(m_tabs->factory(m_runner));
    connect(m_runner, &ScenarioRunner::stepStarted, this, &TestsPanel::onStepStarted);
    connect(m_runner, &ScenarioRunner::stepFinished, this, &TestsPanel::onStepFinished);
    connect(m_runner, &ScenarioRunner::finished, this, &TestsPanel::onFinished);
    connect(m_editor, &ScenarioEditor::saveRequested, this, [this] { save(); });
    connect(m_editor, &ScenarioEditor::modificationChanged, this, &TestsPanel::updateFileLabel);
    connect(m_editor, &ScenarioEditor::checked, this, &TestsPanel::updateButtons);
    // Closing the window must not lose the scenario being written.
    if (parent) {
        m_window = parent->window();
        m_window->installEventFilter(this);
    }
    retranslateUi();
    updateButtons();
}

TestsPanel::~TestsPanel()
{
    // The runner goes first, while what it reports to is still here.
    m_runner->disconnect(this);
    delete m_runner;
}

void TestsPanel::buildUi()
{
    m_newButton = makeButton(this, QStringLiteral("add"), "newScenarioButton");
    m_openButton = makeButton(this, QStringLiteral("open"), "openScenarioButton");
    m_saveButton = makeButton(this, QStringLiteral("save"), "saveScenarioButton");
    m_runButton = makeButton(this, QStringLiteral("send"), "runScenarioButton");
    m_stopButton = makeButton(this, QStringLiteral("stop"), "stopScenarioButton");
    connect(m_newButton, &QToolButton::clicked, this, [this] { newScenario(); });
    connect(m_openButton, &QToolButton::clicked, this, [this] { open(); });
    connect(m_saveButton, &QToolButton::clicked, this, [this] { save(); });
    connect(m_runButton, &QToolButton::clicked, this, [this] { run(); });
    connect(m_stopButton, &QToolButton::clicked, this, &TestsPanel::stop);
    auto *buttons = new QHBoxLayout;
    buttons->setSpacing(2);
    for (QToolButton *b : { m_newButton, m_openButton, m_saveButton })
        buttons->addWidget(b);
    buttons->addStretch(1);
    buttons->addWidget(m_runButton);
    buttons->addWidget(m_stopButton);

    m_fileLabel = new QLabel(this);
    m_fileLabel->setObjectName(QStringLiteral("scenarioFileLabel"));
    m_fileLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_editor = new ScenarioEditor(this);
    m_editor->setObjectName(QStringLiteral("scenarioEditor"));

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("testSummaryLabel"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_steps = new QTreeView(this);
    m_steps->setObjectName(QStringLiteral("testStepsView"));
    m_steps->setModel(m_model);
    m_steps->setRootIsDecorated(false);
    m_steps->setUniformRowHeights(true);
    m_steps->setAllColumnsShowFocus(true);
    m_steps->setSelectionMode(QAbstractItemView::SingleSelection);
    m_steps->setTextElideMode(Qt::ElideMiddle);
    QHeaderView *header = m_steps->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(ScenarioStepModel::NumberColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ScenarioStepModel::StepColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(ScenarioStepModel::ResultColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ScenarioStepModel::TimeColumn, QHeaderView::ResizeToContents);
    connect(m_steps->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        m_selectionNote.clear();
        showDetail();
    });
    connect(m_steps, &QAbstractItemView::clicked, this, &TestsPanel::onStepClicked);
    connect(m_steps, &QAbstractItemView::activated, this, &TestsPanel::onStepClicked);
    m_detail = new QPlainTextEdit(this);
    m_detail->setObjectName(QStringLiteral("testStepDetail"));
    m_detail->setReadOnly(true);

    auto *results = new QWidget(this);
    auto *resultsLayout = new QVBoxLayout(results);
    resultsLayout->setContentsMargins(0, 0, 0, 0);
    resultsLayout->setSpacing(4);
    resultsLayout->addWidget(m_summary);
    auto *resultSplitter = new QSplitter(Qt::Vertical, results);
    resultSplitter->setObjectName(QStringLiteral("testResultsSplitter"));
    resultSplitter->addWidget(m_steps);
    resultSplitter->addWidget(m_detail);
    // Expected vs actual needs a few lines at the sidebar's width.
    resultSplitter->setStretchFactor(0, 1);
    resultSplitter->setStretchFactor(1, 1);
    resultsLayout->addWidget(resultSplitter, 1);

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setObjectName(QStringLiteral("testsSplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(m_editor);
    m_splitter->addWidget(results);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addLayout(buttons);
    layout->addWidget(m_fileLabel);
    layout->addWidget(m_splitter, 1);
}

void TestsPanel::retranslateUi()
{
    m_newButton->setText(tr("New"));
    m_newButton->setAccessibleName(tr("New scenario"));
    m_newButton->setToolTip(tr("Start a new scenario from a template"));
    m_openButton->setText(tr("Open"));
    m_openButton->setAccessibleName(tr("Open scenario"));
    m_openButton->setToolTip(tr("Open a scenario file (*.wstest.json)"));
    m_saveButton->setText(tr("Save"));
    m_saveButton->setAccessibleName(tr("Save scenario"));
    m_saveButton->setToolTip(tr("Save the scenario (Ctrl+S in the editor)"));
    m_runButton->setText(tr("Run"));
    m_runButton->setAccessibleName(tr("Run scenario"));
    m_runButton->setToolTip(tr("Run the scenario in new client tabs, with this window's variables"));
    m_stopButton->setText(tr("Stop"));
    m_stopButton->setAccessibleName(tr("Stop run"));
    m_stopButton->setToolTip(tr("Stop the run: the current step fails and the rest are skipped"));
    m_fileLabel->setAccessibleName(tr("Scenario file name"));
    m_summary->setAccessibleName(tr("Test summary"));
    m_steps->setAccessibleName(tr("Test steps"));
    m_steps->setToolTip(tr("Each step's result and time; click a step to select its message in "
                           "the connection's history"));
    m_detail->setAccessibleName(tr("Step details"));
    m_detail->setToolTip(tr("What the selected step expected and what arrived"));
    m_detail->setPlaceholderText(tr("Select a step to see what it expected and what arrived."));
    if (m_path.isEmpty())
        m_editor->setFileName(tr("untitled.wstest.json"));
    m_model->retranslate(m_runScenario.steps);
    updateFileLabel();
    updateSummary();
    showDetail();
}

void TestsPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

bool TestsPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_window && event->type() == QEvent::Close && !confirmDiscard()) {
        event->ignore();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

// Files.

QString TestsPanel::templateText()
{
    return QStringLiteral(R"({
  "name": "echo",
  "variables": { "port": "8080" },
  "connections": {
    "a": { "url": "ws://127.0.0.1:{{port}}/" }
  },
  "steps": [
    { "connect": "a", "expect": { "status": 101 } },
    { "send": "a", "text": "{\"op\":\"hello\"}" },
    { "expect": "a", "json": { "$.op": "hello" }, "within": 2000 },
    { "expectNone": "a", "contains": "error", "for": 500 },
    { "close": "a", "code": 1000 }
  ]
}
)");
}

QString TestsPanel::displayName() const
{
    return m_path.isEmpty() ? tr("Untitled scenario") : QFileInfo(m_path).fileName();
}

bool TestsPanel::confirmDiscard()
{
    if (!m_editor->isModified())
        return true;
    const QMessageBox::StandardButton answer
        = Dialogs::question(this, tr("Tests"), tr("%1 has unsaved changes. Save them?").arg(displayName()),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save)
        return save();
    if (answer == QMessageBox::Discard) {
        m_editor->setModified(false); // asked once: the window's second close event does not ask again
        return true;
    }
    return false;
}

bool TestsPanel::newScenario()
{
    if (!confirmDiscard())
        return false;
    m_path.clear();
    m_editor->setFileName(tr("untitled.wstest.json"));
    m_editor->setText(templateText());
    updateFileLabel();
    m_editor->textEdit()->setFocus(Qt::OtherFocusReason);
    return true;
}

bool TestsPanel::open()
{
    if (!confirmDiscard())
        return false;
    const QString dir = m_path.isEmpty() ? QDir::homePath() : QFileInfo(m_path).absolutePath();
    const QString path = Dialogs::getOpenFileName(
        this, tr("Open Scenario"), dir, tr("Scenarios (*.wstest.json);;JSON files (*.json);;All files (*)"));
    return !path.isEmpty() && openFile(path);
}

bool TestsPanel::openFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        Dialogs::warning(this, tr("Open Scenario"),
            tr("Cannot open %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
        return false;
    }
    const QByteArray data = file.readAll();
    m_path = QFileInfo(path).absoluteFilePath();
    m_editor->setFileName(m_path);
    m_editor->setText(QString::fromUtf8(data));
    updateFileLabel();
    return true;
}

bool TestsPanel::save()
{
    if (m_path.isEmpty())
        return saveAs();
    QSaveFile file(m_path);
    const QByteArray data = m_editor->text().toUtf8();
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        Dialogs::warning(this, tr("Save Scenario"),
            tr("Cannot save %1: %2").arg(QDir::toNativeSeparators(m_path), file.errorString()));
        return false;
    }
    m_editor->setModified(false);
    updateFileLabel();
    return true;
}

bool TestsPanel::saveAs()
{
    const QString dir = m_path.isEmpty() ? QDir::homePath() : QFileInfo(m_path).absolutePath();
    QString path = Dialogs::getSaveFileName(
        this, tr("Save Scenario"), dir, tr("Scenarios (*.wstest.json);;All files (*)"));
    if (path.isEmpty())
        return false;
    if (!path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive))
        path += QLatin1String(".wstest.json");
    const QString before = m_path;
    m_path = QFileInfo(path).absoluteFilePath();
    if (!save()) {
        m_path = before;
        updateFileLabel();
        return false;
    }
    m_editor->setFileName(m_path);
    return true;
}

void TestsPanel::updateFileLabel()
{
    m_fileLabel->setText(m_editor->isModified() ? tr("%1 (modified)").arg(displayName()) : displayName());
    m_fileLabel->setToolTip(m_path.isEmpty() ? tr("Not saved yet") : QDir::toNativeSeparators(m_path));
}

// Running.

bool TestsPanel::isRunning() const
{
    return m_runner->isRunning();
}

QMap<QString, QString> TestsPanel::windowVariables() const
{
    QMap<QString, QString> variables;
    if (!m_environment)
        return variables;
    // The session's variables come first and win over the active environment's, as in the tabs.
    const Variables::Environment all = m_environment->effectiveVariables();
    for (const auto &v : all) {
        if (!variables.contains(v.first))
            variables.insert(v.first, v.second);
    }
    return variables;
}

bool TestsPanel::run()
{
    if (m_runner->isRunning())
        return false;
    QString error;
    const std::optional<Scenario> scenario = m_editor->check(&error);
    if (!scenario) {
        m_notRun = tr("Not run: the scenario has a mistake (see under the editor).");
        updateSummary();
        return false;
    }
    if (scenario->steps.isEmpty()) {
        m_notRun = tr("Not run: the scenario has no steps.");
        updateSummary();
        return false;
    }
    m_notRun.clear();
    m_selectionNote.clear();
    m_runScenario = *scenario;
    m_tabs->setScenario(*scenario);
    m_runner->setVariables(windowVariables());
    m_runner->start(*scenario);
    m_model->setReport(m_runner->report());
    updateButtons();
    updateSummary();
    showDetail();
    return true;
}

void TestsPanel::stop()
{
    m_runner->stop();
}

void TestsPanel::syncSteps(int running)
{
    const ScenarioReport &report = m_runner->report();
    for (int i = 0; i < report.steps.size(); ++i) {
        const StepReport &now = report.steps.at(i);
        const StepReport &shown = m_model->report().steps.value(i);
        if (i == running || i == m_model->runningIndex() || now.outcome != shown.outcome
            || now.durationMs != shown.durationMs)
            m_model->updateStep(i, now, i == running);
    }
}

void TestsPanel::onStepStarted(int index)
{
    syncSteps(index);
    updateSummary();
}

void TestsPanel::onStepFinished(int index)
{
    Q_UNUSED(index)
    syncSteps(-1);
    updateSummary();
    const QModelIndex current = m_steps->currentIndex();
    if (current.isValid() && current.row() == index)
        showDetail();
    // A failed step comes forward, with its expected and actual text.
    if (m_runner->report().steps.value(index).outcome == StepReport::Outcome::Failed)
        m_steps->setCurrentIndex(m_model->index(index, ScenarioStepModel::StepColumn));
}

void TestsPanel::onFinished()
{
    syncSteps(-1);
    updateButtons();
    updateSummary();
    showDetail();
}

void TestsPanel::updateButtons()
{
    const bool running = m_runner->isRunning();
    m_runButton->setEnabled(!running);
    m_stopButton->setEnabled(running);
    m_newButton->setEnabled(!running);
    m_openButton->setEnabled(!running);
}

QString TestsPanel::summaryText() const
{
    return m_summary->text();
}

void TestsPanel::updateSummary()
{
    const ScenarioReport &report = m_model->report();
    const int total = int(report.steps.size());
    QString text;
    if (!m_notRun.isEmpty()) {
        text = m_notRun;
    } else if (total == 0) {
        text = tr("Not run yet.");
    } else if (m_runner->isRunning()) {
        const int at = qMax(0, m_model->runningIndex());
        text = tr("Running step %1 of %2\u2026").arg(at + 1).arg(total);
    } else {
        const int passed = report.count(StepReport::Outcome::Passed);
        const QString seconds = QLocale().toString(double(m_runner->report().durationMs) / 1000.0, 'f', 1);
        text = total == 1 ? tr("%1 of 1 step passed in %2 s").arg(passed).arg(seconds)
                          : tr("%1 of %2 steps passed in %3 s").arg(passed).arg(total).arg(seconds);
        if (m_runner->report().connectionFailed)
            text += QLatin1Char(' ') + tr("A connection could not be made.");
    }
    m_summary->setText(text);
}

QString TestsPanel::detailText() const
{
    return m_detail->toPlainText();
}

void TestsPanel::showDetail()
{
    const QModelIndex current = m_steps->currentIndex();
    if (!current.isValid() || current.row() >= m_model->report().steps.size()) {
        m_detail->clear();
        return;
    }
    const StepReport &step = m_model->report().steps.at(current.row());
    const QString detail = m_model->index(current.row(), 0).data(ScenarioStepModel::DetailRole).toString();
    QStringList lines;
    lines << tr("Step %1: %2").arg(QString::number(step.number), step.title);
    lines << tr("Result: %1")
                 .arg(ScenarioStepModel::resultText(step.outcome, current.row() == m_model->runningIndex()));
    if (step.outcome == StepReport::Outcome::Failed) {
        lines << tr("Expected: %1").arg(step.title);
        lines << tr("Actual: %1").arg(detail);
    } else if (!detail.isEmpty()) {
        lines << tr("Got: %1").arg(detail);
    }
    if (!step.others.isEmpty()) {
        lines << tr("Other messages received while it waited:");
        for (const QString &other : step.others)
            lines << QLatin1String("  ") + SecretValues::mask(other);
    }
    if (!m_selectionNote.isEmpty())
        lines << m_selectionNote;
    m_detail->setPlainText(lines.join(QLatin1Char('\n')));
}

void TestsPanel::onStepClicked()
{
    const int row = m_steps->currentIndex().row();
    if (row < 0 || row >= m_model->report().steps.size() || row >= m_runScenario.steps.size())
        return;
    const qint64 message = m_model->report().steps.at(row).messageIndex;
    const QString connection = m_runScenario.steps.at(row).connection;
    if (message < 0 || connection.isEmpty())
        return;
    m_selectionNote = m_tabs->showMessage(connection, message)
        ? QString()
        : tr("Its message is no longer shown in the history of %1 (the tab was closed, the "
             "history cleared or filtered).")
              .arg(connection);
    showDetail();
}

} // namespace wst
