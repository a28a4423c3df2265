#include "ServerCheck.h"

#include "protocol/FrameBuilder.h"
#include "protocol/FrameHeader.h"

#include <QRandomGenerator>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>
#include <QtEndian>

namespace wst {

namespace {
const QByteArray Probe = QByteArrayLiteral("wstester probe");

quint32 randomKey()
{
    return QRandomGenerator::global()->generate();
}

QString codeList(const QList<int> &codes)
{
    QStringList out;
    for (int c : codes)
        out << QString::number(c);
    return out.join(QLatin1Char('/'));
}
} // namespace

ServerCheck::ServerCheck(QObject *parent)
    : QObject(parent)
    , m_timer(new QTimer(this))
{
    qRegisterMetaType<wst::ServerCheck::Result>();
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &ServerCheck::onTimeout);
}

ServerCheck::~ServerCheck()
{
    if (m_socket)
        m_socket->abort();
}

QString ServerCheck::verdictName(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Pass:
        return tr("pass");
    case Verdict::Lenient:
        return tr("lenient");
    case Verdict::Fail:
        return tr("FAIL");
    case Verdict::Skipped:
        return tr("skipped");
    }
    return {};
}

ServerCheck::Counts ServerCheck::count(const QList<Result> &results)
{
    Counts c;
    for (const Result &r : results) {
        c.pass += r.verdict == Verdict::Pass;
        c.lenient += r.verdict == Verdict::Lenient;
        c.fail += r.verdict == Verdict::Fail;
        c.skipped += r.verdict == Verdict::Skipped;
    }
    return c;
}

QString ServerCheck::summary(const QList<Result> &results)
{
    const Counts c = count(results);
    const QString text = tr("%1 cases: %2 pass, %3 lenient, %4 FAIL")
                             .arg(results.size())
                             .arg(c.pass)
                             .arg(c.lenient)
                             .arg(c.fail);
    return c.skipped ? text + tr(", %1 skipped").arg(c.skipped) : text;
}

QList<CheckCase> ServerCheck::selectCases(const QStringList &only)
{
    QList<CheckCase> all = CheckCase::catalogue();
    if (only.isEmpty())
        return all;
    QList<CheckCase> chosen;
    for (const CheckCase &c : std::as_const(all)) {
        for (const QString &want : only) {
            if (c.id == want || c.id.startsWith(want + QLatin1Char('.'))) {
                chosen << c;
                break;
            }
        }
    }
    return chosen;
}

void ServerCheck::start(const Options &options)
{
    m_options = options;
    m_cases = selectCases(options.only);
    m_results.clear();
    m_index = -1;
    nextCase();
}

void ServerCheck::nextCase()
{
    if (++m_index >= m_cases.size()) {
        Q_EMIT finished();
        return;
    }
    const CheckCase &c = m_cases.at(m_index);
    m_done = false;
    m_upgraded = false;
    m_buffer.clear();
    m_message.clear();
    m_seen.clear();
    m_probeSent = false;
    m_echoes = 0;
    m_messageCompressed = false;
    m_deflater.reset();
    m_inflater.reset();
    m_chunks.clear();
    if (!c.deflate)
        queueFrames(c.frames); // a compressing case waits for the agreement (agreeDeflate())
    QByteArray key(16, Qt::Uninitialized);
    for (char &b : key)
        b = char(QRandomGenerator::global()->bounded(256));
    m_key = key.toBase64();
    const bool tls = m_options.url.scheme() == QLatin1String("wss");
    if (tls) {
        auto *ssl = new QSslSocket(this);
        if (m_options.ignoreSslErrors) {
            connect(ssl, &QSslSocket::sslErrors, ssl,
                [ssl](const QList<QSslError> &) { ssl->ignoreSslErrors(); });
        }
        connect(ssl, &QSslSocket::encrypted, this, &ServerCheck::onConnected);
        m_socket = ssl;
    } else {
        m_socket = new QTcpSocket(this);
        connect(m_socket, &QTcpSocket::connected, this, &ServerCheck::onConnected);
    }
    connect(m_socket, &QTcpSocket::readyRead, this, &ServerCheck::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &ServerCheck::onDisconnected);
    connect(m_socket, &QAbstractSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error == QAbstractSocket::RemoteHostClosedError)
            return; // disconnected() says it
        if (!m_upgraded)
            conclude(Verdict::Fail, tr("could not connect: %1").arg(m_socket->errorString()));
    });
    m_clock.start();
    m_timer->start(qMax(m_options.timeoutMs, 5000)); // the handshake's own limit
    const int port = m_options.url.port(tls ? 443 : 80);
    if (tls)
        static_cast<QSslSocket *>(m_socket)->connectToHostEncrypted(m_options.url.host(), quint16(port));
    else
        m_socket->connectToHost(m_options.url.host(), quint16(port));
}

