// The server side of RESULT server: an echo server on 127.0.0.1, either a bare
// QWebSocketServer that echoes in its own thread (the baseline) or the app's LocalServer
// (behaviour echo, every message recorded in its history). Prints "PORT n" and serves until
// its standard input closes.
#include "messages/MessageStore.h"
#include "server/LocalServer.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QWebSocket>
#include <QWebSocketServer>

#include <cstdio>
#include <sys/resource.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    rlimit limit {};
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);

    QCoreApplication app(argc, argv);
    const QByteArray mode = argc > 1 ? QByteArray(argv[1]) : QByteArray();
    // app-shim: the app's server with every client through its byte shim (the ignore-pings
    // fault, which changes nothing for a client that does not ping), to price the shim alone.
    if (mode != "bare" && mode != "app" && mode != "app-shim") {
        std::fprintf(stderr, "usage: %s bare|app|app-shim\n", argv[0]);
        return 2;
    }
    QSocketNotifier stdinClosed(STDIN_FILENO, QSocketNotifier::Read);
    QObject::connect(&stdinClosed, &QSocketNotifier::activated, &app, [&app] {
        char buffer[256];
        if (::read(STDIN_FILENO, buffer, sizeof buffer) <= 0)
            app.quit();
    });

    QWebSocketServer bare(QStringLiteral("bench"), QWebSocketServer::NonSecureMode);
    wst::LocalServer local;
    if (mode == "bare") {
        if (!bare.listen(QHostAddress::LocalHost, 0))
            return 1;
        QObject::connect(&bare, &QWebSocketServer::newConnection, &app, [&bare] {
            while (QWebSocket *s = bare.nextPendingConnection()) {
                QObject::connect(
                    s, &QWebSocket::textMessageReceived, s, [s](const QString &t) { s->sendTextMessage(t); });
                QObject::connect(s, &QWebSocket::disconnected, s, &QObject::deleteLater);
            }
        });
        std::printf("PORT %d\n", bare.serverPort());
        std::fflush(stdout);
    } else {
        QObject::connect(
            &local, &wst::LocalServer::stateChanged, &app, [&local](wst::LocalServer::State state) {
                if (state == wst::LocalServer::State::Listening) {
                    std::printf("PORT %d\n", local.url().port());
                    std::fflush(stdout);
                } else if (state == wst::LocalServer::State::Error) {
                    std::fprintf(stderr, "bench_server: %s\n", qPrintable(local.errorString()));
                    QCoreApplication::exit(1);
                }
            });
        wst::ServerOptions options;
        options.faults.ignorePings = mode == "app-shim";
        local.start(options);
    }
    const int status = app.exec();
    if (mode != "bare")
        std::fprintf(stderr, "bench_server: %lld rows recorded\n", qlonglong(local.store()->count()));
    return status;
}
