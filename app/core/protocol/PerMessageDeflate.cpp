#include "PerMessageDeflate.h"

#include <QStringList>

#include <zlib.h>

namespace wst {

namespace {

const QByteArray Name = QByteArrayLiteral("permessage-deflate");
const QByteArray ClientWindow = QByteArrayLiteral("client_max_window_bits");
const QByteArray ServerWindow = QByteArrayLiteral("server_max_window_bits");
const QByteArray ClientNoTakeover = QByteArrayLiteral("client_no_context_takeover");
const QByteArray ServerNoTakeover = QByteArrayLiteral("server_no_context_takeover");
constexpr char Tail[] = { 0x00, 0x00, char(0xff), char(0xff) };

struct Param
{
    QByteArray name;
    QByteArray value;
    bool hasValue = false;
};

struct Extension
{
    QByteArray text; // as it came, for what the QWebSocket may still see
    QByteArray name;
    QList<Param> params;
};

// Splits at `separator` where it is not inside a quoted value.
QList<QByteArray> splitUnquoted(const QByteArray &text, char separator)
{
    QList<QByteArray> parts;
    QByteArray current;
    bool quoted = false;
    for (const char c : text) {
        if (c == '"')
            quoted = !quoted;
        if (c == separator && !quoted) {
            parts.append(current);
            current.clear();
        } else {
            current.append(c);
        }
    }
    parts.append(current);
    return parts;
}

// Splits header values into extensions (RFC 7230 lists, RFC 6455 9.1 grammar); commas and
// semicolons inside a quoted value do not split.
QList<Extension> parseExtensions(const QList<QByteArray> &values)
{
    QList<Extension> out;
    for (const QByteArray &value : values) {
        for (const QByteArray &element : splitUnquoted(value, ',')) {
            if (element.trimmed().isEmpty())
                continue;
            Extension e;
            e.text = element.trimmed();
            QList<QByteArray> parts = splitUnquoted(element, ';');
            e.name = parts.takeFirst().trimmed().toLower();
            for (const QByteArray &p : std::as_const(parts)) {
                Param param;
                const qsizetype eq = p.indexOf('=');
                param.name = (eq < 0 ? p : p.left(eq)).trimmed().toLower();
                if (eq >= 0) {
                    param.hasValue = true;
                    param.value = p.mid(eq + 1).trimmed();
                    if (param.value.size() >= 2 && param.value.startsWith('"') && param.value.endsWith('"'))
                        param.value = param.value.mid(1, param.value.size() - 2);
                }
                e.params.append(param);
            }
            out.append(e);
        }
    }
    return out;
}

// RFC 7692 7.1.2: 1*DIGIT, 8 to 15, no leading zero.
int windowBits(const QByteArray &value)
{
    if (value.isEmpty() || value.size() > 2 || value.startsWith('0'))
        return -1;
    bool ok = false;
    const int bits = value.toInt(&ok);
    return ok && bits >= 8 && bits <= 15 ? bits : -1;
}

} // namespace

QByteArray DeflateOffer::headerValue() const
{
    QByteArray v = Name;
    if (clientNoContextTakeover)
        v += "; " + ClientNoTakeover;
    if (serverNoContextTakeover)
        v += "; " + ServerNoTakeover;
    if (serverMaxWindowBits >= 8)
        v += "; " + ServerWindow + '=' + QByteArray::number(serverMaxWindowBits);
    if (clientMaxWindowBits == 0)
        v += "; " + ClientWindow;
    else if (clientMaxWindowBits > 0)
        v += "; " + ClientWindow + '=' + QByteArray::number(clientMaxWindowBits);
    return v;
}

bool DeflateOffer::setOption(const QString &option, QString *error)
{
    const qsizetype eq = option.indexOf(u'=');
    const QString name = (eq < 0 ? option : option.left(eq)).trimmed().toLower();
    const QString value = eq < 0 ? QString() : option.mid(eq + 1).trimmed();
    if (name == QLatin1String(ClientNoTakeover) || name == QLatin1String(ServerNoTakeover)) {
        if (eq >= 0) {
            *error = tr("%1 takes no value.").arg(name);
            return false;
        }
        (name == QLatin1String(ClientNoTakeover) ? clientNoContextTakeover : serverNoContextTakeover) = true;
        return true;
    }
    if (name == QLatin1String(ClientWindow) || name == QLatin1String(ServerWindow)) {
        const bool client = name == QLatin1String(ClientWindow);
        if (client && eq < 0) {
            clientMaxWindowBits = 0;
            return true;
        }
        const int bits = windowBits(value.toLatin1());
        // 8 is valid in RFC 7692, but zlib cannot compress with an 8-bit window.
        if (bits < 0 || (client && bits == 8)) {
            *error = tr("%1 must be a number from %2 to 15, not \u201c%3\u201d.")
                         .arg(name, client ? QStringLiteral("9") : QStringLiteral("8"), value);
            return false;
        }
        (client ? clientMaxWindowBits : serverMaxWindowBits) = bits;
        return true;
    }
    *error = tr("\u201c%1\u201d is not a permessage-deflate parameter (client_max_window_bits, "
                "server_max_window_bits, client_no_context_takeover, server_no_context_takeover).")
                 .arg(name);
    return false;
}

QStringList DeflateOffer::options() const
{
    QStringList out;
    if (clientNoContextTakeover)
        out.append(QLatin1String(ClientNoTakeover));
    if (serverNoContextTakeover)
        out.append(QLatin1String(ServerNoTakeover));
    if (serverMaxWindowBits >= 8)
        out.append(QLatin1String(ServerWindow) + QLatin1Char('=') + QString::number(serverMaxWindowBits));
    if (clientMaxWindowBits > 0)
        out.append(QLatin1String(ClientWindow) + QLatin1Char('=') + QString::number(clientMaxWindowBits));
    return out;
}

QString DeflateAgreement::describe() const
{
    return tr("permessage-deflate: server window %1 bits%2, client window %3 bits%4")
        .arg(serverMaxWindowBits)
        .arg(serverNoContextTakeover ? tr(", no context takeover") : QString())
        .arg(clientMaxWindowBits)
        .arg(clientNoContextTakeover ? tr(", no context takeover") : QString());
}

DeflateNegotiation DeflateNegotiation::fromResponse(
    const DeflateOffer &offer, const QList<QByteArray> &headerValues)
{
    DeflateNegotiation n;
    QList<QByteArray> others;
    bool found = false;
    auto fail = [&n](const QString &why) {
        n.outcome = Outcome::Failed;
        n.error = tr("The server's permessage-deflate response is invalid: %1").arg(why);
        return n;
    };
    for (const Extension &e : parseExtensions(headerValues)) {
        if (e.name != Name) {
            others.append(e.text);
            continue;
        }
        if (found)
            return fail(tr("it accepts the extension twice (RFC 7692 section 5)."));
        found = true;
        DeflateAgreement &a = n.agreement;
        a.clientMaxWindowBits = offer.clientMaxWindowBits > 0 ? offer.clientMaxWindowBits : 15;
        a.serverMaxWindowBits = 15;
        QList<QByteArray> seen;
        for (const Param &p : e.params) {
            const QString name = QString::fromLatin1(p.name);
            if (seen.contains(p.name))
                return fail(tr("%1 is given twice.").arg(name));
            seen.append(p.name);
            if (p.name == ServerNoTakeover || p.name == ClientNoTakeover) {
                if (p.hasValue)
                    return fail(tr("%1 takes no value.").arg(name));
                (p.name == ServerNoTakeover ? a.serverNoContextTakeover : a.clientNoContextTakeover) = true;
            } else if (p.name == ServerWindow) {
                const int bits = windowBits(p.value);
                if (bits < 0)
                    return fail(
                        tr("server_max_window_bits=%1 is not 8 to 15.").arg(QString::fromLatin1(p.value)));
                if (offer.serverMaxWindowBits >= 8 && bits > offer.serverMaxWindowBits)
                    return fail(tr("server_max_window_bits=%1 is larger than the %2 offered.")
                                    .arg(bits)
                                    .arg(offer.serverMaxWindowBits));
                a.serverMaxWindowBits = bits;
            } else if (p.name == ClientWindow) {
                if (offer.clientMaxWindowBits < 0)
                    return fail(tr("client_max_window_bits was not offered (RFC 7692 section 7.1.2.2)."));
                const int bits = windowBits(p.value);
                if (bits < 0)
                    return fail(
                        tr("client_max_window_bits=%1 is not 8 to 15.").arg(QString::fromLatin1(p.value)));
                if (offer.clientMaxWindowBits > 0 && bits > offer.clientMaxWindowBits)
                    return fail(tr("client_max_window_bits=%1 is larger than the %2 offered.")
                                    .arg(bits)
                                    .arg(offer.clientMaxWindowBits));
                if (bits == 8)
                    return fail(tr("client_max_window_bits=8 cannot be kept to (zlib compresses with 9 bits "
                                   "at least)."));
                a.clientMaxWindowBits = bits;
            } else {
                return fail(tr("unknown parameter \u201c%1\u201d.").arg(name));
            }
        }
        if (offer.serverNoContextTakeover && !a.serverNoContextTakeover)
            return fail(tr("server_no_context_takeover was requested but not accepted."));
        if (offer.serverMaxWindowBits >= 8 && !seen.contains(ServerWindow))
            return fail(tr("server_max_window_bits was requested but not accepted."));
    }
    n.outcome = found ? Outcome::Accepted : Outcome::Declined;
    n.remainingExtensions = others.join(", ");
    return n;
}

DeflateAnswer DeflateAnswer::fromOffers(const QList<QByteArray> &headerValues)
{
    DeflateAnswer answer;
    for (const Extension &e : parseExtensions(headerValues)) {
        if (e.name != Name)
            continue;
        DeflateAgreement a;
        QByteArray value = Name;
        QList<QByteArray> seen;
        bool usable = true;
        for (const Param &p : e.params) {
            if (seen.contains(p.name)) {
                usable = false;
                break;
            }
            seen.append(p.name);
            if (p.name == ServerNoTakeover || p.name == ClientNoTakeover) {
                usable = !p.hasValue;
                (p.name == ServerNoTakeover ? a.serverNoContextTakeover : a.clientNoContextTakeover) = true;
                value += "; " + p.name;
            } else if (p.name == ServerWindow) {
                const int bits = windowBits(p.value);
                usable = bits >= 9;
                a.serverMaxWindowBits = bits;
                value += "; " + ServerWindow + '=' + QByteArray::number(bits);
            } else if (p.name == ClientWindow) {
                // Without a value: the client lets the server choose; the server's inflater
                // takes any window, so it asks for no limit (the parameter is left out).
                if (p.hasValue) {
                    const int bits = windowBits(p.value);
                    usable = bits >= 8;
                    a.clientMaxWindowBits = bits;
                    value += "; " + ClientWindow + '=' + QByteArray::number(bits);
                }
            } else {
                usable = false;
            }
            if (!usable)
                break;
        }
        if (!usable)
            continue;
        answer.accepted = true;
        answer.agreement = a;
        answer.headerValue = value;
        return answer;
    }
    return answer;
}

struct MessageInflater::State
{
    z_stream z {};
};

MessageInflater::MessageInflater(bool noContextTakeover, quint64 maxBytes)
    : m_state(std::make_unique<State>())
    , m_noContextTakeover(noContextTakeover)
    , m_maxBytes(maxBytes)
{
    // Always a 15-bit window: a larger window inflates what a smaller one made, and zlib
    // refuses 8 for raw streams.
    inflateInit2(&m_state->z, -15);
}

MessageInflater::~MessageInflater()
{
    inflateEnd(&m_state->z);
}

MessageInflater::Result MessageInflater::inflate(QByteArrayView compressed, QByteArray *message)
{
    z_stream &z = m_state->z;
    message->clear();
    m_error.clear();
    Result result = Result::Ok;
    char chunk[16384];
    bool ended = false;
    for (const QByteArrayView input : { compressed, QByteArrayView(Tail, 4) }) {
        if (ended)
            break;
        z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(input.data()));
        z.avail_in = uInt(input.size());
        while (z.avail_in > 0 && result == Result::Ok) {
            z.next_out = reinterpret_cast<Bytef *>(chunk);
            z.avail_out = sizeof chunk;
            const int rc = ::inflate(&z, Z_SYNC_FLUSH);
            const qsizetype produced = qsizetype(sizeof chunk) - z.avail_out;
            if (quint64(message->size()) + quint64(produced) > m_maxBytes) {
                result = Result::TooBig;
                break;
            }
            message->append(chunk, produced);
            if (rc == Z_STREAM_END) {
                // A final block (BFINAL): the next message starts a fresh stream. What follows
                // it (RFC 7692 7.2.3.4 shows a padding byte) and the tail are not part of it.
                inflateReset(&z);
                ended = true;
                break;
            }
            if (rc == Z_BUF_ERROR && produced == 0)
                break; // all input consumed into the window
            if (rc != Z_OK && rc != Z_BUF_ERROR) {
                m_error = QString::fromLatin1(z.msg ? z.msg : "invalid deflate data");
                result = Result::BadData;
            }
        }
        if (result != Result::Ok)
            break;
    }
    // Output still held inside zlib once the input is consumed.
    while (result == Result::Ok && !ended) {
        z.next_in = nullptr;
        z.avail_in = 0;
        z.next_out = reinterpret_cast<Bytef *>(chunk);
        z.avail_out = sizeof chunk;
        const int rc = ::inflate(&z, Z_SYNC_FLUSH);
        const qsizetype produced = qsizetype(sizeof chunk) - z.avail_out;
        if (quint64(message->size()) + quint64(produced) > m_maxBytes) {
            result = Result::TooBig;
            break;
        }
        message->append(chunk, produced);
        if (produced == 0 || rc != Z_OK)
            break;
    }
    if (result != Result::Ok || m_noContextTakeover)
        inflateReset(&z);
    if (result == Result::TooBig)
        message->clear();
    return result;
}

