#pragma once

#include "compose/SavedMessage.h"
#include "compose/SessionEnvironment.h"

#include <QPointer>
#include <QWidget>

class QDialog;
class QLabel;
class QListView;
class QMenu;
class QPushButton;
class QToolButton;

namespace wst {

class SavedMessageDialog;

// The client tab's side panel: this connection's saved messages above the global ones. Each
// row shows the name, the format and a preview, with a send button; a double-click or Enter
// sends it too. Sending, saving and the periodic run are the tab's: the panel asks for them.
class SavedMessagesPanel : public QWidget
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

public:
    explicit SavedMessagesPanel(QWidget *parent = nullptr);

    void setLists(SavedMessageList *local, SavedMessageList *global);
    void setEnvironment(SessionEnvironment *environment);
    SavedMessageList *list(bool global) const { return global ? m_global : m_local; }
    QListView *view(bool global) const;

    // The inline message under the lists (why the last send was refused); empty hides it.
    void setError(const QString &error);
    QString errorText() const;

    void sendAt(bool global, int row);
    // Opens the edit dialog (window-modal, not blocking); it applies the change when accepted.
    SavedMessageDialog *editAt(bool global, int row);
    void renameAt(bool global, int row);
    void removeAt(bool global, int row);
    // Opens the Variables dialog (or raises it).
    void showVariables();

Q_SIGNALS:
    void sendRequested(const wst::SavedMessage &message);
    void periodicRequested(const wst::SavedMessage &message);
    void loadRequested(const wst::SavedMessage &message);
    void saveComposerRequested(bool global);

private:
    QWidget *buildSection(bool global);
    int currentRow(bool global) const;
    void updateButtons(bool global);
    void showContextMenu(bool global, const QPoint &pos);

    struct Section
    {
        QListView *view = nullptr;
        QLabel *empty = nullptr;
        QPushButton *send = nullptr;
        QPushButton *edit = nullptr;
        QPushButton *remove = nullptr;
        QToolButton *more = nullptr;
        QMenu *menu = nullptr;
    };
    Section m_sections[2];
    QPointer<SavedMessageList> m_local;
    QPointer<SavedMessageList> m_global;
    QPointer<SessionEnvironment> m_environment;
    QPointer<QDialog> m_variablesDialog;
    QPushButton *m_variablesButton = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace wst
