#include "ConnectCommand.h"

#include "Cli.h"
#include "ConnectionArgs.h"
#include "NumberArgs.h"
#include "PayloadArgs.h"
#include "ProtocolArgs.h"
#include "RecordOption.h"
#include "StdinReader.h"
#include "capture/CaptureBinder.h"
#include "connection/ConnectionStatus.h"
#include "connection/WireCounters.h"
#include "messages/MessageStore.h"
#include "protocol/CloseCodes.h"
#include "protocol/FrameSpecParser.h"
#include "protocols/Protocol.h"
#include "session/RowJson.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

#include <limits>

namespace wst::cli {

namespace {

void error(const QString &message)
{
    printError("connect", message);
}

} // namespace

ConnectCommand::ConnectCommand(QObject *parent)
    : QObject(parent)
{
    m_poll.setInterval(10);
    m_timeout.setSingleShot(true);
    m_timeout.setTimerType(Qt::PreciseTimer);
    connect(&m_poll, &QTimer::timeout, this, &ConnectCommand::drain);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        m_timedOut = true;
        error(tr("timed out after %1 s.").arg(m_timeout.interval() / 1000.0));
        if (m_open)
            closeNormally();
        else
            finish(ExitTimeout);
    });
}

int ConnectCommand::run(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Connects to a WebSocket server, sends messages and prints what it receives.\n"
           "Received text messages are printed one per line, binary ones as base64 after a\n"
           "\u201c[binary base64]\u201d marker. With --json every message and event is printed as one\n"
           "JSON object per line (time, ts_us, dir, kind, size, data; encoding for binary).\n"
           "When standard input is not a terminal, each line read from it is sent as a text\n"
           "message, and its end closes the connection with 1000 unless -n or -t is given.\n"
           "With --protocol, received messages are printed as the protocol's messages (one line each;\n"
           "with --json a \u201cprotocol\u201d object is added), keep-alives are answered by themselves\n"
           "and -n counts protocol events, not frames.\n"
           "--frame SPEC sends a hand-made frame through the wire relay, straight to the server:\n"
           "comma-separated keys op=text|binary|cont|close|ping|pong|0-15, fin=0|1, rsv1, rsv2, rsv3,\n"
           "mask=on|off|KEY, payload=TEXT|text:TEXT|hex:HEX|file:PATH|fill:N, bad-utf8,\n"
           "close=CODE[:REASON], len=N|+N|-N (a lying length), len64, len16, frag=N,\n"
           "ping-between[=TEXT], bytewise=MS, gap=MS; double quotes keep commas and know \\xHH.\n"
           "Example: --frame 'op=text,payload=hello,frag=3,ping-between'.\n"
           "--decode prints binary messages as JSON (MessagePack, CBOR, BSON or Protocol Buffers);\n"
           "--encode sends the texts as binary messages encoded from JSON. Byte strings read as\n"
           "{\"$base64\": ...}, NaN and infinities as strings, other keys than strings as their JSON.\n"
           "Exit codes are listed in \u201cwstester --help\u201d."));
    parser.addHelpOption();
    const ConnectionArgs connection;
    connection.addTo(parser);
    const QCommandLineOption sendOption({ QStringLiteral("s"), QStringLiteral("send") },
        tr("Send this text once connected (repeatable, in order)."), tr("text"));
    const QCommandLineOption countOption({ QStringLiteral("n"), QStringLiteral("count") },
        tr("Close with 1000 after receiving N messages."), tr("N"));
    const QCommandLineOption timeoutOption({ QStringLiteral("t"), QStringLiteral("timeout") },
        tr("Give up after this many seconds (exit code 4)."), tr("seconds"));
    const QCommandLineOption jsonOption(
        QStringLiteral("json"), tr("Print every message and event as JSON lines."));
    const QCommandLineOption frameOption(QStringLiteral("frame"),
        tr("Send this hand-made frame once connected, after the --send texts (repeatable, in order)."),
        tr("spec"));
    parser.addOptions({ sendOption, frameOption, countOption, timeoutOption, jsonOption });
    const RecordOption record;
    record.addTo(parser);
    PayloadArgs payloadArgs;
    payloadArgs.addTo(parser);
    ProtocolArgs protocolArgs(ProtocolArgs::Mode::Client);
    protocolArgs.addHelpTo(parser);

    QStringList remaining = args;
    QString protocolProblem;
    if (!protocolArgs.extract(&remaining, &protocolProblem)) {
        error(protocolProblem);
        return ExitUsage;
    }
    if (const int exit = parseCommandLine(parser, remaining, "connect"); exit >= 0)
        return exit;
    showQtMessages(connection.verbose(parser));
    ConnectionOptions options;
    QString problem;
    if (!connection.read(parser, &options, &problem)) {
        error(problem);
        return ExitUsage;
    }
    m_verbose = connection.verbose(parser);
    options.protocol = protocolArgs.options();
    if (!options.protocol.isRaw()) {
        m_protocol = Protocol::create(options.protocol);
        if (const QString bad = m_protocol->validate(); !bad.isEmpty()) {
            error(bad);
            return ExitUsage;
        }
        m_repliesAwaited = protocolArgs.repliesExpected();
    }
    if (parser.isSet(countOption)
        && !NumberArgs::wholeNumber(
            parser, countOption, 1, std::numeric_limits<qint64>::max(), &m_count, &problem)) {
        error(problem);
        return ExitUsage;
    }
    if (parser.isSet(timeoutOption)) {
        int timeoutMs = 0;
        if (!NumberArgs::seconds(
                parser, timeoutOption, 0.001, NumberArgs::MaxSeconds, &timeoutMs, &problem)) {
            error(problem);
            return ExitUsage;
        }
        m_timeout.setInterval(timeoutMs);
    }
    if (!payloadArgs.read(parser, &problem)) {
        error(problem);
        return ExitUsage;
    }
    if ((payloadArgs.decoder() || payloadArgs.encoder()) && m_protocol) {
        error(tr("--decode and --encode do not combine with --protocol."));
        return ExitUsage;
    }
    m_encoder = payloadArgs.encoder();
    m_json = parser.isSet(jsonOption);
    m_printer.emplace(parser.isSet(jsonOption) ? RowPrinter::Format::Json : RowPrinter::Format::Plain);
    m_printer->setProtocol(m_protocol);
    m_printer->setDecoders(payloadArgs.decoder(), m_encoder ? m_encoder : payloadArgs.decoder());
    m_pendingSends = parser.values(sendOption);
    if (m_encoder) {
        // Every text is encoded before connecting: a bad one is a usage error, and nothing is sent.
        for (const QString &text : std::as_const(m_pendingSends)) {
            const PayloadCodec::Encoded encoded = m_encoder->encode(Direction::Out, text.toUtf8());
            if (!encoded.ok()) {
                error(tr("--send \u201c%1\u201d: %2").arg(text, encoded.error));
                return ExitUsage;
            }
            m_pendingBinary.append(encoded.payload);
        }
        m_pendingSends.clear();
    }
    for (const QString &text : parser.values(frameOption)) {
        FrameSpec spec;
        if (!FrameSpecParser::parse(text, &spec, &problem)) {
            error(problem);
            return ExitUsage;
        }
        m_pendingFrames.append(spec);
    }
    m_waitForEnd = parser.isSet(countOption) || parser.isSet(timeoutOption);

    m_connection = new ClientConnection(this);
    connect(m_connection, &ClientConnection::stateChanged, this, &ConnectCommand::onStateChanged);
    // The relay adds the certificate errors it saw to the record, possibly just after the open.
    connect(
        m_connection, &ClientConnection::handshakeChanged, this, &ConnectCommand::warnIgnoredCertificates);
    SessionTab tab;
    tab.title = options.url.host();
    tab.url = options.url.toString();
    tab.settings = QJsonObject { { QStringLiteral("url"), tab.url } };
    if (!record.start(parser, &m_recorder, &tab, &problem)) {
        error(problem);
        return ExitFailure;
    }
    if (tab.id)
        CaptureBinder::follow(&m_recorder, tab.id, m_connection);
    if (!StdinReader::isTerminal()) {
        auto *reader = new StdinReader(this);
        connect(reader, &StdinReader::lineRead, this, &ConnectCommand::sendLine);
        connect(reader, &StdinReader::finished, this, [this] {
            m_stdinDone = true;
            if (m_open && !m_waitForEnd)
                closeAtEnd();
        });
        reader->start();
    }
    if (m_protocol) {
        connect(m_connection, &ClientConnection::protocolNotice, this, &ConnectCommand::onProtocolNotice);
        connect(m_connection, &ClientConnection::commandRefused, this,
            [](const QString &problem) { error(problem); });
    }
    m_connection->open(options);
    // Queued in the session until the protocol's handshake is done.
    for (const ProtocolCommand &command : protocolArgs.commands())
        m_connection->submit(command);
    m_poll.start();
    if (parser.isSet(timeoutOption))
        m_timeout.start();
    if (!m_finished)
        m_loop.exec();
    drain();
    printCompression();
    m_printer->flush();
    m_recorder.close();
    return m_exitCode;
}

