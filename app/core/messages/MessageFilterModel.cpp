#include "MessageFilterModel.h"

#include "MessageDocument.h"
#include "MessageFilterMatcher.h"
#include "MessageLogModel.h"
#include "MessageStore.h"
#include "WorkerPool.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMutex>
#include <QPointer>
#include <QPromise>
#include <QSet>
#include <QThreadPool>

#include <algorithm>

namespace wst {

namespace {

std::atomic<int> s_workerScanRows { 20000 };

} // namespace

void MessageFilterModel::setWorkerScanRows(int rows)
{
    s_workerScanRows.store(qMax(0, rows));
}

int MessageFilterModel::workerScanRows()
{
    return s_workerScanRows.load();
}

MessageFilterModel::~MessageFilterModel()
{
    stopWorkerScan();
    const QMutexLocker lock(&m_workerLink->mutex);
    m_workerLink->target = nullptr; // a worker still running posts nothing more
}

MessageFilterModel::MessageFilterModel(QObject *parent)
    : QAbstractProxyModel(parent)
    , m_matcher(std::make_unique<Matcher>())
    , m_workerLink(std::make_shared<WorkerLink>())
{
    m_workerLink->target = this;
    m_scanTimer.setInterval(0);
    connect(&m_scanTimer, &QTimer::timeout, this, [this] { scan(true); });
    connect(&m_sortWatcher, &QFutureWatcher<QList<int>>::finished, this, &MessageFilterModel::onSortDone);
}

void MessageFilterModel::setSourceModel(QAbstractItemModel *source)
{
    beginResetModel();
    if (m_log)
        disconnect(m_log, nullptr, this, nullptr);
    m_log = qobject_cast<MessageLogModel *>(source);
    Q_ASSERT(!source || m_log);
    QAbstractProxyModel::setSourceModel(source);
    if (m_log) {
        connect(m_log, &QAbstractItemModel::rowsInserted, this, &MessageFilterModel::onSourceRowsInserted);
        connect(m_log, &QAbstractItemModel::modelAboutToBeReset, this, [this] { beginResetModel(); });
        connect(m_log, &QAbstractItemModel::modelReset, this, [this] {
            rebuild();
            endResetModel();
        });
        // JSON columns come and go in the source; the proxy shows them all.
        connect(m_log, &QAbstractItemModel::columnsAboutToBeInserted, this,
            [this](const QModelIndex &, int first, int last) { beginInsertColumns({}, first, last); });
        connect(m_log, &QAbstractItemModel::columnsInserted, this, [this] { endInsertColumns(); });
        connect(m_log, &QAbstractItemModel::columnsAboutToBeRemoved, this,
            [this](const QModelIndex &, int first, int last) { beginRemoveColumns({}, first, last); });
        connect(m_log, &QAbstractItemModel::columnsRemoved, this,
            [this](const QModelIndex &, int first, int last) {
                endRemoveColumns();
                if (m_sortColumn >= first && m_sortColumn <= last)
                    sort(-1);
                else if (m_sortColumn > last)
                    m_sortColumn -= last - first + 1;
            });
        connect(m_log, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &tl, const QModelIndex &br, const QList<int> &roles) {
                if (!m_passThrough && tl.row() != br.row()) {
                    // A range of source rows is scattered here: say all of it changed.
                    if (rowCount() > 0)
                        Q_EMIT dataChanged(index(0, tl.column()), index(rowCount() - 1, br.column()), roles);
                    return;
                }
                const QModelIndex a = mapFromSource(tl);
                const QModelIndex b = mapFromSource(br);
                if (a.isValid() && b.isValid())
                    Q_EMIT dataChanged(a, b, roles);
            });
    }
    rebuild();
    endResetModel();
}

void MessageFilterModel::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    refilter();
}

void MessageFilterModel::setRegularExpression(bool on)
{
    if (on == m_regex)
        return;
    m_regex = on;
    refilter();
}

void MessageFilterModel::setCaseSensitive(bool on)
{
    if (on == m_caseSensitive)
        return;
    m_caseSensitive = on;
    refilter();
}

void MessageFilterModel::setDirections(quint32 mask)
{
    mask &= AllDirections;
    if (mask == m_directions)
        return;
    m_directions = mask;
    refilter();
}

void MessageFilterModel::setKinds(quint32 mask)
{
    mask &= AllKinds;
    if (mask == m_kinds)
        return;
    m_kinds = mask;
    refilter();
}

