#include "ScenarioRecordDialog.h"

#include "Dialogs.h"
#include "JsonHighlighter.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSaveFile>
#include <QScrollBar>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableWidget>
#include <QVBoxLayout>

namespace wst {

namespace {

enum Column { NumberColumn, ConnectionColumn, StepColumn, ContentColumn, CheckColumn, ColumnCount };

QString preview(const QByteArray &payload, bool binary)
{
    if (binary)
        return QString::fromLatin1(payload.left(24).toHex(' '))
            + (payload.size() > 24 ? QStringLiteral(" …") : QString());
    QString text = QString::fromUtf8(payload.left(400)).simplified();
    if (text.size() > 120)
        text = text.left(120) + u'…';
    return text;
}

QString suffixed(const QString &name)
{
    static const QLatin1String suffix(".wstest.json");
    if (name.endsWith(suffix, Qt::CaseInsensitive))
        return name;
    if (name.endsWith(QLatin1String(".json"), Qt::CaseInsensitive))
        return name.chopped(5) + suffix;
    return name + suffix;
}

} // namespace

ScenarioRecordDialog::ScenarioRecordDialog(std::unique_ptr<ScenarioRecorder> recorder, QWidget *parent)
    : QDialog(parent)
    , m_recorder(std::move(recorder))
{
    setObjectName(QStringLiteral("scenarioRecordDialog"));
    m_nameLabel = new QLabel(this);
    m_nameEdit = new QLineEdit(this);
    m_nameEdit->setObjectName(QStringLiteral("scenarioNameEdit"));
    m_nameLabel->setBuddy(m_nameEdit);
    m_stepsLabel = new QLabel(this);
    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("recordedStepsTable"));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(ContentColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(CheckColumn, QHeaderView::ResizeToContents);
    m_table->setWordWrap(false);
    m_stepsLabel->setBuddy(m_table);

    m_containsLabel = new QLabel(this);
    m_containsEdit = new QLineEdit(this);
    m_containsEdit->setObjectName(QStringLiteral("containsEdit"));
    m_containsLabel->setBuddy(m_containsEdit);
    m_fieldsLabel = new QLabel(this);
    m_fields = new QListWidget(this);
    m_fields->setObjectName(QStringLiteral("jsonFieldsList"));
    m_fields->setMaximumHeight(fontMetrics().height() * 6);
    m_fieldsLabel->setBuddy(m_fields);
    m_gapsCheck = new QCheckBox(this);
    m_gapsCheck->setObjectName(QStringLiteral("keepGapsCheck"));

    m_previewLabel = new QLabel(this);
    m_preview = new QPlainTextEdit(this);
    m_preview->setObjectName(QStringLiteral("scenarioPreview"));
    m_preview->setReadOnly(true);
    m_preview->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_preview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_highlighter = new JsonHighlighter(m_preview->document());
    m_previewLabel->setBuddy(m_preview);
    m_variablesLabel = new QLabel(this);
    m_variablesLabel->setObjectName(QStringLiteral("missingVariablesLabel"));
    m_variablesLabel->setWordWrap(true);
    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(QStringLiteral("recordStatusLabel"));
    m_statusLabel->setWordWrap(true);
    m_statusLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_saveButton = m_buttons->addButton(QString(), QDialogButtonBox::ActionRole);
    m_saveButton->setObjectName(QStringLiteral("saveScenarioButton"));
    m_saveButton->setDefault(true);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_saveButton, &QPushButton::clicked, this, &ScenarioRecordDialog::saveAs);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto *nameForm = new QFormLayout;
    nameForm->addRow(m_nameLabel, m_nameEdit);
    leftLayout->addLayout(nameForm);
    leftLayout->addWidget(m_stepsLabel);
    leftLayout->addWidget(m_table, 1);
    auto *detail = new QFormLayout;
    detail->addRow(m_containsLabel, m_containsEdit);
    detail->addRow(m_fieldsLabel, m_fields);
    leftLayout->addLayout(detail);
    leftLayout->addWidget(m_gapsCheck);
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_previewLabel);
    rightLayout->addWidget(m_preview, 1);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_variablesLabel);
    layout->addWidget(m_statusLabel);
    layout->addWidget(m_buttons);

    connect(m_nameEdit, &QLineEdit::textChanged, this, &ScenarioRecordDialog::updatePreview);
    connect(m_gapsCheck, &QCheckBox::toggled, this, &ScenarioRecordDialog::updatePreview);
    connect(m_table, &QTableWidget::currentCellChanged, this, [this](int row) { showStep(row); });
    connect(m_containsEdit, &QLineEdit::textEdited, this, [this](const QString &text) {
        if (m_currentRow < 0)
            return;
        m_recorder->steps()[m_currentRow].containsText = text;
        updatePreview();
    });
    connect(m_fields, &QListWidget::itemChanged, this, &ScenarioRecordDialog::onFieldChanged);

    fillTable();
    retranslateUi();
    const QFontMetrics fm = fontMetrics();
    resize(qMin(fm.horizontalAdvance(QLatin1Char('x')) * 170, 1240), fm.height() * 38);
    if (m_table->rowCount() > 0)
        m_table->selectRow(0);
    showStep(m_table->currentRow());
}

