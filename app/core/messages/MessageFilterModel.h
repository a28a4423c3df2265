#pragma once

#include "FilterExpression.h"
#include "Message.h"

#include <QAbstractProxyModel>
#include <QFutureWatcher>
#include <QRegularExpression>
#include <QTimer>

#include <atomic>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

namespace wst {

class MessageLogModel;

// Filters the history by text (substring or regular expression, with or without case), by a
// FilterExpression on the JSON document ("$.type == \"trade\"": text that starts with "$"), and by
// direction and kind, and sorts it by a column. With no filter set it passes rows straight through without
// keeping a mapping, so the common case costs nothing per row; with a filter it keeps the list of accepted
// source rows and tests only new rows as batches arrive.
class MessageFilterModel : public QAbstractProxyModel
{
    Q_OBJECT
public:
    explicit MessageFilterModel(QObject *parent = nullptr);
    ~MessageFilterModel() override;

    void setSourceModel(QAbstractItemModel *source) override;
    MessageLogModel *logModel() const { return m_log; }

    void setText(const QString &text);
    QString text() const { return m_text; }
    void setRegularExpression(bool on);
    bool isRegularExpression() const { return m_regex; }
    void setCaseSensitive(bool on);
    bool isCaseSensitive() const { return m_caseSensitive; }
    void setDirections(quint32 mask);
    quint32 directions() const { return m_directions; }
    void setKinds(quint32 mask);
    quint32 kinds() const { return m_kinds; }

    // With a protocol: leave out its keep-alives (Engine.IO and graphql-ws pings, STOMP
    // heart-beats, MQTT PINGREQ/PINGRESP).
    void setHideKeepAlives(bool hide);
    bool hidesKeepAlives() const { return m_hideKeepAlives; }
    // The text "event:chat", "topic:a/b", "destination:/queue/x", "name:…", "id:7" or "type:ACK"
    // matches that protocol column (contains, any case) instead of the payload.
    static bool parseFieldFilter(const QString &text, QString *field, QString *value);

    // Only the rows of one local-server client (-1: every row).
    void setConnectionId(qint64 id);
    qint64 connectionId() const { return m_connectionId; }

    // Sorts by a column (-1: the order of arrival). Keys are taken in slices like the filter's
    // scan and sorted on a worker thread; rows that arrive later are merged into place.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }
    // True while the rows shown are in the order asked for (false while keys are being taken or
    // sorted, and with no sort).
    bool isSorted() const { return m_sortColumn >= 0 && m_sorted; }
    // Whether the text filter is a JSON expression (FilterExpression::looksLikeExpression).
    bool isExpression() const { return m_jsonExpression.has_value(); }

    bool isFiltering() const { return !m_passThrough; }
    // True while a large history is still being tested against a new filter: on a worker thread
    // (from the store's payloads, ranges of evicted rows read back in one query each) when the
    // filter needs nothing but the payload, otherwise in slices on this thread.
    bool isScanning() const { return m_scanning; }
    // Histories of at least this many rows are filtered on a worker (when the filter allows it).
    static void setWorkerScanRows(int rows);
    static int workerScanRows();
    // How many workers scan `rows` rows at once: one per core (at most 4), each with at least
    // rowsPerPart rows.
    static int workerPartsFor(qint64 rows, int rowsPerPart);
    // How many rows the last filter tested on a worker (0: all on this thread).
    qint64 rowsTestedOnWorker() const { return m_workerTested; }
    // Empty when the filter is valid; otherwise why the pattern is not a valid expression.
    QString patternError() const { return m_patternError; }

    QModelIndex mapToSource(const QModelIndex &proxyIndex) const override;
    QModelIndex mapFromSource(const QModelIndex &sourceIndex) const override;
    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void filterChanged();
    void scanningChanged(bool scanning);
    // The rows were put in the sort order (after a sort() and its scan).
    void sortFinished();

private:
    // What a row must be to pass: everything of the filter that needs only the row and its
    // payload, so that a worker thread can test it (see MessageFilterModel.cpp).
    struct Matcher;
    struct SortKey
    {
        quint8 type = 2; // 0 a number, 1 text, 2 nothing (always last)
        double number = 0;
        QString text;
    };
    struct SortEntry
    {
        SortKey key;
        int row;
    };
    SortKey sortKey(int sourceRow) const;
    void keepKey(int sourceRow, SortKey key);
    bool keyLess(int a, int b) const; // in the sort order, ties by arrival
    void startSort();
    void onSortDone();
    void mergeIntoSorted(QList<int> added);
    void reorder(QList<int> rows);
    void refilter(); // after a setter changed the filter
    void rebuild();
    void scan(bool notify);
    bool accepts(int sourceRow) const;
    void onSourceRowsInserted(const QModelIndex &parent, int first, int last);
    bool canScanOnWorker() const;
    void startWorkerScan();
    void stopWorkerScan();
    void onWorkerBatch(int generation, int part, QList<int> rows, bool finished, qint64 tested);
    void appendWorkerRows(const QList<int> &rows);

    // The worker's way back: it posts to `target` under `mutex`, which the destructor clears.
    struct WorkerLink;

    MessageLogModel *m_log = nullptr;
    QString m_text;
    QByteArray m_textUtf8;
    QRegularExpression m_expression;
    QString m_patternError;
    bool m_regex = false;
    bool m_caseSensitive = false;
    quint32 m_directions = AllDirections;
    quint32 m_kinds = AllKinds;
    qint64 m_connectionId = -1;
    bool m_hideKeepAlives = false;
    QString m_field; // a protocol field filter ("name", "id", "type"), or empty
    QString m_fieldValue;
    std::optional<FilterExpression> m_jsonExpression;
    QList<QByteArray> m_jsonNeedles; // FilterExpression::requiredText() of it
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    bool m_sorted = false;
    // By source row, while sorting. A deque: growing it never moves what it holds, so a million
    // keys do not get copied (and page-faulted) in one slice.
    std::deque<SortKey> m_keys;
    // What the first sort will sort, collected with the scan and handed to the worker whole.
    std::vector<SortEntry> m_sortEntries;
    int m_sortGeneration = 0;
    qsizetype m_sortSnapshot = 0; // how many of m_rows the running sort has
    QFutureWatcher<QList<int>> m_sortWatcher;
    bool m_passThrough = true;
    QList<int> m_rows; // accepted source rows, ascending (when filtering)
    int m_passCount = 0;
    int m_scanNext = 0; // the next source row to test
    bool m_scanning = false;
    bool m_asciiFold = false; // case-insensitive search on bytes (ASCII needle)
    QTimer m_scanTimer;
    std::unique_ptr<Matcher> m_matcher;
    std::shared_ptr<WorkerLink> m_workerLink;
    std::shared_ptr<std::atomic<bool>> m_workerCancel;
    int m_workerGeneration = 0;
    bool m_workerRunning = false;
    int m_workerEnd = 0; // the source rows below it are the worker's
    qint64 m_workerTested = 0;
    // The worker scan's parts, in row order; m_workerPart is the one whose rows the view gets now.
    struct WorkerPart
    {
        QList<int> held; // passed, waiting for the parts before this one
        qint64 tested = 0;
        bool finished = false;
    };
    QList<WorkerPart> m_workerParts;
    qsizetype m_workerPart = 0;
    static constexpr int ScanSliceMs
        = 12; // rows shown when passing through (lags the source inside its signals)
};

} // namespace wst
