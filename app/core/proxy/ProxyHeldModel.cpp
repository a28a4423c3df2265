#include "ProxyHeldModel.h"

#include <QLocale>

#include <algorithm>

namespace wst {

ProxyHeldModel::ProxyHeldModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ProxyHeldModel::setHeld(const QList<ProxyServer::HeldMessage> &held)
{
    // Same ids in the same order: only the data may have changed (an edit); otherwise the rows
    // removed and added are told apart, so that the selection stays on what remains.
    int common = 0;
    while (common < m_held.size() && common < held.size() && m_held.at(common).id == held.at(common).id)
        ++common;
    if (common == m_held.size() && common == held.size()) {
        m_held = held;
        if (!m_held.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(int(m_held.size()) - 1, ColumnCount - 1));
        return;
    }
    // Remove the rows that are gone, one by one from the end, then append what is new.
    for (int i = int(m_held.size()) - 1; i >= 0; --i) {
        const quint64 id = m_held.at(i).id;
        const bool kept = std::any_of(
            held.cbegin(), held.cend(), [id](const ProxyServer::HeldMessage &h) { return h.id == id; });
        if (!kept) {
            beginRemoveRows({}, i, i);
            m_held.removeAt(i);
            endRemoveRows();
        }
    }
    bool sameOrder = m_held.size() <= held.size();
    for (qsizetype i = 0; sameOrder && i < m_held.size(); ++i)
        sameOrder = m_held.at(i).id == held.at(i).id;
    if (!sameOrder) {
        beginResetModel();
        m_held = held;
        endResetModel();
        return;
    }
    for (qsizetype i = 0; i < m_held.size(); ++i)
        m_held[i] = held.at(i);
    if (held.size() > m_held.size()) {
        beginInsertRows({}, int(m_held.size()), int(held.size()) - 1);
        for (qsizetype i = m_held.size(); i < held.size(); ++i)
            m_held.append(held.at(i));
        endInsertRows();
    }
}

const ProxyServer::HeldMessage *ProxyHeldModel::heldAt(int row) const
{
    return row >= 0 && row < m_held.size() ? &m_held.at(row) : nullptr;
}

int ProxyHeldModel::rowForId(quint64 id) const
{
    for (qsizetype i = 0; i < m_held.size(); ++i) {
        if (m_held.at(i).id == id)
            return int(i);
    }
    return -1;
}

int ProxyHeldModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_held.size());
}

int ProxyHeldModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ProxyHeldModel::wayText(ProxyServer::Way way)
{
    return way == ProxyServer::Way::ToServer ? tr("→ server") : tr("→ client");
}

QString ProxyHeldModel::preview(Kind kind, const QByteArray &payload, int max)
{
    if (kind == Kind::Binary) {
        const QByteArray head = payload.left(max / 3);
        QString hex = QString::fromLatin1(head.toHex(' '));
        if (head.size() < payload.size())
            hex += QStringLiteral(" …");
        return hex;
    }
    QString text = QString::fromUtf8(payload.left(max * 4));
    const qsizetype newline = text.indexOf(QLatin1Char('\n'));
    bool cut = false;
    if (newline >= 0) {
        text.truncate(newline);
        cut = true;
    }
    if (text.size() > max) {
        text.truncate(max);
        cut = true;
    }
    return cut ? text + QStringLiteral(" …") : text;
}

QVariant ProxyHeldModel::data(const QModelIndex &index, int role) const
{
    const ProxyServer::HeldMessage *h = heldAt(index.row());
    if (!h)
        return {};
    if (role == HeldIdRole)
        return h->id;
    if (role == Qt::ToolTipRole) {
        return h->breakpoint >= 0 ? tr("Held by breakpoint %1").arg(h->breakpoint + 1)
                                  : tr("Held because this way is paused");
    }
    if (role == Qt::TextAlignmentRole && (index.column() == ConnectionColumn || index.column() == SizeColumn))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case ConnectionColumn:
        return QString::number(h->connection);
    case WayColumn:
        return wayText(h->way);
    case KindColumn:
        return h->kind == Kind::Binary ? tr("binary") : tr("text");
    case SizeColumn:
        return QLocale().toString(h->payload.size());
    case PreviewColumn:
        return preview(h->kind, h->payload);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant ProxyHeldModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case ConnectionColumn:
        return tr("Conn.");
    case WayColumn:
        return tr("Way");
    case KindColumn:
        return tr("Kind");
    case SizeColumn:
        return tr("Bytes");
    case PreviewColumn:
        return tr("Message");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace wst