void MessageFilterModel::setConnectionId(qint64 id)
{
    if (id == m_connectionId)
        return;
    m_connectionId = id;
    refilter();
}

void MessageFilterModel::setHideKeepAlives(bool hide)
{
    if (hide == m_hideKeepAlives)
        return;
    m_hideKeepAlives = hide;
    refilter();
}

bool MessageFilterModel::parseFieldFilter(const QString &text, QString *field, QString *value)
{
    const qsizetype colon = text.indexOf(QLatin1Char(':'));
    if (colon <= 0)
        return false;
    const QString key = text.left(colon).trimmed().toLower();
    if (key == QLatin1String("event") || key == QLatin1String("topic") || key == QLatin1String("destination")
        || key == QLatin1String("name") || key == QLatin1String("operation"))
        *field = QStringLiteral("name");
    else if (key == QLatin1String("id") || key == QLatin1String("type"))
        *field = key;
    else
        return false;
    *value = text.mid(colon + 1).trimmed();
    return true;
}

void MessageFilterModel::refilter()
{
    beginResetModel();
    rebuild();
    endResetModel();
    Q_EMIT filterChanged();
}

void MessageFilterModel::rebuild()
{
    m_patternError.clear();
    m_textUtf8 = m_text.toUtf8();
    m_asciiFold = !m_caseSensitive && !m_regex;
    for (char c : std::as_const(m_textUtf8))
        m_asciiFold = m_asciiFold && uchar(c) < 0x80;
    if (m_asciiFold)
        m_textUtf8 = m_textUtf8.toLower();
    if (m_regex && !m_text.isEmpty()) {
        m_expression = QRegularExpression(m_text,
            m_caseSensitive ? QRegularExpression::NoPatternOption
                            : QRegularExpression::CaseInsensitiveOption);
        if (!m_expression.isValid()) {
            m_patternError = tr("Invalid regular expression at offset %1: %2")
                                 .arg(m_expression.patternErrorOffset())
                                 .arg(m_expression.errorString());
        }
    }
    m_field.clear();
    m_fieldValue.clear();
    m_jsonExpression.reset();
    if (!m_regex && FilterExpression::looksLikeExpression(m_text)) {
        QString error;
        m_jsonExpression = FilterExpression::parse(m_text, &error);
        if (!m_jsonExpression)
            m_patternError = tr("Invalid expression: %1").arg(error);
        m_jsonNeedles = m_jsonExpression ? m_jsonExpression->requiredText() : QList<QByteArray>();
    } else if (m_log && m_log->hasProtocol() && !m_regex) {
        parseFieldFilter(m_text, &m_field, &m_fieldValue);
    }
    const bool textFilter = !m_text.isEmpty() && m_patternError.isEmpty();
    Matcher &matcher = *m_matcher;
    matcher.directions = m_directions;
    matcher.kinds = m_kinds;
    matcher.connectionId = m_connectionId;
    matcher.textActive = textFilter;
    matcher.text = m_text;
    matcher.textUtf8 = m_textUtf8;
    matcher.regex = m_regex;
    matcher.caseSensitive = m_caseSensitive;
    matcher.asciiFold = m_asciiFold;
    matcher.expression = m_expression;
    matcher.json = m_jsonExpression;
    matcher.needles = m_jsonNeedles;
    const bool keepAliveFilter = m_hideKeepAlives && m_log && m_log->hasProtocol();
    m_passThrough = !textFilter && !keepAliveFilter && m_directions == AllDirections && m_kinds == AllKinds
        && m_connectionId < 0 && m_sortColumn < 0;
    m_rows.clear();
    m_scanNext = 0;
    m_scanTimer.stop();
    stopWorkerScan();
    m_workerTested = 0;
    m_sorted = false;
    m_keys.clear();
    m_sortEntries.clear();
    m_sortEntries.shrink_to_fit();
    if (m_sortColumn >= 0)
        m_sortEntries.reserve(size_t(m_passCount)); // address space only: touched as the scan fills it
    ++m_sortGeneration; // a sort still running is for rows that are gone
    m_passCount = m_log ? m_log->rowCount() : 0;
    if (m_passThrough || !m_log) {
        if (m_scanning) {
            m_scanning = false;
            Q_EMIT scanningChanged(false);
        }
        return;
    }
    // A large history is tested on a worker when the filter needs only the payloads; otherwise
    // the first slice is tested at once (small histories filter synchronously) and the rest in
    // slices from the event loop, so the window never waits for a whole scan.
    if (m_passCount > 0 && m_passCount >= s_workerScanRows.load() && canScanOnWorker()) {
        startWorkerScan();
        if (!m_scanning) {
            m_scanning = true;
            Q_EMIT scanningChanged(true);
        }
        return;
    }
    scan(false);
}

