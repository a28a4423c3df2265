// ScenarioRunner, continued: what a connect step and a close step check when the connection
// opens, fails or closes, and how a failed expect lists the other messages it saw.
#include "ScenarioRunner.h"

#include "compose/Variables.h"
#include "connection/ConnectionStatus.h"
#include "messages/MessageStore.h"

#include <QtEndian>

namespace wst {

namespace {

constexpr int OthersShown = 3;

} // namespace

void ScenarioRunner::checkHandshake(const ScenarioStep &s, Link &link)
{
    const ClientConnection &c = *link.connection;
    const HandshakeRecord &h = c.handshake();
    const int status = h.statusCode();
    const bool open = c.state() == ClientConnection::State::Open;
    // The relay's record of the exchange may come just after the state it explains.
    if (status == 0 && c.options().useRelay && (open || s.expectStatus != 101)) {
        m_handshakePending = true;
        return;
    }
    m_handshakePending = false;
    if (!open) {
        if (s.expectStatus != 101 && status == s.expectStatus) {
            pass(QString::fromUtf8(h.statusLine()));
            return;
        }
        m_report.connectionFailed = s.expectStatus == 101;
        fail(s.expectStatus == 101 ? tr("cannot connect: %1").arg(ConnectionStatus::text(c.status()))
                                   : tr("expected status %1, got: %2")
                                         .arg(s.expectStatus)
                                         .arg(ConnectionStatus::text(c.status())));
        return;
    }
    if (s.expectStatus != 101) {
        fail(tr("expected status %1, but the connection opened (101).").arg(s.expectStatus));
        return;
    }
    const QString subprotocol = c.status().subprotocol;
    if (s.expectSubprotocol && subprotocol != *s.expectSubprotocol) {
        fail(subprotocol.isEmpty()
                ? tr("expected subprotocol \"%1\", the server chose none.").arg(*s.expectSubprotocol)
                : tr("expected subprotocol \"%1\", the server chose \"%2\".")
                      .arg(*s.expectSubprotocol, subprotocol));
        return;
    }
    const HandshakeRecord::Headers headers = h.responseHeaders();
    for (const auto &expected : s.expectHeaders) {
        std::optional<QByteArray> found;
        for (const auto &header : headers) {
            if (header.first.compare(expected.first.toUtf8(), Qt::CaseInsensitive) == 0) {
                found = header.second;
                break;
            }
        }
        QString error;
        const QString want = expected.second ? fillIn(*expected.second, &error) : QString();
        if (!error.isEmpty()) {
            fail(error);
            return;
        }
        if (!found) {
            fail(tr("the response has no %1 header.").arg(expected.first));
            return;
        }
        if (expected.second && QString::fromUtf8(*found) != want) {
            fail(tr("response header %1 is \"%2\", expected \"%3\".")
                     .arg(expected.first, QString::fromUtf8(*found), want));
            return;
        }
    }
    handshakePassed(s, link, QString::fromUtf8(h.statusLine()));
}

void ScenarioRunner::checkClosed(const ScenarioStep &s, Link &link)
{
    if (s.expectCloseCode < 0) {
        pass(ConnectionStatus::text(link.connection->status()));
        return;
    }
    // The server's answer is read from the frames the relay recorded (the Close row keeps our
    // code). Qt closes TCP before it comes; the relay reads on a moment, so poll until "within".
    const MessageStore &frames = *link.connection->frames();
    for (qint64 i = link.framesStart; i < frames.count(); ++i) {
        const MessageRow &row = frames.row(i);
        if (row.direction != Direction::In || row.kind != Kind::Close)
            continue;
        const QByteArray stored = frames.payload(i);
        const qsizetype headerSize = qsizetype(row.extra & 0xF);
        const int code = stored.size() >= headerSize + 2
            ? qFromBigEndian<quint16>(stored.constData() + headerSize)
            : 1005;
        if (code == s.expectCloseCode)
            pass(tr("the server answered with %1").arg(code));
        else
            fail(tr("the server's Close frame carried %1, expected %2.").arg(code).arg(s.expectCloseCode));
        return;
    }
    m_closeFramePending = true;
    m_poll.start();
}

QString ScenarioRunner::othersText() const
{
    if (m_others.isEmpty())
        return tr("no other messages received.");
    const QString last = m_others.mid(qMax(0, int(m_others.size()) - OthersShown)).join(QLatin1String(" | "));
    if (m_others.size() == 1)
        return tr("1 other message received: %1").arg(last);
    return m_others.size() > OthersShown
        ? tr("%1 other messages received, the last %2: %3").arg(m_others.size()).arg(OthersShown).arg(last)
        : tr("%1 other messages received: %2").arg(m_others.size()).arg(last);
}

} // namespace wst
