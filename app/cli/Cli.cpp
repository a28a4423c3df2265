#include "Cli.h"

#include "CheckCommand.h"
#include "CliDocs.h"
#include "ConnectCommand.h"
#include "HandshakeCommand.h"
#include "ProxyCommand.h"
#include "ServeCommand.h"
#include "SessionCommand.h"
#include "TestCommand.h"
#include "format/InputText.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QStringList>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <strings.h>

namespace wst::cli {

namespace {

const char *const Commands[] = { "connect", "check", "handshake", "serve", "proxy", "session", "test", "help",
    "completions", "manpage" };

std::function<void(const QCommandLineParser &)> g_parserHook;

// Set from the main thread, read by whichever thread Qt warns on (the network thread's TLS).
std::atomic<bool> g_showQtMessages = false;

void filterQtMessages(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (g_showQtMessages || type == QtFatalMsg)
        fprintf(stderr, "%s\n", qPrintable(qFormatLogMessage(type, context, message)));
}

QString mainHelp()
{
    return QCoreApplication::translate("wst::cli",
               "Usage: wstester [URL]                 open the window (and connect to URL)\n"
               "       wstester <command> [options]   run headless\n"
               "\n"
               "Commands:\n"
               "  connect URL   connect to a WebSocket server, send and print messages\n"
               "  check URL     check how an echo server keeps RFC 6455 (hand-made frames)\n"
               "  handshake URL print the exact handshake request, response and TLS details\n"
               "  serve         run a local WebSocket server (echo, broadcast, reply rules)\n"
               "  proxy         run an intercepting proxy between a client and a server\n"
               "  session info|export|import-har FILE\n"
               "                show, export (HAR, NDJSON, CSV, JSON) or import (HAR) a session file\n"
               "  test FILE...  run scenario files (*.wstest.json) with assertions, for CI\n"
               "  help [COMMAND]  show help for a command\n"
               "  completions bash|zsh|fish  print the shell completion script\n"
               "  manpage       print the man page (roff)\n"
               "\n"
               "Options:\n"
               "  -h, --help     show this help\n"
               "  --version      show the version\n"
               "\n"
               "Exit codes:\n"
               "  0  success, or the connection was closed normally (1000, 1001, 1005)\n"
               "  1  another failure (the server cannot listen, an internal error)\n"
               "  2  usage error: bad command, option or value\n"
               "  3  the connection failed: refused, host not found, TLS or handshake failure\n"
               "  4  timeout: --timeout or the connect timeout ran out\n"
               "  5  the connection was lost, or the peer closed it with an error code\n")
        + QLatin1Char('\n');
}

} // namespace

void printError(const char *command, const QString &message)
{
    fprintf(stderr, "wstester %s: %s\n", command, qPrintable(InputText::escaped(message)));
}

void showQtMessages(bool show)
{
    g_showQtMessages = show;
}

void setParserHook(std::function<void(const QCommandLineParser &)> hook)
{
    g_parserHook = std::move(hook);
}

int parseCommandLine(QCommandLineParser &parser, const QStringList &args, const char *command)
{
    if (g_parserHook) {
        g_parserHook(parser);
        return ExitOk;
    }
    QStringList parseArgs = args;
    parseArgs.removeAt(1); // the command's name
    if (!parser.parse(parseArgs)) {
        printError(command, parser.errorText());
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        fputs(qPrintable(parser.helpText()), stdout);
        return ExitOk;
    }
    return -1;
}

bool isCommandLine(int argc, char **argv)
{
    if (argc < 2)
        return false;
    const char *first = argv[1];
    if (!strcmp(first, "-h") || !strcmp(first, "--help") || !strcmp(first, "--version"))
        return true;
    for (const char *c : Commands) {
        if (!strcmp(first, c))
            return true;
    }
    // A session file opens in the window.
    const size_t length = strlen(first);
    const char suffix[] = ".wstsession";
    if (length >= sizeof suffix - 1 && !strcasecmp(first + length - (sizeof suffix - 1), suffix))
        return false;
    // A word that is neither a URL nor an option is a mistyped command: say so, don't open a window.
    return first[0] != '-' && !strstr(first, "://");
}

int run(int argc, char **argv)
{
    qInstallMessageHandler(filterQtMessages);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("wstester"));
    QCoreApplication::setOrganizationName(QStringLiteral("wstester"));
    QCoreApplication::setApplicationVersion(QStringLiteral(WST_VERSION));
    const QStringList args = QCoreApplication::arguments();
    const QString command = args.value(1);
    if (command == QLatin1String("-h") || command == QLatin1String("--help")
        || (command == QLatin1String("help") && args.size() == 2)) {
        fputs(qPrintable(mainHelp()), stdout);
        return ExitOk;
    }
    if (command == QLatin1String("--version")) {
        printf("wstester %s (Qt %s)\n", WST_VERSION, qVersion());
        return ExitOk;
    }
    if (command == QLatin1String("help")) {
        const QString topic = args.value(2);
        if (topic == QLatin1String("connect"))
            return ConnectCommand().run({ args.first(), topic, QStringLiteral("--help") });
        if (topic == QLatin1String("check"))
            return CheckCommand().run({ args.first(), topic, QStringLiteral("--help") });
        if (topic == QLatin1String("handshake"))
            return HandshakeCommand().run({ args.first(), topic, QStringLiteral("--help") });
        if (topic == QLatin1String("serve"))
            return ServeCommand().run({ args.first(), topic, QStringLiteral("--help") });
        if (topic == QLatin1String("proxy"))
            return ProxyCommand().run({ args.first(), topic, QStringLiteral("--help") });
        if (topic == QLatin1String("session"))
            return SessionCommand().run({ args.first(), topic, QStringLiteral("--help") });
        if (topic == QLatin1String("test"))
            return TestCommand().run({ args.first(), topic, QStringLiteral("--help") });
        fprintf(stderr, "%s\n",
            qPrintable(QCoreApplication::translate("wst::cli",
                "wstester: no help for \u201c%1\u201d: "
                "it is not a command.")
                           .arg(InputText::escaped(topic))));
        return ExitUsage;
    }
    if (command == QLatin1String("completions") || command == QLatin1String("manpage"))
        return runDocs(args);
    if (command == QLatin1String("connect"))
        return ConnectCommand().run(args);
    if (command == QLatin1String("check"))
        return CheckCommand().run(args);
    if (command == QLatin1String("serve"))
        return ServeCommand().run(args);
    if (command == QLatin1String("handshake"))
        return HandshakeCommand().run(args);
    if (command == QLatin1String("proxy"))
        return ProxyCommand().run(args);
    if (command == QLatin1String("session"))
        return SessionCommand().run(args);
    if (command == QLatin1String("test"))
        return TestCommand().run(args);
    fprintf(stderr, "%s\n",
        qPrintable(QCoreApplication::translate("wst::cli",
            "wstester: \u201c%1\u201d is not a command or a ws:// or "
            "wss:// URL. See \u201cwstester --help\u201d.")
                       .arg(InputText::escaped(command))));
    return ExitUsage;
}

} // namespace wst::cli
