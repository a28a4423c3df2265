#pragma once

#include <QByteArray>
#include <QtGlobal>

#include <cstdio>
#include <memory>

namespace wst {
class MessageStore;
class PayloadCodec;
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

    // Binary messages are printed as JSON decoded by these (null: base64 as before): received
    // ones by `in`, sent ones by `out`. A payload that does not decode stays base64, with the
    // decoder's message on stderr (plain) or as "decode_error" (JSON).
    void setDecoders(std::shared_ptr<const PayloadCodec> in, std::shared_ptr<const PayloadCodec> out)
    {
        m_decodeIn = std::move(in);
        m_decodeOut = std::move(out);
    }

    // Prints one row of the store. Returns false when the row is not printed in this format.
    bool print(const MessageStore &store, qint64 index);
    void flush();

    static QByteArray jsonLine(const MessageStore &store, qint64 index);

private:
    bool printProtocol(const MessageStore &store, qint64 index);
    // The JSON line with "decoded" (and "decoded_type") or "decode_error" added.
    QByteArray decodedJsonLine(const MessageStore &store, qint64 index) const;

    Format m_format;
    std::shared_ptr<const Protocol> m_protocol;
    std::shared_ptr<const PayloadCodec> m_decodeIn;
    std::shared_ptr<const PayloadCodec> m_decodeOut;
    FILE *m_out;
};

} // namespace wst::cli
