#pragma once

#include <QList>
#include <QTabWidget>

class QAction;
class QMenu;

namespace wst {

class ConnectionPage;

// The window's tabs: one ConnectionPage each, titled and marked with the page's state, renamed
// by a double-click or the context menu, and an empty page with New buttons when none is left.
// A closed page leaves the bar at once and is deleted once it has closed gracefully.
class ConnectionTabWidget : public QTabWidget
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

public:
    explicit ConnectionTabWidget(QWidget *parent = nullptr);
    // Deletes the pages first, their signals silenced, while this widget is still whole.
    ~ConnectionTabWidget() override;

    // Adds the page (owned from now on), titled; does not make it current.
    void addPage(ConnectionPage *page);
    ConnectionPage *page(int index) const;
    ConnectionPage *currentPage() const;
    QList<ConnectionPage *> pages() const;

    // Takes the page off the bar and closes it gracefully (see ConnectionPage::closeGracefully).
    void closePage(int index);
    // Pages closed but still finishing their close handshakes.
    int closingCount() const { return int(m_closing.size()); }

    // Asks for a new name (through Dialogs); an empty name goes back to the page's own title.
    void renamePage(int index);
    // Actions shown at the end of the tab bar's context menu (New Connection, New Local Server).
    void setContextActions(const QList<QAction *> &actions) { m_contextActions = actions; }
    // The tab bar's context menu for the tab at `index` (-1: the bar outside any tab).
    QMenu *createContextMenu(int index, QWidget *parent);

Q_SIGNALS:
    void newClientRequested();
    void newServerRequested();
    // The user asked to close the tab (its close button, the context menu).
    void closeRequested(int index);
    // The page's title, state or status changed (the window's title and status bar follow).
    void pageChanged(wst::ConnectionPage *page);
    // The last page that was closing has finished.
    void closingFinished();

protected:
    void resizeEvent(QResizeEvent *event) override;
    void tabInserted(int index) override;
    void tabRemoved(int index) override;

private:
    QWidget *createEmptyPage();
    void showContextMenu(const QPoint &pos);
    void updateTab(ConnectionPage *page);
    // The tabs' texts: the pages' titles, or what tells them apart when the bar is too narrow.
    void updateLabels();
    void updateEmptyPage();
    void finishClosing(ConnectionPage *page);

    QWidget *m_emptyPage = nullptr;
    QList<ConnectionPage *> m_closing;
    QList<QAction *> m_contextActions;
};

} // namespace wst
