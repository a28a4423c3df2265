// The handshake record's parsing of what a server answers (status line, headers, the accept
// check, the text rendering), as WireRelay fills it: the head up to the blank line, the body
// after it. A NUL byte in the input separates a request (for the key) from the response.
#include "FuzzSupport.h"
#include "protocol/HandshakeRecord.h"

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    wst::fuzz::ensureApplication();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace wst;
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    HandshakeRecord record;
    const qsizetype nul = input.indexOf('\0');
    record.request = nul >= 0
        ? input.left(nul)
        : QByteArrayLiteral(
            "GET / HTTP/1.1\r\nHost: a\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
    QByteArray response = nul >= 0 ? input.mid(nul + 1) : input;
    const qsizetype end = response.indexOf("\r\n\r\n");
    if (end >= 0) {
        record.responseBody = response.mid(end + 4).left(4096);
        response.truncate(end + 4);
    }
    record.response = response;
    (void)record.statusCode();
    (void)record.statusLine();
    (void)record.requestLine();
    const HandshakeRecord::Headers headers = record.responseHeaders();
    for (const auto &h : headers)
        (void)HandshakeRecord::header(headers, h.first);
    (void)record.requestHeaders();
    (void)record.acceptCheck();
    (void)record.toText();
    return 0;
}
