#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QList>
#include <QString>

#include <memory>

namespace wst {

// What the client offers in Sec-WebSocket-Extensions (RFC 7692 section 7.1). A window of -1 is
// not sent; clientMaxWindowBits 0 is sent without a value ("the server may limit it").
struct DeflateOffer
{
    Q_DECLARE_TR_FUNCTIONS(DeflateOffer)
public:
    bool enabled = true; // browsers offer it: so does wstester, unless told not to
    bool clientNoContextTakeover = false;
    bool serverNoContextTakeover = false;
    int clientMaxWindowBits = 0;
    int serverMaxWindowBits = -1;

    QByteArray headerValue() const; // "permessage-deflate; client_max_window_bits"
    // One "name" or "name=value" (the CLI's --deflate-option): false with *error otherwise.
    bool setOption(const QString &option, QString *error);
    // The options as the CLI would take them again, e.g. {"server_max_window_bits=10"}.
    QStringList options() const;
    bool operator==(const DeflateOffer &) const = default;
};

// What the server accepted: the parameters both sides keep to.
struct DeflateAgreement
{
    Q_DECLARE_TR_FUNCTIONS(DeflateAgreement)
public:
    bool clientNoContextTakeover = false;
    bool serverNoContextTakeover = false;
    int clientMaxWindowBits = 15; // the client compresses with at most this window
    int serverMaxWindowBits = 15; // the server does
    QString describe() const; // one line for the handshake inspector
};

// Reads the 101's extension headers against the offer (RFC 7692 sections 5, 7.1).
struct DeflateNegotiation
{
    Q_DECLARE_TR_FUNCTIONS(DeflateNegotiation)
public:
    enum class Outcome { Declined, Accepted, Failed };
    Outcome outcome = Outcome::Declined;
    DeflateAgreement agreement;
    QString error; // Failed: one line naming what is wrong with the response
    // What the QWebSocket may see of the header: the other extensions, if any ("" drops it).
    QByteArray remainingExtensions;

    static DeflateNegotiation fromResponse(const DeflateOffer &offer, const QList<QByteArray> &headerValues);
};

// A server's answer to the client's offers (RFC 7692 sections 5, 7.1): the first offer it can
// keep to is accepted. An offer with an unknown or invalid parameter, or asking for an 8-bit
// server window (zlib compresses with 9 bits at least), is passed over.
struct DeflateAnswer
{
    bool accepted = false;
    DeflateAgreement agreement;
    QByteArray headerValue; // the 101's Sec-WebSocket-Extensions value when accepted

    static DeflateAnswer fromOffers(const QList<QByteArray> &headerValues);
};

// The compressed payload of one message (the 0x00 0x00 0xff 0xff tail removed) in and out, with
// zlib's raw deflate (RFC 7692 section 7.2).
class MessageInflater
{
public:
    enum class Result { Ok, BadData, TooBig };
    MessageInflater(bool noContextTakeover, quint64 maxBytes);
    ~MessageInflater();
    MessageInflater(const MessageInflater &) = delete;
    MessageInflater &operator=(const MessageInflater &) = delete;
    // A bomb stops at maxBytes (TooBig) without inflating further.
    Result inflate(QByteArrayView compressed, QByteArray *message);
    QString lastError() const { return m_error; }

private:
    struct State;
    std::unique_ptr<State> m_state;
    bool m_noContextTakeover;
    quint64 m_maxBytes;
    QString m_error;
};

class MessageDeflater
{
public:
    // windowBits 9..15 (zlib cannot make raw deflate with an 8-bit window).
    MessageDeflater(int windowBits, bool noContextTakeover);
    ~MessageDeflater();
    MessageDeflater(const MessageDeflater &) = delete;
    MessageDeflater &operator=(const MessageDeflater &) = delete;
    QByteArray deflate(QByteArrayView message);

private:
    struct State;
    std::unique_ptr<State> m_state;
    bool m_noContextTakeover;
};

} // namespace wst