ScenarioRecordDialog::~ScenarioRecordDialog() = default;

void ScenarioRecordDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDialog::changeEvent(event);
}

void ScenarioRecordDialog::retranslateUi()
{
    setWindowTitle(tr("Create Test"));
    m_nameLabel->setText(tr("&Name:"));
    m_nameEdit->setPlaceholderText(tr("What the test checks"));
    m_nameEdit->setAccessibleName(tr("Test name"));
    m_stepsLabel->setText(tr("&Steps: sent messages are sent again, received ones are expected"));
    m_table->setHorizontalHeaderLabels({ tr("#"), tr("Connection"), tr("Step"), tr("Message"), tr("Check") });
    m_table->setAccessibleName(tr("Recorded steps"));
    m_containsLabel->setText(tr("C&ontains:"));
    m_containsEdit->setToolTip(tr("The part of the message that must be in the message received when the "
                                  "test runs"));
    m_fieldsLabel->setText(tr("&Compare:"));
    m_fields->setToolTip(tr("The top-level members whose values must be the same; unchecked ones are not "
                            "compared (ids, tokens and times change from run to run)"));
    m_fields->setAccessibleName(tr("JSON members to compare"));
    m_gapsCheck->setText(tr("&Keep the gaps as waits"));
    m_gapsCheck->setToolTip(tr("Wait as long as you did between the steps before each send, as "
                               "recorded"));
    m_previewLabel->setText(tr("&Preview:"));
    m_preview->setAccessibleName(tr("Scenario preview"));
    m_saveButton->setText(tr("&Save As…"));
    m_saveButton->setToolTip(tr("Save the test as a .wstest.json file that the Tests panel and "
                                "\"wstester test\" run"));
    for (QComboBox *combo : std::as_const(m_combos)) {
        if (!combo)
            continue;
        combo->setItemText(0, tr("Exact"));
        combo->setItemText(1, tr("Contains"));
        if (combo->count() > 2)
            combo->setItemText(2, tr("JSON path"));
        combo->setToolTip(tr("How closely the received message must match what was recorded"));
        combo->setAccessibleName(tr("Check"));
    }
    updateRowTexts();
    showStep(m_currentRow);
    updatePreview();
}

QString ScenarioRecordDialog::stepKindText(const RecordedStep &step) const
{
    switch (step.type) {
    case RecordedStep::Type::Connect:
        return tr("Connect");
    case RecordedStep::Type::Send:
        return tr("Send");
    case RecordedStep::Type::Expect:
        return tr("Expect");
    case RecordedStep::Type::ExpectClose:
        return tr("Expect close");
    case RecordedStep::Type::Ping:
        return tr("Ping");
    case RecordedStep::Type::Close:
        return tr("Close");
    }
    return {};
}

