#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

class QLocalServer;

namespace wst {

// One window process per user (as KeePassXC and qBittorrent do): a launch first offers its
// request (a URL, a session file, "new server", or nothing) to a running instance over a local
// socket, and exits when that instance took it. The request is a list of strings, sent as one
// JSON array line; the running instance answers "ok". A stale socket left by a crash is removed.
class SingleInstance : public QObject
{
    Q_OBJECT
public:
    // Bounds what one launch can make the running instance read.
    static constexpr qint64 MaxRequestBytes = 64 * 1024;
    static constexpr int DefaultTimeoutMs = 2000;

    explicit SingleInstance(const QString &name = defaultName(), QObject *parent = nullptr);
    ~SingleInstance() override;

    // "wstester-<user>": one per user (and per $XDG_RUNTIME_DIR, where Qt puts the socket).
    static QString defaultName();

    // True when a running instance answered that it took the request (the caller then exits).
    bool sendToRunning(const QStringList &request, int timeoutMs = DefaultTimeoutMs);
    // Starts answering later launches; false (and errorString()) when it cannot.
    bool listen();
    QString errorString() const { return m_error; }
    QString serverName() const;

    // A request from a JSON array line; false (and *error) when it is not one.
    static bool parseRequest(const QByteArray &line, QStringList *request, QString *error);

Q_SIGNALS:
    void requestReceived(const QStringList &request);

private:
    void onConnection();

    QString m_name;
    QLocalServer *m_server = nullptr;
    QString m_error;
};

} // namespace wst
