#pragma once

#include <QDockWidget>
#include <QPointer>

namespace wst {

class ChartsPanel;
class ConnectionPage;
class ConnectionTabWidget;
class StreamSampler;

// View > Charts (F7): a dock at the window's bottom with the live charts of the current tab.
// It follows the current tab; each tab keeps its own sampler (samplerFor), so going back to a
// tab shows its history since the charts first looked at it.
class ChartsDock : public QDockWidget
{
    Q_OBJECT
public:
    explicit ChartsDock(ConnectionTabWidget *tabs, QWidget *parent = nullptr);

    ChartsPanel *panel() const { return m_panel; }
    // The page's sampler, made the first time it is asked for (a child of the page).
    static StreamSampler *samplerFor(ConnectionPage *page);

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void follow();
    void retranslateUi();

    ConnectionTabWidget *m_tabs = nullptr;
    ChartsPanel *m_panel = nullptr;
    QPointer<ConnectionPage> m_page;
    bool m_sized = false;
};

} // namespace wst