QString ScenarioRecordDialog::stepContentText(const RecordedStep &step) const
{
    switch (step.type) {
    case RecordedStep::Type::Connect:
        return step.subprotocol && !step.subprotocol->isEmpty() ? tr("subprotocol %1").arg(*step.subprotocol)
                                                                : QString();
    case RecordedStep::Type::Send:
        return QStringLiteral("→ ") + preview(step.payload, step.binary);
    case RecordedStep::Type::Expect:
        return QStringLiteral("← ") + preview(step.payload, step.binary) + QStringLiteral("  ")
            + tr("(after %1 ms)").arg(step.delayMs);
    case RecordedStep::Type::ExpectClose:
        return step.closeCode > 0 ? tr("code %1").arg(step.closeCode) : tr("any code");
    case RecordedStep::Type::Ping:
        return preview(step.payload, false);
    case RecordedStep::Type::Close:
        return QString(tr("code %1").arg(step.closeCode) + u' ' + QString::fromUtf8(step.payload)).trimmed();
    }
    return {};
}

void ScenarioRecordDialog::fillTable()
{
    m_filling = true;
    const QList<RecordedStep> &steps = m_recorder->steps();
    m_table->setRowCount(int(steps.size()));
    m_combos.clear();
    for (int row = 0; row < steps.size(); ++row) {
        const RecordedStep &step = steps.at(row);
        for (int c = 0; c < CheckColumn; ++c)
            m_table->setItem(row, c, new QTableWidgetItem);
        QComboBox *combo = nullptr;
        if (step.canLoosen()) {
            combo = new QComboBox(m_table);
            combo->setObjectName(QStringLiteral("loosenessCombo"));
            combo->addItem(QString(), int(RecordedStep::Looseness::Exact));
            combo->addItem(QString(), int(RecordedStep::Looseness::Contains));
            if (step.isJsonObject())
                combo->addItem(QString(), int(RecordedStep::Looseness::JsonPath));
            combo->setCurrentIndex(combo->findData(int(step.looseness)));
            connect(combo, &QComboBox::activated, this, [this, row, combo](int index) {
                setLooseness(row, RecordedStep::Looseness(combo->itemData(index).toInt()));
            });
            m_table->setCellWidget(row, CheckColumn, combo);
        } else {
            m_table->setItem(row, CheckColumn, new QTableWidgetItem);
        }
        m_combos.append(combo);
    }
    m_table->resizeColumnToContents(NumberColumn);
    m_filling = false;
}

void ScenarioRecordDialog::updateRowTexts()
{
    const QList<RecordedStep> &steps = m_recorder->steps();
    for (int row = 0; row < steps.size() && row < m_table->rowCount(); ++row) {
        const RecordedStep &step = steps.at(row);
        m_table->item(row, NumberColumn)->setText(QString::number(row + 1));
        m_table->item(row, ConnectionColumn)->setText(step.connection);
        m_table->item(row, StepColumn)->setText(stepKindText(step));
        m_table->item(row, ContentColumn)->setText(stepContentText(step));
        m_table->item(row, ContentColumn)->setToolTip(QString::fromUtf8(step.payload.left(2000)));
        if (QTableWidgetItem *check = m_table->item(row, CheckColumn))
            check->setText(step.type == RecordedStep::Type::Expect && step.binary ? tr("Exact") : QString());
    }
    m_table->resizeColumnToContents(ConnectionColumn);
    m_table->resizeColumnToContents(StepColumn);
}

void ScenarioRecordDialog::setLooseness(int row, RecordedStep::Looseness looseness)
{
    if (row < 0 || row >= m_recorder->steps().size() || !m_recorder->steps().at(row).canLoosen())
        return;
    RecordedStep &step = m_recorder->steps()[row];
    if (looseness == RecordedStep::Looseness::JsonPath && !step.isJsonObject())
        return;
    step.looseness = looseness;
    if (QComboBox *combo = m_combos.value(row))
        combo->setCurrentIndex(combo->findData(int(looseness)));
    if (row == m_currentRow)
        showStep(row);
    updatePreview();
}

