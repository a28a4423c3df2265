#include "SingleInstance.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalServer>
#include <QLocalSocket>

#include <unistd.h>

namespace wst {

SingleInstance::SingleInstance(const QString &name, QObject *parent)
    : QObject(parent)
    , m_name(name)
{
}

SingleInstance::~SingleInstance() = default;

QString SingleInstance::defaultName()
{
    return QStringLiteral("wstester-%1").arg(::getuid());
}

QString SingleInstance::serverName() const
{
    return m_server ? m_server->fullServerName() : m_name;
}

bool SingleInstance::sendToRunning(const QStringList &request, int timeoutMs)
{
    QLocalSocket socket;
    socket.connectToServer(m_name);
    QDeadlineTimer deadline(timeoutMs);
    if (!socket.waitForConnected(int(deadline.remainingTime())))
        return false;
    socket.write(QJsonDocument(QJsonArray::fromStringList(request)).toJson(QJsonDocument::Compact) + '\n');
    if (!socket.waitForBytesWritten(int(deadline.remainingTime())))
        return false;
    while (!socket.canReadLine()) {
        if (deadline.hasExpired() || !socket.waitForReadyRead(int(deadline.remainingTime())))
            return false;
    }
    return socket.readLine().trimmed() == "ok";
}

bool SingleInstance::listen()
{
    if (m_server)
        return true;
    auto *server = new QLocalServer(this);
    server->setSocketOptions(QLocalServer::UserAccessOption);
    bool listening = server->listen(m_name);
    if (!listening && server->serverError() == QAbstractSocket::AddressInUseError) {
        // Nobody answered sendToRunning(): the socket is what a crashed instance left.
        QLocalServer::removeServer(m_name);
        listening = server->listen(m_name);
    }
    if (!listening) {
        m_error = tr("Cannot listen for other launches on %1: %2").arg(m_name, server->errorString());
        delete server;
        return false;
    }
    m_server = server;
    connect(m_server, &QLocalServer::newConnection, this, &SingleInstance::onConnection);
    return true;
}

bool SingleInstance::parseRequest(const QByteArray &line, QStringList *request, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isArray()) {
        *error = tr("the request is not a JSON array of strings");
        return false;
    }
    request->clear();
    for (const QJsonValue &value : document.array()) {
        if (!value.isString()) {
            *error = tr("the request is not a JSON array of strings");
            return false;
        }
        request->append(value.toString());
    }
    return true;
}

void SingleInstance::onConnection()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
            if (!socket->canReadLine()) {
                if (socket->bytesAvailable() > MaxRequestBytes)
                    socket->abort();
                return;
            }
            const QByteArray line = socket->readLine(MaxRequestBytes);
            QStringList request;
            QString error;
            if (!parseRequest(line, &request, &error)) {
                socket->write("error: " + error.toUtf8() + '\n');
                socket->disconnectFromServer();
                return;
            }
            socket->write("ok\n");
            socket->disconnectFromServer();
            Q_EMIT requestReceived(request);
        });
    }
}

} // namespace wst
