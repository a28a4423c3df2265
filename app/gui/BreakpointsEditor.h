#pragma once

#include "proxy/ProxyOptions.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace wst {

// A proxy's breakpoints: which direction, how a message matches (exactly, contains, a regular
// expression, or a JSON field's value, as the reply rules match), and whether each is on. A
// message that matches an enabled breakpoint is held for a decision. Problems show inline.
class BreakpointsEditor : public QWidget
{
    Q_OBJECT
public:
    explicit BreakpointsEditor(QWidget *parent = nullptr);

    void setBreakpoints(const QList<ProxyBreakpoint> &breakpoints);
    // The usable breakpoints (regular expressions compiled); *error names the first problem.
    QList<ProxyBreakpoint> breakpoints(QString *error = nullptr) const;
    QTableWidget *table() const { return m_table; }
    void addBreakpoint(const ProxyBreakpoint &breakpoint);

Q_SIGNALS:
    void changed();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void onEdited();

    QTableWidget *m_table = nullptr;
    QPushButton *m_add = nullptr;
    QPushButton *m_remove = nullptr;
    QLabel *m_error = nullptr;
    bool m_loading = false;
};

} // namespace wst
