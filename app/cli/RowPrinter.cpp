#include "RowPrinter.h"

#include "Cli.h"
#include "format/PayloadCodec.h"
#include "messages/MessageLogModel.h"
#include "messages/MessageStore.h"
#include "protocols/Protocol.h"
#include "session/RowJson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace wst::cli {

RowPrinter::RowPrinter(Format format, FILE *out)
    : m_format(format)
    , m_out(out)
{
}

QByteArray RowPrinter::jsonLine(const MessageStore &store, qint64 index)
{
    return RowJson::line(store.row(index), store.payload(index));
}

QByteArray RowPrinter::decodedJsonLine(const MessageStore &store, qint64 index) const
{
    QByteArray line = jsonLine(store, index);
    const MessageRow &r = store.row(index);
    const auto &codec = r.direction == Direction::In ? m_decodeIn : m_decodeOut;
    if (r.kind != Kind::Binary || !codec || !line.endsWith("}\n"))
        return line;
    const PayloadCodec::Decoded decoded = codec->decode(r.direction, store.payload(index));
    // Spliced into the row's text rather than through QJsonObject, which would sort the decoded
    // keys and round 64-bit integers.
    QByteArray extra;
    if (decoded.ok()) {
        extra = ",\"decoded\":" + decoded.json;
        if (!decoded.type.isEmpty())
            extra += ",\"decoded_type\":"
                + QJsonDocument(QJsonArray { decoded.type }).toJson(QJsonDocument::Compact).mid(1).chopped(1);
    } else {
        extra = ",\"decode_error\":"
            + QJsonDocument(QJsonArray { decoded.error }).toJson(QJsonDocument::Compact).mid(1).chopped(1);
    }
    line.insert(line.size() - 2, extra);
    return line;
}

bool RowPrinter::printProtocol(const MessageStore &store, qint64 index)
{
    const MessageRow &r = store.row(index);
    const bool message = r.kind == Kind::Text || r.kind == Kind::Binary;
    if (m_format == Format::Json) {
        QByteArray line = jsonLine(store, index);
        if (message) {
            QJsonObject object = QJsonDocument::fromJson(line).object();
            const ProtocolMessage decoded = m_protocol->decode(r.direction, r.kind, store.payload(index));
            object.insert(QStringLiteral("protocol"), m_protocol->toJson(decoded));
            line = QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
        }
        fwrite(line.constData(), 1, size_t(line.size()), m_out);
        return true;
    }
    if (r.direction != Direction::In || !message)
        return false;
    const ProtocolMessage decoded = m_protocol->decode(r.direction, r.kind, store.payload(index));
    using Role = ProtocolMessage::Role;
    if (decoded.role == Role::KeepAlive || decoded.role == Role::Handshake || decoded.role == Role::None)
        return false;
    const QByteArray line = decoded.summary().toUtf8() + '\n';
    fwrite(line.constData(), 1, size_t(line.size()), m_out);
    return true;
}

bool RowPrinter::print(const MessageStore &store, qint64 index)
{
    if (m_protocol)
        return printProtocol(store, index);
    if (m_format == Format::Json) {
        const QByteArray line = decodedJsonLine(store, index);
        fwrite(line.constData(), 1, size_t(line.size()), m_out);
        return true;
    }
    const MessageRow &r = store.row(index);
    if (r.direction != Direction::In || (r.kind != Kind::Text && r.kind != Kind::Binary))
        return false;
    const QByteArray payload = store.payload(index);
    if (r.kind == Kind::Text) {
        fwrite(payload.data(), 1, size_t(payload.size()), m_out);
    } else if (m_decodeIn) {
        const PayloadCodec::Decoded decoded = m_decodeIn->decode(r.direction, payload);
        if (decoded.ok()) {
            fwrite(decoded.json.constData(), 1, size_t(decoded.json.size()), m_out);
        } else {
            printError("connect", decoded.error);
            const QByteArray line = "[binary base64] " + payload.toBase64();
            fwrite(line.constData(), 1, size_t(line.size()), m_out);
        }
    } else {
        const QByteArray line = "[binary base64] " + payload.toBase64();
        fwrite(line.constData(), 1, size_t(line.size()), m_out);
    }
    fputc('\n', m_out);
    return true;
}

void RowPrinter::flush()
{
    fflush(m_out);
}

} // namespace wst::cli
