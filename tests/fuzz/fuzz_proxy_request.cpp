// The proxy's parsing of what a client sends first: the request head (a WebSocket upgrade, a
// CONNECT, an absolute-URI GET), its CONNECT target, and the head rewritten for the upstream.
#include "FuzzSupport.h"
#include "proxy/ProxyRequest.h"

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    wst::fuzz::ensureApplication();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace wst;
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype length = ProxyRequest::headLength(input);
    const ProxyRequest request = ProxyRequest::parse(length > 0 ? input.left(length) : input);
    if (!request.isValid()) {
        if (request.error.contains(QLatin1Char('\n')))
            __builtin_trap(); // errors are one line
        return 0;
    }
    (void)request.isWebSocketUpgrade();
    (void)request.header("Host");
    QString host;
    quint16 port = 0;
    QString error;
    if (request.isConnect() && !request.connectTarget(&host, &port, &error)
        && error.contains(QLatin1Char('\n')))
        __builtin_trap();
    const QByteArray rewritten
        = request.rewritten("/path", "example.com:80", { { "X-Set", "1" } }, { "Origin", "Cookie" });
    // What is rewritten parses again, with the Host it was given. The rewrite may add a Host and
    // the set header to a request already at the header limit: then, and only then, the parse
    // refuses it for the count (the upstream is a real server, not this parser).
    const ProxyRequest again = ProxyRequest::parse(rewritten);
    const qsizetype headerLines = rewritten.count("\r\n") - 2; // less the request line and the end
    if (!again.isValid()) {
        if (headerLines <= ProxyRequest::MaxHeaders)
            __builtin_trap();
        return 0;
    }
    if (again.header("Host") != "example.com:80")
        __builtin_trap();
    return 0;
}
