// SessionExport: every format read back and compared field by field with the rows written.
#include "SessionExpect.h"
#include "SessionFixture.h"
#include "protocol/HandshakeRecord.h"
#include "session/RowJson.h"
#include "session/SessionExport.h"
#include "session/SessionReader.h"

#include <QBuffer>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QUrlQuery>
#include <QtTest>

#include <cmath>

using namespace wst;
using SessionFixture::Row;

class tst_SessionExport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void isoTimeMatchesQDateTime();
    void ndjson();
    void ndjsonEmptyPayloads();
    void json();
    void csv();
    void har();
    void oneTab();
    void chosenRows();
    void missingTab();
    void cancelLeavesNoFile();
    void progressReachesTotal();
    void notASession();
    void secretsMaskedUnlessKept_data();
    void secretsMaskedUnlessKept();

private:
    // Secrets kept: the format tests compare the fixture byte for byte (secretsMaskedUnlessKept
    // tests the default).
    QByteArray exportTo(
        SessionExport::Format format, qint64 tab = -1, const QList<SessionExport::RowRef> &rows = {});
    static QList<QByteArray> lines(const QByteArray &text);
    static QList<QStringList> parseCsv(const QByteArray &text);

    QTemporaryDir m_dir;
    QString m_session;
};

void tst_SessionExport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_session = m_dir.filePath(QStringLiteral("fixture.wstsession"));
    QString error;
    QVERIFY2(SessionFixture::write(m_session, &error), qPrintable(error));
}

QByteArray tst_SessionExport::exportTo(
    SessionExport::Format format, qint64 tab, const QList<SessionExport::RowRef> &rows)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    SessionExport exporter(format);
    exporter.setTab(tab);
    exporter.setRows(rows);
    exporter.setKeepSecrets(true);
    if (exporter.write(m_session, &buffer) != SessionExport::Result::Ok) {
        qWarning("export failed: %s", qPrintable(exporter.errorString()));
        return {};
    }
    return buffer.data();
}

QList<QByteArray> tst_SessionExport::lines(const QByteArray &text)
{
    QList<QByteArray> result = text.split('\n');
    if (!result.isEmpty() && result.last().isEmpty())
        result.removeLast();
    return result;
}

// RFC 4180: fields in quotes may hold commas, doubled quotes and line breaks; records end in CRLF.
QList<QStringList> tst_SessionExport::parseCsv(const QByteArray &text)
{
    QList<QStringList> records;
    QStringList record;
    QByteArray field;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text.at(i);
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text.at(i + 1) == '"') {
                field.append('"');
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field.append(c);
            }
        } else if (c == '"' && field.isEmpty()) {
            quoted = true;
        } else if (c == ',') {
            record.append(QString::fromUtf8(field));
            field.clear();
        } else if (c == '\r' && i + 1 < text.size() && text.at(i + 1) == '\n') {
            record.append(QString::fromUtf8(field));
            field.clear();
            records.append(record);
            record.clear();
            ++i;
        } else {
            field.append(c);
        }
    }
    if (!field.isEmpty() || !record.isEmpty()) {
        record.append(QString::fromUtf8(field));
        records.append(record);
    }
    return records;
}

void tst_SessionExport::isoTimeMatchesQDateTime()
{
    QList<qint64> times { 0, 1, 999999, 86399999999, 951782400000000 /* 2000-02-29 */, 951868799999999,
        4107542400000000 /* 2100-03-01 */, 253402300799999999 /* 9999-12-31 */, SessionFixture::T0 };
    QRandomGenerator random(42);
    for (int i = 0; i < 20000; ++i)
        times.append(qint64(random.bounded(4102444800.0) * 1e6));
    for (qint64 us : std::as_const(times)) {
        QByteArray out;
        RowJson::appendIsoTime(out, us);
        QCOMPARE(QString::fromLatin1(out), SessionExpect::isoTime(us));
        QByteArray seconds;
        RowJson::appendSeconds(seconds, us);
        // A double keeps every µs up to 2^53 µs (the year 2255).
        if (us < (qint64(1) << 53))
            QCOMPARE(qint64(std::llround(seconds.toDouble() * 1e6)), us);
    }
}

