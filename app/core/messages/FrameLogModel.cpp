#include "FrameLogModel.h"

#include "MessageLogModel.h"
#include "MessageStore.h"
#include "protocol/FrameDecoder.h"

#include <QDateTime>

namespace wst {

FrameLogModel::FrameLogModel(std::shared_ptr<const MessageStore> store, QObject *parent)
    : StoreTableModel(std::move(store), parent)
{
}

int FrameLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

FrameInfo FrameLogModel::frame(int row) const
{
    const qint64 si = m_first + row;
    const MessageRow &r = m_store->row(si);
    return FrameInfo::fromStored(m_store->payload(si), r.extra & 0xf, quint64(r.extra) >> 4);
}

QVariant FrameLogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows)
        return {};
    const qint64 si = m_first + index.row();
    const MessageRow &r = m_store->row(si);
    if (role == Qt::TextAlignmentRole) {
        const bool right = index.column() == IdColumn || index.column() == LengthColumn;
        return int((right ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    if (r.direction == Direction::Event)
        return noteData(si, r, index.column());
    const FrameInfo f = frame(index.row());
    switch (index.column()) {
    case IdColumn:
        return si + 1;
    case TimeColumn:
        return QDateTime::fromMSecsSinceEpoch(r.timeUs / 1000).toString(QStringLiteral("HH:mm:ss.zzz"));
    case DirectionColumn:
        return MessageLogModel::directionArrow(r.direction);
    case OpcodeColumn:
        return QString(QStringLiteral("0x%1 ").arg(quint8(f.opcode), 1, 16) + f.opcodeName());
    case FinColumn:
        return f.fin ? QStringLiteral("1") : QStringLiteral("0");
    case RsvColumn:
        return QStringLiteral("%1%2%3").arg((f.rsv >> 2) & 1).arg((f.rsv >> 1) & 1).arg(f.rsv & 1);
    case MaskColumn:
        return f.masked ? QStringLiteral("%1").arg(f.maskKey, 8, 16, QLatin1Char('0')) : tr("none");
    case LengthColumn:
        return QString::number(f.length);
    case BytesColumn: {
        QString bytes = QString::fromLatin1(f.head.toHex(' '));
        if (f.length > quint64(f.head.size()))
            bytes += QChar(0x2026);
        return bytes;
    }
    }
    return {};
}

QVariant FrameLogModel::noteData(qint64 si, const MessageRow &r, int column) const
{
    // The relay's note after a compressed message (permessage-deflate): both sizes and the ratio.
    switch (column) {
    case IdColumn:
        return si + 1;
    case TimeColumn:
        return QDateTime::fromMSecsSinceEpoch(r.timeUs / 1000).toString(QStringLiteral("HH:mm:ss.zzz"));
    case OpcodeColumn:
        return tr("permessage-deflate");
    case LengthColumn:
        return QString::number(r.extra);
    case BytesColumn:
        return QString::fromUtf8(m_store->payloadCopy(si));
    }
    return {};
}

QVariant FrameLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IdColumn:
        return tr("#");
    case TimeColumn:
        return tr("Time");
    case DirectionColumn:
        return tr("Dir");
    case OpcodeColumn:
        return tr("Opcode");
    case FinColumn:
        return tr("FIN");
    case RsvColumn:
        return tr("RSV");
    case MaskColumn:
        return tr("Mask key");
    case LengthColumn:
        return tr("Length");
    case BytesColumn:
        return tr("First bytes (unmasked)");
    }
    return {};
}

} // namespace wst