void ConnectCommand::sendLine(const QString &line)
{
    if (m_encoder) {
        const PayloadCodec::Encoded encoded = m_encoder->encode(Direction::Out, line.toUtf8());
        if (!encoded.ok())
            error(tr("not sent: %1").arg(encoded.error));
        else if (m_open)
            m_connection->sendBinary(encoded.payload);
        else
            m_pendingBinary.append(encoded.payload);
        return;
    }
    if (m_open)
        m_connection->sendText(line);
    else
        m_pendingSends.append(line);
}

void ConnectCommand::closeNormally()
{
    if (!m_connection->close(1000))
        finish(ExitFailure);
}

void ConnectCommand::onStateChanged(ClientConnection::State state)
{
    const ClientConnection::Status &status = m_connection->status();
    switch (state) {
    case ClientConnection::State::Open:
        printHandshake();
        warnIgnoredCertificates();
        m_open = true;
        for (const QString &text : std::as_const(m_pendingSends))
            m_connection->sendText(text);
        m_pendingSends.clear();
        for (const QByteArray &payload : std::as_const(m_pendingBinary))
            m_connection->sendBinary(payload);
        m_pendingBinary.clear();
        for (const FrameSpec &spec : std::as_const(m_pendingFrames))
            m_connection->sendFrame(spec);
        m_pendingFrames.clear();
        if (m_stdinDone && !m_waitForEnd)
            closeAtEnd();
        break;
    case ClientConnection::State::Error:
        printHandshake();
        drain();
        // Bad options are a usage error, not a state of the connection: said as they are.
        error(status.errorKind == ClientConnection::ErrorKind::InvalidOptions
                ? status.errorString
                : ConnectionStatus::text(status));
        if (status.reconnectAtMs > 0)
            break; // --reconnect: the next attempt is scheduled
        finish(status.errorKind == ClientConnection::ErrorKind::Timeout           ? ExitTimeout
                : status.errorKind == ClientConnection::ErrorKind::InvalidOptions ? ExitUsage
                                                                                  : ExitConnectionFailed);
        break;
    case ClientConnection::State::Closed: {
        drain();
        m_open = false;
        if (status.reconnectAtMs > 0)
            break; // --reconnect: the next attempt is scheduled
        const int code = status.closeCode;
        if (m_timedOut) {
            finish(ExitTimeout);
        } else if (status.closedByUs || code == 1000 || code == 1001 || code == 1005) {
            finish(ExitOk);
        } else {
            error(ConnectionStatus::text(status)); // the window's words: "Closed — 4001 private use: bye"
            finish(ExitConnectionLost);
        }
        break;
    }
    default:
        break;
    }
}

