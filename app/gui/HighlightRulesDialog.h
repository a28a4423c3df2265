#pragma once

#include "messages/HighlightRules.h"

#include <QDialog>

class QLabel;
class QTableWidget;
class QToolButton;

namespace wst {

// Edits a tab's highlight rules: an expression and a colour per row, in order (the first rule
// that matches colours the row). Rules that do not parse are named below the table and OK stays
// off until they do.
class HighlightRulesDialog : public QDialog
{
    Q_OBJECT
public:
    explicit HighlightRulesDialog(const QList<HighlightRules::Rule> &rules, QWidget *parent = nullptr);

    QList<HighlightRules::Rule> rules() const;
    // Adds a row (what the Add button does), for the keyboard and for tests.
    void addRule(const QString &expression, HighlightRules::Colour colour);
    QTableWidget *table() const { return m_table; }
    QString errorText() const;

private:
    void insertRow(int row, const HighlightRules::Rule &rule);
    void moveCurrent(int by);
    void validate();

    QTableWidget *m_table = nullptr;
    QLabel *m_error = nullptr;
    QToolButton *m_remove = nullptr;
    QToolButton *m_up = nullptr;
    QToolButton *m_down = nullptr;
};

} // namespace wst
