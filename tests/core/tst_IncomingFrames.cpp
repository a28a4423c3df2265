// What a user sees of the server's frames -- the history rows and the close -- is the same
// through the wire relay (ConnectionOptions::useRelay, the default) as on a direct connection,
// for awkward frame sequences. A hand-made server answers the upgrade itself and then writes
// frame bytes built here: a greeting in the 101's own write, floods in one write and in small
// pieces, fragments with control frames between them, UTF-8 split inside a character, invalid
// UTF-8, protocol errors, a masked server frame, the server's Close, a dropped connection, and
// frames that cross the client's own Close. The server also decodes what the client sends back
// (Pongs, Close codes), so each case checks the client's reaction too.
// Every case runs in both modes and expects of both what a direct connection shows, except where
// the relay knows better, on purpose: whether a Close frame came at all and its code
// (droppedWithoutClose, serverClosesWithoutCode), and a text message whose fragments are cut
// inside a character, which Qt 6.4 refuses on its own (1007) and the relay's tap accepts
// (utf8SplitInsideCharacters). Since the tap decodes the server's data frames itself, this is
// what holds it to QWebSocket's behaviour.
#include "connection/ClientConnection.h"
#include "messages/MessageStore.h"

#include <QCryptographicHash>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtEndian>
#include <QtTest>

using namespace wst;
using State = ClientConnection::State;