void tst_SessionExport::ndjson()
{
    const QList<QByteArray> out = lines(exportTo(SessionExport::Format::Ndjson));
    const QList<Row> rows = SessionFixture::rows();
    QCOMPARE(out.size(), rows.size());
    for (qsizetype i = 0; i < rows.size(); ++i) {
        QJsonParseError e;
        const QJsonDocument doc = QJsonDocument::fromJson(out.at(i), &e);
        QVERIFY2(e.error == QJsonParseError::NoError, out.at(i).constData());
        QCOMPARE(doc.object(), SessionExpect::object(rows.at(i)));
    }
    // Text with a newline stays on one line; the line is exactly one object.
    QVERIFY(out.at(2).contains("\\nsecond line"));
}

void tst_SessionExport::ndjsonEmptyPayloads()
{
    // An empty payload has a null data(): the string writer must not hand it to memcpy (UBSan:
    // "null pointer passed as argument 2"), and the text is still written as "".
    QByteArray out;
    RowJson::appendString(out, QByteArrayView());
    QCOMPARE(out, QByteArray("\"\""));
    MessageRow row;
    row.timeUs = SessionFixture::T0;
    row.direction = Direction::In;
    row.kind = Kind::Text;
    QVERIFY2(RowJson::line(row, QByteArray())
                 .endsWith(R"("size":0,"data":""})"
                           "\n"),
        RowJson::line(row, QByteArray()).constData());
    // Through the exporter, as `wstester session export FILE --format ndjson` runs it.
    const QList<QByteArray> exported = lines(exportTo(SessionExport::Format::Ndjson));
    const QList<Row> rows = SessionFixture::rows();
    int empty = 0;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        if (rows.at(i).kind == Kind::Text && rows.at(i).payload.isEmpty()) {
            QVERIFY2(exported.at(i).contains(R"("size":0,"data":"")"), exported.at(i).constData());
            ++empty;
        }
    }
    QVERIFY(empty > 0);
}