void MessageFilterModel::scan(bool notify)
{
    if (m_workerRunning)
        return; // rows after the worker's wait for it, in order
    QElapsedTimer clock;
    clock.start();
    const int n = m_log->rowCount();
    QList<int> accepted;
    const bool sorting = m_sortColumn >= 0;
    const bool collect = sorting && !m_sorted && !m_sortWatcher.isRunning();
    while (m_scanNext < n) {
        if (accepts(m_scanNext)) {
            accepted.append(m_scanNext);
            if (sorting) {
                SortKey key = sortKey(m_scanNext);
                if (collect)
                    m_sortEntries.push_back({ key, m_scanNext });
                keepKey(m_scanNext, std::move(key));
            }
        }
        ++m_scanNext;
        if ((m_scanNext & 1023) == 0 && clock.elapsed() >= ScanSliceMs)
            break;
    }
    if (!accepted.isEmpty() && sorting && m_sorted && notify && !m_sortWatcher.isRunning()) {
        mergeIntoSorted(std::move(accepted));
    } else if (!accepted.isEmpty()) {
        const int at = int(m_rows.size());
        if (notify)
            beginInsertRows({}, at, at + int(accepted.size()) - 1);
        m_rows.append(accepted);
        if (notify)
            endInsertRows();
    }
    const bool scanning = m_scanNext < n;
    if (scanning && !m_scanTimer.isActive())
        m_scanTimer.start();
    else if (!scanning)
        m_scanTimer.stop();
    if (scanning != m_scanning) {
        m_scanning = scanning;
        Q_EMIT scanningChanged(scanning);
    }
    if (!scanning && sorting && !m_sorted && !m_sortWatcher.isRunning())
        startSort();
}

void MessageFilterModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || !m_log || column >= m_log->columnCount())
        column = -1;
    if (column == m_sortColumn && (column < 0 || order == m_sortOrder))
        return;
    m_sortColumn = column;
    m_sortOrder = order;
    refilter();
}

void MessageFilterModel::keepKey(int sourceRow, SortKey key)
{
    if (m_keys.size() <= size_t(sourceRow))
        m_keys.resize(size_t(sourceRow) + 1);
    m_keys[size_t(sourceRow)] = std::move(key);
}

MessageFilterModel::SortKey MessageFilterModel::sortKey(int sourceRow) const
{
    SortKey key;
    const qint64 si = m_log->storeIndex(sourceRow);
    const MessageRow &row = m_log->store().row(si);
    switch (m_sortColumn) {
    case MessageLogModel::IdColumn:
        key.type = 0;
        key.number = double(si);
        return key;
    case MessageLogModel::TimeColumn:
        key.type = 0;
        key.number = double(row.timeUs);
        return key;
    case MessageLogModel::SizeColumn:
        key.type = 0;
        key.number = double(row.size);
        return key;
    case MessageLogModel::ClientColumn:
        key.type = 0;
        key.number = double(row.connectionId);
        return key;
    default:
        break;
    }
    if (const JsonPath *path = m_log->jsonColumnPath(m_sortColumn)) {
        const QJsonValue value = path->first(m_log->decodeDocument(si));
        if (value.isDouble()) {
            key.type = 0;
            key.number = value.toDouble();
        } else if (!value.isUndefined()) {
            key.type = 1;
            key.text = JsonPath::scalarText(value);
        }
        return key;
    }
    key.text = m_log->data(m_log->index(sourceRow, m_sortColumn)).toString();
    key.type = key.text.isEmpty() ? 2 : 1;
    return key;
}

namespace {

template <typename Key> bool lessKey(const Key &a, const Key &b, bool descending)
{
    // Rows without a value stay last either way.
    if (a.type != b.type) {
        if (a.type == 2 || b.type == 2)
            return b.type == 2;
        return descending ? a.type > b.type : a.type < b.type;
    }
    if (a.type == 0 && a.number != b.number)
        return descending ? a.number > b.number : a.number < b.number;
    if (a.type == 1) {
        const int c = a.text.compare(b.text, Qt::CaseInsensitive);
        if (c != 0)
            return descending ? c > 0 : c < 0;
    }
    return false;
}

} // namespace

