#include "WireCounters.h"

#include <QLocale>

namespace wst {

void WireCounters::add(quint64 messageIn, quint64 wireIn, quint64 messageOut, quint64 wireOut)
{
    m_messageIn.fetch_add(messageIn, std::memory_order_relaxed);
    m_wireIn.fetch_add(wireIn, std::memory_order_relaxed);
    m_messageOut.fetch_add(messageOut, std::memory_order_relaxed);
    m_wireOut.fetch_add(wireOut, std::memory_order_release);
}

WireCounters::Totals WireCounters::totals() const
{
    Totals t;
    t.agreed = m_agreed.load(std::memory_order_acquire);
    t.wireOut = m_wireOut.load(std::memory_order_acquire);
    t.messageOut = m_messageOut.load(std::memory_order_relaxed);
    t.wireIn = m_wireIn.load(std::memory_order_relaxed);
    t.messageIn = m_messageIn.load(std::memory_order_relaxed);
    return t;
}

WireCounters::Totals WireCounters::Totals::operator-(const Totals &base) const
{
    Totals t = *this;
    t.messageIn -= qMin(base.messageIn, messageIn);
    t.wireIn -= qMin(base.wireIn, wireIn);
    t.messageOut -= qMin(base.messageOut, messageOut);
    t.wireOut -= qMin(base.wireOut, wireOut);
    return t;
}

QString WireCounters::Totals::text() const
{
    if (!agreed)
        return {};
    const QLocale locale;
    const auto way = [&locale](const QString &arrow, quint64 message, quint64 wire) {
        // Below 10 % a decimal: a well compressed stream is 0.3 %, not 0 %.
        const double ratio = message ? double(wire) * 100.0 / double(message) : 0.0;
        const QString percent = !message ? QStringLiteral("–")
            : ratio < 10                 ? locale.toString(ratio, 'f', 1)
                                         : locale.toString(qRound64(ratio));
        return tr("%1 %2 msgs / %3 wire (%4 %)")
            .arg(arrow, locale.formattedDataSize(qint64(message), 1),
                locale.formattedDataSize(qint64(wire), 1), percent);
    };
    return way(QStringLiteral("↓"), messageIn, wireIn) + QStringLiteral("  ")
        + way(QStringLiteral("↑"), messageOut, wireOut);
}

QJsonObject WireCounters::Totals::toJson() const
{
    return QJsonObject {
        { QStringLiteral("message_bytes_in"), qint64(messageIn) },
        { QStringLiteral("wire_bytes_in"), qint64(wireIn) },
        { QStringLiteral("message_bytes_out"), qint64(messageOut) },
        { QStringLiteral("wire_bytes_out"), qint64(wireOut) },
    };
}

} // namespace wst