void tst_SessionExport::json()
{
    QJsonParseError e;
    const QJsonDocument doc = QJsonDocument::fromJson(exportTo(SessionExport::Format::Json), &e);
    QVERIFY2(e.error == QJsonParseError::NoError, qPrintable(e.errorString()));
    const QJsonObject root = doc.object();
    QCOMPARE(root.value(QLatin1String("format")).toString(), QStringLiteral("wstester-export"));
    QCOMPARE(root.value(QLatin1String("version")).toInt(), 1);
    const QJsonArray tabs = root.value(QLatin1String("tabs")).toArray();
    QCOMPARE(tabs.size(), 2);

    const QJsonObject client = tabs.at(0).toObject();
    QCOMPARE(client.value(QLatin1String("id")).toInt(), 1);
    QCOMPARE(client.value(QLatin1String("kind")).toString(), QStringLiteral("client"));
    QCOMPARE(client.value(QLatin1String("title")).toString(), QStringLiteral("Echo \u00e9"));
    QCOMPARE(client.value(QLatin1String("url")).toString(),
        QStringLiteral("ws://127.0.0.1:9001/chat?room=a%20b&x=1"));
    QCOMPARE(client.value(QLatin1String("read_only")).toBool(), false);
    QCOMPARE(client.value(QLatin1String("settings")).toObject(),
        QJsonDocument::fromJson(SessionFixture::clientSettings()).object());
    const QJsonObject server = tabs.at(1).toObject();
    QCOMPARE(server.value(QLatin1String("kind")).toString(), QStringLiteral("server"));

    const QList<SessionFixture::Handshake> handshakes = SessionFixture::handshakes();
    const QJsonArray clientHandshakes = client.value(QLatin1String("handshakes")).toArray();
    const QJsonArray serverHandshakes = server.value(QLatin1String("handshakes")).toArray();
    QCOMPARE(clientHandshakes.size(), 2);
    QCOMPARE(serverHandshakes.size(), 2);
    QList<QJsonObject> allHandshakes;
    for (const QJsonValue &v : clientHandshakes)
        allHandshakes.append(v.toObject());
    for (const QJsonValue &v : serverHandshakes)
        allHandshakes.append(v.toObject());
    for (qsizetype i = 0; i < handshakes.size(); ++i) {
        const QJsonObject &h = allHandshakes.at(i);
        QCOMPARE(h.value(QLatin1String("conn")).toInt(), int(handshakes.at(i).conn));
        QCOMPARE(h.value(QLatin1String("ts_us")).toInteger(), handshakes.at(i).timeUs);
        QCOMPARE(h.value(QLatin1String("time")).toString(), SessionExpect::isoTime(handshakes.at(i).timeUs));
        QCOMPARE(h.value(QLatin1String("request")).toString().toUtf8(), handshakes.at(i).request);
        QCOMPARE(h.value(QLatin1String("response")).toString().toUtf8(), handshakes.at(i).response);
        QCOMPARE(h.value(QLatin1String("details")).toObject(),
            QJsonDocument::fromJson(handshakes.at(i).details).object());
    }

    QList<QJsonObject> messages;
    for (const QJsonValue &t : tabs) {
        for (const QJsonValue &m : t.toObject().value(QLatin1String("messages")).toArray())
            messages.append(m.toObject());
    }
    const QList<Row> rows = SessionFixture::rows();
    QCOMPARE(messages.size(), rows.size());
    for (qsizetype i = 0; i < rows.size(); ++i)
        QCOMPARE(messages.at(i), SessionExpect::object(rows.at(i)));
}

void tst_SessionExport::csv()
{
    const QList<QStringList> records = parseCsv(exportTo(SessionExport::Format::Csv));
    const QList<Row> rows = SessionFixture::rows();
    QCOMPARE(records.size(), rows.size() + 1);
    QCOMPARE(records.first().join(QLatin1Char(',')),
        QStringLiteral("tab,seq,time,ts_us,client,dir,kind,size,code,encoding,data"));
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const Row &r = rows.at(i);
        const QStringList &f = records.at(i + 1);
        QCOMPARE(f.size(), 11);
        QCOMPARE(f.at(0), QString::number(r.tab));
        QCOMPARE(f.at(1), QString::number(r.seq));
        QCOMPARE(f.at(2), SessionExpect::isoTime(r.timeUs));
        QCOMPARE(f.at(3), QString::number(r.timeUs));
        QCOMPARE(f.at(4), r.conn ? QString::number(r.conn) : QString());
        QCOMPARE(f.at(5), SessionExpect::dirName(r.dir));
        QCOMPARE(f.at(6), SessionExpect::kindName(r.kind));
        QCOMPARE(f.at(7), QString::number(r.payload.size()));
        QCOMPARE(f.at(8), r.kind == Kind::Close ? QString::number(r.extra) : QString());
        const bool binary = SessionExpect::isBinary(r.kind);
        QCOMPARE(f.at(9), binary ? QStringLiteral("base64") : QString());
        QCOMPARE(f.at(10), binary ? QString::fromLatin1(r.payload.toBase64()) : QString::fromUtf8(r.payload));
    }
}

