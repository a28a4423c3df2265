#include "CheckCase.h"

namespace wst {

namespace {

FrameSpec data(quint8 opcode, const QByteArray &payload)
{
    FrameSpec s;
    s.opcode = opcode;
    s.payload = payload;
    return s;
}

FrameSpec closeFrame(int code, const QByteArray &reason = {})
{
    FrameSpec s;
    s.opcode = 0x8;
    s.closeCode = code;
    s.payload = QByteArray(1, char(code >> 8)) + char(code & 0xff) + reason;
    return s;
}

CheckCase echo(const QString &id, const QString &title, const FrameSpec &spec, const QString &rfc)
{
    CheckCase c;
    c.id = id;
    c.title = title;
    c.rfc = rfc;
    c.frames = { spec };
    c.expect = CheckCase::Expect::Echo;
    c.echoOpcode = spec.opcode;
    c.echoPayload = spec.payload;
    return c;
}

CheckCase fails(const QString &id, const QString &title, const QList<FrameSpec> &frames, QList<int> codes,
    const QString &rfc)
{
    CheckCase c;
    c.id = id;
    c.title = title;
    c.rfc = rfc;
    c.frames = frames;
    c.expect = CheckCase::Expect::Fail;
    c.closeCodes = codes;
    return c;
}

CheckCase closes(
    const QString &id, const QString &title, const FrameSpec &frame, QList<int> codes, const QString &rfc)
{
    CheckCase c = fails(id, title, { frame }, codes, rfc);
    c.expect = CheckCase::Expect::CloseReply;
    return c;
}

FrameSpec compressed(quint8 opcode, const QByteArray &payload)
{
    FrameSpec s = data(opcode, payload);
    s.rsv = 0x4; // RSV1: the payload is deflated when the case runs
    return s;
}

CheckCase deflated(CheckCase c)
{
    c.deflate = true;
    return c;
}

} // namespace

QList<CheckCase> CheckCase::compressionCases()
{
    // 12: compression (RFC 7692), on connections that offer permessage-deflate.
    QList<CheckCase> all;
    const QByteArray text = QByteArrayLiteral("wstester compresses this line well. ").repeated(20);
    all << deflated(echo(QStringLiteral("12.1"), tr("compressed text message"), compressed(0x1, text),
        tr("inflated and echoed (RFC 7692 section 6)")));
    QByteArray bytes;
    for (int i = 0; i < 64 * 1024; ++i)
        bytes.append(char(i % 251 < 200 ? i % 7 : i % 251));
    all << deflated(echo(QStringLiteral("12.2"), tr("compressed binary message of 64 KiB"),
        compressed(0x2, bytes), tr("inflated and echoed (RFC 7692 section 6)")));
    {
        CheckCase c = deflated(
            echo(QStringLiteral("12.3"), tr("5 compressed messages, context takeover"), compressed(0x1, text),
                tr("each inflated with the window of the ones before, and echoed (RFC 7692 7.2.3.2)")));
        c.frames = QList<FrameSpec>(5, c.frames.first());
        c.echoCount = 5;
        all << c;
    }
    {
        FrameSpec s = compressed(0x1, text);
        s.fragments = 3;
        all << deflated(echo(QStringLiteral("12.4"), tr("compressed text in 3 fragments"), s,
            tr("RSV1 on the first fragment only; reassembled, inflated and echoed (RFC 7692 section 6.1)")));
    }
    all << deflated(echo(QStringLiteral("12.5"), tr("uncompressed text on a compressing connection"),
        data(0x1, "not compressed"),
        tr("a message without RSV1 is not compressed: echoed (RFC 7692 section 6)")));
    const QString fail1002 = tr("fail the connection: Close 1002 (RFC 7692 section 6.1)");
    {
        FrameSpec ping = data(0x9, "rsv1");
        ping.rsv = 0x4;
        all << deflated(
            fails(QStringLiteral("12.6"), tr("RSV1 set on a ping"), { ping }, { 1002 }, fail1002));
    }
    {
        FrameSpec first = compressed(0x1, text);
        first.fin = false;
        FrameSpec rest = data(0x0, "x");
        rest.rsv = 0x4;
        all << deflated(fails(QStringLiteral("12.7"), tr("RSV1 set on a continuation frame"), { first, rest },
            { 1002 }, fail1002));
    }
    {
        // 0xff starts a block of the reserved type 3: not inflatable.
        CheckCase c = deflated(fails(QStringLiteral("12.8"), tr("invalid deflate data"),
            { compressed(0x1, QByteArray::fromHex("ffffffff")) }, { 1007, 1002 },
            tr("fail the connection (RFC 7692 section 6.2 names no code: 1007 or 1002)")));
        c.compress = false;
        all << c;
    }
    return all;
}

QString CheckCase::groupName(const QString &id)
{
    switch (id.section(QLatin1Char('.'), 0, 0).toInt()) {
    case 1:
        return tr("framing");
    case 2:
        return tr("ping/pong");
    case 3:
        return tr("reserved bits");
    case 4:
        return tr("opcodes");
    case 5:
        return tr("fragmentation");
    case 6:
        return tr("UTF-8");
    case 7:
        return tr("close");
    case 9:
        return tr("limits");
    case 12:
        return tr("compression");
    }
    return {};
}

QList<CheckCase> CheckCase::catalogue()
{
    QList<CheckCase> all;
    const QString fail1002 = tr("fail the connection: Close 1002 (5.2, 7.4.1)");
    const QByteArray kosme = QByteArrayLiteral("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5");

    // 1: framing
    all << echo(QStringLiteral("1.1"), tr("text message"), data(0x1, "Hello, world"), tr("echoed"));
    all << echo(QStringLiteral("1.2"), tr("empty text message"), data(0x1, {}), tr("echoed"));
    QByteArray bytes;
    for (int i = 0; i < 256; ++i)
        bytes.append(char(i));
    all << echo(QStringLiteral("1.3"), tr("binary message, bytes 0-255"), data(0x2, bytes), tr("echoed"));
    all << echo(QStringLiteral("1.4"), tr("text of 125 bytes (7-bit length)"),
        data(0x1, QByteArray(125, 'a')), tr("echoed"));
    all << echo(QStringLiteral("1.5"), tr("text of 126 bytes (16-bit length)"),
        data(0x1, QByteArray(126, 'b')), tr("echoed"));
    all << echo(QStringLiteral("1.6"), tr("text of 65536 bytes (64-bit length)"),
        data(0x1, QByteArray(65536, 'c')), tr("echoed"));
    FrameSpec unmasked = data(0x1, "unmasked");
    unmasked.masked = false;
    all << fails(QStringLiteral("1.7"), tr("unmasked client frame"), { unmasked }, { 1002 },
        tr("a server closes when a client frame is not masked (5.1)"));
    FrameSpec long64 = data(0x1, "short");
    long64.lengthForm = FrameSpec::LengthForm::Force64;
    all << fails(QStringLiteral("1.8"), tr("5-byte payload in the 64-bit length form"), { long64 }, { 1002 },
        tr("the minimal number of bytes must be used for the length (5.2)"));
    all.last().mayAccept = true;
    FrameSpec shorter = data(0x2, "0123456789");
    shorter.lengthMode = FrameSpec::LengthMode::Relative;
    shorter.lengthDelta = -8; // "23456789" is then read as the next frame: RSV bits and a reserved opcode
    shorter.maskKey = 0; // so that those bytes reach the server as they are written here
    all << fails(QStringLiteral("1.9"), tr("length shorter than the payload"), { shorter }, { 1002 },
        tr("the rest is read as a frame with RSV bits set: fail the connection (5.2)"));
    {
        FrameSpec longer = data(0x1, "waiting");
        longer.lengthMode = FrameSpec::LengthMode::Relative;
        longer.lengthDelta = 10;
        CheckCase c;
        c.id = QStringLiteral("1.10");
        c.title = tr("length longer than the payload");
        c.rfc = tr("the frame is not complete: nothing is echoed while the rest is missing (5.2)");
        c.frames = { longer };
        c.expect = CheckCase::Expect::Wait;
        all << c;
    }

    // 2: ping/pong
    {
        CheckCase c
            = echo(QStringLiteral("2.1"), tr("ping without payload"), data(0x9, {}), tr("a pong (5.5.2)"));
        c.expect = CheckCase::Expect::Pong;
        all << c;
        c = echo(QStringLiteral("2.2"), tr("ping with 125 bytes"), data(0x9, QByteArray(125, 'p')),
            tr("a pong with the same payload (5.5.3)"));
        c.expect = CheckCase::Expect::Pong;
        all << c;
    }
    all << fails(QStringLiteral("2.3"), tr("ping with 126 bytes"), { data(0x9, QByteArray(126, 'p')) },
        { 1002 }, tr("control frames carry at most 125 bytes (5.5)"));
    {
        CheckCase c = echo(QStringLiteral("2.4"), tr("unsolicited pong"), data(0xA, "unsolicited"),
            tr("ignored: a pong may be unsolicited (5.5.3)"));
        c.expect = CheckCase::Expect::Ignore;
        all << c;
    }
    FrameSpec fragPing = data(0x9, "frag");
    fragPing.fin = false;
    all << fails(QStringLiteral("2.5"), tr("fragmented ping (FIN=0)"), { fragPing }, { 1002 },
        tr("control frames must not be fragmented (5.5)"));

    // 3: reserved bits (no extension negotiated)
    for (const auto &[id, rsv, opcode] :
        { std::tuple { "3.1", 4, 1 }, { "3.2", 2, 1 }, { "3.3", 1, 2 }, { "3.4", 4, 9 } }) {
        FrameSpec s = data(quint8(opcode), "rsv");
        s.rsv = quint8(rsv);
        all << fails(QString::fromLatin1(id),
            tr("RSV%1 set on a %2 frame")
                .arg(rsv == 4      ? 1
                        : rsv == 2 ? 2
                                   : 3)
                .arg(FrameSpec::opcodeName(quint8(opcode))),
            { s }, { 1002 }, tr("RSV bits without a negotiated extension: %1").arg(fail1002));
    }

    // 4: opcodes
    for (const auto &[id, opcode] :
        { std::pair { "4.1", 3 }, { "4.2", 7 }, { "4.3", 0xB }, { "4.4", 0xF } }) {
        all << fails(QString::fromLatin1(id), tr("reserved opcode %1").arg(opcode),
            { data(quint8(opcode), "x") }, { 1002 }, tr("an unknown opcode: %1").arg(fail1002));
    }

    // 5: fragmentation
    {
        FrameSpec s = data(0x1, "fragmented message");
        s.fragments = 3;
        all << echo(
            QStringLiteral("5.1"), tr("text in 3 fragments"), s, tr("reassembled and echoed whole (5.4)"));
        s.pingBetween = true;
        s.pingPayload = "between";
        all << echo(QStringLiteral("5.2"), tr("text in 3 fragments, pings between"), s,
            tr("control frames may come between fragments; echoed whole (5.4)"));
        FrameSpec b = data(0x2, QByteArray(1000, 'z'));
        b.fragments = 100;
        all << echo(QStringLiteral("5.3"), tr("binary in 100 fragments"), b,
            tr("reassembled and echoed whole (5.4)"));
    }
    all << fails(QStringLiteral("5.4"), tr("continuation without a start"), { data(0x0, "orphan") }, { 1002 },
        tr("a continuation with no message open: %1").arg(fail1002));
    {
        FrameSpec first = data(0x1, "first");
        first.fin = false;
        all << fails(QStringLiteral("5.5"), tr("new text while a fragmented message is open"),
            { first, data(0x1, "second") }, { 1002 },
            tr("fragments of two messages must not interleave (5.4)"));
    }

    // 6: UTF-8
    all << echo(QStringLiteral("6.1"), tr("valid multi-byte UTF-8"), data(0x1, kosme), tr("echoed"));
    all << fails(QStringLiteral("6.2"), tr("invalid UTF-8 (overlong C0 AF)"), { data(0x1, "bad \xc0\xaf") },
        { 1007 }, tr("fail the connection: Close 1007 (8.1)"));
    {
        FrameSpec s = data(0x1, QByteArrayLiteral("surrogate \xed\xa0\x80 in a fragment"));
        s.fragments = 2;
        all << fails(QStringLiteral("6.3"), tr("invalid UTF-8 (a surrogate) across fragments"), { s },
            { 1007 }, tr("fail the connection: Close 1007 (8.1)"));
        FrameSpec w = data(0x1, kosme);
        w.bytewiseDelayMs = 2;
        all << echo(
            QStringLiteral("6.4"), tr("multi-byte UTF-8 sent one byte at a time"), w, tr("echoed (5.2)"));
    }

    // 7: close
    all << closes(QStringLiteral("7.1"), tr("Close 1000"), closeFrame(1000), { 1000 },
        tr("a Close in reply, usually with the same code (5.5.1)"));
    {
        FrameSpec empty = data(0x8, {});
        all << closes(QStringLiteral("7.2"), tr("Close without a code"), empty, { 1000, 1005 },
            tr("a Close in reply (5.5.1)"));
    }
    all << fails(QStringLiteral("7.3"), tr("Close with a 1-byte payload"), { data(0x8, "x") }, { 1002 },
        tr("a close body is a 2-byte code and a reason (5.5.1)"));
    for (const auto &[id, code] :
        { std::pair { "7.4", 0 }, { "7.5", 999 }, { "7.6", 1004 }, { "7.7", 1005 }, { "7.8", 1006 },
            { "7.9", 1015 }, { "7.10", 1016 }, { "7.11", 2999 }, { "7.12", 5000 }, { "7.13", 65535 } }) {
        all << fails(QString::fromLatin1(id), tr("Close with code %1").arg(code), { closeFrame(code) },
            { 1002 }, tr("a code not allowed on the wire: %1").arg(fail1002));
    }
    all << closes(QStringLiteral("7.14"), tr("Close with code 3000"), closeFrame(3000), { 3000, 1000 },
        tr("a registered code: a Close in reply (7.4.2)"));
    all << closes(QStringLiteral("7.15"), tr("Close with code 4999"), closeFrame(4999), { 4999, 1000 },
        tr("a private code: a Close in reply (7.4.2)"));
    all << fails(QStringLiteral("7.16"), tr("Close reason that is not UTF-8"),
        { closeFrame(1000, "\xc0\xaf") }, { 1007 }, tr("fail the connection: Close 1007 (5.5.1, 8.1)"));
    all << fails(QStringLiteral("7.17"), tr("Close with a 124-byte reason (126-byte frame)"),
        { closeFrame(1000, QByteArray(124, 'r')) }, { 1002 },
        tr("control frames carry at most 125 bytes (5.5)"));
    {
        CheckCase c = closes(QStringLiteral("7.18"), tr("text after our Close"), closeFrame(1000), { 1000 },
            tr("nothing after a Close is processed: the Close is answered, the text is not echoed (5.5.1)"));
        c.frames.append(data(0x1, "after close"));
        all << c;
    }

    // 9: limits
    {
        CheckCase c = echo(QStringLiteral("9.1"), tr("text of 1 MiB"), data(0x1, QByteArray(1 << 20, 'm')),
            tr("echoed (or Close 1009 when over the server's limit)"));
        c.timeoutMs = 10000;
        c.closeCodes = { 1009 };
        all << c;
        FrameSpec f = data(0x2, QByteArray(64 * 1024, 'f'));
        f.fragments = 1000;
        c = echo(QStringLiteral("9.2"), tr("binary of 64 KiB in 1000 fragments"), f,
            tr("echoed (or Close 1009 when over the server's limit)"));
        c.timeoutMs = 10000;
        c.closeCodes = { 1009 };
        all << c;
    }
    all << compressionCases();
    return all;
}

} // namespace wst
