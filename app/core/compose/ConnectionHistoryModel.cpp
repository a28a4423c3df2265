#include "ConnectionHistoryModel.h"

#include "ConnectionHistory.h"

#include <QLocale>

namespace wst {

ConnectionHistoryModel::ConnectionHistoryModel(ConnectionHistory *history, QObject *parent)
    : QAbstractTableModel(parent)
    , m_history(history)
{
    // The history changes as a whole (another window's line, a reload): a reset is honest.
    connect(history, &ConnectionHistory::changed, this, [this] {
        beginResetModel();
        endResetModel();
    });
}

int ConnectionHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_history ? 0 : int(m_history->entries().size());
}

int ConnectionHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ConnectionHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || !m_history)
        return {};
    const ConnectionHistoryEntry &e = m_history->entries().at(index.row());
    if (role == IdRole)
        return e.id;
    if (role == Qt::ToolTipRole) {
        if (index.column() == Outcome)
            return outcomeText(e);
        return QString(
            QLocale().toString(e.at.toLocalTime(), QLocale::LongFormat) + QLatin1Char('\n') + e.url);
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case When: {
        // Today's connections by their time alone.
        const QDateTime local = e.at.toLocalTime();
        return local.date() == QDate::currentDate() ? QLocale().toString(local.time(), QLocale::ShortFormat)
                                                    : QLocale().toString(local, QLocale::ShortFormat);
    }
    case Url:
        return e.url;
    case Outcome:
        return outcomeText(e);
    case OpenFor:
        return e.outcome == ConnectionHistoryEntry::Outcome::Opened ? durationText(e.openMs) : QString();
    default:
        return {};
    }
}

QVariant ConnectionHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case When:
        return tr("When");
    case Url:
        return tr("URL");
    case Outcome:
        return tr("Outcome");
    case OpenFor:
        return tr("Open for");
    default:
        return {};
    }
}

QString ConnectionHistoryModel::outcomeText(const ConnectionHistoryEntry &e)
{
    switch (e.outcome) {
    case ConnectionHistoryEntry::Outcome::Opened:
        return e.subprotocol.isEmpty() ? tr("Opened") : tr("Opened (%1)").arg(e.subprotocol);
    case ConnectionHistoryEntry::Outcome::Refused:
        return e.httpStatus > 0 ? tr("Refused: %1").arg(e.httpStatus) : tr("Refused: %1").arg(e.error);
    case ConnectionHistoryEntry::Outcome::Failed:
        break;
    }
    return tr("Failed: %1").arg(e.error);
}

QString ConnectionHistoryModel::durationText(qint64 ms)
{
    if (ms < 0)
        return tr("open");
    if (ms < 60000)
        return tr("%1 s").arg(QLocale().toString(ms / 1000.0, 'f', 1));
    const qint64 s = ms / 1000;
    if (s < 3600)
        return tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return tr("%1 h %2 min").arg(s / 3600).arg(s % 3600 / 60);
}

} // namespace wst