void tst_SessionExport::har()
{
    QJsonParseError e;
    const QJsonDocument doc = QJsonDocument::fromJson(exportTo(SessionExport::Format::Har), &e);
    QVERIFY2(e.error == QJsonParseError::NoError, qPrintable(e.errorString()));
    const QJsonObject log = doc.object().value(QLatin1String("log")).toObject();
    QCOMPARE(log.value(QLatin1String("version")).toString(), QStringLiteral("1.2"));
    QCOMPARE(log.value(QLatin1String("creator")).toObject().value(QLatin1String("name")).toString(),
        QStringLiteral("wstester"));
    QVERIFY(
        !log.value(QLatin1String("creator")).toObject().value(QLatin1String("version")).toString().isEmpty());
    QVERIFY(log.value(QLatin1String("pages")).isArray());
    const QJsonArray entries = log.value(QLatin1String("entries")).toArray();
    // Two connections of the client tab (a reconnect), two clients of the server tab.
    QCOMPARE(entries.size(), 4);

    const QList<SessionFixture::Handshake> handshakes = SessionFixture::handshakes();
    const QList<Row> rows = SessionFixture::rows();
    auto isData = [](const Row &r) { return r.kind == Kind::Text || r.kind == Kind::Binary; };
    // The rows each entry must carry, from the client's point of view.
    QList<QList<Row>> expected(4);
    for (const Row &r : rows) {
        if (!isData(r))
            continue;
        if (r.tab == SessionFixture::ClientTab)
            expected[r.timeUs >= handshakes.at(1).timeUs ? 1 : 0].append(r);
        else
            expected[1 + r.conn].append(r);
    }
    const QStringList urls { QStringLiteral("ws://127.0.0.1:9001/chat?room=a%20b&x=1"),
        QStringLiteral("ws://127.0.0.1:9001/chat?room=a%20b&x=1"),
        QStringLiteral("ws://127.0.0.1:9000/feed?x=1"), QStringLiteral("ws://127.0.0.1:9000/other") };
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QJsonObject entry = entries.at(i).toObject();
        const SessionFixture::Handshake &h = handshakes.at(i);
        QCOMPARE(entry.value(QLatin1String("startedDateTime")).toString(), SessionExpect::isoTime(h.timeUs));
        QCOMPARE(entry.value(QLatin1String("_resourceType")).toString(), QStringLiteral("websocket"));
        QVERIFY(entry.value(QLatin1String("cache")).isObject());
        const QJsonObject request = entry.value(QLatin1String("request")).toObject();
        QCOMPARE(request.value(QLatin1String("method")).toString(), QStringLiteral("GET"));
        QCOMPARE(request.value(QLatin1String("url")).toString(), urls.at(i));
        QCOMPARE(request.value(QLatin1String("httpVersion")).toString(), QStringLiteral("HTTP/1.1"));
        QCOMPARE(request.value(QLatin1String("headersSize")).toInt(), -1);
        QCOMPARE(request.value(QLatin1String("bodySize")).toInt(), 0);
        QVERIFY(request.value(QLatin1String("cookies")).toArray().isEmpty());
        // The headers are the recorded request's, in wire order.
        const HandshakeRecord::Headers wireRequest = HandshakeRecord::parseHeaders(h.request);
        const QJsonArray requestHeaders = request.value(QLatin1String("headers")).toArray();
        QCOMPARE(requestHeaders.size(), wireRequest.size());
        for (qsizetype k = 0; k < wireRequest.size(); ++k) {
            QCOMPARE(
                requestHeaders.at(k)[QLatin1String("name")].toString().toUtf8(), wireRequest.at(k).first);
            QCOMPARE(
                requestHeaders.at(k)[QLatin1String("value")].toString().toUtf8(), wireRequest.at(k).second);
        }
        const auto query = QUrlQuery(QUrl(urls.at(i))).queryItems(QUrl::FullyDecoded);
        const QJsonArray queryString = request.value(QLatin1String("queryString")).toArray();
        QCOMPARE(queryString.size(), query.size());
        for (qsizetype k = 0; k < query.size(); ++k) {
            QCOMPARE(queryString.at(k)[QLatin1String("name")].toString(), query.at(k).first);
            QCOMPARE(queryString.at(k)[QLatin1String("value")].toString(), query.at(k).second);
        }

        const QJsonObject response = entry.value(QLatin1String("response")).toObject();
        QCOMPARE(response.value(QLatin1String("status")).toInt(), 101);
        QCOMPARE(
            response.value(QLatin1String("statusText")).toString(), QStringLiteral("Switching Protocols"));
        QCOMPARE(
            response.value(QLatin1String("content")).toObject().value(QLatin1String("mimeType")).toString(),
            QStringLiteral("x-unknown"));
        QCOMPARE(response.value(QLatin1String("redirectURL")).toString(), QString());
        QCOMPARE(response.value(QLatin1String("bodySize")).toInt(), -1);
        const QJsonArray responseHeaders = response.value(QLatin1String("headers")).toArray();
        QCOMPARE(responseHeaders.size(), HandshakeRecord::parseHeaders(h.response).size());
        int cookies = 0;
        for (const QJsonValue &v : responseHeaders)
            cookies += v[QLatin1String("name")].toString() == QLatin1String("Set-Cookie");
        QCOMPARE(cookies, i < 2 ? 2 : 0);

        const QJsonObject timings = entry.value(QLatin1String("timings")).toObject();
        if (i < 2) {
            QCOMPARE(timings.value(QLatin1String("connect")).toDouble(), 1.5);
            QCOMPARE(timings.value(QLatin1String("ssl")).toDouble(), -1.0);
            QCOMPARE(timings.value(QLatin1String("wait")).toDouble(), 2.5);
            QCOMPARE(entry.value(QLatin1String("time")).toDouble(), 4.0);
        }
        for (const char *key : { "blocked", "dns", "connect", "ssl", "send", "wait", "receive" })
            QVERIFY2(timings.value(QLatin1String(key)).isDouble(), key);

        const QJsonArray messages = entry.value(QLatin1String("_webSocketMessages")).toArray();
        QCOMPARE(messages.size(), expected.at(i).size());
        const bool server = i >= 2;
        for (qsizetype k = 0; k < messages.size(); ++k) {
            const Row &r = expected.at(i).at(k);
            const QJsonObject m = messages.at(k).toObject();
            const bool sent = server ? r.dir == Direction::In : r.dir == Direction::Out;
            QCOMPARE(m.value(QLatin1String("type")).toString(),
                sent ? QStringLiteral("send") : QStringLiteral("receive"));
            QCOMPARE(m.value(QLatin1String("opcode")).toInt(), r.kind == Kind::Text ? 1 : 2);
            QCOMPARE(qint64(std::llround(m.value(QLatin1String("time")).toDouble() * 1e6)), r.timeUs);
            if (r.kind == Kind::Text)
                QCOMPARE(m.value(QLatin1String("data")).toString(), QString::fromUtf8(r.payload));
            else
                QCOMPARE(
                    QByteArray::fromBase64(m.value(QLatin1String("data")).toString().toLatin1()), r.payload);
        }
    }
}

