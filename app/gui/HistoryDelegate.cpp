#include "HistoryDelegate.h"

#include "Theme.h"
#include "messages/Message.h"
#include "messages/MessageLogModel.h"

#include <QPainter>
#include <QPalette>

namespace wst {

HistoryDelegate::HistoryDelegate(QObject *parent)
    : QAbstractItemDelegate(parent)
{
}

QColor HistoryDelegate::inColor(const QPalette &palette)
{
    return theme::colour(theme::Role::Incoming, palette);
}

QColor HistoryDelegate::outColor(const QPalette &palette)
{
    return theme::colour(theme::Role::Outgoing, palette);
}

QColor HistoryDelegate::eventColor(const QPalette &palette)
{
    return palette.color(QPalette::PlaceholderText);
}

QColor HistoryDelegate::errorColor(const QPalette &palette)
{
    return theme::colour(theme::Role::ErrorText, palette);
}

void HistoryDelegate::paint(
    QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QPalette &palette = option.palette;
    const bool selected = option.state & QStyle::State_Selected;
    const QPalette::ColorGroup group = !(option.state & QStyle::State_Enabled) ? QPalette::Disabled
        : (option.state & QStyle::State_Active)                                ? QPalette::Active
                                                                               : QPalette::Inactive;
    // A highlight rule's colour fills the row (under the selection, which wins); its text is the
    // palette's Text, which every highlight background keeps readable.
    const QVariant highlightValue = selected ? QVariant() : index.data(MessageLogModel::HighlightRole);
    const int highlight = highlightValue.isValid() ? highlightValue.toInt() : -1;
    if (selected)
        painter->fillRect(option.rect, palette.brush(group, QPalette::Highlight));
    else if (highlight >= 0)
        painter->fillRect(option.rect, theme::colour(theme::highlightRole(highlight), palette));

    const int column = index.column();
    const auto direction = Direction(index.data(MessageLogModel::DirectionRole).toInt());
    const auto kind = Kind(index.data(MessageLogModel::KindRole).toInt());

    // A protocol's keep-alives step back; its error messages stand out like error events.
    const auto protocolRole = (kind == Kind::Text || kind == Kind::Binary)
        ? ProtocolMessage::Role(index.data(MessageLogModel::ProtocolRoleRole).toInt())
        : ProtocolMessage::Role::None;
    QColor color;
    if (selected) {
        color = palette.color(group, QPalette::HighlightedText);
    } else if (highlight >= 0) {
        color = palette.color(group, QPalette::Text);
    } else if ((kind == Kind::Error || protocolRole == ProtocolMessage::Role::Error)
        && column != MessageLogModel::IdColumn && column != MessageLogModel::TimeColumn) {
        color = errorColor(palette);
    } else if (protocolRole == ProtocolMessage::Role::KeepAlive
        && column != MessageLogModel::DirectionColumn) {
        color = eventColor(palette);
    } else {
        switch (column) {
        case MessageLogModel::IdColumn:
        case MessageLogModel::TimeColumn:
        case MessageLogModel::SizeColumn:
        case MessageLogModel::ClientColumn:
            color = palette.color(group, QPalette::PlaceholderText);
            break;
        case MessageLogModel::DirectionColumn:
            color = direction == Direction::In ? inColor(palette)
                : direction == Direction::Out  ? outColor(palette)
                                               : eventColor(palette);
            break;
        default:
            color
                = direction == Direction::Event ? eventColor(palette) : palette.color(group, QPalette::Text);
            break;
        }
    }

    const QRect textRect = option.rect.adjusted(Padding, 0, -Padding, 0);
    if (textRect.width() <= 0)
        return;
    QString text = index.data(Qt::DisplayRole).toString();
    // Shaping text is what painting a flood costs (measured: eliding a 200-character preview
    // shaped it twice). Cut the text to about what the column can show first, and elide only
    // what may still overflow.
    const int fits = textRect.width() / qMax(1, option.fontMetrics.averageCharWidth()) + 8;
    if (text.size() > fits) {
        text.truncate(fits);
        text += QChar(0x2026);
    }
    if (text.size() * option.fontMetrics.maxWidth() > textRect.width())
        text = option.fontMetrics.elidedText(text, Qt::ElideRight, textRect.width());
    const bool right = column == MessageLogModel::IdColumn || column == MessageLogModel::SizeColumn
        || column == MessageLogModel::ClientColumn;
    painter->setPen(color);
    painter->drawText(
        textRect, int(right ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter | Qt::TextSingleLine, text);
}

QSize HistoryDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QString text = index.data(Qt::DisplayRole).toString();
    return { option.fontMetrics.horizontalAdvance(text) + 2 * Padding, option.fontMetrics.height() + 6 };
}

} // namespace wst
