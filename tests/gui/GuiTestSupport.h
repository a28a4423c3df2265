// What the GUI tests share: finding a named child widget or action, an echo server on 127.0.0.1
// and the check that every control has an accessible name and a tooltip.
#pragma once

#include "settings/AppSettings.h"

#include <QAction>
#include <QCoreApplication>
#include <QLabel>
#include <QList>
#include <QNetworkRequest>
#include <QObject>
#include <QStringList>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QWidget>

#include <functional>
#include <initializer_list>

namespace wst::guitest {

// The child of parent with this objectName, or null (with a warning that names it).
template <typename T> T *child(const QObject *parent, const char *name)
{
    T *found = parent->findChild<T *>(QLatin1String(name));
    if (!found)
        qWarning("no child %s", name);
    return found;
}

// The action of a window (or any parent) with this objectName, or null with a warning.
inline QAction *action(const QObject *window, const char *name)
{
    return child<QAction>(window, name);
}

// Settings of the test's own, in a file of dir, made wstester's instance and owned by the test;
// the application is named after the test's class (tst_...), the organization "wstester-test".
inline AppSettings *installSettings(QObject *test, const QTemporaryDir &dir)
{
    QCoreApplication::setOrganizationName(QStringLiteral("wstester-test"));
    QCoreApplication::setApplicationName(QLatin1String(test->metaObject()->className()));
    auto *settings = new AppSettings(dir.filePath(QStringLiteral("settings.ini")), test);
    AppSettings::setInstance(settings);
    return settings;
}

enum class Focus { Any, TabFocus };

// What is wrong with the named controls under parent, one line each: missing, without an
// accessible name, without a tooltip, or (with Focus::TabFocus) not reached by Tab, labels apart.
// Empty when every control is named and described:
//     const QStringList problems = guitest::unnamedControls(m_tab.get(), { "a", "b" });
//     QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1String("; "))));
inline QStringList unnamedControls(
    const QObject *parent, std::initializer_list<const char *> names, Focus focus = Focus::Any)
{
    QStringList problems;
    for (const char *name : names) {
        const auto *w = parent->findChild<QWidget *>(QLatin1String(name));
        const QString id = QLatin1String(name);
        if (!w) {
            problems << id + QLatin1String(": missing");
            continue;
        }
        if (w->accessibleName().isEmpty())
            problems << id + QLatin1String(": no accessible name");
        if (w->toolTip().isEmpty())
            problems << id + QLatin1String(": no tooltip");
        if (focus == Focus::TabFocus && !(w->focusPolicy() & Qt::TabFocus)
            && !qobject_cast<const QLabel *>(w))
            problems << id + QLatin1String(": not reached by Tab");
    }
    return problems;
}

// An in-process WebSocket server on 127.0.0.1 (port 0: the system picks one) that sends back
// every text and binary message. It keeps its open sockets, counts connections, remembers the
// last request, the texts it received and the last close code and reason; onText, when set, may
// answer a text itself (it returns true) instead of the echo. Its QWebSocketServer is reached
// with ->, e.g. server->setSslConfiguration(...) before listen().
class EchoServer : public QObject
{
public:
    explicit EchoServer(QWebSocketServer::SslMode mode = QWebSocketServer::NonSecureMode)
        : m_server(QStringLiteral("echo"), mode)
    {
        connect(&m_server, &QWebSocketServer::newConnection, this, &EchoServer::acceptPending);
    }

    QWebSocketServer *operator->() { return &m_server; }
    const QWebSocketServer *operator->() const { return &m_server; }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QString url(const char *scheme = "ws", const char *host = "127.0.0.1") const
    {
        return QStringLiteral("%1://%2:%3/echo")
            .arg(QLatin1String(scheme), QLatin1String(host))
            .arg(m_server.serverPort());
    }

    std::function<bool(QWebSocket *, const QString &)> onText;
    int connections = 0;
    QList<QWebSocket *> sockets;
    QStringList received;
    QStringList peerSubjects;
    QNetworkRequest lastRequest;
    int lastCloseCode = -1;
    QString lastCloseReason;

private:
    void acceptPending()
    {
        while (QWebSocket *s = m_server.nextPendingConnection()) {
            ++connections;
            lastRequest = s->request();
            peerSubjects << s->sslConfiguration().peerCertificate().subjectDisplayName();
            s->setParent(this); // none outlives the server
            sockets.append(s);
            connect(s, &QWebSocket::textMessageReceived, s, [this, s](const QString &text) {
                received.append(text);
                if (!onText || !onText(s, text))
                    s->sendTextMessage(text);
            });
            connect(s, &QWebSocket::binaryMessageReceived, s,
                [s](const QByteArray &data) { s->sendBinaryMessage(data); });
            connect(s, &QWebSocket::disconnected, this, [this, s] {
                lastCloseCode = int(s->closeCode());
                lastCloseReason = s->closeReason();
                sockets.removeAll(s);
                s->deleteLater();
            });
        }
    }

    QWebSocketServer m_server;
};

} // namespace wst::guitest
