#include "ServeCommand.h"

#include "Cli.h"
#include "NumberArgs.h"
#include "ProtocolArgs.h"
#include "RecordOption.h"
#include "UnixSignals.h"
#include "capture/CaptureBinder.h"
#include "format/InputText.h"
#include "messages/MessageLogModel.h"
#include "messages/MessageStore.h"
#include "protocol/CloseCodes.h"
#include "protocols/Protocol.h"
#include "server/LocalServer.h"

#include <QCommandLineParser>

#include <limits>

namespace wst::cli {

namespace {

void error(const QString &message)
{
    printError("serve", message);
}

} // namespace

ServeCommand::ServeCommand(QObject *parent)
    : QObject(parent)
{
    m_poll.setInterval(10);
    connect(&m_poll, &QTimer::timeout, this, &ServeCommand::drain);
}

int ServeCommand::run(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Runs a local WebSocket server for testing clients. The first line printed is\n"
           "\u201clistening ws://ADDRESS:PORT/\u201d; then one line per event and message (one JSON\n"
           "object per line with --json, with the client id). SIGINT or SIGTERM closes every\n"
           "client with 1001 and exits with 0.\n\n")
        + FaultPlan::specHelp());
    parser.addHelpOption();
    const QCommandLineOption hostOption(QStringLiteral("host"),
        tr("Address to listen on (default 127.0.0.1)."), tr("address"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption portOption(
        QStringLiteral("port"), tr("Port (default 0: any free port)."), tr("port"), QStringLiteral("0"));
    const QCommandLineOption echoOption(
        QStringLiteral("echo"), tr("Send every message back to its sender (default)."));
    const QCommandLineOption broadcastOption(
        QStringLiteral("broadcast"), tr("Send every message to every client."));
    const QCommandLineOption othersOption(
        QStringLiteral("broadcast-others"), tr("Send every message to every other client."));
    const QCommandLineOption manualOption(QStringLiteral("manual"), tr("Send nothing by itself."));
    const QCommandLineOption rulesOption(
        QStringLiteral("rules"), tr("Answer by the reply rules in this JSON file."), tr("file"));
    const QCommandLineOption greetingOption(
        QStringLiteral("greeting"), tr("Send this text to each new client."), tr("text"));
    const QCommandLineOption pushOption(QStringLiteral("push-interval"),
        tr("Send --push-text to every client every MS milliseconds."), tr("ms"));
    const QCommandLineOption pushTextOption(
        QStringLiteral("push-text"), tr("The periodic message (a template)."), tr("text"));
    const QCommandLineOption certOption(
        QStringLiteral("tls-cert"), tr("PEM certificate: serve wss://."), tr("file"));
    const QCommandLineOption keyOption(
        QStringLiteral("tls-key"), tr("PEM private key of the certificate."), tr("file"));
    const QCommandLineOption protocolOption({ QStringLiteral("p"), QStringLiteral("subprotocol") },
        tr("Support this subprotocol (repeatable, in order of preference)."), tr("name"));
    const QCommandLineOption originOption(QStringLiteral("allow-origin"),
        tr("Accept only this Origin (repeatable); others get 403."), tr("origin"));
    const QCommandLineOption maxClientsOption(
        QStringLiteral("max-clients"), tr("Refuse clients beyond this many (503)."), tr("N"));
    const QCommandLineOption maxSizeOption(QStringLiteral("max-message-size"),
        tr("Close a client with 1009 when it sends a larger message (default %1 bytes; 0: no limit).")
            .arg(ServerOptions::DefaultMaxMessageSize),
        tr("bytes"));
    const QCommandLineOption maxSendBufferOption(QStringLiteral("max-send-buffer"),
        tr("Drop a client that leaves more than this many sent bytes unread (default %1; 0: no limit).")
            .arg(ServerOptions::DefaultMaxSendBuffer),
        tr("bytes"));
    const QCommandLineOption faultOption(QStringLiteral("fault"),
        tr("Put a fault into what the server sends (repeatable; SPEC below)."), tr("spec"));
    const QCommandLineOption jsonOption(
        QStringLiteral("json"), tr("Print every message and event as JSON lines."));
    const QCommandLineOption noDeflateOption(QStringLiteral("no-deflate"),
        tr("Do not agree to permessage-deflate (compression) when a client offers it."));
    parser.addOption(noDeflateOption);
    parser.addOptions({ hostOption, portOption, echoOption, broadcastOption, othersOption, manualOption,
        rulesOption, greetingOption, pushOption, pushTextOption, certOption, keyOption, protocolOption,
        originOption, maxClientsOption, maxSizeOption, maxSendBufferOption, faultOption, jsonOption });
    const RecordOption record;
    record.addTo(parser);
    ProtocolArgs protocolArgs(ProtocolArgs::Mode::Server);
    protocolArgs.addHelpTo(parser);
    QStringList remaining = args;
    if (QString protocolProblem; !protocolArgs.extract(&remaining, &protocolProblem)) {
        error(protocolProblem);
        return ExitUsage;
    }
    if (const int exit = parseCommandLine(parser, remaining, "serve"); exit >= 0)
        return exit;
    if (!parser.positionalArguments().isEmpty()) {
        error(tr("unexpected argument \u201c%1\u201d.")
                  .arg(InputText::escaped(parser.positionalArguments().first())));
        return ExitUsage;
    }

    ServerOptions options;
    options.address = QHostAddress(parser.value(hostOption));
    if (options.address.isNull()) {
        error(tr("\u201c%1\u201d is not an IP address.").arg(InputText::escaped(parser.value(hostOption))));
        return ExitUsage;
    }
    QString problem;
    qint64 number = 0;
    if (!NumberArgs::wholeNumber(parser, portOption, 0, 65535, &number, &problem)) {
        error(problem);
        return ExitUsage;
    }
    options.port = quint16(number);
    const int behaviours = int(parser.isSet(echoOption)) + int(parser.isSet(broadcastOption))
        + int(parser.isSet(othersOption)) + int(parser.isSet(manualOption)) + int(parser.isSet(rulesOption));
    if (behaviours > 1) {
        error(tr("choose one of --echo, --broadcast, --broadcast-others, --manual and --rules."));
        return ExitUsage;
    }
    if (parser.isSet(broadcastOption))
        options.behaviour = ServerOptions::Behaviour::Broadcast;
    else if (parser.isSet(othersOption))
        options.behaviour = ServerOptions::Behaviour::BroadcastOthers;
    else if (parser.isSet(manualOption))
        options.behaviour = ServerOptions::Behaviour::Manual;
    if (parser.isSet(rulesOption)) {
        options.rules = ReplyRules::parseFile(parser.value(rulesOption), &problem);
        if (!problem.isEmpty()) {
            error(problem);
            return ExitUsage;
        }
        options.behaviour = ServerOptions::Behaviour::Rules;
    }
    options.greeting = parser.value(greetingOption);
    constexpr qint64 MaxInt = std::numeric_limits<int>::max();
    if (parser.isSet(pushOption)) {
        if (!NumberArgs::wholeNumber(parser, pushOption, 10, MaxInt, &number, &problem)) {
            error(problem);
            return ExitUsage;
        }
        options.pushIntervalMs = int(number);
    }
    if (parser.isSet(pushTextOption))
        options.pushText = parser.value(pushTextOption);
    options.certificateFile = parser.value(certOption);
    options.keyFile = parser.value(keyOption);
    options.subprotocols = parser.values(protocolOption);
    options.protocol = protocolArgs.options();
    if (const QString bad = Protocol::create(options.protocol)->validate(); !bad.isEmpty()) {
        error(bad);
        return ExitUsage;
    }
    options.allowedOrigins = parser.values(originOption);
    if (parser.isSet(maxClientsOption)) {
        if (!NumberArgs::wholeNumber(parser, maxClientsOption, 1, MaxInt, &number, &problem)) {
            error(problem);
            return ExitUsage;
        }
        options.maxClients = int(number);
    }
    // Qt 6.4 ignores a larger limit without a word (QWebSocket::maxIncomingMessageSize()); 0: no limit.
    if (parser.isSet(maxSizeOption)
        && !NumberArgs::wholeNumber(
            parser, maxSizeOption, 0, ServerOptions::QtMaxMessageSize, &options.maxMessageSize, &problem)) {
        error(problem);
        return ExitUsage;
    }
    if (parser.isSet(maxSendBufferOption)
        && !NumberArgs::wholeNumber(parser, maxSendBufferOption, 0, std::numeric_limits<qint64>::max(),
            &options.maxSendBuffer, &problem)) {
        error(problem);
        return ExitUsage;
    }
    options.deflate = !parser.isSet(noDeflateOption);
    options.faults = FaultPlan::parse(parser.values(faultOption), &problem);
    if (!problem.isEmpty()) {
        error(problem);
        return ExitUsage;
    }
    problem = options.validate();
    if (!problem.isEmpty()) {
        error(problem);
        return ExitUsage;
    }

    m_json = parser.isSet(jsonOption);
    m_printer.emplace(RowPrinter::Format::Json);
    if (!options.protocol.isRaw())
        m_printer->setProtocol(Protocol::create(options.protocol));
    m_server = new LocalServer(this);
    m_tab.kind = QStringLiteral("server");
    m_tab.title = tr("Local server");
    QString recordProblem;
    if (!record.start(parser, &m_recorder, &m_tab, &recordProblem)) {
        error(recordProblem);
        return ExitFailure;
    }
    if (m_tab.id)
        CaptureBinder::follow(&m_recorder, m_tab.id, m_server);
    auto *signals_ = new UnixSignals(this);
    connect(signals_, &UnixSignals::terminationRequested, this, [this] { m_server->stop(); });
    connect(m_server, &LocalServer::stateChanged, this, [this](LocalServer::State state) {
        if (state == LocalServer::State::Listening) {
            // The "listening" line replaces the store's own row for it, in a fixed form a script can read.
            m_next = m_server->store()->count();
            m_listening = true;
            printf("listening %s\n", qPrintable(m_server->url().toString()));
            fflush(stdout);
            if (m_tab.id) {
                m_tab.url = m_server->url().toString();
                m_tab.title = tr("Local server :%1").arg(m_server->url().port());
                m_recorder.updateTab(m_tab);
            }
        } else if (state == LocalServer::State::Error) {
            error(m_server->errorString());
            finish(ExitFailure);
        }
    });
    connect(m_server, &LocalServer::stopped, this, [this] { finish(ExitOk); });
    m_server->start(options);
    m_poll.start();
    if (!m_finished)
        m_loop.exec();
    drain();
    fflush(stdout);
    m_recorder.close();
    return m_exitCode;
}

void ServeCommand::printPlain(qint64 index)
{
    const MessageStore &store = *m_server->store();
    const MessageRow &r = store.row(index);
    const QString client = r.connectionId != 0 ? tr("[client %1] ").arg(r.connectionId) : QString();
    if (r.kind == Kind::Text || r.kind == Kind::Binary) {
        // The payload goes out as it is stored, with no QString of it: a 60 MB binary message
        // printed through QString took the process to 880 MB for a moment.
        QByteArray head = client.toUtf8() + (r.direction == Direction::In ? "< " : "> ");
        const QByteArray payload = store.payload(index);
        if (r.kind == Kind::Binary)
            head += "[binary base64] ";
        fwrite(head.constData(), 1, size_t(head.size()), stdout);
        const QByteArray body = r.kind == Kind::Binary ? payload.toBase64() : payload;
        fwrite(body.constData(), 1, size_t(body.size()), stdout);
        fputc('\n', stdout);
        return;
    }
    QString line = MessageLogModel::summary(store, index);
    switch (r.kind) {
    case Kind::Open:
        if (r.connectionId != 0)
            line = tr("connected from %1").arg(QString::fromUtf8(store.payload(index)));
        break;
    case Kind::Close:
        if (r.direction == Direction::Out)
            line = QStringLiteral("> ") + line;
        break;
    case Kind::Ping:
    case Kind::Pong:
        line = (r.direction == Direction::In ? QStringLiteral("< ") : QStringLiteral("> ")) + line;
        break;
    default:
        break;
    }
    printf("%s\n", (client + line).toUtf8().constData());
}

void ServeCommand::drain()
{
    if (!m_server || !m_listening)
        return;
    const MessageStore &store = *m_server->store();
    const qint64 end = store.count();
    const bool any = m_next < end;
    for (; m_next < end; ++m_next) {
        if (m_json)
            m_printer->print(store, m_next);
        else
            printPlain(m_next);
    }
    if (any)
        fflush(stdout);
}

void ServeCommand::finish(int code)
{
    if (m_finished)
        return;
    m_finished = true;
    m_exitCode = code;
    m_poll.stop();
    m_loop.quit();
}

} // namespace wst::cli