void ServerCheck::queueFrames(const QList<FrameSpec> &frames)
{
    for (const FrameSpec &spec : frames) {
        const FrameBuilder::Plan plan = FrameBuilder::build(spec);
        for (const FrameBuilder::Chunk &chunk : plan.chunks)
            m_chunks.append({ chunk.bytes, chunk.delayMs });
    }
}

void ServerCheck::onConnected()
{
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    QString path = m_options.url.path(QUrl::FullyEncoded);
    if (path.isEmpty())
        path = QStringLiteral("/");
    if (m_options.url.hasQuery())
        path += QLatin1Char('?') + m_options.url.query(QUrl::FullyEncoded);
    const QString host = m_options.url.port() > 0
        ? m_options.url.host(QUrl::FullyEncoded) + QLatin1Char(':') + QString::number(m_options.url.port())
        : m_options.url.host(QUrl::FullyEncoded);
    QByteArray request = "GET " + path.toUtf8() + " HTTP/1.1\r\nHost: " + host.toUtf8()
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + m_key
        + "\r\nSec-WebSocket-Version: 13\r\nUser-Agent: wstester check\r\n";
    if (m_cases.at(m_index).deflate)
        request += "Sec-WebSocket-Extensions: " + DeflateOffer().headerValue() + "\r\n";
    request += "\r\n";
    m_socket->write(request);
}

void ServerCheck::writeFrame(quint8 opcode, const QByteArray &payload)
{
    m_socket->write(FrameBuilder::frame(
        opcode, true, 0, true, randomKey(), payload, quint64(payload.size()), FrameSpec::LengthForm::Shortest)
                        .bytes);
}

void ServerCheck::writeNext()
{
    if (m_done || !m_socket)
        return;
    m_timer->stop(); // the case's time starts when all of it is out (bytewise cases take a while)
    while (!m_chunks.isEmpty()) {
        const auto [bytes, delay] = m_chunks.takeFirst();
        Q_UNUSED(delay);
        m_socket->write(bytes);
        if (!m_chunks.isEmpty() && m_chunks.first().second > 0) {
            m_socket->flush();
            QTimer::singleShot(
                std::exchange(m_chunks.first().second, 0), Qt::PreciseTimer, this, &ServerCheck::writeNext);
            return;
        }
    }
    const CheckCase &c = m_cases.at(m_index);
    if (c.expect == CheckCase::Expect::Ignore && !m_probeSent) {
        m_probeSent = true;
        writeFrame(0x1, Probe);
    }
    m_timer->start(c.timeoutMs > 0 ? c.timeoutMs : m_options.timeoutMs);
}

void ServerCheck::onReadyRead()
{
    if (m_done)
        return;
    m_buffer += m_socket->readAll();
    if (!m_upgraded) {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QByteArray head = m_buffer.left(end);
        m_buffer.remove(0, end + 4);
        if (!head.startsWith("HTTP/1.1 101")) {
            conclude(Verdict::Fail,
                tr("handshake refused: %1").arg(QString::fromUtf8(head.left(head.indexOf("\r\n")))));
            return;
        }
        m_upgraded = true;
        if (m_cases.at(m_index).deflate && !agreeDeflate(head + "\r\n\r\n"))
            return;
        writeNext();
    }
    while (!m_done) {
        FrameHeader h;
        const int size = FrameHeader::parse(m_buffer, &h);
        if (size == 0)
            return;
        if (h.length > quint64(MaxFrameBytes)) {
            conclude(Verdict::Fail, tr("sent a frame of %1 bytes").arg(h.length));
            return;
        }
        if (quint64(m_buffer.size() - size) < h.length)
            return;
        QByteArray payload = m_buffer.mid(size, qsizetype(h.length));
        m_buffer.remove(0, size + qsizetype(h.length));
        if (h.masked) {
            for (qsizetype i = 0; i < payload.size(); ++i)
                payload[i] = char(quint8(payload[i]) ^ h.maskByte(quint64(i)));
        }
        const quint8 opcode = quint8(h.opcode);
        const bool rsv1 = h.rsv & 0x4;
        if (opcode >= 0x8 || opcode == 0) {
            if (opcode == 0) {
                m_message += payload;
                if (!h.fin)
                    continue;
                QByteArray message = std::exchange(m_message, {});
                if (!inflateMessage(m_messageCompressed, &message))
                    return;
                handleFrame({ m_messageOpcode, message });
            } else {
                handleFrame({ opcode, payload });
            }
        } else if (!h.fin) {
            m_messageOpcode = opcode;
            m_messageCompressed = rsv1;
            m_message = payload;
        } else {
            if (!inflateMessage(rsv1, &payload))
                return;
            handleFrame({ opcode, payload });
        }
    }
}

