#pragma once

#include "compose/NamedEnvironment.h"

#include <QPointer>
#include <QWidget>

class QCheckBox;
class QLabel;
class QListWidget;
class QTableWidget;
class QToolBar;

namespace wst {

class EnvironmentLibrary;
class SessionEnvironment;
class WorkspaceDock;

// The workspace's "Environments" page: the named environments (new, rename, duplicate, delete,
// import, export, set active in this window) and the selected one's variables (name, value,
// secret). Secret values are shown as dots unless "Show secret values" is on. Edits are saved to
// the environment's file at once; a bad one is refused with one line and the table keeps it.
class EnvironmentsPanel : public QWidget
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

public:
    EnvironmentsPanel(SessionEnvironment *environment, QWidget *parent = nullptr);
    // A window's whole share: the "Environments" page of its workspace and the switcher at the
    // end of its toolbar, whose "Manage environments…" shows the page.
    static EnvironmentsPanel *addTo(
        WorkspaceDock *workspace, QToolBar *toolbar, SessionEnvironment *environment);

    QListWidget *list() const { return m_list; }
    QTableWidget *table() const { return m_table; }
    QString selectedName() const;
    void selectEnvironment(const QString &name);
    QString errorText() const;

    // The buttons' actions (names are asked with Dialogs::getText, files with Dialogs).
    void newEnvironment();
    void renameSelected();
    void duplicateSelected();
    void deleteSelected();
    void importEnvironment();
    void exportSelected();
    void activateSelected();
    void addVariable();
    void removeSelectedVariable();
    // The variables as the table holds them.
    QList<EnvironmentVariable> tableVariables() const;

private:
    void rebuildList();
    void loadVariables();
    void applyVariables();
    void setError(const QString &error);
    void updateNote();
    void updateButtons();
    EnvironmentLibrary *library() const;

    QPointer<SessionEnvironment> m_environment;
    QListWidget *m_list = nullptr;
    QTableWidget *m_table = nullptr;
    QCheckBox *m_showSecrets = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_note = nullptr;
    QList<QWidget *> m_needSelection;
    QString m_shown; // the environment whose variables the table shows
    bool m_loading = false;
};

} // namespace wst
