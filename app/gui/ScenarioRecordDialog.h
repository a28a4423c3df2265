#pragma once

#include "scenario/ScenarioRecorder.h"

#include <QDialog>

#include <memory>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace wst {

class JsonHighlighter;

// "Create test": the steps recorded from a tab's selected rows or a whole session, each expect
// step with its looseness (exact, contains, JSON path and the members it compares), the gaps as
// waits or not, a live preview of the *.wstest.json text, and Save As.
class ScenarioRecordDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ScenarioRecordDialog(std::unique_ptr<ScenarioRecorder> recorder, QWidget *parent = nullptr);
    ~ScenarioRecordDialog() override;

    ScenarioRecorder *recorder() const { return m_recorder.get(); }
    // The scenario as it would be saved now.
    QByteArray scenarioText() const { return m_text; }
    // Changes the looseness of the step in that table row (tests, and the row's combo box).
    void setLooseness(int row, RecordedStep::Looseness looseness);
    // Writes the scenario; false with *error (one line) when it cannot.
    bool saveTo(const QString &path, QString *error);
    QString savedPath() const { return m_savedPath; }
    // A line under the preview ("Only the first 2000 rows are used.").
    void setNote(const QString &text);

public Q_SLOTS:
    // Asks for a file name (through Dialogs), and whether to replace a file that is there.
    bool saveAs();

Q_SIGNALS:
    // A scenario was written to path (the window can offer to open it in its Tests panel).
    void scenarioCreated(const QString &path);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void fillTable();
    void updateRowTexts();
    void showStep(int row);
    void onFieldChanged(QListWidgetItem *item);
    void updatePreview();
    QString stepKindText(const RecordedStep &step) const;
    QString stepContentText(const RecordedStep &step) const;

    std::unique_ptr<ScenarioRecorder> m_recorder;
    QLineEdit *m_nameEdit = nullptr;
    QLabel *m_nameLabel = nullptr;
    QLabel *m_stepsLabel = nullptr;
    QTableWidget *m_table = nullptr;
    QList<QComboBox *> m_combos; // per table row; null for steps that cannot be loosened
    QLabel *m_containsLabel = nullptr;
    QLineEdit *m_containsEdit = nullptr;
    QLabel *m_fieldsLabel = nullptr;
    QListWidget *m_fields = nullptr;
    QCheckBox *m_gapsCheck = nullptr;
    QLabel *m_previewLabel = nullptr;
    QPlainTextEdit *m_preview = nullptr;
    JsonHighlighter *m_highlighter = nullptr;
    QLabel *m_variablesLabel = nullptr;
    QLabel *m_statusLabel = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_saveButton = nullptr;
    int m_currentRow = -1;
    bool m_filling = false;
    QByteArray m_text;
    QString m_savedPath;
};

} // namespace wst
