#include "SocketIoCodec.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

namespace wst {

namespace {
constexpr int MaxShownAttachment = 1024;

// Any JSON value (also a bare string or number) from text: QJsonDocument reads only objects
// and arrays, so the value is read as the one element of an array.
std::optional<QJsonValue> parseJsonValue(const QByteArray &text, QString *problem)
{
    QJsonParseError e;
    const QJsonDocument doc = QJsonDocument::fromJson('[' + text + ']', &e);
    if (e.error != QJsonParseError::NoError || !doc.isArray() || doc.array().size() != 1) {
        *problem = e.error != QJsonParseError::NoError ? e.errorString() : QStringLiteral("not one value");
        return std::nullopt;
    }
    return doc.array().first();
}

QByteArray compact(const QJsonValue &value)
{
    const QByteArray wrapped = QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

// A byte as the user can read it: '{' or 0x04.
QString shownChar(char c)
{
    const uchar u = uchar(c);
    if (u >= 0x20 && u < 0x7f)
        return QLatin1Char('\'') + QChar::fromLatin1(c) + QLatin1Char('\'');
    return QStringLiteral("0x%1").arg(u, 2, 16, QLatin1Char('0'));
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}
} // namespace

QString SocketIoCodec::Packet::eventName() const
{
    const QJsonArray args = data.toArray();
    if (args.isEmpty())
        return {};
    const QJsonValue first = args.first();
    return first.isDouble() ? QString::number(first.toDouble()) : first.toString();
}

QJsonArray SocketIoCodec::Packet::eventArgs() const
{
    QJsonArray args = data.toArray();
    if (!args.isEmpty())
        args.removeFirst();
    return args;
}

std::optional<SocketIoCodec::EnginePacket> SocketIoCodec::parseEngine(const QByteArray &frame, QString *error)
{
    if (frame.isEmpty()) {
        *error = tr("Engine.IO: an empty packet (a text frame must start with a packet type 0-6).");
        return std::nullopt;
    }
    const char c = frame.at(0);
    if (c < '0' || c > '6') {
        *error = tr("Engine.IO: unknown packet type %1 (expected 0-6).").arg(shownChar(c));
        return std::nullopt;
    }
    EnginePacket packet;
    packet.type = EngineType(c - '0');
    packet.data = frame.mid(1);
    return packet;
}

bool SocketIoCodec::parseHeader(QByteArrayView text, Header *header, QString *error)
{
    if (text.isEmpty()) {
        *error = tr("Socket.IO: an empty packet after the Engine.IO message type 4.");
        return false;
    }
    const char c = text.at(0);
    if (c < '0' || c > '6') {
        *error = tr("Socket.IO: unknown packet type %1 (expected 0-6).").arg(shownChar(c));
        return false;
    }
    Header &h = *header;
    h = Header();
    h.type = PacketType(c - '0');
    qsizetype i = 1;
    const qsizetype n = text.size();
    if (h.type == PacketType::BinaryEvent || h.type == PacketType::BinaryAck) {
        const qsizetype start = i;
        while (i < n && isDigit(text.at(i)))
            ++i;
        if (i == start || i >= n || text.at(i) != '-' || i - start > 6) {
            *error
                = tr("Socket.IO: a binary packet must give its attachment count then '-' (e.g. 51-[...]).");
            return false;
        }
        h.attachments = text.sliced(start, i - start).toInt();
        ++i;
    }
    if (i < n && text.at(i) == '/') {
        const qsizetype start = i;
        while (i < n && text.at(i) != ',')
            ++i;
        h.nsp = text.sliced(start, i - start);
        if (i < n)
            ++i; // the ','
    }
    const qsizetype idStart = i;
    while (i < n && isDigit(text.at(i)))
        ++i;
    if (i > idStart) {
        if (i - idStart > 15) {
            *error = tr("Socket.IO: the ack id %1 is too long.")
                         .arg(QString::fromLatin1(text.sliced(idStart, qMin<qsizetype>(20, n - idStart))));
            return false;
        }
        h.id = text.sliced(idStart, i - idStart).toLongLong();
    }
    h.payloadOffset = i;
    return true;
}

bool SocketIoCodec::Header::isNamespace(const QString &name) const
{
    if (nsp.isEmpty())
        return name == QLatin1String("/");
    return QAnyStringView::equal(QUtf8StringView(nsp.data(), nsp.size()), name);
}

std::optional<SocketIoCodec::Packet> SocketIoCodec::parsePacket(const QByteArray &text, QString *error)
{
    Header h;
    if (!parseHeader(text, &h, error))
        return std::nullopt;
    Packet p;
    p.type = h.type;
    p.attachments = h.attachments;
    p.id = h.id;
    if (!h.nsp.isEmpty())
        p.nsp = QString::fromUtf8(h.nsp);
    const qsizetype i = h.payloadOffset;
    const qsizetype n = text.size();
    if (i < n) {
        QString problem;
        const std::optional<QJsonValue> payload = parseJsonValue(text.mid(i), &problem);
        if (!payload) {
            *error = tr("Socket.IO: the %1 payload is not JSON (%2).").arg(packetTypeName(p.type), problem);
            return std::nullopt;
        }
        p.data = *payload;
    }
    switch (p.type) {
    case PacketType::Connect:
        if (!p.data.isUndefined() && !p.data.isObject()) {
            *error = tr("Socket.IO: a CONNECT payload must be a JSON object.");
            return std::nullopt;
        }
        break;
    case PacketType::Disconnect:
        break;
    case PacketType::ConnectError:
        if (!p.data.isObject() && !p.data.isString()) {
            *error = tr("Socket.IO: a CONNECT_ERROR payload must be an object or a string.");
            return std::nullopt;
        }
        break;
    case PacketType::Event:
    case PacketType::BinaryEvent: {
        const QJsonArray args = p.data.toArray();
        if (!p.data.isArray() || args.isEmpty() || !(args.first().isString() || args.first().isDouble())) {
            *error = tr("Socket.IO: the %1 payload must be an array starting with the event name.")
                         .arg(packetTypeName(p.type));
            return std::nullopt;
        }
        break;
    }
    case PacketType::Ack:
    case PacketType::BinaryAck:
        if (!p.data.isArray()) {
            *error = tr("Socket.IO: the %1 payload must be an array.").arg(packetTypeName(p.type));
            return std::nullopt;
        }
        if (p.id < 0) {
            *error = tr("Socket.IO: the %1 packet has no ack id.").arg(packetTypeName(p.type));
            return std::nullopt;
        }
        break;
    }
    return p;
}

QByteArray SocketIoCodec::encodePacket(const Packet &packet)
{
    QByteArray out = QByteArray::number(int(packet.type));
    if (packet.isBinary())
        out += QByteArray::number(packet.attachments) + '-';
    if (!packet.nsp.isEmpty() && packet.nsp != QLatin1String("/"))
        out += packet.nsp.toUtf8() + ',';
    if (packet.id >= 0)
        out += QByteArray::number(packet.id);
    if (!packet.data.isUndefined())
        out += compact(packet.data);
    return out;
}

QString SocketIoCodec::encodeMessage(const Packet &packet)
{
    return QString::fromUtf8('4' + encodePacket(packet));
}

QString SocketIoCodec::engineFrame(EngineType type, const QByteArray &data)
{
    return QString::number(int(type)) + QString::fromUtf8(data);
}

QByteArray SocketIoCodec::attachmentBytes(const QByteArray &frame, int eio)
{
    if (eio == 3 && frame.startsWith('\x04'))
        return frame.mid(1);
    return frame;
}

QByteArray SocketIoCodec::attachmentFrame(const QByteArray &bytes, int eio)
{
    return eio == 3 ? QByteArray(1, '\x04') + bytes : bytes;
}

QJsonValue SocketIoCodec::fillPlaceholders(const QJsonValue &value, const QList<QByteArray> &attachments)
{
    if (value.isArray()) {
        QJsonArray out;
        for (const QJsonValue &v : value.toArray())
            out.append(fillPlaceholders(v, attachments));
        return out;
    }
    if (!value.isObject())
        return value;
    const QJsonObject o = value.toObject();
    if (o.value(QLatin1String("_placeholder")).toBool() && o.value(QLatin1String("num")).isDouble()) {
        const int num = o.value(QLatin1String("num")).toInt(-1);
        if (num < 0 || num >= attachments.size())
            return value;
        const QByteArray &bytes = attachments.at(num);
        QJsonObject shown { { QStringLiteral("_binary"), bytes.size() },
            { QStringLiteral("base64"), QString::fromLatin1(bytes.left(MaxShownAttachment).toBase64()) } };
        if (bytes.size() > MaxShownAttachment)
            shown.insert(QStringLiteral("truncated"), true);
        return shown;
    }
    QJsonObject out;
    for (auto it = o.begin(); it != o.end(); ++it)
        out.insert(it.key(), fillPlaceholders(it.value(), attachments));
    return out;
}

QString SocketIoCodec::engineTypeName(EngineType type)
{
    switch (type) {
    case EngineType::Open:
        return QStringLiteral("OPEN");
    case EngineType::Close:
        return QStringLiteral("CLOSE");
    case EngineType::Ping:
        return QStringLiteral("PING");
    case EngineType::Pong:
        return QStringLiteral("PONG");
    case EngineType::Message:
        return QStringLiteral("MESSAGE");
    case EngineType::Upgrade:
        return QStringLiteral("UPGRADE");
    case EngineType::Noop:
        return QStringLiteral("NOOP");
    }
    return {};
}

QString SocketIoCodec::packetTypeName(PacketType type)
{
    switch (type) {
    case PacketType::Connect:
        return QStringLiteral("CONNECT");
    case PacketType::Disconnect:
        return QStringLiteral("DISCONNECT");
    case PacketType::Event:
        return QStringLiteral("EVENT");
    case PacketType::Ack:
        return QStringLiteral("ACK");
    case PacketType::ConnectError:
        return QStringLiteral("CONNECT_ERROR");
    case PacketType::BinaryEvent:
        return QStringLiteral("BINARY_EVENT");
    case PacketType::BinaryAck:
        return QStringLiteral("BINARY_ACK");
    }
    return {};
}

bool SocketIoCodec::isReservedEvent(const QString &name)
{
    static const QStringList reserved { QStringLiteral("connect"), QStringLiteral("connect_error"),
        QStringLiteral("disconnect"), QStringLiteral("disconnecting"), QStringLiteral("newListener"),
        QStringLiteral("removeListener") };
    return reserved.contains(name);
}

QString SocketIoCodec::newSid()
{
    QByteArray bytes(15, Qt::Uninitialized);
    for (char &b : bytes)
        b = char(QRandomGenerator::global()->bounded(256));
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace wst