namespace {

constexpr quint8 Fin = 0x80;
constexpr quint8 Rsv1 = 0x40;
constexpr quint8 OpContinuation = 0x0;
constexpr quint8 OpText = 0x1;
constexpr quint8 OpBinary = 0x2;
constexpr quint8 OpClose = 0x8;
constexpr quint8 OpPing = 0x9;
constexpr quint8 OpPong = 0xA;

enum class LengthForm { Shortest, Bits16, Bits64 };

// One frame as a server writes it: unmasked, the length in its shortest form, unless asked
// otherwise (both are errors when a server does them).
QByteArray frame(quint8 opcode, const QByteArray &payload, quint8 flags = Fin,
    LengthForm form = LengthForm::Shortest, bool masked = false)
{
    QByteArray out;
    out.append(char(flags | opcode));
    const quint8 maskBit = masked ? 0x80 : 0x00;
    const quint64 size = quint64(payload.size());
    if (form == LengthForm::Bits64 || (form == LengthForm::Shortest && size > 0xffff)) {
        char length[8];
        qToBigEndian<quint64>(size, length);
        out.append(char(maskBit | 127));
        out.append(length, 8);
    } else if (form == LengthForm::Bits16 || size > 125) {
        char length[2];
        qToBigEndian<quint16>(quint16(size), length);
        out.append(char(maskBit | 126));
        out.append(length, 2);
    } else {
        out.append(char(maskBit | quint8(size)));
    }
    if (!masked)
        return out + payload;
    const char key[4] = { char(0x37), char(0xfa), char(0x21), char(0x3d) };
    out.append(key, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        out.append(char(payload.at(i) ^ key[i % 4]));
    return out;
}

QByteArray closePayload(quint16 code, const QByteArray &reason)
{
    char be[2];
    qToBigEndian<quint16>(code, be);
    return QByteArray(be, 2) + reason;
}

// A payload of `size` bytes that is not the same everywhere (a shifted byte shows).
QByteArray pattern(qsizetype size, int seed)
{
    QByteArray out(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        out[i] = char((i * 31 + seed) % 251);
    return out;
}

// A frame the client sent, unmasked.
struct ClientFrame
{
    quint8 opcode = 0;
    bool masked = false;
    QByteArray payload;
};

// A WebSocket server by hand on 127.0.0.1, port 0, for one connection. It answers the upgrade
// with a correct 101, then writes exactly the bytes a test gives it, and decodes the client's
// frames. By default it answers the client's Close with the same payload and ends the TCP
// connection, as servers do.
class RawServer : public QObject
{
public:
    RawServer()
    {
        connect(&m_server, &QTcpServer::newConnection, this, &RawServer::accept);
        m_server.listen(QHostAddress::LocalHost, 0);
    }

    bool isListening() const { return m_server.isListening(); }
    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1/frames").arg(m_server.serverPort())); }

    // Written after the 101 response in the same write() (or the same run of pieces).
    QByteArray greeting;
    // When above 0, the 101 response and the greeting go out in pieces of this many bytes.
    qsizetype handshakePieces = 0;
    // Answer the client's Close frame with the same payload and end the TCP connection.
    bool answerClose = true;

    // Written just before the Close reply (a message that was on its way).
    QByteArray beforeCloseReply;
    // The Close reply's payload; empty: the client's own payload.
    QByteArray closeReply;
    // The server has sent its own Close (set it before sending bytes that carry one): the
    // client's Close is then the reply, and the server just ends TCP.
    bool closeSent = false;

    bool isConnected() const { return m_socket && m_socket->state() == QAbstractSocket::ConnectedState; }
    // The TCP connection has ended (either side).
    bool tcpEnded() const { return m_tcpEnded; }

    // Bytes written after the TCP connection ended go nowhere.
    void send(const QByteArray &bytes)
    {
        if (!isConnected())
            return;
        m_socket->write(bytes);
        m_socket->flush();
    }
    // Each piece is its own write() and flush(), so the client reads the bytes in odd chunks
    // (TCP_NODELAY is on; the kernel may still join pieces when the reader lags). Between pieces
    // the server reads what the client sent, and stops once the client has closed: writing on
    // into a closed connection would reset it and lose the client's Close frame unread.
    void sendInPieces(const QByteArray &bytes, qsizetype piece)
    {
        for (qsizetype at = 0; at < bytes.size() && isConnected() && !m_clientSentClose; at += piece) {
            send(bytes.mid(at, piece));
            QCoreApplication::processEvents();
        }
    }
    // Ends the TCP connection after what was written (FIN, not RST: nothing written is lost).
    void endTcp()
    {
        if (m_socket)
            m_socket->disconnectFromHost();
    }

    // A client masks every frame it sends (RFC 6455 5.3).
    bool clientFramesMasked() const
    {
        return std::all_of(
            m_received.cbegin(), m_received.cend(), [](const ClientFrame &f) { return f.masked; });
    }
    // The codes of the client's Close frames (1005 for one without a code).
    QList<int> closeCodes() const
    {
        QList<int> codes;
        for (const ClientFrame &f : m_received) {
            if (f.opcode == OpClose)
                codes.append(f.payload.size() >= 2 ? qFromBigEndian<quint16>(f.payload.constData()) : 1005);
        }
        return codes;
    }
    QByteArray lastCloseReason() const
    {
        for (qsizetype i = m_received.size() - 1; i >= 0; --i) {
            if (m_received.at(i).opcode == OpClose)
                return m_received.at(i).payload.mid(2);
        }
        return {};
    }
    QList<QByteArray> pongs() const
    {
        QList<QByteArray> out;
        for (const ClientFrame &f : m_received) {
            if (f.opcode == OpPong)
                out.append(f.payload);
        }
        return out;
    }
    // Data frames the client sent (it sends none in these tests unless asked).
    int dataFrames() const
    {
        return int(std::count_if(m_received.cbegin(), m_received.cend(),
            [](const ClientFrame &f) { return (f.opcode & 0x8) == 0; }));
    }

private:
    void accept()
    {
        while (m_server.hasPendingConnections()) {
            QTcpSocket *socket = m_server.nextPendingConnection();
            socket->setParent(this);
            if (m_socket) {
                socket->abort(); // one connection per server
                continue;
            }
            m_socket = socket;
            socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            connect(socket, &QTcpSocket::readyRead, this, &RawServer::read);
            connect(socket, &QTcpSocket::disconnected, this, [this] { m_tcpEnded = true; });
            read();
        }
    }

    void read()
    {
        m_buffer += m_socket->readAll();
        if (!m_upgraded) {
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QByteArray request = m_buffer.left(end + 4);
            m_buffer.remove(0, end + 4);
            QByteArray key;
            for (const QByteArray &line : request.split('\n')) {
                const qsizetype colon = line.indexOf(':');
                if (colon > 0 && line.left(colon).trimmed().toLower() == "sec-websocket-key")
                    key = line.mid(colon + 1).trimmed();
            }
            const QByteArray accept = QCryptographicHash::hash(
                QByteArray(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"), QCryptographicHash::Sha1)
                                          .toBase64();
            QByteArray response("HTTP/1.1 101 Switching Protocols\r\n"
                                "Upgrade: websocket\r\n"
                                "Connection: Upgrade\r\n"
                                "Sec-WebSocket-Accept: ");
            response += accept;
            response += "\r\n\r\n";
            response += greeting;
            m_upgraded = true;
            if (handshakePieces > 0)
                sendInPieces(response, handshakePieces);
            else
                send(response);
            // The client may have answered meanwhile (sendInPieces() lets events run), and the
            // socket does not emit readyRead() again from inside this slot.
            m_buffer += m_socket->readAll();
        }
        readFrames();
    }

    void readFrames()
    {
        for (;;) {
            if (m_buffer.size() < 2)
                return;
            const auto b0 = quint8(m_buffer.at(0));
            const auto b1 = quint8(m_buffer.at(1));
            quint64 length = b1 & 0x7f;
            qsizetype at = 2;
            if (length == 126) {
                if (m_buffer.size() < 4)
                    return;
                length = qFromBigEndian<quint16>(m_buffer.constData() + 2);
                at = 4;
            } else if (length == 127) {
                if (m_buffer.size() < 10)
                    return;
                length = qFromBigEndian<quint64>(m_buffer.constData() + 2);
                at = 10;
            }
            ClientFrame f;
            f.opcode = b0 & 0x0f;
            f.masked = b1 & 0x80;
            const qsizetype keyAt = at;
            if (f.masked)
                at += 4;
            if (m_buffer.size() < at || quint64(m_buffer.size() - at) < length)
                return;
            f.payload = m_buffer.mid(at, qsizetype(length));
            if (f.masked) {
                for (qsizetype i = 0; i < f.payload.size(); ++i)
                    f.payload[i] = char(f.payload.at(i) ^ m_buffer.at(keyAt + i % 4));
            }
            m_buffer.remove(0, at + qsizetype(length));
            m_received.append(f);
            if (f.opcode == OpClose) {
                m_clientSentClose = true;
                onClientClose(f);
            }
        }
    }

    void onClientClose(const ClientFrame &f)
    {
        if (closeSent) {
            endTcp(); // the closing handshake is complete
        } else if (answerClose) {
            send(beforeCloseReply + frame(OpClose, closeReply.isEmpty() ? f.payload : closeReply));
            closeSent = true;
            endTcp();
        }
    }

    QTcpServer m_server;
    QPointer<QTcpSocket> m_socket;
    QByteArray m_buffer;
    QList<ClientFrame> m_received;
    bool m_upgraded = false;
    bool m_clientSentClose = false;
    bool m_tcpEnded = false;
};

// One history row as the comparisons see it. Info/Open/Error rows are events whose text is
// translated: only their kind counts. Close rows keep the reason and the code (extra); Pong rows
// keep extra, the round trip (-1 for a pong nobody asked for).
struct Row
{
    Direction direction = Direction::Event;
    Kind kind = Kind::Info;
    QByteArray payload;
    qint64 extra = 0;
    bool operator==(const Row &) const = default;
};

Row in(Kind kind, const QByteArray &payload, qint64 extra = 0)
{
    return { Direction::In, kind, payload, extra };
}
Row eventRow(Kind kind)
{
    return { Direction::Event, kind, {}, 0 };
}
// The row that says the connection closed, with the code and reason the user is shown.
Row closed(int code, const QByteArray &reason)
{
    return { Direction::Event, Kind::Close, reason, code };
}
// The user's own Close.
Row sentClose(int code, const QByteArray &reason)
{
    return { Direction::Out, Kind::Close, reason, code };
}
// Every case starts with "Connecting to ..." and the Open row.
QList<Row> opened()
{
    return { eventRow(Kind::Info), eventRow(Kind::Open) };
}

QList<Row> rowsOf(const ClientConnection &c)
{
    QList<Row> out;
    const MessageStore &s = *c.store();
    const qint64 n = s.count();
    for (qint64 i = 0; i < n; ++i) {
        const MessageRow &r = s.row(i);
        if (r.direction == Direction::Event && r.kind != Kind::Close)
            out.append(eventRow(r.kind));
        else
            out.append({ r.direction, r.kind, s.payloadCopy(i), r.extra });
    }
    return out;
}

QString describe(const Row &r)
{
    static const char *const directions[] = { "in", "out", "event" };
    static const char *const kinds[] = { "text", "binary", "ping", "pong", "close", "open", "error", "info" };
    QString text = QStringLiteral("%1 %2").arg(
        QLatin1String(directions[int(r.direction)]), QLatin1String(kinds[int(r.kind)]));
    if (r.kind == Kind::Close || r.kind == Kind::Pong || r.extra != 0)
        text += QStringLiteral(" extra=%1").arg(r.extra);
    if (r.direction != Direction::Event || r.kind == Kind::Close) {
        QByteArray shown = r.payload.left(40);
        QString escaped;
        for (const char ch : std::as_const(shown)) {
            if (ch >= 0x20 && ch < 0x7f && ch != '\\')
                escaped += QLatin1Char(ch);
            else
                escaped += QStringLiteral("\\x%1").arg(quint8(ch), 2, 16, QLatin1Char('0'));
        }
        text += QStringLiteral(" [%1 bytes] \"%2\"%3")
                    .arg(r.payload.size())
                    .arg(escaped, r.payload.size() > shown.size() ? QStringLiteral("...") : QString());
    }
    return text;
}

// Empty when equal; otherwise where the lists part, with the rows around it.
QString rowsDiff(const QList<Row> &actual, const QList<Row> &expected)
{
    if (actual == expected)
        return {};
    qsizetype first = 0;
    while (first < actual.size() && first < expected.size() && actual.at(first) == expected.at(first))
        ++first;
    QString text = QStringLiteral("history has %1 rows, expected %2; first difference at row %3\n")
                       .arg(actual.size())
                       .arg(expected.size())
                       .arg(first);
    const auto dump = [&text, first](const char *title, const QList<Row> &rows) {
        text += QLatin1String(title);
        for (qsizetype i = qMax<qsizetype>(0, first - 2); i < qMin(rows.size(), first + 4); ++i)
            text += QStringLiteral("  %1%2: %3\n")
                        .arg(QChar(i == first ? u'>' : u' '))
                        .arg(i)
                        .arg(describe(rows.at(i)));
    };
    dump("actual:\n", actual);
    dump("expected:\n", expected);
    return text;
}

ConnectionOptions optionsFor(const RawServer &server, bool relay)
{
    ConnectionOptions o;
    o.url = server.url();
    o.useRelay = relay;
    return o;
}

// Opens the client to the server, through the relay or directly; true once it is open.
bool openTo(ClientConnection &c, const RawServer &server, bool relay)
{
    c.open(optionsFor(server, relay));
    return QTest::qWaitFor([&c] { return c.state() == ClientConnection::State::Open; }, 5000);
}

} // namespace

// The history must become exactly `expected` (waits: rows arrive in batches).
#define TRY_COMPARE_ROWS(connection, ...)                                                                    \
    do {                                                                                                     \
        const QList<Row> expectedRows(__VA_ARGS__);                                                          \
        QString rowsDiffText;                                                                                \
        const auto historyMatches = [&] {                                                                    \
            rowsDiffText = rowsDiff(rowsOf(connection), expectedRows);                                       \
            return rowsDiffText.isEmpty();                                                                   \
        };                                                                                                   \
        QTRY_VERIFY2(historyMatches(), qPrintable(rowsDiffText));                                            \
    } while (false)

// The history is exactly `expected` now (after the connection closed nothing more comes).
#define COMPARE_ROWS(connection, ...)                                                                        \
    do {                                                                                                     \
        const QString rowsDiffText = rowsDiff(rowsOf(connection), QList<Row>(__VA_ARGS__));                  \
        QVERIFY2(rowsDiffText.isEmpty(), qPrintable(rowsDiffText));                                          \
    } while (false)

class tst_IncomingFrames : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void greetingWithThe101_data();
    void greetingWithThe101();
    void manySmallMessages_data();
    void manySmallMessages();
    void fragmentsWithControlFramesBetween_data();
    void fragmentsWithControlFramesBetween();
    void binarySizesAndLengthForms_data();
    void binarySizesAndLengthForms();
    void utf8SplitInsideCharacters_data();
    void utf8SplitInsideCharacters();
    void invalidUtf8_data();
    void invalidUtf8();
    void protocolErrors_data();
    void protocolErrors();
    void maskedServerFrame_data();
    void maskedServerFrame();
    void serverCloses_data();
    void serverCloses();
    void serverClosesWithoutCode_data();
    void serverClosesWithoutCode();
    void droppedWithoutClose_data();
    void droppedWithoutClose();
    void messageAfterOwnClose_data();
    void messageAfterOwnClose();
    void clientSendsTheNewerCloseCodes_data();
    void clientSendsTheNewerCloseCodes();

private:
    static void addModes();
    static void expectClientFailedConnection(
        const ClientConnection &c, const RawServer &server, bool relay, const QList<Row> &before = {});
};

void tst_IncomingFrames::addModes()
{
    QTest::addColumn<bool>("relay");
    QTest::newRow("relay") << true;
    QTest::newRow("direct") << false;
}

static const char *modeName(bool relay)
{
    return relay ? "relay" : "direct";
}

void tst_IncomingFrames::greetingWithThe101_data()
{
    QTest::addColumn<bool>("relay");
    QTest::addColumn<int>("pieces"); // 0: the 101 and the greeting in one write
    for (const bool relay : { true, false }) {
        QTest::addRow("%s, one write", modeName(relay)) << relay << 0;
        QTest::addRow("%s, 7-byte pieces", modeName(relay)) << relay << 7;
        QTest::addRow("%s, 1-byte pieces", modeName(relay)) << relay << 1;
    }
}

void tst_IncomingFrames::greetingWithThe101()
{
    // Servers often greet at once: the first frames share the TCP packet with the 101.
    QFETCH(bool, relay);
    QFETCH(int, pieces);
    RawServer server;
    QVERIFY(server.isListening());
    server.greeting = frame(OpText, "hello") + frame(OpBinary, QByteArray("\x00\xff\x10", 3))
        + frame(OpPing, "are you there") + frame(OpText, "second");
    server.handshakePieces = pieces;
    ClientConnection c;
    QVERIFY2(openTo(c, server, relay), qPrintable(c.status().errorString));
    server.send(frame(OpText, "after open"));
    TRY_COMPARE_ROWS(c,
        opened()
            + QList<Row> {
                in(Kind::Text, "hello"),
                in(Kind::Binary, QByteArray("\x00\xff\x10", 3)),
                in(Kind::Text, "second"),
                in(Kind::Text, "after open"),
            });
    QTRY_COMPARE(server.pongs(), QList<QByteArray> { "are you there" });
    QVERIFY(server.clientFramesMasked());
    QCOMPARE(server.dataFrames(), 0);
    // The modes really differ: only the relay saw (and recorded) the handshake.
    QTRY_COMPARE(c.handshake().statusCode(), relay ? 101 : 0);
}

void tst_IncomingFrames::manySmallMessages_data()
{
    QTest::addColumn<bool>("relay");
    QTest::addColumn<int>("pieces"); // 0: all in one write
    for (const bool relay : { true, false }) {
        QTest::addRow("%s, one write", modeName(relay)) << relay << 0;
        QTest::addRow("%s, 7-byte pieces", modeName(relay)) << relay << 7;
    }
}

void tst_IncomingFrames::manySmallMessages()
{
    // 2000 messages of 100 bytes (every third binary), all complete, in order, byte for byte,
    // however the stream is cut.
    QFETCH(bool, relay);
    QFETCH(int, pieces);
    RawServer server;
    QVERIFY(server.isListening());
    ClientConnection c;
    QVERIFY2(openTo(c, server, relay), qPrintable(c.status().errorString));
    QByteArray bytes;
    QList<Row> expected = opened();
    for (int i = 0; i < 2000; ++i) {
        if (i % 3 == 2) {
            const QByteArray payload = pattern(100, i);
            bytes += frame(OpBinary, payload);
            expected.append(in(Kind::Binary, payload));
        } else {
            const QByteArray payload
                = QByteArray::number(i).rightJustified(6, '0') + ' ' + QByteArray(93, char('a' + i % 26));
            bytes += frame(OpText, payload);
            expected.append(in(Kind::Text, payload));
        }
    }
    if (pieces > 0)
        server.sendInPieces(bytes, pieces);
    else
        server.send(bytes);
    TRY_COMPARE_ROWS(c, expected);
    QCOMPARE(c.store()->counters().messagesIn, 2000);
    QCOMPARE(c.state(), State::Open);
}

void tst_IncomingFrames::fragmentsWithControlFramesBetween_data()
{
    addModes();
}

void tst_IncomingFrames::fragmentsWithControlFramesBetween()
{
    // Control frames may come between the fragments of a message. The message is one row with
    // the whole text; a pong nobody asked for is a row of its own, before the message it
    // interrupted (it arrived first); pings are answered with their payload.
    QFETCH(bool, relay);
    RawServer server;
    QVERIFY(server.isListening());
    ClientConnection c;
    QVERIFY2(openTo(c, server, relay), qPrintable(c.status().errorString));
    server.send(frame(OpText, "Hello, ", 0) + frame(OpContinuation, "fragmented ", 0)
        + frame(OpPing, "mid-message") + frame(OpContinuation, "", 0) + frame(OpPong, "unasked")
        + frame(OpContinuation, "world", Fin)
        // A binary message whose first and last fragments are empty.
        + frame(OpBinary, "", 0) + frame(OpContinuation, QByteArray("\x01\x02", 2), 0) + frame(OpPing, "")
        + frame(OpContinuation, "", Fin) + frame(OpText, "after"));
    TRY_COMPARE_ROWS(c,
        opened()
            + QList<Row> {
                in(Kind::Pong, "unasked", -1),
                in(Kind::Text, "Hello, fragmented world"),
                in(Kind::Binary, QByteArray("\x01\x02", 2)),
                in(Kind::Text, "after"),
            });
    QTRY_COMPARE(server.pongs(), (QList<QByteArray> { "mid-message", "" }));
    QVERIFY(server.clientFramesMasked());
    QCOMPARE(server.dataFrames(), 0);
    QCOMPARE(c.state(), State::Open);
}

void tst_IncomingFrames::binarySizesAndLengthForms_data()
{
    addModes();
}

void tst_IncomingFrames::binarySizesAndLengthForms()
{
    // Every length form at its edges: 7-bit (0, 125), 16-bit (126, 65535), 64-bit (65536, 200 KiB).
    QFETCH(bool, relay);
    RawServer server;
    QVERIFY(server.isListening());
    ClientConnection c;
    QVERIFY2(openTo(c, server, relay), qPrintable(c.status().errorString));
    QByteArray bytes;
    QList<Row> expected = opened();
    int seed = 0;
    for (const qsizetype size : { 0, 1, 125, 126, 65535, 65536, 200 * 1024, 0 }) {
        const QByteArray payload = pattern(size, ++seed);
        bytes += frame(OpBinary, payload);
        expected.append(in(Kind::Binary, payload));
    }
    bytes += frame(OpText, "");
    expected.append(in(Kind::Text, ""));
    server.send(bytes);
    TRY_COMPARE_ROWS(c, expected);
    QCOMPARE(c.state(), State::Open);
}

void tst_IncomingFrames::utf8SplitInsideCharacters_data()
{
    QTest::addColumn<bool>("relay");
    QTest::addColumn<QList<int>>("cuts"); // fragment boundaries (byte offsets); none: one frame
    QTest::addColumn<int>("pieces"); // TCP write size; 0: one write
    QTest::addColumn<bool>("accepted");
    // Offsets in the text below: 中 0..2, 文 3..5, space 6, 😀 7..10, " caf" 11..14, é 15..16,
    // space 17, 世 18..20, 界 21..23.
    for (const bool relay : { true, false }) {
        const char *mode = modeName(relay);
        QTest::addRow("%s, one frame, 1-byte pieces", mode) << relay << QList<int> {} << 1 << true;
        QTest::addRow("%s, fragments cut between characters", mode)
            << relay << QList<int> { 3, 6, 7, 11, 15, 17 } << 0 << true;
        QTest::addRow("%s, fragment cut inside a 2-byte character", mode)
            << relay << QList<int> { 16 } << 0 << false;
        QTest::addRow("%s, fragment cut inside a 3-byte character", mode)
            << relay << QList<int> { 1 } << 0 << false;
        QTest::addRow("%s, fragment cut inside a 4-byte character", mode)
            << relay << QList<int> { 9 } << 0 << false;
        QTest::addRow("%s, many cuts inside characters, 1-byte pieces", mode)
            << relay << QList<int> { 1, 5, 9, 9, 16, 19, 23 } << 1 << false;
    }
}

void tst_IncomingFrames::utf8SplitInsideCharacters()
{
    // Multi-byte characters (3-byte CJK, a 4-byte emoji, a 2-byte Latin letter) cut by TCP
    // writes or by fragment boundaries.
    // RFC 6455 5.6 allows a fragment to end inside a character (only the whole message must be
    // UTF-8), but Qt 6.4.2 checks each fragment on its own: a message cut inside a character
    // fails the connection with 1007 "Invalid UTF-8 code encountered.". That is what a direct
    // connection shows. Through the relay, whose tap checks the whole message, the message is
    // accepted, on purpose: a tester must not blame a server for Qt's mistake.
    QFETCH(bool, relay);
    QFETCH(QList<int>, cuts);
    QFETCH(int, pieces);
    QFETCH(bool, accepted);
    const QByteArray utf8 = QStringLiteral(u"\u4e2d\u6587 \U0001F600 caf\u00e9 \u4e16\u754c").toUtf8();
    QCOMPARE(utf8.size(), 24);
    QByteArray bytes;
    qsizetype from = 0;
    for (const int cut : std::as_const(cuts)) {
        bytes += frame(from == 0 ? OpText : OpContinuation, utf8.mid(from, cut - from), 0);
        from = cut;
    }
    bytes += frame(cuts.isEmpty() ? OpText : OpContinuation, utf8.mid(from), Fin);
    bytes += frame(OpText, "next");

    RawServer server;
    QVERIFY(server.isListening());
    server.answerClose = false; // see expectClientFailedConnection()
    ClientConnection c;
    QVERIFY2(openTo(c, server, relay), qPrintable(c.status().errorString));
    if (pieces > 0)
        server.sendInPieces(bytes, pieces);
    else
        server.send(bytes);
    if (accepted || relay) {
        TRY_COMPARE_ROWS(c, opened() + QList<Row> { in(Kind::Text, utf8), in(Kind::Text, "next") });
        QCOMPARE(c.state(), State::Open);
        QCOMPARE(server.closeCodes(), QList<int> {});
        return;
    }
    QTRY_COMPARE(c.state(), State::Closed);
    QTRY_COMPARE(server.closeCodes(), QList<int> { 1007 });
    expectClientFailedConnection(c, server, relay);
}

void tst_IncomingFrames::invalidUtf8_data()
{
    QTest::addColumn<bool>("relay");
    QTest::addColumn<QByteArray>("bad");
    for (const bool relay : { true, false }) {
        const char *mode = modeName(relay);
        QTest::addRow("%s, in one frame", mode) << relay << frame(OpText, QByteArray("ab\xc3\x28z"));
        QTest::addRow("%s, in the 2nd fragment", mode)
            << relay << frame(OpText, "valid start ", 0) + frame(OpContinuation, QByteArray("\xff\xfe"), Fin);
        QTest::addRow("%s, overlong encoding", mode) << relay << frame(OpText, QByteArray("\xc0\xaf"));
        QTest::addRow("%s, UTF-16 surrogate", mode) << relay << frame(OpText, QByteArray("x\xed\xa0\x80y"));
    }
}

void tst_IncomingFrames::invalidUtf8()
{
    // A text message that is not UTF-8: the client fails the connection with 1007. The rows
    // before it stay; the bad message and what follows it are not in the history.
    QFETCH(bool, relay);
    QFETCH(QByteArray, bad);
    RawServer server;
    QVERIFY(server.isListening());
    server.answerClose = false; // see expectClientFailedConnection()
    ClientConnection c;
    QVERIFY2(openTo(c, server, relay), qPrintable(c.status().errorString));
    server.send(frame(OpText, "first") + frame(OpBinary, QByteArray("\xff\xfe", 2)) + bad
        + frame(OpText, "never shown"));
    QTRY_COMPARE(c.state(), State::Closed);
    QTRY_COMPARE(server.closeCodes(), QList<int> { 1007 });
    expectClientFailedConnection(
        c, server, relay, { in(Kind::Text, "first"), in(Kind::Binary, QByteArray("\xff\xfe", 2)) });
}

void tst_IncomingFrames::protocolErrors_data()
{
    QTest::addColumn<bool>("relay");
    QTest::addColumn<QByteArray>("bad");
    for (const bool relay : { true, false }) {
        const char *mode = modeName(relay);
        QTest::addRow("%s, RSV1 set", mode) << relay << frame(OpText, "deflated?", Fin | Rsv1);
        QTest::addRow("%s, reserved opcode 0x3", mode) << relay << frame(0x3, "what");
        QTest::addRow("%s, reserved control opcode 0xB", mode) << relay << frame(0xB, "what");
        QTest::addRow("%s, continuation without a message", mode) << relay << frame(OpContinuation, "orphan");
        QTest::addRow("%s, new message inside a fragmented one", mode)
            << relay << frame(OpText, "one", 0) + frame(OpText, "two");
        QTest::addRow("%s, ping of 126 bytes", mode) << relay << frame(OpPing, QByteArray(126, 'p'));
        QTest::addRow("%s, fragmented ping", mode) << relay << frame(OpPing, "frag", 0);
        QTest::addRow("%s, 16-bit length below 126", mode)
            << relay << frame(OpText, "short", Fin, LengthForm::Bits16);
        QTest::addRow("%s, 64-bit length below 65536", mode)
            << relay << frame(OpBinary, QByteArray(300, 'b'), Fin, LengthForm::Bits64);
        // The Close frames below carry what the server sent; the client replaces it with its own.
        QTest::addRow("%s, Close with a 1-byte payload", mode) << relay << frame(OpClose, "x");
        QTest::addRow("%s, Close with code 1005", mode) << relay << frame(OpClose, closePayload(1005, "no"));
        QTest::addRow("%s, Close with code 999", mode) << relay << frame(OpClose, closePayload(999, ""));
    }
}

void tst_IncomingFrames::protocolErrors()
{
    // Frames a server must not send: the client fails the connection with 1002, keeps the rows
    // before, and shows nothing after.
    QFETCH(bool, relay);
    QFETCH(QByteArray, bad);
    RawServer server;
    QVERIFY(server.isListening());
    server.answerClose = false; // see expectClientFailedConnection()
    ClientConnection c;
    QVERIFY2(openTo(c, server, relay), qPrintable(c.status().errorString));
    server.send(frame(OpText, "before") + bad + frame(OpText, "never shown"));
    QTRY_COMPARE(c.state(), State::Closed);
    QTRY_COMPARE(server.closeCodes(), QList<int> { 1002 });
    expectClientFailedConnection(c, server, relay, { in(Kind::Text, "before") });
}

void tst_IncomingFrames::maskedServerFrame_data()
{
    addModes();
}

void tst_IncomingFrames::maskedServerFrame()
{
    // RFC 6455 5.1: a client must fail the connection when a server frame is masked. Qt 6.4.2
    // does not check: it unmasks the payload and delivers the message. Through the relay the
    // tap sees the frame first, and the client fails the connection with 1002, saying why. A
    // direct connection has no way to see the mask bit (QWebSocket tells nothing of it), so
    // there Qt's behaviour stays: the masked messages are shown.
    QFETCH(bool, relay);
    RawServer server;
    QVERIFY(server.isListening());
    server.answerClose = false; // see expectClientFailedConnection()
    ClientConnection c;
    QVERIFY2(openTo(c, server, relay), qPrintable(c.status().errorString));
    server.send(frame(OpText, "before") + frame(OpText, "masked text", Fin, LengthForm::Shortest, true)
        + frame(OpBinary, pattern(300, 5), Fin, LengthForm::Shortest, true) + frame(OpText, "plain"));
    if (!relay) {
        TRY_COMPARE_ROWS(c,
            opened()
                + QList<Row> {
                    in(Kind::Text, "before"),
                    in(Kind::Text, "masked text"),
                    in(Kind::Binary, pattern(300, 5)),
                    in(Kind::Text, "plain"),
                });
        QCOMPARE(c.state(), State::Open);
        QCOMPARE(server.closeCodes(), QList<int> {});
        return;
    }
    QTRY_COMPARE(c.state(), State::Closed);
    QTRY_COMPARE(server.closeCodes(), QList<int> { 1002 });
    QVERIFY2(server.lastCloseReason().contains("masked frame"), server.lastCloseReason().constData());
    expectClientFailedConnection(c, server, relay, { in(Kind::Text, "before") });
    QCOMPARE(c.status().closeReason, QString::fromUtf8(server.lastCloseReason()));
}

void tst_IncomingFrames::serverCloses_data()
{
    QTest::addColumn<bool>("relay");
    QTest::addColumn<bool>("endTcpAtOnce"); // else the server waits for the client's Close reply
    QTest::addColumn<int>("pieces");
    for (const bool relay : { true, false }) {
        const char *mode = modeName(relay);
        QTest::addRow("%s, TCP ends at once", mode) << relay << true << 0;
        QTest::addRow("%s, TCP ends at once, 3-byte pieces", mode) << relay << true << 3;
        QTest::addRow("%s, waits for the reply", mode) << relay << false << 0;
    }
}

void tst_IncomingFrames::serverCloses()
{
    // Messages, then the server's Close 4001 "bye": every message is recorded before the Close
    // row, and the tab shows 4001 "bye".
    QFETCH(bool, relay);
    QFETCH(bool, endTcpAtOnce);
    QFETCH(int, pieces);
    RawServer server;
    QVERIFY(server.isListening());
    ClientConnection c;
    QVERIFY2(openTo(c, server, relay), qPrintable(c.status().errorString));
    const QByteArray bytes = frame(OpText, "one") + frame(OpBinary, pattern(70000, 3))
        + frame(OpText, "three") + frame(OpClose, closePayload(4001, "bye"));
    server.closeSent = true;
    if (pieces > 0)
        server.sendInPieces(bytes, pieces);
    else
        server.send(bytes);
    if (endTcpAtOnce)
        server.endTcp();
    QTRY_COMPARE(c.state(), State::Closed);
    COMPARE_ROWS(c,
        opened()
            + QList<Row> {
                in(Kind::Text, "one"),
                in(Kind::Binary, pattern(70000, 3)),
                in(Kind::Text, "three"),
                closed(4001, "bye"),
            });
    QCOMPARE(c.status().closeCode, 4001);
    QCOMPARE(c.status().closeReason, QStringLiteral("bye"));
    QVERIFY(!c.status().closedByUs);
    QCOMPARE(server.dataFrames(), 0);
    if (!endTcpAtOnce) {
        // The client echoes the code, and the server then ends the TCP connection.
        QTRY_COMPARE(server.closeCodes(), QList<int> { 4001 });
        QVERIFY(server.clientFramesMasked());
        QTRY_VERIFY(server.tcpEnded());
    }
}

void tst_IncomingFrames::serverClosesWithoutCode_data()
{
    addModes();
}

void tst_IncomingFrames::serverClosesWithoutCode()
{
    // A Close frame with no payload means "no status code", which RFC 6455 7.1.5 calls 1005.
    // Here the modes differ ON PURPOSE: the relay reports what the frame carried (1005); a
    // direct connection can only repeat Qt's closeCode(), which stays at its default, 1000.
    QFETCH(bool, relay);
    RawServer server;
    QVERIFY(server.isListening());
    ClientConnection c;
    QVERIFY2(openTo(c, server, relay), qPrintable(c.status().errorString));
    // The server closes first: the client's Close is the reply, not one to answer. (Without
    // this the raw server sent a second Close, 1000, which the relay sometimes read first.)
    server.closeSent = true;
    server.send(frame(OpText, "one") + frame(OpClose, {}));
    QTRY_COMPARE(c.state(), State::Closed);
    const int code = relay ? 1005 : 1000;
    COMPARE_ROWS(c, opened() + QList<Row> { in(Kind::Text, "one"), closed(code, "") });
    QCOMPARE(c.status().closeCode, code);
    // Qt answers with code 1000 (not an empty Close frame).
    QTRY_COMPARE(server.closeCodes(), QList<int> { 1000 });
}

void tst_IncomingFrames::droppedWithoutClose_data()
{
    QTest::addColumn<bool>("relay");
    QTest::addColumn<bool>("cutMidFrame");
    for (const bool relay : { true, false }) {
        QTest::addRow("%s, between frames", modeName(relay)) << relay << false;
        QTest::addRow("%s, in the middle of a frame", modeName(relay)) << relay << true;
    }
}

void tst_IncomingFrames::droppedWithoutClose()
{
    // The server ends TCP without a Close frame: the complete messages stay; a frame cut short
    // is not shown. The close code is the one place where the modes differ ON PURPOSE: the relay
    // saw that no Close frame came and says 1006; a direct connection can only repeat Qt's
    // closeCode(), which is 1000 when nothing set it (tst_ClientConnection::droppedConnectionIs1006).
    QFETCH(bool, relay);
    QFETCH(bool, cutMidFrame);
    RawServer server;
    QVERIFY(server.isListening());
    ClientConnection c;
    QVERIFY2(openTo(c, server, relay), qPrintable(c.status().errorString));
    QByteArray bytes = frame(OpText, "one") + frame(OpText, "two");
    if (cutMidFrame)
        bytes += frame(OpText, "cut short").left(6);
    server.send(bytes);
    server.endTcp();
    QTRY_COMPARE(c.state(), State::Closed);
    QVERIFY(!c.status().closedByUs);
    const int code = relay ? 1006 : 1000;
    COMPARE_ROWS(c,
        opened()
            + QList<Row> {
                in(Kind::Text, "one"),
                in(Kind::Text, "two"),
                eventRow(Kind::Error), // Qt: "The remote host closed the connection"
                closed(code, ""),
            });
    QCOMPARE(c.status().closeCode, code);
    QCOMPARE(server.closeCodes(), QList<int> {});
}

void tst_IncomingFrames::messageAfterOwnClose_data()
{
    QTest::addColumn<bool>("relay");
    QTest::addColumn<QByteArray>("beforeReply");
    QTest::addColumn<QByteArray>("reply"); // empty: the client's own Close echoed
    for (const bool relay : { true, false }) {
        const char *mode = modeName(relay);
        QTest::addRow("%s, a message before the reply", mode)
            << relay << frame(OpText, "late") + frame(OpBinary, QByteArray("\x07", 1)) << QByteArray();
        QTest::addRow("%s, a reply with another code", mode)
            << relay << QByteArray() << closePayload(4002, "other");
    }
}

void tst_IncomingFrames::messageAfterOwnClose()
{
    // The user closes with 1000 "done". The server, on reading that Close, at once sends what
    // was still on its way (or answers with another code), then its Close reply.
    // Qt 6.4.2 ends the TCP connection right after sending its own Close frame, without waiting
    // for the reply, so nothing the server sends after the client's Close reaches a direct
    // connection: it shows neither the late message nor the server's code, and keeps the user's
    // own 1000 "done". The relay must show the same: its tap stops storing once the client's
    // Close has passed it, and a close the user asked for keeps the user's code whatever the
    // server answers (the relay may well see the answer before Qt's end of TCP).
    QFETCH(bool, relay);
    QFETCH(QByteArray, beforeReply);
    QFETCH(QByteArray, reply);
    RawServer server;
    QVERIFY(server.isListening());
    server.beforeCloseReply = beforeReply;
    server.closeReply = reply;
    ClientConnection c;
    QVERIFY2(openTo(c, server, relay), qPrintable(c.status().errorString));
    server.send(frame(OpText, "early"));
    TRY_COMPARE_ROWS(c, opened() + QList<Row> { in(Kind::Text, "early") });
    QVERIFY(c.close(1000, QStringLiteral("done")));
    QTRY_COMPARE(c.state(), State::Closed);
    COMPARE_ROWS(
        c, opened() + QList<Row> { in(Kind::Text, "early"), sentClose(1000, "done"), closed(1000, "done") });
    QVERIFY(c.status().closedByUs);
    QCOMPARE(c.status().closeCode, 1000);
    QTRY_COMPARE(server.closeCodes(), QList<int> { 1000 });
    QCOMPARE(server.lastCloseReason(), QByteArray("done"));
    QTRY_VERIFY(server.tcpEnded());
}

// The client failed the connection: it sent its Close frame and, like every Qt 6.4.2 client
// Close, ended TCP at once without waiting for a reply. The server here does not answer (it could
// not be heard). A direct connection shows the code and reason the client sent.
// The relay, on the current code, does not: it saw no Close frame from the server, so
// ClientWorker reports 1006 with no reason (for a malformed Close frame from the server: the code
// that frame carried). When the server does echo the Close at once, the relay reports the
// client's code only if the echo beats Qt's end of TCP through the relay -- a race (in about 1 run
// of this program in 10 here), so the test keeps the server silent to be deterministic.
void tst_IncomingFrames::expectClientFailedConnection(
    const ClientConnection &c, const RawServer &server, bool relay, const QList<Row> &before)
{
    QTRY_VERIFY(server.tcpEnded());
    const int code = server.closeCodes().value(0);
    // Through the relay too, the tab says what the client sent and why (not 1006, and not the
    // invalid code of a bad Close frame from the server).
    Q_UNUSED(relay);
    COMPARE_ROWS(c, opened() + before + QList<Row> { closed(code, server.lastCloseReason()) });
    QCOMPARE(c.status().closeCode, code);
    QVERIFY(!c.status().closedByUs);
}

void tst_IncomingFrames::clientSendsTheNewerCloseCodes_data()
{
    QTest::addColumn<bool>("relay");
    QTest::addColumn<int>("code");
    for (const bool relay : { true, false }) {
        for (const int code : { 1012, 1013, 1014 })
            QTest::addRow("%s, %d", modeName(relay), code) << relay << code;
    }
}

void tst_IncomingFrames::clientSendsTheNewerCloseCodes()
{
    // 1012-1014 (IANA's registry, after RFC 6455) go out as they are. (A Qt 6.4 server takes
    // them as a protocol error and answers 1002, so the raw server is the peer here.)
    QFETCH(bool, relay);
    QFETCH(int, code);
    RawServer server;
    QVERIFY(server.isListening());
    ClientConnection c;
    QVERIFY2(openTo(c, server, relay), qPrintable(c.status().errorString));
    QVERIFY(c.close(code, QStringLiteral("restart")));
    QTRY_COMPARE(server.closeCodes(), QList<int> { code });
    QCOMPARE(server.lastCloseReason(), QByteArray("restart"));
    QTRY_COMPARE(c.state(), State::Closed);
    QCOMPARE(c.status().closeCode, code);
}

QTEST_GUILESS_MAIN(tst_IncomingFrames)
#include "tst_IncomingFrames.moc"