void ConnectCommand::warnIgnoredCertificates()
{
    const QStringList ignored
        = ConnectionStatus::ignoredCertificateErrors(m_connection->status(), m_connection->handshake());
    if (ignored.isEmpty() || m_warnedCertificates)
        return;
    m_warnedCertificates = true;
    // -k is a choice, not an error: said once, so that a log shows the connection was not verified.
    error(tr("certificate errors ignored (-k): %1").arg(ignored.join(QStringLiteral("; "))));
}

void ConnectCommand::printHandshake()
{
    if (!m_verbose)
        return;
    m_verbose = false; // once: the exchange is complete when the connection opens or fails
    fputs(m_connection->handshake().toText().toUtf8().constData(), stderr);
}

void ConnectCommand::printCompression()
{
    const WireCounters::Totals totals = m_connection->wireCounters()->totals();
    if (!totals.agreed)
        return;
    if (!m_json) {
        // stdout is the messages' alone.
        printError("connect", tr("compression: %1").arg(totals.text()));
        return;
    }
    // Shaped like the rows before it (time, ts_us, dir, kind, size), then the four counts.
    QByteArray time;
    const qint64 now = nowUs();
    RowJson::appendIsoTime(time, now);
    QJsonObject line { { QStringLiteral("time"), QString::fromLatin1(time) },
        { QStringLiteral("ts_us"), now }, { QStringLiteral("dir"), QStringLiteral("event") },
        { QStringLiteral("kind"), QStringLiteral("compression") }, { QStringLiteral("size"), 0 } };
    const QJsonObject counts = totals.toJson();
    for (auto it = counts.begin(); it != counts.end(); ++it)
        line.insert(it.key(), it.value());
    const QByteArray bytes = QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n';
    fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
}