void tst_SessionExport::oneTab()
{
    const QList<QByteArray> out = lines(exportTo(SessionExport::Format::Ndjson, SessionFixture::ServerTab));
    QList<Row> rows;
    for (const Row &r : SessionFixture::rows()) {
        if (r.tab == SessionFixture::ServerTab)
            rows.append(r);
    }
    QCOMPARE(out.size(), rows.size());
    for (qsizetype i = 0; i < rows.size(); ++i)
        QCOMPARE(QJsonDocument::fromJson(out.at(i)).object(), SessionExpect::object(rows.at(i)));
    const QJsonArray tabs
        = QJsonDocument::fromJson(exportTo(SessionExport::Format::Json, SessionFixture::ClientTab))
              .object()[QLatin1String("tabs")]
              .toArray();
    QCOMPARE(tabs.size(), 1);
    QCOMPARE(tabs.at(0)[QLatin1String("id")].toInt(), 1);
    const QJsonArray entries
        = QJsonDocument::fromJson(exportTo(SessionExport::Format::Har, SessionFixture::ServerTab))
              .object()[QLatin1String("log")][QLatin1String("entries")]
              .toArray();
    QCOMPARE(entries.size(), 2);
}

void tst_SessionExport::chosenRows()
{
    // Any order, duplicates and rows that do not exist: history order, each once.
    const QList<QByteArray> out = lines(exportTo(
        SessionExport::Format::Ndjson, -1, { { 2, 4 }, { 1, 2 }, { 1, 1 }, { 1, 2 }, { 9, 9 }, { 1, 999 } }));
    QCOMPARE(out.size(), 3);
    const QList<Row> rows = SessionFixture::rows();
    auto find = [&rows](qint64 tab, qint64 seq) {
        for (const Row &r : rows) {
            if (r.tab == tab && r.seq == seq)
                return r;
        }
        return Row {};
    };
    QCOMPARE(QJsonDocument::fromJson(out.at(0)).object(), SessionExpect::object(find(1, 1)));
    QCOMPARE(QJsonDocument::fromJson(out.at(1)).object(), SessionExpect::object(find(1, 2)));
    QCOMPARE(QJsonDocument::fromJson(out.at(2)).object(), SessionExpect::object(find(2, 4)));
    // JSON: only the tabs that hold a chosen row.
    const QJsonArray tabs = QJsonDocument::fromJson(exportTo(SessionExport::Format::Json, -1, { { 2, 4 } }))
                                .object()[QLatin1String("tabs")]
                                .toArray();
    QCOMPARE(tabs.size(), 1);
    QCOMPARE(tabs.at(0)[QLatin1String("messages")].toArray().size(), 1);
}

