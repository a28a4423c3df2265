#pragma once

#include <QScrollArea>

namespace wst {

// A panel that folds open above a tab's content (request options, server settings), in a
// scroll area: it opens inside the window instead of growing it (past an 800×600 screen, once),
// and takes what it needs up to a share of the tab's height, so that the history below keeps
// rows to show. Wider than the tab, it scrolls sideways.
class FoldingPanelArea : public QScrollArea
{
    Q_OBJECT
public:
    // Holds panel; `tab` is the widget whose height it shares (it watches its resizes).
    FoldingPanelArea(QWidget *panel, QWidget *tab, QWidget *parent);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void fit();

    QWidget *m_tab = nullptr;
};

} // namespace wst
