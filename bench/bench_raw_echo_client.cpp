// The client side of RESULT server-deflate, in its own process: a blocking POSIX client (no Qt
// socket code) that opens one connection, with or without a permessage-deflate offer, and runs
// sequential echo round trips of a compressible JSON message (each sent when the previous echo
// arrived), compressing and inflating with the app's own zlib code when agreed.
// Prints "RAWECHO roundtrips=N rtps=... deflate=0|1 wire_out=... wire_in=...".
#include "protocol/PerMessageDeflate.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QtEndian>

#include <arpa/inet.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <sys/socket.h>
#include <unistd.h>

namespace {

int g_fd = -1;
QByteArray g_in;

bool fill(qsizetype need)
{
    char buffer[65536];
    while (g_in.size() < need) {
        const ssize_t n = ::recv(g_fd, buffer, sizeof buffer, 0);
        if (n <= 0)
            return false;
        g_in.append(buffer, n);
    }
    return true;
}

void sendAll(const QByteArray &bytes)
{
    qsizetype at = 0;
    while (at < bytes.size()) {
        const ssize_t n = ::send(g_fd, bytes.constData() + at, size_t(bytes.size() - at), 0);
        if (n <= 0)
            std::exit(4);
        at += n;
    }
}

QByteArray maskedFrame(quint8 first, const QByteArray &payload)
{
    QByteArray out;
    out.append(char(first));
    const qsizetype n = payload.size();
    if (n < 126) {
        out.append(char(0x80 | n));
    } else {
        out.append(char(0x80 | 126));
        char len[2];
        qToBigEndian<quint16>(quint16(n), len);
        out.append(len, 2);
    }
    const char key[4] = { 0x12, 0x34, 0x56, 0x78 };
    out.append(key, 4);
    const qsizetype at = out.size();
    out.append(payload);
    for (qsizetype i = 0; i < n; ++i)
        out[at + i] = char(out[at + i] ^ key[i & 3]);
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    int port = 0;
    int roundtrips = 20000;
    bool deflate = false;
    for (int i = 1; i < argc; ++i) {
        const QByteArray key = argv[i];
        if (key == "--port" && i + 1 < argc)
            port = std::atoi(argv[++i]);
        else if (key == "--roundtrips" && i + 1 < argc)
            roundtrips = std::atoi(argv[++i]);
        else if (key == "--deflate")
            deflate = true;
    }
    if (port <= 0) {
        std::fprintf(stderr, "usage: %s --port P [--roundtrips N] [--deflate]\n", argv[0]);
        return 2;
    }
    g_fd = ::socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    ::setsockopt(g_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(quint16(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(g_fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0)
        return 3;
    QByteArray request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
    if (deflate)
        request += "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n";
    sendAll(request + "\r\n");
    qsizetype end = -1;
    while ((end = g_in.indexOf("\r\n\r\n")) < 0) {
        if (!fill(g_in.size() + 1))
            return 3;
    }
    const QByteArray head = g_in.left(end);
    g_in.remove(0, end + 4);
    const bool agreed = head.contains("permessage-deflate");
    if (!head.startsWith("HTTP/1.1 101") || agreed != deflate) {
        std::fprintf(stderr, "unexpected answer: %s\n", head.constData());
        return 3;
    }
    // A message like an API's: 1 KiB of JSON with repeated keys.
    QByteArray message;
    for (int i = 0; message.size() < 1000; ++i)
        message += "{\"id\":" + QByteArray::number(i) + ",\"name\":\"sensor\",\"value\":21.5},";
    std::optional<wst::MessageDeflater> deflater;
    std::optional<wst::MessageInflater> inflater;
    if (agreed) {
        deflater.emplace(15, false);
        inflater.emplace(false, 1 << 20);
    }
    quint64 wireOut = 0;
    quint64 wireIn = 0;
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < roundtrips; ++i) {
        const QByteArray payload = agreed ? deflater->deflate(message) : message;
        wireOut += quint64(payload.size());
        sendAll(maskedFrame(agreed ? 0xC1 : 0x81, payload));
        if (!fill(2))
            return 4;
        const quint8 len7 = quint8(g_in.at(1)) & 0x7f;
        const qsizetype headerSize = len7 == 126 ? 4 : 2;
        if (len7 == 127 || !fill(headerSize))
            return 4;
        const qsizetype n = len7 == 126 ? qFromBigEndian<quint16>(g_in.constData() + 2) : len7;
        if (!fill(headerSize + n))
            return 4;
        const QByteArray echo = g_in.mid(headerSize, n);
        g_in.remove(0, headerSize + n);
        wireIn += quint64(n);
        QByteArray plain = echo;
        if (agreed && inflater->inflate(echo, &plain) != wst::MessageInflater::Result::Ok)
            return 5;
        if (plain != message)
            return 5;
    }
    const double rtps = roundtrips / (double(clock.nsecsElapsed()) / 1e9);
    sendAll(maskedFrame(0x88, QByteArray("\x03\xe8", 2)));
    ::close(g_fd);
    std::printf("RAWECHO roundtrips=%d rtps=%.0f deflate=%d wire_out=%llu wire_in=%llu\n", roundtrips, rtps,
        int(agreed), qulonglong(wireOut), qulonglong(wireIn));
    return 0;
}
