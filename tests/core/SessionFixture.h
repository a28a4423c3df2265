#pragma once

// A session file built row by row for the session tests: two client connections in one tab
// (a reconnect), a server tab with two clients, and every kind of row.
#include "messages/Message.h"
#include "session/SessionSchema.h"

#include <QByteArray>
#include <QList>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

namespace SessionFixture {

using wst::Direction;
using wst::Kind;

struct Row
{
    qint64 tab;
    qint64 seq;
    qint64 timeUs;
    Direction dir;
    Kind kind;
    qint64 extra;
    quint32 conn;
    QByteArray payload;
};

struct Handshake
{
    qint64 tab;
    quint32 conn;
    qint64 timeUs;
    QByteArray request;
    QByteArray response;
    QByteArray details;
};

// Odd µs everywhere, so that a lost digit shows.
constexpr qint64 T0 = 1714564800123457;
constexpr qint64 ClientTab = 1;
constexpr qint64 ServerTab = 2;

inline const QByteArray &binaryPayload()
{
    static const QByteArray bytes("\x00\x01\xff\x00\x7f\x80 zero\x00", 11);
    return bytes;
}

inline QByteArray unicodeText()
{
    return QStringLiteral("h\u00e9llo \u4e16\u754c \"quoted\", comma\nsecond line\ttab \\ back").toUtf8();
}

inline QList<Row> rows()
{
    QList<Row> r;
    auto add = [&r](qint64 tab, qint64 dt, Direction dir, Kind kind, const QByteArray &payload,
                   qint64 extra = 0, quint32 conn = 0) {
        qint64 seq = 0;
        for (const Row &x : r)
            seq += x.tab == tab;
        r.append({ tab, seq, T0 + dt, dir, kind, extra, conn, payload });
    };
    add(ClientTab, 11, Direction::Event, Kind::Open, "chat");
    add(ClientTab, 21, Direction::Out, Kind::Text, "hello");
    add(ClientTab, 33, Direction::In, Kind::Text, unicodeText());
    add(ClientTab, 45, Direction::Out, Kind::Binary, binaryPayload());
    add(ClientTab, 57, Direction::In, Kind::Binary, QByteArray());
    add(ClientTab, 61, Direction::Out, Kind::Ping, QByteArray("p\x00\x01", 3));
    add(ClientTab, 73, Direction::In, Kind::Pong, QByteArray("p\x00\x01", 3), 1234);
    add(ClientTab, 85, Direction::Event, Kind::Error, "The remote host closed the connection");
    add(ClientTab, 97, Direction::Event, Kind::Close, "going away, \"now\"", 1001);
    // The reconnect (second handshake at +1 s).
    add(ClientTab, 1000011, Direction::Event, Kind::Open, "");
    add(ClientTab, 1000023, Direction::Out, Kind::Text, "{\"op\":\"again\"}");
    add(ClientTab, 1000035, Direction::In, Kind::Text, "");
    add(ClientTab, 1000047, Direction::Event, Kind::Info, "Reconnected after 1 s");

    add(ServerTab, 3, Direction::Event, Kind::Info, "listening ws://127.0.0.1:9000/");
    add(ServerTab, 101, Direction::Event, Kind::Open, "127.0.0.1:5555", 0, 1);
    add(ServerTab, 203, Direction::Event, Kind::Open, "127.0.0.1:5556", 0, 2);
    add(ServerTab, 305, Direction::In, Kind::Text, "from one", 0, 1);
    add(ServerTab, 307, Direction::Out, Kind::Text, "to one \u00e9", 0, 1);
    add(ServerTab, 409, Direction::In, Kind::Binary, binaryPayload(), 0, 2);
    add(ServerTab, 411, Direction::Out, Kind::Text, "to two", 0, 2);
    add(ServerTab, 513, Direction::Event, Kind::Close, "bye", 1000, 1);
    return r;
}

inline QList<Handshake> handshakes()
{
    const QByteArray request
        = "GET /chat?room=a%20b&x=1 HTTP/1.1\r\nHost: 127.0.0.1:9001\r\nUpgrade: websocket\r\n"
          "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: chat\r\nX-Token: abc\r\n\r\n";
    const QByteArray response
        = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: chat\r\n"
          "Set-Cookie: a=1; Path=/\r\nSet-Cookie: b=2; HttpOnly\r\n\r\n";
    const QByteArray details
        = R"({"target":"127.0.0.1:9001","tls":false,"tcpConnectUs":1500,"tlsHandshakeUs":-1,)"
          R"("handshakeUs":2500,"tlsProtocol":"","cipher":""})";
    auto serverRequest = [](const char *path) -> QByteArray {
        return "GET " + QByteArray(path)
            + " HTTP/1.1\r\nHost: 127.0.0.1:9000\r\nUpgrade: websocket\r\n"
              "Connection: Upgrade\r\nSec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==\r\n"
              "Sec-WebSocket-Version: 13\r\nOrigin: http://localhost\r\n\r\n";
    };
    const QByteArray serverResponse
        = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Accept: HSmrc0sMlYUkAGmm5OPpG2HaGWk=\r\n\r\n";
    return {
        { ClientTab, 0, T0 + 1, request, response, details },
        { ClientTab, 0, T0 + 1000001, request, response, details },
        { ServerTab, 1, T0 + 99, serverRequest("/feed?x=1"), serverResponse, R"({"peer":"127.0.0.1:5555"})" },
        { ServerTab, 2, T0 + 201, serverRequest("/other"), serverResponse, R"({"peer":"127.0.0.1:5556"})" },
    };
}

inline QByteArray clientSettings()
{
    return R"({"url":"ws://127.0.0.1:9001/chat?room=a%20b&x=1","headers":[["X-Token","abc"]],)"
           R"("subprotocols":["chat"],"origin":"","connectTimeoutMs":10000})";
}

// Writes the fixture (or `extraRows` more text rows in the client tab, for large sessions).
inline bool write(const QString &path, QString *error, qint64 extraRows = 0)
{
    QSqlDatabase db = wst::Schema::openForWriting(path, error);
    if (!db.isOpen())
        return false;
    auto run = [&db, error](QSqlQuery &q) {
        if (q.exec())
            return true;
        *error = q.lastError().text();
        return false;
    };
    bool ok = db.transaction();
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO meta(key, value) VALUES ('name', 'Fixture session')"));
    ok = ok && run(q);
    q.prepare(
        QStringLiteral("INSERT INTO tabs(id, position, kind, title, url, settings, read_only, created_us)"
                       " VALUES (?, ?, ?, ?, ?, ?, 0, ?)"));
    q.addBindValue(ClientTab);
    q.addBindValue(0);
    q.addBindValue(QStringLiteral("client"));
    q.addBindValue(QStringLiteral("Echo \u00e9"));
    q.addBindValue(QStringLiteral("ws://127.0.0.1:9001/chat?room=a%20b&x=1"));
    q.addBindValue(QString::fromUtf8(clientSettings()));
    q.addBindValue(T0);
    ok = ok && run(q);
    q.addBindValue(ServerTab);
    q.addBindValue(1);
    q.addBindValue(QStringLiteral("server"));
    q.addBindValue(QStringLiteral("Local server"));
    q.addBindValue(QStringLiteral("ws://127.0.0.1:9000/"));
    q.addBindValue(QStringLiteral("{}"));
    q.addBindValue(T0);
    ok = ok && run(q);
    q.prepare(QStringLiteral("INSERT INTO handshakes(tab, conn, time_us, request, response, details)"
                             " VALUES (?, ?, ?, ?, ?, ?)"));
    for (const Handshake &h : handshakes()) {
        q.addBindValue(h.tab);
        q.addBindValue(h.conn);
        q.addBindValue(h.timeUs);
        q.addBindValue(h.request);
        q.addBindValue(h.response);
        q.addBindValue(QString::fromUtf8(h.details));
        ok = ok && run(q);
    }
    QList<Row> all = rows();
    qint64 seq = 0;
    for (const Row &r : all)
        seq += r.tab == ClientTab;
    const QByteArray filler(256, 'x');
    for (qint64 i = 0; i < extraRows; ++i)
        all.append({ ClientTab, seq++, T0 + 2000000 + i, Direction::In, Kind::Text, 0, 0, filler });
    q.prepare(
        QStringLiteral("INSERT INTO messages(id, tab, seq, time_us, dir, kind, size, extra, conn, payload)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const Row &r : all) {
        if (!ok)
            break;
        q.addBindValue(wst::Schema::messageId(r.tab, r.seq));
        q.addBindValue(r.tab);
        q.addBindValue(r.seq);
        q.addBindValue(r.timeUs);
        q.addBindValue(int(r.dir));
        q.addBindValue(int(r.kind));
        q.addBindValue(r.payload.size());
        q.addBindValue(r.extra);
        q.addBindValue(r.conn);
        q.addBindValue(r.payload.isNull() ? QByteArray("") : r.payload);
        ok = run(q);
    }
    q.finish();
    ok = ok && db.commit();
    if (!ok && error->isEmpty())
        *error = db.lastError().text();
    wst::Schema::close(db);
    return ok;
}

} // namespace SessionFixture