bool MessageFilterModel::keyLess(int a, int b) const
{
    const SortKey &ka = m_keys[size_t(a)];
    const SortKey &kb = m_keys[size_t(b)];
    if (lessKey(ka, kb, m_sortOrder == Qt::DescendingOrder))
        return true;
    if (lessKey(kb, ka, m_sortOrder == Qt::DescendingOrder))
        return false;
    return a < b;
}

void MessageFilterModel::startSort()
{
    // The worker gets its own copy of the keys (new rows keep arriving meanwhile): the one the
    // scan collected, or, when a sort must start again, one made now.
    using Entry = SortEntry;
    std::vector<Entry> entries;
    if (m_sortEntries.size() == size_t(m_rows.size())) {
        entries = std::move(m_sortEntries);
    } else {
        entries.reserve(size_t(m_rows.size()));
        for (int row : std::as_const(m_rows))
            entries.push_back({ m_keys[size_t(row)], row });
    }
    m_sortEntries = {};
    m_sortSnapshot = m_rows.size();
    const bool descending = m_sortOrder == Qt::DescendingOrder;
    auto promise = std::make_shared<QPromise<QList<int>>>();
    QFuture<QList<int>> future = promise->future();
    promise->start();
    workerPool()->start([promise, entries = std::move(entries), descending]() mutable {
        std::stable_sort(entries.begin(), entries.end(),
            [descending](const Entry &a, const Entry &b) { return lessKey(a.key, b.key, descending); });
        QList<int> rows;
        rows.reserve(qsizetype(entries.size()));
        for (const Entry &e : entries)
            rows.append(e.row);
        promise->addResult(std::move(rows));
        promise->finish();
    });
    const int generation = m_sortGeneration;
    m_sortWatcher.setProperty("generation", generation);
    m_sortWatcher.setFuture(future);
}

void MessageFilterModel::onSortDone()
{
    const QFuture<QList<int>> future = m_sortWatcher.future();
    if (m_sortWatcher.property("generation").toInt() != m_sortGeneration || future.resultCount() < 1) {
        // The filter or the sort changed while it ran: sort what there is now.
        if (m_sortColumn >= 0 && !m_sorted && !m_scanning)
            startSort();
        return;
    }
    QList<int> sorted = future.result();
    // Rows that came while the worker sorted wait at the end: merge them in.
    QList<int> later = m_rows.mid(m_sortSnapshot);
    std::sort(later.begin(), later.end(), [this](int a, int b) { return keyLess(a, b); });
    QList<int> merged;
    merged.reserve(sorted.size() + later.size());
    std::merge(sorted.cbegin(), sorted.cend(), later.cbegin(), later.cend(), std::back_inserter(merged),
        [this](int a, int b) { return keyLess(a, b); });
    m_sorted = true;
    reorder(std::move(merged));
    Q_EMIT sortFinished();
}

void MessageFilterModel::mergeIntoSorted(QList<int> added)
{
    std::sort(added.begin(), added.end(), [this](int a, int b) { return keyLess(a, b); });
    QList<int> merged;
    merged.reserve(m_rows.size() + added.size());
    std::merge(m_rows.cbegin(), m_rows.cend(), added.cbegin(), added.cend(), std::back_inserter(merged),
        [this](int a, int b) { return keyLess(a, b); });
    // New rows in the middle: announced as rows inserted at the end, then put in place, so that
    // views see one insertion and one layout change per batch.
    const int at = int(m_rows.size());
    beginInsertRows({}, at, at + int(added.size()) - 1);
    m_rows.append(added);
    endInsertRows();
    reorder(std::move(merged));
}

