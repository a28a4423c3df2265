#include "ProxyCommand.h"

#include "Cli.h"
#include "NumberArgs.h"
#include "RecordOption.h"
#include "UnixSignals.h"
#include "capture/CaptureBinder.h"
#include "format/InputText.h"
#include "messages/MessageLogModel.h"
#include "messages/MessageStore.h"
#include "proxy/ProxyServer.h"

#include <QCommandLineParser>

namespace wst::cli {

namespace {

void error(const QString &message)
{
    printError("proxy", message);
}

} // namespace

ProxyCommand::ProxyCommand(QObject *parent)
    : QObject(parent)
{
    m_poll.setInterval(10);
    connect(&m_poll, &QTimer::timeout, this, &ProxyCommand::drain);
}

int ProxyCommand::run(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Runs an intercepting WebSocket proxy: every client that connects to the listening\n"
           "address is forwarded to the upstream URL (or, with --explicit, wherever its HTTP CONNECT\n"
           "asks). The first line printed is “listening ws://ADDRESS:PORT/”; then one line per event\n"
           "and message (“>” client to server, “<” server to client; one JSON object per line with\n"
           "--json). SIGINT or SIGTERM closes every connection with 1001 and exits with 0.\n\n")
        + FaultPlan::specHelp());
    parser.addHelpOption();
    const QCommandLineOption hostOption(QStringLiteral("host"),
        tr("Address to listen on (default 127.0.0.1)."), tr("address"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption listenOption(QStringLiteral("listen"),
        tr("Port to listen on (default 0: any free port)."), tr("port"), QStringLiteral("0"));
    const QCommandLineOption upstreamOption(
        QStringLiteral("upstream"), tr("Forward every client to this ws:// or wss:// URL."), tr("url"));
    const QCommandLineOption explicitOption(QStringLiteral("explicit"),
        tr("Work as an HTTP proxy (CONNECT) that a browser or app is pointed at, instead of --upstream."));
    const QCommandLineOption headerOption(QStringLiteral("header"),
        tr("Set this request header on the way up (repeatable; \"Name: value\")."), tr("header"));
    const QCommandLineOption removeOption(QStringLiteral("remove-header"),
        tr("Remove this request header on the way up (repeatable)."), tr("name"));
    const QCommandLineOption insecureOption(
        QStringLiteral("insecure"), tr("Accept any certificate from a wss:// upstream."));
    const QCommandLineOption noCompressionOption(QStringLiteral("no-compression"),
        tr("Take the client's permessage-deflate offer out, so that both sides talk uncompressed."));
    const QCommandLineOption certOption(
        QStringLiteral("tls-cert"), tr("PEM certificate: listen as wss://."), tr("file"));
    const QCommandLineOption keyOption(
        QStringLiteral("tls-key"), tr("PEM private key of the certificate."), tr("file"));
    const QCommandLineOption maxSizeOption(QStringLiteral("max-message-size"),
        tr("Close a connection with 1009 when either side sends a larger message (default %1 bytes; 0: no "
           "limit).")
            .arg(ProxyOptions::DefaultMaxMessageSize),
        tr("bytes"));
    const QCommandLineOption faultOption(QStringLiteral("fault"),
        tr("Put a fault into what goes to the client (repeatable; SPEC below)."), tr("spec"));
    const QCommandLineOption jsonOption(
        QStringLiteral("json"), tr("Print every message and event as JSON lines."));
    const QCommandLineOption quietOption(
        QStringLiteral("quiet"), tr("Print only the “listening” line (and errors on stderr)."));
    parser.addOptions({ quietOption, hostOption, listenOption, upstreamOption, explicitOption, headerOption,
        removeOption, insecureOption, noCompressionOption, certOption, keyOption, maxSizeOption, faultOption,
        jsonOption });
    const RecordOption record;
    record.addTo(parser);
    if (const int exit = parseCommandLine(parser, args, "proxy"); exit >= 0)
        return exit;
    if (!parser.positionalArguments().isEmpty()) {
        error(tr("unexpected argument “%1”.").arg(InputText::escaped(parser.positionalArguments().first())));
        return ExitUsage;
    }

    ProxyOptions options;
    options.address = QHostAddress(parser.value(hostOption));
    if (options.address.isNull()) {
        error(tr("“%1” is not an IP address.").arg(InputText::escaped(parser.value(hostOption))));
        return ExitUsage;
    }
    QString problem;
    qint64 number = 0;
    if (!NumberArgs::wholeNumber(parser, listenOption, 0, 65535, &number, &problem)) {
        error(problem);
        return ExitUsage;
    }
    options.port = quint16(number);
    if (parser.isSet(explicitOption) == parser.isSet(upstreamOption)) {
        error(tr("give either --upstream URL or --explicit."));
        return ExitUsage;
    }
    options.mode = parser.isSet(explicitOption) ? ProxyOptions::Mode::Explicit : ProxyOptions::Mode::Reverse;
    if (parser.isSet(upstreamOption))
        options.upstream = QUrl(parser.value(upstreamOption), QUrl::StrictMode);
    for (const QString &header : parser.values(headerOption)) {
        const qsizetype colon = header.indexOf(QLatin1Char(':'));
        if (colon <= 0) {
            error(tr("--header “%1” is not “Name: value”.").arg(InputText::escaped(header)));
            return ExitUsage;
        }
        options.setHeaders.append(
            { header.left(colon).trimmed().toUtf8(), header.mid(colon + 1).trimmed().toUtf8() });
    }
    for (const QString &name : parser.values(removeOption))
        options.removeHeaders.append(name.trimmed().toUtf8());
    options.ignoreUpstreamTlsErrors = parser.isSet(insecureOption);
    options.passCompression = !parser.isSet(noCompressionOption);
    options.certificateFile = parser.value(certOption);
    options.keyFile = parser.value(keyOption);
    if (parser.isSet(maxSizeOption)
        && !NumberArgs::wholeNumber(
            parser, maxSizeOption, 0, qint64(1) << 40, &options.maxMessageSize, &problem)) {
        error(problem);
        return ExitUsage;
    }
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
    m_quiet = parser.isSet(quietOption);
    m_printer.emplace(RowPrinter::Format::Json);
    m_proxy = new ProxyServer(this);
    m_tab.kind = QStringLiteral("proxy");
    m_tab.title = tr("Proxy");
    m_tab.url = options.upstream.toString();
    QString recordProblem;
    if (!record.start(parser, &m_recorder, &m_tab, &recordProblem)) {
        error(recordProblem);
        return ExitFailure;
    }
    if (m_tab.id)
        CaptureBinder::follow(&m_recorder, m_tab.id, m_proxy);
    auto *signals_ = new UnixSignals(this);
    connect(signals_, &UnixSignals::terminationRequested, this, [this] { m_proxy->stop(); });
    connect(m_proxy, &ProxyServer::stateChanged, this, [this](ProxyServer::State state) {
        if (state == ProxyServer::State::Listening) {
            m_next = m_proxy->store()->count();
            m_listening = true;
            printf("listening %s\n", qPrintable(m_proxy->url().toString()));
            fflush(stdout);
            if (m_tab.id) {
                m_tab.title = tr("Proxy :%1").arg(m_proxy->url().port());
                m_recorder.updateTab(m_tab);
            }
        } else if (state == ProxyServer::State::Error) {
            error(m_proxy->errorString());
            finish(ExitFailure);
        }
    });
    connect(m_proxy, &ProxyServer::stopped, this, [this] { finish(ExitOk); });
    m_proxy->start(options);
    m_poll.start();
    if (!m_finished)
        m_loop.exec();
    drain();
    fflush(stdout);
    m_recorder.close();
    return m_exitCode;
}

void ProxyCommand::printPlain(qint64 index)
{
    const MessageStore &store = *m_proxy->store();
    const MessageRow &r = store.row(index);
    const QString connection = r.connectionId != 0 ? tr("[%1] ").arg(r.connectionId) : QString();
    const char *arrow = r.direction == Direction::In ? "< " : "> ";
    if (r.kind == Kind::Text || r.kind == Kind::Binary) {
        QByteArray head = connection.toUtf8() + arrow;
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
    if (r.direction != Direction::Event)
        line = QString::fromLatin1(arrow) + line;
    printf("%s\n", (connection + line).toUtf8().constData());
}

void ProxyCommand::drain()
{
    if (!m_proxy || !m_listening || m_quiet)
        return;
    const MessageStore &store = *m_proxy->store();
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

void ProxyCommand::finish(int code)
{
    if (m_finished)
        return;
    m_finished = true;
    m_exitCode = code;
    m_poll.stop();
    m_loop.quit();
}

} // namespace wst::cli
