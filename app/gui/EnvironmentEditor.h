#pragma once

#include <QPointer>
#include <QWidget>

class QDialog;
class QLabel;
class QPushButton;
class QTableView;

namespace wst {

class SessionEnvironment;

// Edits the session's variables as a table of names and values; a bad name (invalid, built in,
// defined twice) is shown inline. Changes apply at once. Put it in any dialog or pane; dialog()
// makes the usual one.
class EnvironmentEditor : public QWidget
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

public:
    explicit EnvironmentEditor(QWidget *parent = nullptr);

    void setEnvironment(SessionEnvironment *environment);
    SessionEnvironment *environment() const { return m_environment; }
    QTableView *table() const { return m_table; }

    // Adds a row and starts editing its name.
    void addVariable();
    void removeSelected();
    QString errorText() const;

    // A non-modal "Variables" dialog around an editor for this environment, deleted on close.
    static QDialog *dialog(SessionEnvironment *environment, QWidget *parent);

private:
    void revalidate();

    QPointer<SessionEnvironment> m_environment;
    QTableView *m_table = nullptr;
    QPushButton *m_addButton = nullptr;
    QPushButton *m_removeButton = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace wst