void ServerCheck::handleFrame(const Received &frame)
{
    const CheckCase &c = m_cases.at(m_index);
    using E = CheckCase::Expect;
    if (frame.opcode == 0x8) {
        const int code
            = frame.payload.size() >= 2 ? qFromBigEndian<quint16>(frame.payload.constData()) : 1005;
        writeFrame(0x8, frame.payload.left(2));
        const QString closed = code == 1005 ? tr("closed without a code") : tr("closed %1").arg(code);
        const bool expected = c.closeCodes.contains(code);
        switch (c.expect) {
        case E::Echo:
            conclude(expected ? Verdict::Lenient : Verdict::Fail, closed);
            return;
        case E::Pong:
        case E::Ignore:
            conclude(Verdict::Fail, closed);
            return;
        case E::Fail:
        case E::CloseReply:
            conclude(expected ? Verdict::Pass : Verdict::Lenient,
                expected ? closed : tr("%1 (expected %2)").arg(closed, codeList(c.closeCodes)));
            return;
        case E::Wait:
            conclude(Verdict::Lenient, closed);
            return;
        }
        return;
    }
    if (frame.opcode == 0x9) {
        writeFrame(0xA, frame.payload);
        return;
    }
    if (frame.opcode == 0xA) {
        if (c.expect == E::Pong)
            conclude(frame.payload == c.echoPayload ? Verdict::Pass : Verdict::Fail,
                frame.payload == c.echoPayload ? tr("ponged") : tr("ponged with another payload"));
        return;
    }
    m_seen.append(frame);
    switch (c.expect) {
    case E::Echo:
        if (frame.opcode == c.echoOpcode && frame.payload == c.echoPayload) {
            if (++m_echoes < c.echoCount)
                return;
            conclude(Verdict::Pass, c.echoCount > 1 ? tr("echoed all %1").arg(c.echoCount) : tr("echoed"));
        } else {
            conclude(Verdict::Fail,
                tr("sent another message (%1, %2 bytes)")
                    .arg(FrameSpec::opcodeName(frame.opcode))
                    .arg(frame.payload.size()));
        }
        return;
    case E::Ignore:
        if (frame.payload == Probe)
            conclude(Verdict::Pass, tr("ignored (the next message was echoed)"));
        else
            conclude(Verdict::Fail, tr("answered it with a message"));
        return;
    case E::CloseReply:
        conclude(Verdict::Fail, tr("echoed a message sent after the Close"));
        return;
    case E::Wait:
        conclude(Verdict::Fail, tr("echoed an incomplete frame"));
        return;
    case E::Fail:
    case E::Pong:
        return; // the verdict waits for the Close (a part before the bad frame may be echoed)
    }
}

void ServerCheck::onDisconnected()
{
    if (m_done)
        return;
    if (m_socket->bytesAvailable())
        onReadyRead();
    if (m_done)
        return;
    if (!m_upgraded) {
        conclude(Verdict::Fail, tr("closed the TCP connection during the handshake"));
        return;
    }
    const CheckCase::Expect e = m_cases.at(m_index).expect;
    const bool failing
        = e == CheckCase::Expect::Fail || e == CheckCase::Expect::CloseReply || e == CheckCase::Expect::Wait;
    conclude(failing ? Verdict::Lenient : Verdict::Fail, tr("dropped TCP without a Close"));
}

void ServerCheck::onTimeout()
{
    if (m_done)
        return;
    const CheckCase &c = m_cases.at(m_index);
    const QString seconds = QString::number((c.timeoutMs > 0 ? c.timeoutMs : m_options.timeoutMs) / 1000.0);
    if (!m_upgraded) {
        conclude(Verdict::Fail, tr("no handshake response"));
        return;
    }
    switch (c.expect) {
    case CheckCase::Expect::Wait:
        conclude(Verdict::Pass, tr("waited (nothing in %1 s)").arg(seconds));
        return;
    case CheckCase::Expect::Fail:
        if (c.mayAccept && !m_seen.isEmpty()) {
            conclude(Verdict::Lenient, tr("accepted it (echoed)"));
            return;
        }
        conclude(Verdict::Fail,
            m_seen.isEmpty() ? tr("ignored it (no Close in %1 s)").arg(seconds)
                             : tr("echoed it (no Close in %1 s)").arg(seconds));
        return;
    case CheckCase::Expect::CloseReply:
        conclude(Verdict::Fail, tr("no Close reply in %1 s").arg(seconds));
        return;
    default:
        conclude(Verdict::Fail, tr("no answer in %1 s").arg(seconds));
    }
}

void ServerCheck::conclude(Verdict verdict, const QString &outcome)
{
    if (m_done)
        return;
    m_done = true;
    m_timer->stop();
    Result r;
    r.testCase = m_cases.at(m_index);
    r.verdict = verdict;
    r.outcome = outcome;
    r.elapsedMs = m_clock.elapsed();
    r.reached = m_upgraded;
    if (m_socket) {
        disconnect(m_socket, nullptr, this, nullptr);
        m_socket->flush();
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    m_results.append(r);
    Q_EMIT caseFinished(r);
    QTimer::singleShot(0, this, &ServerCheck::nextCase);
}

} // namespace wst
