#include "HandshakeCommand.h"

#include "Cli.h"
#include "ConnectionArgs.h"
#include "connection/ClientConnection.h"

#include <QEventLoop>
#include <QTimer>

namespace wst::cli {

namespace {
void error(const QString &message)
{
    printError("handshake", message);
}
// After a refusal the relay may still be reading the start of the response body.
constexpr int BodyGraceMs = 600;
} // namespace

HandshakeCommand::HandshakeCommand(QObject *parent)
    : QObject(parent)
{
}

int HandshakeCommand::run(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Opens a WebSocket connection and prints the exact handshake request and response\n"
           "(\u201c>\u201d sent, \u201c<\u201d received), the TLS session and certificate chain, and the\n"
           "timings; then closes with 1000. Exit code 0 on 101 Switching Protocols; otherwise the\n"
           "response is still printed and the exit code says why (see \u201cwstester --help\u201d)."));
    parser.addHelpOption();
    const ConnectionArgs connection;
    connection.addTo(parser);
    if (const int exit = parseCommandLine(parser, args, "handshake"); exit >= 0)
        return exit;
    showQtMessages(connection.verbose(parser));
    ConnectionOptions options;
    QString problem;
    if (!connection.read(parser, &options, &problem)) {
        error(problem);
        return ExitUsage;
    }

    ClientConnection client;
    QEventLoop loop;
    int exitCode = ExitOk;
    bool printed = false;
    auto print = [&client, &printed] {
        if (printed)
            return;
        printed = true;
        fputs(client.handshake().toText().toUtf8().constData(), stdout);
        fflush(stdout);
    };
    connect(&client, &ClientConnection::stateChanged, &loop, [&](ClientConnection::State state) {
        if (state == ClientConnection::State::Open) {
            print();
            client.close(1000);
        } else if (state == ClientConnection::State::Closed) {
            loop.quit();
        } else if (state == ClientConnection::State::Error) {
            const ClientConnection::Status &status = client.status();
            exitCode = status.errorKind == ClientConnection::ErrorKind::Timeout   ? ExitTimeout
                : status.errorKind == ClientConnection::ErrorKind::InvalidOptions ? ExitUsage
                                                                                  : ExitConnectionFailed;
            QTimer::singleShot(BodyGraceMs, &loop, [&, message = status.errorString] {
                print();
                error(message);
                loop.quit();
            });
        }
    });
    client.open(options);
    loop.exec();
    return exitCode;
}

} // namespace wst::cli
