// The client side of RESULT server, in its own process: sequential echo round trips over one
// connection (each message sent when the previous echo arrived), then 1,000 clients connecting
// at once. Prints "ECHO roundtrips=N rtps=... accept_ms=...".
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QWebSocket>

#include <cstdio>
#include <memory>
#include <sys/resource.h>
#include <vector>

int main(int argc, char **argv)
{
    rlimit limit {};
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);

    QCoreApplication app(argc, argv);
    int port = 0;
    int roundtrips = 20000;
    int clients = 1000;
    for (int i = 1; i + 1 < argc; i += 2) {
        const QByteArray key = argv[i];
        if (key == "--port")
            port = std::atoi(argv[i + 1]);
        else if (key == "--roundtrips")
            roundtrips = std::atoi(argv[i + 1]);
        else if (key == "--clients")
            clients = std::atoi(argv[i + 1]);
    }
    if (port <= 0) {
        std::fprintf(stderr, "usage: %s --port P [--roundtrips N] [--clients N]\n", argv[0]);
        return 2;
    }
    const QUrl url(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    const QString payload(64, u'x');

    double rtps = 0;
    double acceptMs = 0;
    QWebSocket echo;
    QElapsedTimer clock;
    int done = 0;
    std::vector<std::unique_ptr<QWebSocket>> many;
    int connected = 0;

    auto startAccept = [&] {
        clock.start();
        for (int i = 0; i < clients; ++i) {
            many.push_back(std::make_unique<QWebSocket>());
            QWebSocket *ws = many.back().get();
            QObject::connect(ws, &QWebSocket::connected, &app, [&] {
                if (++connected == clients) {
                    acceptMs = double(clock.nsecsElapsed()) / 1e6;
                    std::printf("ECHO roundtrips=%d rtps=%.0f clients=%d accept_ms=%.1f\n", roundtrips, rtps,
                        clients, acceptMs);
                    std::fflush(stdout);
                    for (auto &w : many)
                        w->close();
                    QCoreApplication::exit(0);
                }
            });
            QObject::connect(ws, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), &app, [ws] {
                std::fprintf(stderr, "bench_echo_client: %s\n", qPrintable(ws->errorString()));
                QCoreApplication::exit(1);
            });
            ws->open(url);
        }
    };
    QObject::connect(&echo, &QWebSocket::connected, &app, [&] {
        clock.start();
        echo.sendTextMessage(payload);
    });
    QObject::connect(&echo, &QWebSocket::textMessageReceived, &app, [&](const QString &) {
        if (++done < roundtrips) {
            echo.sendTextMessage(payload);
            return;
        }
        rtps = roundtrips / (double(clock.nsecsElapsed()) / 1e9);
        echo.close();
        startAccept();
    });
    QObject::connect(&echo, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), &app, [&echo] {
        std::fprintf(stderr, "bench_echo_client: %s\n", qPrintable(echo.errorString()));
        QCoreApplication::exit(1);
    });
    echo.open(url);
    return app.exec();
}