struct MessageDeflater::State
{
    z_stream z {};
};

MessageDeflater::MessageDeflater(int windowBits, bool noContextTakeover)
    : m_state(std::make_unique<State>())
    , m_noContextTakeover(noContextTakeover)
{
    deflateInit2(
        &m_state->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -qBound(9, windowBits, 15), 8, Z_DEFAULT_STRATEGY);
}

MessageDeflater::~MessageDeflater()
{
    deflateEnd(&m_state->z);
}

QByteArray MessageDeflater::deflate(QByteArrayView message)
{
    z_stream &z = m_state->z;
    QByteArray out;
    out.resize(qsizetype(deflateBound(&z, uLong(message.size()))) + 16);
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(message.data()));
    z.avail_in = uInt(message.size());
    qsizetype used = 0;
    for (;;) {
        z.next_out = reinterpret_cast<Bytef *>(out.data() + used);
        z.avail_out = uInt(out.size() - used);
        ::deflate(&z, Z_SYNC_FLUSH);
        used = out.size() - z.avail_out;
        if (z.avail_out > 0 && z.avail_in == 0)
            break;
        out.resize(out.size() * 2);
    }
    out.truncate(used);
    if (out.endsWith(QByteArrayView(Tail, 4)))
        out.chop(4);
    // zlib makes no second flush block for an empty message; the peer needs a block header
    // before the tail it appends (RFC 7692 7.2.3.6: a single 0x00).
    if (out.isEmpty())
        out.append('\0');
    if (m_noContextTakeover)
        deflateReset(&z);
    return out;
}

} // namespace wst