void ScenarioRecordDialog::showStep(int row)
{
    m_currentRow = row;
    const bool valid = row >= 0 && row < m_recorder->steps().size();
    const RecordedStep *step = valid ? &m_recorder->steps().at(row) : nullptr;
    const bool contains = step && step->canLoosen() && step->looseness == RecordedStep::Looseness::Contains;
    const bool jsonPath = step && step->canLoosen() && step->looseness == RecordedStep::Looseness::JsonPath;
    m_containsEdit->setEnabled(contains);
    m_containsEdit->setText(contains ? step->containsText : QString());
    m_fields->setEnabled(jsonPath);
    const QSignalBlocker blocker(m_fields);
    m_fields->clear();
    if (!jsonPath)
        return;
    for (const QString &field : step->fields) {
        auto *item = new QListWidgetItem(field, m_fields);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(step->chosenFields.contains(field) ? Qt::Checked : Qt::Unchecked);
    }
}

void ScenarioRecordDialog::onFieldChanged(QListWidgetItem *item)
{
    if (m_currentRow < 0 || m_currentRow >= m_recorder->steps().size())
        return;
    RecordedStep &step = m_recorder->steps()[m_currentRow];
    step.chosenFields.clear();
    for (int i = 0; i < m_fields->count(); ++i) {
        if (m_fields->item(i)->checkState() == Qt::Checked)
            step.chosenFields.append(m_fields->item(i)->text());
    }
    Q_UNUSED(item)
    updatePreview();
}

void ScenarioRecordDialog::updatePreview()
{
    if (m_filling)
        return;
    if (m_recorder->steps().isEmpty()) {
        m_text.clear();
        m_preview->setPlainText(QString());
        m_saveButton->setEnabled(false);
        m_variablesLabel->setText(
            tr("Nothing to replay here: select sent or received messages, or the connection's events."));
        return;
    }
    ScenarioRecorder::Options options;
    options.name = m_nameEdit->text().trimmed();
    options.keepGaps = m_gapsCheck->isChecked();
    m_text = m_recorder->toJson(options);
    // Keep the reader's place while the text changes under it.
    const int scroll = m_preview->verticalScrollBar()->value();
    m_preview->setPlainText(QString::fromUtf8(m_text));
    m_preview->verticalScrollBar()->setValue(scroll);
    m_saveButton->setEnabled(true);
    const QStringList missing = m_recorder->missingVariables();
    m_variablesLabel->setVisible(!missing.isEmpty());
    m_variablesLabel->setText(missing.isEmpty() ? QString()
                                                : tr("Set before running: %1. Secrets are written as "
                                                     "{{variables}}, never as their values.")
                                                      .arg(missing.join(QLatin1String(", "))));
}

void ScenarioRecordDialog::setNote(const QString &text)
{
    m_statusLabel->setText(text);
}

bool ScenarioRecordDialog::saveTo(const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(m_text) != m_text.size() || !file.commit()) {
        *error = tr("Cannot save %1: %2.").arg(QDir::toNativeSeparators(path), file.errorString());
        return false;
    }
    error->clear();
    return true;
}

bool ScenarioRecordDialog::saveAs()
{
    if (m_text.isEmpty())
        return false;
    QString base = m_nameEdit->text().trimmed();
    base.replace(QRegularExpression(QStringLiteral("[^\\w.-]+")), QStringLiteral("-"));
    if (base.isEmpty())
        base = QStringLiteral("recorded");
    const QString folder = m_savedPath.isEmpty()
        ? QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)
        : QFileInfo(m_savedPath).absolutePath();
    const QString name
        = Dialogs::getSaveFileName(this, tr("Save Test As"), QDir(folder).filePath(suffixed(base)),
            tr("Tests (*.wstest.json)") + QStringLiteral(";;") + tr("All files (*)"));
    if (name.isEmpty())
        return false;
    const QString path = suffixed(name);
    // The file dialog asked about the name as typed; the suffix may make it another file.
    if (path != name && QFileInfo::exists(path)
        && Dialogs::question(this, tr("Save Test"),
               tr("%1 already exists. Do you want to replace it?").arg(QFileInfo(path).fileName()))
            != QMessageBox::Yes)
        return false;
    QString error;
    if (!saveTo(path, &error)) {
        Dialogs::warning(this, tr("Save Test"), error);
        return false;
    }
    m_savedPath = path;
    m_statusLabel->setText(tr("Saved to %1.").arg(QDir::toNativeSeparators(path)));
    emit scenarioCreated(path);
    return true;
}

} // namespace wst
