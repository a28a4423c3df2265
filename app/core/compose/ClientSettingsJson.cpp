#include "ClientSettingsJson.h"

#include <QJsonArray>

namespace wst {

namespace {

const QLatin1String Url("url");
const QLatin1String Headers("headers");
const QLatin1String Subprotocols("subprotocols");
const QLatin1String Origin("origin");
const QLatin1String ConnectTimeoutMs("connectTimeoutMs");
const QLatin1String AutoReconnect("autoReconnect");
const QLatin1String ReconnectInitialMs("reconnectInitialMs");
const QLatin1String ReconnectMaxMs("reconnectMaxMs");
const QLatin1String IgnoreAllSslErrors("ignoreAllSslErrors");
const QLatin1String CaCertificateFile("caCertificateFile");
const QLatin1String ClientCertificateFile("clientCertificateFile");
const QLatin1String ClientKeyFile("clientKeyFile");
const QLatin1String ClientKeyPassphrase("clientKeyPassphrase");
const QLatin1String MinimumTls("minimumTls");
const QLatin1String Proxy("proxy");
const QLatin1String Protocol("protocol");
const QLatin1String Masked("masked");
const QLatin1String Deflate("deflate"); // absent: offered (the default); false: not offered
const QLatin1String DeflateOptions("deflateOptions"); // ["server_max_window_bits=10", ...]

// Reads typed values, remembering the first key of a wrong type.
class Reader
{
public:
    explicit Reader(const QJsonObject &object)
        : m_object(object)
    {
    }

    void string(QLatin1String key, QString *out)
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined() || v.isNull())
            return;
        if (!v.isString())
            return fail(ClientSettingsJson::tr("\u201c%1\u201d must be a string.").arg(key));
        *out = v.toString();
    }
    void boolean(QLatin1String key, bool *out)
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined() || v.isNull())
            return;
        if (!v.isBool())
            return fail(ClientSettingsJson::tr("\u201c%1\u201d must be true or false.").arg(key));
        *out = v.toBool();
    }
    void integer(QLatin1String key, int *out)
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined() || v.isNull())
            return;
        const double d = v.toDouble();
        if (!v.isDouble() || d != double(qint64(d)) || d < 0 || d > 24.0 * 3600 * 1000)
            return fail(
                ClientSettingsJson::tr("\u201c%1\u201d must be a whole number of milliseconds.").arg(key));
        *out = int(d);
    }
    QJsonArray array(QLatin1String key)
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined() || v.isNull())
            return {};
        if (!v.isArray()) {
            fail(ClientSettingsJson::tr("\u201c%1\u201d must be an array.").arg(key));
            return {};
        }
        return v.toArray();
    }
    void fail(const QString &error)
    {
        if (m_error.isEmpty())
            m_error = error;
    }
    QString error() const { return m_error; }

private:
    const QJsonObject &m_object;
    QString m_error;
};

} // namespace