void MessageFilterModel::reorder(QList<int> rows)
{
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList from = persistentIndexList();
    QList<int> sources;
    sources.reserve(from.size());
    for (const QModelIndex &index : from)
        sources.append(m_rows.value(index.row(), -1));
    m_rows = std::move(rows);
    QHash<int, int> where;
    if (!from.isEmpty()) {
        QSet<int> wanted(sources.cbegin(), sources.cend());
        for (int i = 0; i < m_rows.size(); ++i) {
            if (wanted.contains(m_rows.at(i)))
                where.insert(m_rows.at(i), i);
        }
    }
    QModelIndexList to;
    to.reserve(from.size());
    for (qsizetype i = 0; i < from.size(); ++i) {
        const auto it = where.constFind(sources.at(i));
        to.append(it == where.constEnd() ? QModelIndex() : createIndex(it.value(), from.at(i).column()));
    }
    changePersistentIndexList(from, to);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

bool MessageFilterModel::accepts(int sourceRow) const
{
    const MessageStore &store = m_log->store();
    const qint64 si = m_log->storeIndex(sourceRow);
    const MessageRow &row = store.row(si);
    if (!m_matcher->rowPasses(row))
        return false;
    if ((m_hideKeepAlives || !m_field.isEmpty()) && m_log->hasProtocol()) {
        const ProtocolMessage message = m_log->decoded(si);
        if (m_hideKeepAlives && message.role == ProtocolMessage::Role::KeepAlive)
            return false;
        if (!m_field.isEmpty()) {
            const QString &value = m_field == QLatin1String("name") ? message.name
                : m_field == QLatin1String("id")                    ? message.id
                                                                    : message.type;
            return message.isProtocol()
                && value.contains(m_fieldValue, m_caseSensitive ? Qt::CaseSensitive : Qt::CaseInsensitive);
        }
    }
    if (!m_matcher->textActive)
        return true;
    const MessageStore::ReadGuard guard(store);
    const QByteArray bytes
        = row.kind == Kind::Text || row.kind == Kind::Binary ? store.payload(si, guard) : QByteArray();
    // The bytes already read go to the tab's decoder (decodeDocument() would read them again).
    return m_matcher->textPasses(
        store, si, row, bytes, [this](const MessageRow &r, const QByteArray &payload) {
            return m_log->document(r.direction, r.kind, payload);
        });
}

void MessageFilterModel::onSourceRowsInserted(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid())
        return;
    if (m_passThrough) {
        beginInsertRows({}, first, last);
        m_passCount = last + 1;
        endInsertRows();
        return;
    }
    if (m_scanning || first > m_scanNext) {
        scan(true); // the scan reaches the new rows in order
        return;
    }
    m_scanNext = last + 1;
    const bool sorting = m_sortColumn >= 0;
    QList<int> accepted;
    for (int r = first; r <= last; ++r) {
        if (accepts(r)) {
            accepted.append(r);
            if (sorting)
                keepKey(r, sortKey(r));
        }
    }
    if (accepted.isEmpty())
        return;
    if (sorting && m_sorted && !m_sortWatcher.isRunning()) {
        mergeIntoSorted(std::move(accepted));
        return;
    }
    const int at = int(m_rows.size());
    beginInsertRows({}, at, at + int(accepted.size()) - 1);
    m_rows.append(accepted);
    endInsertRows();
}

QModelIndex MessageFilterModel::mapToSource(const QModelIndex &proxyIndex) const
{
    if (!proxyIndex.isValid() || !m_log)
        return {};
    const int row = m_passThrough ? (proxyIndex.row() < m_passCount ? proxyIndex.row() : -1)
                                  : m_rows.value(proxyIndex.row(), -1);
    return row < 0 ? QModelIndex() : m_log->index(row, proxyIndex.column());
}

QModelIndex MessageFilterModel::mapFromSource(const QModelIndex &sourceIndex) const
{
    if (!sourceIndex.isValid())
        return {};
    if (m_passThrough)
        return index(sourceIndex.row(), sourceIndex.column());
    if (m_sortColumn >= 0) {
        const qsizetype at = m_rows.indexOf(sourceIndex.row());
        return at < 0 ? QModelIndex() : index(int(at), sourceIndex.column());
    }
    const auto it = std::lower_bound(m_rows.cbegin(), m_rows.cend(), sourceIndex.row());
    if (it == m_rows.cend() || *it != sourceIndex.row())
        return {};
    return index(int(it - m_rows.cbegin()), sourceIndex.column());
}

QModelIndex MessageFilterModel::index(int row, int column, const QModelIndex &parent) const
{
    if (parent.isValid() || row < 0 || column < 0 || row >= rowCount() || column >= columnCount())
        return {};
    return createIndex(row, column);
}

QModelIndex MessageFilterModel::parent(const QModelIndex &) const
{
    return {};
}

int MessageFilterModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_log)
        return 0;
    return m_passThrough ? m_passCount : int(m_rows.size());
}

int MessageFilterModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_log ? 0 : m_log->columnCount();
}

QVariant MessageFilterModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (!m_log || orientation != Qt::Horizontal)
        return QAbstractProxyModel::headerData(section, orientation, role);
    return m_log->headerData(section, orientation, role);
}

} // namespace wst
