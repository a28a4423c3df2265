// A WebSocket producer that costs next to nothing per message, so that the client under test is
// the only bottleneck. It listens on 127.0.0.1 (port 0), prints "PORT <n>", accepts one
// connection, answers the handshake, then writes N pre-encoded unmasked text frames in large
// chunks followed by a Close frame, and times the flood from its first byte until the client's
// Close reply arrives. That time is how long the client took to consume the flood:
//
//   FLOOD messages=<N> payload=<bytes> seconds=<s> mps=<messages per second>
//
// Usage: bench_flood_server [--messages N] [--payload BYTES] [--chunk BYTES] [--socketio] [--deflate]
// --deflate answers the client's permessage-deflate offer (server_no_context_takeover) and sends
// each message compressed (RSV1), as a compressing server would.
// --socketio speaks Socket.IO first (the Engine.IO open packet and the namespace CONNECT reply,
// untimed) and floods Engine.IO messages `42["tick",{...}]` of the same size.
// Plain POSIX sockets with blocking writes; QtCore only for SHA-1 and base64, zlib for --deflate.

#include <QByteArray>
#include <QCryptographicHash>
#include <QList>

#include <zlib.h>

#include <arpa/inet.h>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

[[noreturn]] void die(const char *what)
{
    std::fprintf(stderr, "flood_server: %s: %s\n", what, std::strerror(errno));
    std::exit(2);
}

[[noreturn]] void dieMsg(const char *what)
{
    std::fprintf(stderr, "flood_server: %s\n", what);
    std::exit(2);
}

double monotonicSeconds()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

void writeAll(int fd, const char *data, size_t size)
{
    while (size > 0) {
        const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            die("send");
        }
        data += n;
        size -= size_t(n);
    }
}

// Reads until the end of the request headers; returns the request (without what follows).
QByteArray readRequest(int fd)
{
    QByteArray buffer;
    char tmp[4096];
    while (buffer.indexOf("\r\n\r\n") < 0) {
        const ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            dieMsg("the client closed the connection during the handshake");
        buffer.append(tmp, n);
        if (buffer.size() > 65536)
            dieMsg("handshake request too large");
    }
    return buffer;
}

QByteArray headerValue(const QByteArray &request, const QByteArray &name)
{
    const QList<QByteArray> lines = request.split('\n');
    for (const QByteArray &line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == name.toLower())
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

QByteArray textFrameHeader(qsizetype payload, bool rsv1 = false)
{
    QByteArray h;
    h.append(char(rsv1 ? 0xc1 : 0x81)); // FIN (+ RSV1: compressed) + text
    if (payload < 126) {
        h.append(char(payload));
    } else if (payload <= 0xffff) {
        h.append(char(126));
        h.append(char((payload >> 8) & 0xff));
        h.append(char(payload & 0xff));
    } else {
        h.append(char(127));
        for (int shift = 56; shift >= 0; shift -= 8)
            h.append(char((quint64(payload) >> shift) & 0xff));
    }
    return h;
}

// An ASCII payload of exactly `size` bytes that looks like a small JSON event.
QByteArray payloadFor(qint64 seq, qsizetype size)
{
    QByteArray p("{\"seq\":");
    p.append(QByteArray::number(seq));
    p.append(",\"type\":\"tick\",\"data\":\"");
    const QByteArray tail = "\"}";
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    qint64 i = seq;
    while (p.size() < size - tail.size())
        p.append(alphabet[(i++) % 36]);
    p.append(tail);
    return p.left(size);
}

// One message compressed on its own (permessage-deflate without context takeover, RFC 7692
// 7.2.1): raw deflate, flushed, the 0x00 0x00 0xff 0xff tail removed.
QByteArray deflated(const QByteArray &message)
{
    z_stream z {};
    deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(qsizetype(deflateBound(&z, uLong(message.size()))) + 16, Qt::Uninitialized);
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(message.constData()));
    z.avail_in = uInt(message.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = uInt(out.size());
    ::deflate(&z, Z_SYNC_FLUSH);
    out.truncate(out.size() - qsizetype(z.avail_out));
    deflateEnd(&z);
    return out.endsWith(QByteArrayView("\0\0\xff\xff", 4)) ? out.chopped(4) : out;
}

// The same size as a Socket.IO EVENT: 42["tick",<the JSON event>].
QByteArray socketIoPayloadFor(qint64 seq, qsizetype size)
{
    const QByteArray head("42[\"tick\",");
    return head + payloadFor(seq, size - head.size() - 1) + ']';
}

// Waits for the client's Close frame (client frames are masked); returns false on EOF first.
bool waitForCloseReply(int fd)
{
    QByteArray buffer;
    char tmp[4096];
    for (;;) {
        // Parse whatever complete frames are buffered.
        for (;;) {
            if (buffer.size() < 2)
                break;
            const auto b0 = quint8(buffer[0]);
            const auto b1 = quint8(buffer[1]);
            qsizetype header = 2;
            quint64 len = b1 & 0x7f;
            if (len == 126) {
                if (buffer.size() < 4)
                    break;
                len = (quint64(quint8(buffer[2])) << 8) | quint8(buffer[3]);
                header = 4;
            } else if (len == 127) {
                if (buffer.size() < 10)
                    break;
                len = 0;
                for (int k = 0; k < 8; ++k)
                    len = (len << 8) | quint8(buffer[2 + k]);
                header = 10;
            }
            if (b1 & 0x80)
                header += 4;
            if (quint64(buffer.size()) < quint64(header) + len)
                break;
            if ((b0 & 0x0f) == 0x8)
                return true;
            buffer.remove(0, header + qsizetype(len));
        }
        const ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        buffer.append(tmp, n);
    }
}

} // namespace

