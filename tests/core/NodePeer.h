#pragma once

// A peer of tests/peers that prints its port on its first line (node `ws`, socket.io, aedes,
// graphql-ws scripts; python3 websockets scripts): started, its port read, killed when the test
// ends. Its stderr goes to the test's, so that a peer's crash is seen in the test log.
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QtTest>

namespace wst::test {

class PeerProcess
{
public:
    PeerProcess() = default;
    PeerProcess(const PeerProcess &) = delete;
    PeerProcess &operator=(const PeerProcess &) = delete;
    ~PeerProcess()
    {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished(5000);
        }
    }
    // The port the peer printed first (0 when it printed none within 20 s).
    int port()
    {
        if (!QTest::qWaitFor(
                [this] { return readAll().contains('\n') || process.state() == QProcess::NotRunning; },
                20000))
            return 0;
        const qsizetype end = out.indexOf('\n');
        return end < 0 ? 0 : out.left(end).trimmed().toInt();
    }
    // Everything the peer printed so far.
    QByteArray readAll()
    {
        out += process.readAllStandardOutput();
        return out;
    }

    QProcess process;
    QByteArray out;

protected:
    bool startProgram(const QString &program, const QString &script, const QStringList &args)
    {
        process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process.start(program, QStringList { QStringLiteral(WST_PEERS_DIR "/") + script } + args);
        return process.waitForStarted(10000);
    }
};

// False when node or the tests' npm modules are missing (scripts/setup.sh --tests).
class NodePeer : public PeerProcess
{
public:
    bool start(const QString &script, const QStringList &args = {})
    {
        const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
        return !node.isEmpty() && QFile::exists(QStringLiteral(WST_PEERS_DIR "/node_modules/ws/package.json"))
            && startProgram(node, script, args);
    }
    // Started and its port read: 0 when either failed.
    int startForPort(const QString &script, const QStringList &args = {})
    {
        return start(script, args) ? port() : 0;
    }
};

// Debian's interpreter, which has python3-websockets (TESTING.md).
class PythonPeer : public PeerProcess
{
public:
    bool start(const QString &script, const QStringList &args = {})
    {
        return startProgram(QStringLiteral("/usr/bin/python3"), script, args);
    }
};

} // namespace wst::test
