#pragma once

#include <QTimer>
#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QToolButton;

namespace wst {

class MessageFilterModel;

// The controls above the history that drive a MessageFilterModel: the text (substring or
// regular expression, with or without case), the directions and the kinds. Typing applies
// after a short pause so that each key does not refilter a million rows.
class FilterBar : public QWidget
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

public:
    explicit FilterBar(QWidget *parent = nullptr);

    // The model is not owned.
    void setFilterModel(MessageFilterModel *model);
    MessageFilterModel *filterModel() const { return m_model; }

    QLineEdit *lineEdit() const { return m_edit; }
    // Why the pattern is not valid, as shown to the user; empty when it is.
    QString errorText() const;
    bool isErrorVisible() const;
    // "12 of 3,400 messages" while a filter hides some; empty when none does.
    QString countText() const;

    // The count follows a flood at most this often (it costs a label update, not a recount).
    static constexpr int CountIntervalMs = 250;

    static constexpr int DebounceMs = 150;

public Q_SLOTS:
    // Resets every filter: text, options, directions and kinds.
    void clearFilters();
    void focusFilter();
    // Applies the typed text now instead of after the pause.
    void applyNow();

Q_SIGNALS:
    void filterApplied();

private:
    void applyText();
    void applyMasks();
    void updateState();
    void updateKindsButton();
    void updateCount();
    void scheduleCount();
    void watchSource();

    MessageFilterModel *m_model = nullptr;
    QLineEdit *m_edit = nullptr;
    QToolButton *m_regexButton = nullptr;
    QToolButton *m_caseButton = nullptr;
    QToolButton *m_directionButtons[3] {};
    QToolButton *m_kindsButton = nullptr;
    QAction *m_kindActions[8] {};
    QAction *m_hideKeepAlives = nullptr; // a protocol's pings and heart-beats
    QToolButton *m_clearButton = nullptr;
    QLabel *m_errorLabel = nullptr;
    QLabel *m_countLabel = nullptr;
    QTimer m_debounce;
    QTimer m_countTimer;
    QList<QMetaObject::Connection> m_sourceConnections;
};

} // namespace wst
