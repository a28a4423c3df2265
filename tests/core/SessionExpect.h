#pragma once

// What the session exports must say about a fixture row, computed independently of RowJson
// (QDateTime for the time, QJsonObject for the shape).
#include "SessionFixture.h"

#include <QDateTime>
#include <QJsonObject>

namespace SessionExpect {

inline QString isoTime(qint64 us)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(us / 1000, Qt::UTC);
    return t.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz"))
        + QStringLiteral("%1Z").arg(us % 1000, 3, 10, QLatin1Char('0'));
}

inline bool isBinary(wst::Kind k)
{
    return k == wst::Kind::Binary || k == wst::Kind::Ping || k == wst::Kind::Pong;
}

inline QString dirName(wst::Direction d)
{
    return QStringList { QStringLiteral("in"), QStringLiteral("out"), QStringLiteral("event") }.at(int(d));
}

inline QString kindName(wst::Kind k)
{
    return QStringList { QStringLiteral("text"), QStringLiteral("binary"), QStringLiteral("ping"),
        QStringLiteral("pong"), QStringLiteral("close"), QStringLiteral("open"), QStringLiteral("error"),
        QStringLiteral("info") }
        .at(int(k));
}

// The NDJSON / JSON object of a row.
inline QJsonObject object(const SessionFixture::Row &r)
{
    using wst::Kind;
    QJsonObject o { { QStringLiteral("tab"), r.tab }, { QStringLiteral("seq"), r.seq },
        { QStringLiteral("time"), isoTime(r.timeUs) }, { QStringLiteral("ts_us"), r.timeUs },
        { QStringLiteral("dir"), dirName(r.dir) }, { QStringLiteral("kind"), kindName(r.kind) },
        { QStringLiteral("size"), r.payload.size() } };
    if (r.conn)
        o.insert(QStringLiteral("client"), qint64(r.conn));
    if (r.kind == Kind::Close)
        o.insert(QStringLiteral("code"), r.extra);
    if (r.kind == Kind::Pong)
        o.insert(QStringLiteral("rtt_ms"), double(r.extra) / 1000.0);
    if (isBinary(r.kind)) {
        o.insert(QStringLiteral("encoding"), QStringLiteral("base64"));
        o.insert(QStringLiteral("data"), QString::fromLatin1(r.payload.toBase64()));
    } else {
        const QString key = r.kind == Kind::Close ? QStringLiteral("reason")
            : r.kind == Kind::Open ? (r.conn ? QStringLiteral("peer") : QStringLiteral("subprotocol"))
                                   : QStringLiteral("data");
        o.insert(key, QString::fromUtf8(r.payload));
    }
    return o;
}

} // namespace SessionExpect
