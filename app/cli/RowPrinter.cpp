#include "RowPrinter.h"

#include "messages/MessageLogModel.h"
#include "messages/MessageStore.h"
#include "protocols/Protocol.h"
#include "session/RowJson.h"

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
        const QByteArray line = jsonLine(store, index);
        fwrite(line.constData(), 1, size_t(line.size()), m_out);
        return true;
    }
    const MessageRow &r = store.row(index);
    if (r.direction != Direction::In || (r.kind != Kind::Text && r.kind != Kind::Binary))
        return false;
    const QByteArray payload = store.payload(index);
    if (r.kind == Kind::Text) {
        fwrite(payload.data(), 1, size_t(payload.size()), m_out);
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
