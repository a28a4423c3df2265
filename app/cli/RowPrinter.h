#pragma once

#include <QByteArray>
#include <QtGlobal>

#include <cstdio>
#include <memory>

namespace wst {
class MessageStore;
class Protocol;
}

namespace wst::cli {

// Writes history rows to a stream as the headless commands print them: received messages one
// per line (binary as base64 behind a marker), or with --json one object per line for every
// message and event.
class RowPrinter
{
public:
    enum class Format { Plain, Json };
    explicit RowPrinter(Format format, FILE *out = stdout);
    // Messages are printed as this protocol's messages: in plain text one summary line per
    // received protocol message (keep-alives and the protocol's handshake left out), in JSON with
    // a "protocol" object added to every message row.
    void setProtocol(std::shared_ptr<const Protocol> protocol) { m_protocol = std::move(protocol); }

    // Prints one row of the store. Returns false when the row is not printed in this format.
    bool print(const MessageStore &store, qint64 index);
    void flush();

    static QByteArray jsonLine(const MessageStore &store, qint64 index);

private:
    bool printProtocol(const MessageStore &store, qint64 index);

    Format m_format;
    std::shared_ptr<const Protocol> m_protocol;
    FILE *m_out;
};

} // namespace wst::cli
