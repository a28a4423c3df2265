#pragma once

#include <QCoreApplication>
#include <QJsonObject>
#include <QString>

#include <atomic>

namespace wst {

// What compression (permessage-deflate) did to one connection, over all its attempts: data
// message bytes on the wire and as messages, each way. The relay adds to it once per read or
// write (never per message); the window's counters and the command line read it when they
// like, from any thread.
class WireCounters
{
    Q_DECLARE_TR_FUNCTIONS(WireCounters)
public:
    struct Totals
    {
        quint64 messageIn = 0;
        quint64 wireIn = 0;
        quint64 messageOut = 0;
        quint64 wireOut = 0;
        bool agreed = false; // some attempt agreed permessage-deflate

        Totals operator-(const Totals &base) const;
        // "↓ 1.2 MB msgs / 310 kB wire (26 %)  ↑ 4 kB msgs / 1 kB wire (25 %)"; empty unless agreed.
        QString text() const;
        // message_bytes_in, wire_bytes_in, message_bytes_out, wire_bytes_out.
        QJsonObject toJson() const;
    };

    void setAgreed() { m_agreed.store(true, std::memory_order_release); }
    void add(quint64 messageIn, quint64 wireIn, quint64 messageOut, quint64 wireOut);
    Totals totals() const;

private:
    std::atomic<quint64> m_messageIn { 0 };
    std::atomic<quint64> m_wireIn { 0 };
    std::atomic<quint64> m_messageOut { 0 };
    std::atomic<quint64> m_wireOut { 0 };
    std::atomic_bool m_agreed { false };
};

} // namespace wst
