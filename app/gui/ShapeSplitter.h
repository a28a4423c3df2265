#pragma once

#include <QSplitter>

namespace wst {

// A splitter of two panes (the history and the message's detail) that stacks them while it is
// tall and puts them side by side when it is short and wide: on an 800×600 screen stacked they
// showed a row and a half of history over a single line of detail.
class ShapeSplitter : public QSplitter
{
    Q_OBJECT
public:
    explicit ShapeSplitter(QWidget *parent = nullptr);
    // As high as its tallest pane, as when side by side: what it turns to when short. (Stacked,
    // it would ask the window for both panes' height before it has had the chance to turn.)
    QSize minimumSizeHint() const override;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    Qt::Orientation fittingOrientation() const;
    void shareOut(int length);

    // Whether the panes have had their first share; after that the user's divider stands.
    bool m_shared = false;
};

} // namespace wst
