#pragma once

#include <QAbstractItemView>

class QHeaderView;

namespace wst {

class HistoryDelegate;

// The history table: a light delegate, columns under a QHeaderView, and auto-scroll that follows
// new rows while the view is at the bottom and pauses when the user scrolls up.
//
// Not a QTableView: a table keeps a record per row in its vertical header, and after every
// insertion walks all of them again (measured at 10 M rows: tens of ms per published batch on
// the GUI thread, and over 100 ms whenever the header's array grew). Here every row has the same
// height, so a row's place is a multiplication and the view keeps nothing per row. The vertical
// scroll bar counts rows (the first row shown), as a table scrolling per item does.
class HistoryView : public QAbstractItemView
{
    Q_OBJECT

public:
    explicit HistoryView(QWidget *parent = nullptr);
    ~HistoryView() override;

    void setModel(QAbstractItemModel *model) override;
    bool isFollowing() const { return m_following; }
    void setFollowing(bool follow);
    // Whether the last row is in view (the scroll bar is at its end).
    bool isAtBottom() const;
    // The client id column matters only in a local server's views; hidden by default.
    void setClientColumnVisible(bool visible);
    bool isClientColumnVisible() const { return m_clientColumnVisible; }
    // The protocol columns (event / topic, id, QoS) show while the history is read as a
    // protocol's (MessageLogModel::setProtocol).
    bool areProtocolColumnsVisible() const;

    // The table-like part: the column header, every row's height, and rows and columns by place.
    QHeaderView *horizontalHeader() const { return m_header; }
    int rowHeight() const { return m_rowHeight; }
    // The row at y in the viewport, or -1 below the last row.
    int rowAt(int y) const;
    // The logical column at x in the viewport, or -1.
    int columnAt(int x) const;
    int columnWidth(int column) const;
    void setColumnWidth(int column, int width);
    bool isColumnHidden(int column) const;
    // Rows that fit the viewport whole (at least 1).
    int visibleRowCount() const;
    // Makes row current and the selection, as a click on it.
    void selectRow(int row);

    QRect visualRect(const QModelIndex &index) const override;
    void scrollTo(const QModelIndex &index, ScrollHint hint = EnsureVisible) override;
    QModelIndex indexAt(const QPoint &point) const override;
    int sizeHintForRow(int row) const override;
    int sizeHintForColumn(int column) const override;

Q_SIGNALS:
    void followingChanged(bool following);

protected:
    QModelIndex moveCursor(CursorAction cursorAction, Qt::KeyboardModifiers modifiers) override;
    int horizontalOffset() const override;
    int verticalOffset() const override;
    bool isIndexHidden(const QModelIndex &index) const override;
    void setSelection(const QRect &rect, QItemSelectionModel::SelectionFlags command) override;
    QRegion visualRegionForSelection(const QItemSelection &selection) const override;
    void updateGeometries() override;
    void scrollContentsBy(int dx, int dy) override;
    void paintEvent(QPaintEvent *event) override;
    void rowsInserted(const QModelIndex &parent, int start, int end) override;
    void keyPressEvent(QKeyEvent *event) override;
    void focusInEvent(QFocusEvent *event) override;
    QItemSelectionModel::SelectionFlags selectionCommand(
        const QModelIndex &index, const QEvent *event = nullptr) const override;
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void onRowsInserted();
    void onRowsRemoved(const QModelIndex &parent);
    void onUserScrolled();
    void applyMetrics();
    void updateProtocolColumns();
    void placeJsonColumns(int first, int last);
    int rowCount() const;
    // The row whose top is at y in the viewport, not clamped.
    int rowForY(int y) const;
    void updateScrollBars();

    QHeaderView *m_header = nullptr;
    HistoryDelegate *m_delegate = nullptr;
    int m_rowHeight = 20;
    bool m_following = true;
    bool m_clientColumnVisible = false;
    bool m_inGeometries = false;
    QList<QMetaObject::Connection> m_modelConnections;
};

} // namespace wst