void tst_SessionExport::missingTab()
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    SessionExport exporter(SessionExport::Format::Ndjson);
    exporter.setTab(7);
    QCOMPARE(exporter.write(m_session, &buffer), SessionExport::Result::Failed);
    QVERIFY2(exporter.errorString().contains(QLatin1String("no tab 7")), qPrintable(exporter.errorString()));
    QVERIFY2(exporter.errorString().contains(QLatin1String("1, 2")), qPrintable(exporter.errorString()));
}

void tst_SessionExport::cancelLeavesNoFile()
{
    QTemporaryDir dir;
    const QString session = dir.filePath(QStringLiteral("big.wstsession"));
    QString error;
    QVERIFY2(SessionFixture::write(session, &error, 50000), qPrintable(error));
    const QString folder = dir.filePath(QStringLiteral("out"));
    QVERIFY(QDir().mkpath(folder));
    const QString existing = folder + QStringLiteral("/existing.ndjson");
    QFile file(existing);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("keep me\n");
    file.close();

    for (SessionExport::Format format : { SessionExport::Format::Ndjson, SessionExport::Format::Json,
             SessionExport::Format::Csv, SessionExport::Format::Har }) {
        qint64 calls = 0;
        SessionExport exporter(format);
        exporter.setProgress([&calls](qint64 done, qint64 total) {
            ++calls;
            return done < total / 2;
        });
        QCOMPARE(exporter.writeFile(session, folder + QStringLiteral("/new.out")),
            SessionExport::Result::Cancelled);
        QVERIFY(calls > 1);
        QVERIFY(!exporter.errorString().isEmpty());
        QCOMPARE(exporter.writeFile(session, existing), SessionExport::Result::Cancelled);
        QCOMPARE(QDir(folder).entryList(QDir::Files | QDir::Hidden),
            QStringList { QStringLiteral("existing.ndjson") });
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("keep me\n"));
        file.close();
    }
}