int main(int argc, char **argv)
{
    qint64 messages = 1000000;
    qsizetype payloadSize = 256;
    qsizetype chunkBytes = qsizetype(1) << 20;
    bool socketIo = false;
    bool compress = false;
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg = argv[i];
        const bool hasValue = i + 1 < argc;
        if (arg == "--messages" && hasValue)
            messages = std::atoll(argv[++i]);
        else if (arg == "--payload" && hasValue)
            payloadSize = std::atoll(argv[++i]);
        else if (arg == "--chunk" && hasValue)
            chunkBytes = std::atoll(argv[++i]);
        else if (arg == "--socketio")
            socketIo = true;
        else if (arg == "--deflate")
            compress = true;
        else {
            std::fprintf(stderr,
                "usage: %s [--messages N] [--payload BYTES] [--chunk BYTES] [--socketio] [--deflate]\n",
                argv[0]);
            return 2;
        }
    }
    if (messages < 1 || payloadSize < 32 || chunkBytes < 4096)
        dieMsg("need --messages >= 1, --payload >= 32, --chunk >= 4096");

    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listener < 0)
        die("socket");
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(listener, reinterpret_cast<sockaddr *>(&addr), sizeof addr) < 0)
        die("bind");
    if (::listen(listener, 1) < 0)
        die("listen");
    socklen_t addrLen = sizeof addr;
    if (::getsockname(listener, reinterpret_cast<sockaddr *>(&addr), &addrLen) < 0)
        die("getsockname");

    // Build the frames before announcing the port, so that none of this is timed. Compressed
    // frames differ in size: a chunk then holds whole frames and is written whole.
    QByteArray chunk;
    qint64 framesPerChunk = 0;
    QList<qsizetype> frameEnds;
    while (chunk.size() < chunkBytes || framesPerChunk == 0) {
        const qint64 i = framesPerChunk++;
        const QByteArray payload = socketIo ? socketIoPayloadFor(i, payloadSize) : payloadFor(i, payloadSize);
        const QByteArray body = compress ? deflated(payload) : payload;
        if (!chunk.isEmpty() && chunk.size() + body.size() + 14 > chunkBytes)
            break;
        chunk.append(textFrameHeader(body.size(), compress));
        chunk.append(body);
        frameEnds.append(chunk.size());
    }
    framesPerChunk = frameEnds.size();

    std::printf("PORT %u\n", unsigned(ntohs(addr.sin_port)));
    std::fflush(stdout);

    const int fd = ::accept(listener, nullptr, nullptr);
    if (fd < 0)
        die("accept");
    ::close(listener);

    const QByteArray request = readRequest(fd);
    const QByteArray key = headerValue(request, "Sec-WebSocket-Key");
    if (key.isEmpty())
        dieMsg("no Sec-WebSocket-Key in the request");
    const QByteArray accept = QCryptographicHash::hash(
        QByteArray(key).append("258EAFA5-E914-47DA-95CA-C5AB0DC85B11"), QCryptographicHash::Sha1)
                                  .toBase64();
    QByteArray response("HTTP/1.1 101 Switching Protocols\r\n"
                        "Upgrade: websocket\r\n"
                        "Connection: Upgrade\r\n"
                        "Sec-WebSocket-Accept: ");
    response.append(accept).append("\r\n");
    if (compress) {
        if (!headerValue(request, "Sec-WebSocket-Extensions").contains("permessage-deflate"))
            dieMsg("--deflate: the client offered no permessage-deflate");
        response.append("Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n");
    }
    response.append("\r\n");
    writeAll(fd, response.constData(), size_t(response.size()));
    if (socketIo) {
        // The client's own "40" is read (and skipped) with its Close reply at the end.
        for (const QByteArray &packet :
            { QByteArray("0{\"sid\":\"flood\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,"
                         "\"maxPayload\":1000000}"),
                QByteArray("40{\"sid\":\"floodns\"}") }) {
            const QByteArray frame = textFrameHeader(packet.size()) + packet;
            writeAll(fd, frame.constData(), size_t(frame.size()));
        }
    }

    // Give the client a moment to finish its handshake so that the flood is not timed against
    // the client's connection set-up.
    ::usleep(100 * 1000);

    const double start = monotonicSeconds();
    qint64 left = messages;
    while (left > 0) {
        const qint64 frames = qMin(left, framesPerChunk);
        writeAll(fd, chunk.constData(), size_t(frameEnds.at(frames - 1)));
        left -= frames;
    }
    const char closeFrame[] = { char(0x88), char(0x02), char(0x03), char(0xe8) }; // 1000
    writeAll(fd, closeFrame, sizeof closeFrame);
    const double written = monotonicSeconds();

    const bool replied = waitForCloseReply(fd);
    const double end = monotonicSeconds();
    ::shutdown(fd, SHUT_WR);
    ::close(fd);
    if (!replied)
        dieMsg("the client disconnected without a Close reply");

    const double seconds = end - start;
    std::printf("FLOOD messages=%lld payload=%lld seconds=%.6f mps=%.0f write_seconds=%.6f\n",
        qlonglong(messages), qlonglong(payloadSize), seconds, double(messages) / seconds, written - start);
    std::fflush(stdout);
    return 0;
}