bool ClientSettingsJson::isSecretHeader(QByteArrayView name)
{
    for (const char *secret : { "authorization", "proxy-authorization", "cookie", "set-cookie" }) {
        if (name.trimmed().compare(QByteArrayView(secret), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QString ClientSettingsJson::proxyToText(const QNetworkProxy &proxy)
{
    QUrl url;
    switch (proxy.type()) {
    case QNetworkProxy::HttpProxy:
        url.setScheme(QStringLiteral("http"));
        break;
    case QNetworkProxy::Socks5Proxy:
        url.setScheme(QStringLiteral("socks5"));
        break;
    default:
        return {};
    }
    url.setUserName(proxy.user());
    url.setPassword(proxy.password());
    url.setHost(proxy.hostName());
    url.setPort(proxy.port());
    return url.toString();
}

QString ClientSettingsJson::minimumTlsToText(QSsl::SslProtocol protocol)
{
    switch (protocol) {
    case QSsl::TlsV1_2OrLater:
        return QStringLiteral("1.2");
    case QSsl::TlsV1_3OrLater:
        return QStringLiteral("1.3");
    default:
        return QStringLiteral("any");
    }
}

QJsonObject ClientSettingsJson::toJson(const ConnectionOptions &options)
{
    QJsonArray headers;
    for (const auto &[name, value] : options.headers)
        headers.append(QJsonArray { QString::fromUtf8(name), QString::fromUtf8(value) });
    QJsonObject o {
        { Url, options.url.toString() },
        { Headers, headers },
        { Subprotocols, QJsonArray::fromStringList(options.subprotocols) },
        { Origin, options.origin },
        { ConnectTimeoutMs, options.connectTimeoutMs },
        { AutoReconnect, options.autoReconnect },
        { ReconnectInitialMs, options.reconnectInitialMs },
        { ReconnectMaxMs, options.reconnectMaxMs },
        { IgnoreAllSslErrors, options.ignoreAllSslErrors },
        { CaCertificateFile, options.caCertificateFile },
        { ClientCertificateFile, options.clientCertificateFile },
        { ClientKeyFile, options.clientKeyFile },
        { ClientKeyPassphrase, QString::fromUtf8(options.clientKeyPassphrase) },
        { MinimumTls, minimumTlsToText(options.minimumTlsVersion) },
        { Proxy, proxyToText(options.proxy) },
    };
    if (!options.protocol.isRaw())
        o.insert(Protocol, options.protocol.toJson());
    if (!options.deflate.enabled)
        o.insert(Deflate, false);
    if (const QStringList deflate = options.deflate.options(); !deflate.isEmpty())
        o.insert(DeflateOptions, QJsonArray::fromStringList(deflate));
    return o;
}

ConnectionOptions ClientSettingsJson::fromJson(const QJsonObject &object, QString *error)
{
    ConnectionOptions o;
    Reader r(object);

    QString url;
    r.string(Url, &url);
    // The URL as written: whether it can be connected to is for ConnectionOptions::parseUrl to say
    // when connecting, not a reason to lose the rest of the settings.
    o.url = QUrl(url.trimmed());

    const QJsonArray headers = r.array(Headers);
    for (qsizetype i = 0; i < headers.size(); ++i) {
        const QJsonArray pair = headers.at(i).toArray();
        if (!headers.at(i).isArray() || pair.size() != 2 || !pair.at(0).isString()
            || !pair.at(1).isString()) {
            r.fail(tr("\u201cheaders\u201d[%1] must be [\"Name\", \"value\"].").arg(i));
            continue;
        }
        o.headers.append({ pair.at(0).toString().toUtf8(), pair.at(1).toString().toUtf8() });
    }
    const QJsonArray subprotocols = r.array(Subprotocols);
    for (qsizetype i = 0; i < subprotocols.size(); ++i) {
        if (!subprotocols.at(i).isString()) {
            r.fail(tr("\u201csubprotocols\u201d[%1] must be a string.").arg(i));
            continue;
        }
        o.subprotocols.append(subprotocols.at(i).toString());
    }
    r.string(Origin, &o.origin);
    r.integer(ConnectTimeoutMs, &o.connectTimeoutMs);
    r.boolean(AutoReconnect, &o.autoReconnect);
    r.integer(ReconnectInitialMs, &o.reconnectInitialMs);
    r.integer(ReconnectMaxMs, &o.reconnectMaxMs);
    r.boolean(IgnoreAllSslErrors, &o.ignoreAllSslErrors);
    r.string(CaCertificateFile, &o.caCertificateFile);
    r.string(ClientCertificateFile, &o.clientCertificateFile);
    r.string(ClientKeyFile, &o.clientKeyFile);
    QString passphrase;
    r.string(ClientKeyPassphrase, &passphrase);
    o.clientKeyPassphrase = passphrase.toUtf8();

    QString tls = QStringLiteral("any");
    r.string(MinimumTls, &tls);
    if (tls == QLatin1String("1.2"))
        o.minimumTlsVersion = QSsl::TlsV1_2OrLater;
    else if (tls == QLatin1String("1.3"))
        o.minimumTlsVersion = QSsl::TlsV1_3OrLater;
    else if (tls == QLatin1String("any") || tls.isEmpty())
        o.minimumTlsVersion = QSsl::SecureProtocols;
    else
        r.fail(
            tr("\u201cminimumTls\u201d must be \"any\", \"1.2\" or \"1.3\", not \u201c%1\u201d.").arg(tls));

    QString proxy;
    r.string(Proxy, &proxy);
    if (!proxy.trimmed().isEmpty()) {
        QString proxyError;
        o.proxy = ConnectionOptions::parseProxy(proxy, &proxyError);
        if (!proxyError.isEmpty())
            r.fail(tr("\u201cproxy\u201d: %1").arg(proxyError));
    }
    r.boolean(Deflate, &o.deflate.enabled);
    const QJsonArray deflate = r.array(DeflateOptions);
    for (qsizetype i = 0; i < deflate.size(); ++i) {
        QString deflateError;
        if (!deflate.at(i).isString() || !o.deflate.setOption(deflate.at(i).toString(), &deflateError))
            r.fail(tr(
                "\u201c%1\u201d[%2]: %3") // lupdate reads \u201c followed by hex letters as one longer escape
                       .arg(DeflateOptions)
                       .arg(i)
                       .arg(deflateError.isEmpty() ? tr("must be a string.") : deflateError));
    }
    if (object.contains(Protocol)) {
        QString protocolError;
        o.protocol = ProtocolOptions::fromJson(object.value(Protocol), &protocolError);
        if (!protocolError.isEmpty())
            r.fail(protocolError);
    }
    *error = r.error();
    return o;
}

void ClientSettingsJson::maskSecrets(QJsonObject &object)
{
    QStringList masked;
    const QJsonArray previous = object.value(Masked).toArray();
    for (const QJsonValue &v : previous)
        masked.append(v.toString());
    auto note = [&masked](const QString &what) {
        if (!masked.contains(what))
            masked.append(what);
    };

    QJsonArray headers = object.value(Headers).toArray();
    for (qsizetype i = 0; i < headers.size(); ++i) {
        QJsonArray pair = headers.at(i).toArray();
        if (pair.size() == 2 && isSecretHeader(pair.at(0).toString().toUtf8())
            && !pair.at(1).toString().isEmpty()) {
            note(QStringLiteral("headers.") + pair.at(0).toString().trimmed());
            pair[1] = QString();
            headers[i] = pair;
        }
    }
    if (object.contains(Headers))
        object.insert(Headers, headers);

    if (!object.value(ClientKeyPassphrase).toString().isEmpty()) {
        object.insert(ClientKeyPassphrase, QString());
        note(ClientKeyPassphrase);
    }
    for (const QLatin1String key : { Proxy, Url }) {
        QUrl url(object.value(key).toString());
        if (url.isValid() && !url.password().isEmpty()) {
            url.setPassword(QString());
            object.insert(key, url.toString());
            note(key + QLatin1String(".password"));
        }
    }
    // The protocols' own secrets: STOMP's passcode, MQTT's password.
    QJsonObject protocol = object.value(Protocol).toObject();
    bool protocolMasked = false;
    for (const QLatin1String key : { QLatin1String("passcode"), QLatin1String("password") }) {
        if (!protocol.value(key).toString().isEmpty()) {
            protocol.insert(key, QString());
            note(Protocol + QLatin1Char('.') + key);
            protocolMasked = true;
        }
    }
    if (protocolMasked)
        object.insert(Protocol, protocol);
    if (!masked.isEmpty())
        object.insert(Masked, QJsonArray::fromStringList(masked));
}

} // namespace wst
