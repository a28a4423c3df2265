#pragma once

#include "scenario/Scenario.h"

#include <QTimer>
#include <QWidget>

#include <optional>

class QLabel;
class QPlainTextEdit;

namespace wst {

// The Tests panel's editor of a scenario file: the JSON text, checked by ScenarioParser a moment
// after each change (not on every key), with the parser's "file:line:column: …" line under it and
// that line marked. Ctrl+S while it has focus asks for a save.
class ScenarioEditor : public QWidget
{
    Q_OBJECT
public:
    explicit ScenarioEditor(QWidget *parent = nullptr);

    QPlainTextEdit *textEdit() const { return m_edit; }
    QString text() const;
    // Replaces the text (a file opened, a new scenario): not a modification.
    void setText(const QString &text);
    bool isModified() const;
    void setModified(bool modified);
    // What messages name the scenario by ("chat.wstest.json"; relative sends are read next to it).
    void setFileName(const QString &fileName);

    // Parses now. The scenario, or nothing with the error shown (and in *error).
    std::optional<Scenario> check(QString *error = nullptr);
    // The error shown under the editor (empty: the text is a valid scenario).
    QString errorText() const;
    // The 1-based line and column the error points at (0: none).
    int errorLine() const { return m_errorLine; }
    int errorColumn() const { return m_errorColumn; }
    void setReadOnly(bool readOnly);

    static constexpr int CheckDelayMs = 400;

Q_SIGNALS:
    void saveRequested();
    void modificationChanged(bool modified);
    // After each check: the text is a valid scenario, or not.
    void checked(bool valid);

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void retranslateUi();
    void showError(const QString &error);

    QPlainTextEdit *m_edit = nullptr;
    QLabel *m_error = nullptr;
    QTimer m_checkTimer;
    QString m_fileName;
    int m_errorLine = 0;
    int m_errorColumn = 0;
};

} // namespace wst
