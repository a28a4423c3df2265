#pragma once

#include <QAbstractItemDelegate>
#include <QColor>

namespace wst {

// Paints history cells with no style machinery: a fill for the selection, one line of elided
// text, and a colour for the direction. QStyledItemDelegate measured 2.5x the GUI thread time
// during a flood, because it asks the model for a dozen roles and lays out every cell.
class HistoryDelegate : public QAbstractItemDelegate
{
    Q_OBJECT
public:
    explicit HistoryDelegate(QObject *parent = nullptr);

    void paint(
        QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // Horizontal padding inside a cell, in pixels.
    static constexpr int Padding = 6;

    // The colours follow the palette, so a dark theme gets the light variants.
    static QColor inColor(const QPalette &palette);
    static QColor outColor(const QPalette &palette);
    static QColor eventColor(const QPalette &palette);
    static QColor errorColor(const QPalette &palette);
};

} // namespace wst