void tst_SessionExport::progressReachesTotal()
{
    QTemporaryDir dir;
    const QString session = dir.filePath(QStringLiteral("big.wstsession"));
    QString error;
    QVERIFY2(SessionFixture::write(session, &error, 10000), qPrintable(error));
    QList<std::pair<qint64, qint64>> calls;
    SessionExport exporter(SessionExport::Format::Csv);
    exporter.setProgress([&calls](qint64 done, qint64 total) {
        calls.append({ done, total });
        return true;
    });
    const QString target = dir.filePath(QStringLiteral("out.csv"));
    QCOMPARE(exporter.writeFile(session, target), SessionExport::Result::Ok);
    const qint64 total = qint64(SessionFixture::rows().size()) + 10000;
    QCOMPARE(exporter.rowsWritten(), total);
    QVERIFY(calls.size() >= 3);
    QCOMPARE(calls.first(), std::make_pair(qint64(0), total));
    QCOMPARE(calls.last(), std::make_pair(total, total));
    for (qsizetype i = 1; i < calls.size(); ++i)
        QVERIFY(calls.at(i).first >= calls.at(i - 1).first);
    QFile file(target);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(parseCsv(file.readAll()).size(), total + 1);
}

void tst_SessionExport::notASession()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("text.wstsession"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(
        "just text, not SQLite, but long enough to have a header of a hundred bytes ......................");
    file.close();
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    SessionExport exporter(SessionExport::Format::Har);
    QCOMPARE(exporter.write(path, &buffer), SessionExport::Result::Failed);
    QVERIFY2(exporter.errorString().contains(QLatin1String("not a wstester session")),
        qPrintable(exporter.errorString()));
    QCOMPARE(
        exporter.writeFile(path, dir.filePath(QStringLiteral("out.har"))), SessionExport::Result::Failed);
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("out.har"))));
}

void tst_SessionExport::secretsMaskedUnlessKept_data()
{
    QTest::addColumn<SessionExport::Format>("format");
    QTest::newRow("har") << SessionExport::Format::Har;
    QTest::newRow("json") << SessionExport::Format::Json;
}

void tst_SessionExport::secretsMaskedUnlessKept()
{
    // A session that recorded a bearer token (request header and tab settings), cookies (the
    // response's Set-Cookie) and a key passphrase: an export shared with others leaves them out
    // unless asked, wherever the format carries them.
    QFETCH(SessionExport::Format, format);
    const QString path = m_dir.filePath(
        QStringLiteral("secrets-%1.wstsession").arg(QLatin1StringView(QTest::currentDataTag())));
    QString error;
    QVERIFY2(SessionFixture::write(path, &error), qPrintable(error));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("secrets"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("UPDATE handshakes SET request = replace(request, 'X-Token: abc', "
                                      "'Authorization: Bearer s3cret')")));
        QVERIFY(q.exec(QStringLiteral(
            R"(UPDATE tabs SET settings = '{"url":"ws://127.0.0.1:9001/chat","headers":[["Authorization",)"
            R"("Bearer s3cret"],["X-Trace","t1"]],"clientKeyPassphrase":"hunter2"}' WHERE id = 1)")));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("secrets"));

    auto run = [&path, format](bool keep, qint64 *masked) {
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        SessionExport exporter(format);
        exporter.setKeepSecrets(keep);
        const bool ok = exporter.write(path, &buffer) == SessionExport::Result::Ok;
        *masked = exporter.secretsMasked();
        return ok ? buffer.data() : QByteArray();
    };
    qint64 masked = -1;
    const QByteArray shared = run(false, &masked);
    QVERIFY(!shared.isEmpty());
    QVERIFY2(!shared.contains("s3cret"), shared.constData());
    QVERIFY(!shared.contains("hunter2"));
    QVERIFY(!shared.contains("a=1"));
    QVERIFY(shared.contains("(masked)"));
    QVERIFY(shared.contains("X-Trace") || format == SessionExport::Format::Har); // other headers stay
    QVERIFY(shared.contains("Sec-WebSocket-Accept"));
    QVERIFY(masked >= 2); // the client tab's two handshakes (and, in JSON, its settings)

    const QByteArray kept = run(true, &masked);
    QVERIFY(kept.contains("Bearer s3cret"));
    QVERIFY(kept.contains("a=1"));
    QCOMPARE(masked, 0);
}

QTEST_GUILESS_MAIN(tst_SessionExport)
#include "tst_SessionExport.moc"
