#pragma once

#include <QDockWidget>

class QTabWidget;

namespace wst {

// The workspace sidebar (View > Workspace, F9): a dock on the window's left with one page per
// part of the workspace (collections, connection history, environments). Each page is a widget
// of its own, added by the window with addPage(); the dock only hosts them.
class WorkspaceDock : public QDockWidget
{
    Q_OBJECT
public:
    explicit WorkspaceDock(QWidget *parent = nullptr);

    // Adds a page with this title; the dock takes ownership. Returns its index. The tab's title
    // follows the page's windowTitle() from then on: a page sets it in its retranslateUi().
    int addPage(QWidget *page, const QString &title);
    // Shows the dock with this page in front.
    void showPage(QWidget *page);
    QWidget *currentPage() const;
    QTabWidget *pages() const { return m_pages; }

    // Shown in a window too narrow for it beside the tabs, the dock floats over the window's
    // left edge instead of widening the window (past an 800 px screen, before).
    void setVisible(bool visible) override;

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void retranslateUi();
    void floatIfNoRoom();

    QTabWidget *m_pages = nullptr;
};

} // namespace wst
