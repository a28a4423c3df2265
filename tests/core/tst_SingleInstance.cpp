// One window process per user: the real binary, launched twice, hands the second launch's URL
// to the first, which connects to it (a real server sees the connection).
#include "settings/SingleInstance.h"

#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

#include <csignal>

using namespace wst;

class tst_SingleInstance : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void parseRequest();
    void secondLaunchHandsItsUrlToTheFirst();
    void newInstanceAndStaleSocket();

private:
    // Starts the window binary (offscreen) in this test's own folders.
    // `data`: its XDG_DATA_HOME under the folder (a killed process leaves a capture there that
    // the next launch would offer to recover, in a dialog).
    QProcess *launch(const QStringList &arguments, const QString &data = QStringLiteral("data"));
    // The paths the server was asked for, in order.
    QStringList paths() const { return m_paths; }
    bool socketExists() const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QWebSocketServer> m_server;
    QStringList m_paths;
    QList<QProcess *> m_processes;
};

void tst_SingleInstance::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_paths.clear();
    m_server = std::make_unique<QWebSocketServer>(QStringLiteral("t"), QWebSocketServer::NonSecureMode);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    connect(m_server.get(), &QWebSocketServer::newConnection, this, [this] {
        while (QWebSocket *socket = m_server->nextPendingConnection()) {
            m_paths << socket->requestUrl().path();
            socket->setParent(m_server.get());
        }
    });
}

void tst_SingleInstance::cleanup()
{
    for (QProcess *process : std::as_const(m_processes)) {
        process->kill();
        process->waitForFinished(5000);
        delete process;
    }
    m_processes.clear();
    m_server.reset();
    m_dir.reset();
}

QProcess *tst_SingleInstance::launch(const QStringList &arguments, const QString &data)
{
    auto *process = new QProcess;
    m_processes << process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir->filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir->filePath(data));
    env.insert(QStringLiteral("TMPDIR"), m_dir->path()); // where the instance socket goes
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), m_dir->path());
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("qt.qpa.*=false"));
    process->setProcessEnvironment(env);
    process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process->setStandardOutputFile(QProcess::nullDevice());
    process->start(QStringLiteral(WST_BINARY), arguments);
    return process;
}

bool tst_SingleInstance::socketExists() const
{
    return QFileInfo::exists(m_dir->filePath(SingleInstance::defaultName()));
}

void tst_SingleInstance::parseRequest()
{
    QStringList request;
    QString error;
    QVERIFY(SingleInstance::parseRequest("[\"url\",\"ws://h/x\"]", &request, &error));
    QCOMPARE(request, (QStringList { QStringLiteral("url"), QStringLiteral("ws://h/x") }));
    QVERIFY(SingleInstance::parseRequest("[]", &request, &error));
    QVERIFY(request.isEmpty());
    QVERIFY(!SingleInstance::parseRequest("[\"url\",3]", &request, &error));
    QCOMPARE(error, QStringLiteral("the request is not a JSON array of strings"));
    QVERIFY(!SingleInstance::parseRequest("{\"a\":1}", &request, &error));
    QVERIFY(!SingleInstance::parseRequest("[\"x\"", &request, &error));
}

void tst_SingleInstance::secondLaunchHandsItsUrlToTheFirst()
{
    const QString base = QStringLiteral("ws://127.0.0.1:%1").arg(m_server->serverPort());
    QProcess *first = launch({ base + QStringLiteral("/first") });
    QVERIFY(first->waitForStarted(10000));
    QTRY_COMPARE_WITH_TIMEOUT(paths(), QStringList { QStringLiteral("/first") }, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(socketExists(), 10000);

    QProcess *second = launch({ base + QStringLiteral("/second") });
    QVERIFY(second->waitForFinished(20000)); // handed over, then gone
    QCOMPARE(second->exitStatus(), QProcess::NormalExit);
    QCOMPARE(second->exitCode(), 0);
    // The first process opened a tab for it and connected.
    QTRY_COMPARE_WITH_TIMEOUT(
        paths(), (QStringList { QStringLiteral("/first"), QStringLiteral("/second") }), 20000);
    QCOMPARE(first->state(), QProcess::Running);

    // The desktop action "New Local Server" is handed over the same way.
    QProcess *third = launch({ QStringLiteral("--new-server") });
    QVERIFY(third->waitForFinished(20000));
    QCOMPARE(third->exitCode(), 0);
    QCOMPARE(first->state(), QProcess::Running);
}

void tst_SingleInstance::newInstanceAndStaleSocket()
{
    const QString base = QStringLiteral("ws://127.0.0.1:%1").arg(m_server->serverPort());
    QProcess *first = launch({ base + QStringLiteral("/first") });
    QVERIFY(first->waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(socketExists(), 20000);

    // --new-instance: a process of its own, which connects itself and stays.
    QProcess *own = launch({ QStringLiteral("--new-instance"), base + QStringLiteral("/own") });
    QTRY_VERIFY_WITH_TIMEOUT(paths().contains(QStringLiteral("/own")), 20000);
    QCOMPARE(own->state(), QProcess::Running);

    // A crash leaves the socket file behind; the next launch finds nobody there and takes over.
    ::kill(pid_t(first->processId()), SIGKILL);
    QVERIFY(first->waitForFinished(5000));
    QVERIFY(socketExists());
    QProcess *next = launch({ base + QStringLiteral("/after-crash") }, QStringLiteral("data2"));
    QTRY_VERIFY_WITH_TIMEOUT(paths().contains(QStringLiteral("/after-crash")), 20000);
    QCOMPARE(next->state(), QProcess::Running);
    // ... and answers the launches after it.
    QProcess *handed = launch({ base + QStringLiteral("/handed") });
    QVERIFY(handed->waitForFinished(20000));
    QCOMPARE(handed->exitCode(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(paths().contains(QStringLiteral("/handed")), 20000);
}

QTEST_GUILESS_MAIN(tst_SingleInstance)
#include "tst_SingleInstance.moc"