void ConnectCommand::drain()
{
    const MessageStore &store = *m_connection->store();
    const qint64 end = store.count();
    bool printed = false;
    for (; m_next < end; ++m_next) {
        const bool message = countsAsReceived(m_next);
        if (message) {
            // With -n, what arrives after the N-th message is not part of the answer.
            if (m_count >= 0 && m_received >= m_count)
                continue;
            ++m_received;
        }
        printed |= m_printer->print(store, m_next);
        if (message && m_count >= 0 && m_received == m_count) {
            m_timeout.stop();
            closeNormally();
        }
    }
    if (printed)
        m_printer->flush();
}

bool ConnectCommand::countsAsReceived(qint64 index) const
{
    const MessageStore &store = *m_connection->store();
    const MessageRow &row = store.row(index);
    if (row.direction != Direction::In || (row.kind != Kind::Text && row.kind != Kind::Binary))
        return false;
    if (!m_protocol)
        return true;
    using Role = ProtocolMessage::Role;
    const Role role = m_protocol->decode(row.direction, row.kind, store.payload(index)).role;
    return role == Role::Event || role == Role::Reply || role == Role::Error;
}

void ConnectCommand::onProtocolNotice(const ProtocolNotice &notice)
{
    if (notice.type == ProtocolNotice::Type::Ready) {
        if (m_stdinDone && !m_waitForEnd)
            closeAtEnd();
    } else if (notice.type == ProtocolNotice::Type::Reply && m_repliesAwaited > 0) {
        if (--m_repliesAwaited == 0 && m_stdinDone && !m_waitForEnd)
            closeAtEnd();
    }
}

void ConnectCommand::closeAtEnd()
{
    if (m_protocol && (!m_connection->protocolState().isReady() || m_repliesAwaited > 0))
        return; // onProtocolNotice() comes back here
    closeNormally();
}

void ConnectCommand::finish(int code)
{
    if (m_finished)
        return;
    m_finished = true;
    m_exitCode = code;
    m_poll.stop();
    m_timeout.stop();
    m_loop.quit();
}

} // namespace wst::cli
