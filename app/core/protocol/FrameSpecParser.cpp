#include "FrameSpecParser.h"

#include <QFile>
#include <QScopeGuard>
#include <QStringList>

namespace wst {

namespace {

struct Item
{
    QString key;
    QString value;
    bool hasValue = false;
};

int hexDigit(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= '0' && u <= '9')
        return u - '0';
    if (u >= 'a' && u <= 'f')
        return u - 'a' + 10;
    if (u >= 'A' && u <= 'F')
        return u - 'A' + 10;
    return -1;
}

// Splits on commas outside quotes; quotes are removed and their escapes applied. Only the key
// part is trimmed of spaces outside quotes, and the value's ends likewise.
bool splitItems(const QString &text, QList<Item> *items, QString *error)
{
    QString current;
    bool quoted = false;
    bool hadQuote = false;
    QList<std::pair<QString, bool>> raw; // the text, and whether it had a quoted stretch
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == QLatin1Char('"')) {
                quoted = false;
            } else if (c == QLatin1Char('\\')) {
                if (i + 1 >= text.size()) {
                    *error = FrameSpecParser::tr("frame spec: a '\\' ends the text");
                    return false;
                }
                const QChar e = text.at(++i);
                switch (e.unicode()) {
                case 'n':
                    current += QLatin1Char('\n');
                    break;
                case 'r':
                    current += QLatin1Char('\r');
                    break;
                case 't':
                    current += QLatin1Char('\t');
                    break;
                case 'x': {
                    const int hi = i + 1 < text.size() ? hexDigit(text.at(i + 1)) : -1;
                    const int lo = i + 2 < text.size() ? hexDigit(text.at(i + 2)) : -1;
                    if (hi < 0 || lo < 0) {
                        *error = FrameSpecParser::tr("frame spec: '\\x' needs two hex digits");
                        return false;
                    }
                    // A private-use marker keeps the raw byte apart from text until encoding.
                    current += QChar(0xF700 + hi * 16 + lo);
                    i += 2;
                    break;
                }
                default:
                    current += e;
                }
            } else {
                current += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
            hadQuote = true;
        } else if (c == QLatin1Char(',')) {
            raw.append({ current, hadQuote });
            current.clear();
            hadQuote = false;
        } else {
            current += c;
        }
    }
    if (quoted) {
        *error = FrameSpecParser::tr("frame spec: a quote is not closed");
        return false;
    }
    raw.append({ current, hadQuote });
    for (const auto &[part, hadQuotes] : raw) {
        if (part.trimmed().isEmpty() && !hadQuotes)
            continue; // "a,,b" and a trailing comma are forgiven
        Item item;
        const qsizetype eq = part.indexOf(QLatin1Char('='));
        item.key = (eq < 0 ? part : part.left(eq)).trimmed().toLower();
        if (eq >= 0) {
            item.hasValue = true;
            item.value = part.mid(eq + 1);
            if (!hadQuotes)
                item.value = item.value.trimmed();
        }
        items->append(item);
    }
    return true;
}

// Text to bytes: UTF-8, except the \xHH markers, which are their raw byte.
QByteArray encode(const QString &text)
{
    QByteArray out;
    QString run;
    for (const QChar c : text) {
        if (c.unicode() >= 0xF700 && c.unicode() <= 0xF7FF) {
            out += run.toUtf8();
            run.clear();
            out += char(c.unicode() - 0xF700);
        } else {
            run += c;
        }
    }
    return out + run.toUtf8();
}

bool parseUInt(const QString &value, quint64 max, quint64 *out)
{
    bool ok = false;
    const quint64 v = value.startsWith(QLatin1String("0x"), Qt::CaseInsensitive)
        ? value.mid(2).toULongLong(&ok, 16)
        : value.toULongLong(&ok, 10);
    if (!ok || v > max)
        return false;
    *out = v;
    return true;
}

bool parseMs(QString value, int *out)
{
    if (value.endsWith(QLatin1String("ms")))
        value.chop(2);
    quint64 v = 0;
    if (!parseUInt(value, 60000, &v))
        return false;
    *out = int(v);
    return true;
}

bool parseBool(const QString &value, bool *out)
{
    if (value == QLatin1String("1") || value == QLatin1String("on") || value == QLatin1String("true")) {
        *out = true;
        return true;
    }
    if (value == QLatin1String("0") || value == QLatin1String("off") || value == QLatin1String("false")) {
        *out = false;
        return true;
    }
    return false;
}

} // namespace

FrameSpecParser::FileReader FrameSpecParser::defaultFileReader()
{
    return [](const QString &path, QByteArray *data, QString *error) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            *error = file.errorString();
            return false;
        }
        if (file.size() > MaxPayloadBytes) {
            *error = tr("larger than %1 MiB").arg(MaxPayloadBytes / (1024 * 1024));
            return false;
        }
        *data = file.readAll();
        return true;
    };
}

bool FrameSpecParser::parse(const QString &text, FrameSpec *spec, QString *error)
{
    return parse(text, spec, error, defaultFileReader());
}

bool FrameSpecParser::payloadForm(
    const QString &key, const QString &value, QByteArray *out, QString *error, const FileReader &readFile)
{
    if (value.startsWith(QLatin1String("hex:"))) {
        QString digits = value.mid(4);
        digits.remove(QLatin1Char(' '));
        digits.remove(QLatin1Char(':'));
        if (digits.startsWith(QLatin1String("0x"), Qt::CaseInsensitive))
            digits = digits.mid(2);
        if (digits.size() % 2 != 0
            || std::any_of(digits.cbegin(), digits.cend(), [](QChar c) { return hexDigit(c) < 0; })) {
            *error = tr("frame spec: %1: '%2' is not hex bytes (e.g. hex:ff fe 00)").arg(key, value.mid(4));
            return false;
        }
        *out = QByteArray::fromHex(digits.toLatin1());
        return true;
    }
    if (value.startsWith(QLatin1String("file:"))) {
        QString problem;
        if (!readFile || !readFile(value.mid(5), out, &problem)) {
            *error = tr("frame spec: %1: cannot read '%2': %3").arg(key, value.mid(5), problem);
            return false;
        }
        return true;
    }
    if (value.startsWith(QLatin1String("fill:"))) {
        quint64 n = 0;
        if (!parseUInt(value.mid(5), quint64(MaxPayloadBytes), &n)) {
            *error = tr("frame spec: %1: '%2' is not a byte count up to %3")
                         .arg(key, value.mid(5))
                         .arg(MaxPayloadBytes);
            return false;
        }
        *out = QByteArray(qsizetype(n), '*');
        return true;
    }
    *out = encode(value.startsWith(QLatin1String("text:")) ? value.mid(5) : value);
    return true;
}

bool FrameSpecParser::parse(const QString &text, FrameSpec *out, QString *error, const FileReader &readFile)
{
    // Errors quote what was typed: a line break in it is written \n, so the error stays one line
    // (fuzz_frame_spec found a key with a newline in it).
    const auto oneLine = qScopeGuard([error] {
        error->replace(QLatin1Char('\n'), QLatin1String("\\n"));
        error->replace(QLatin1Char('\r'), QLatin1String("\\r"));
    });
    QList<Item> items;
    if (!splitItems(text, &items, error))
        return false;
    if (items.isEmpty()) {
        *error = tr("frame spec: empty (e.g. op=text,payload=hello)");
        return false;
    }
    FrameSpec spec;
    bool badUtf8 = false;
    bool closeSet = false;
    QByteArray closeBody;
    auto bad = [error](const QString &key, const QString &value, const QString &expected) {
        *error = tr("frame spec: %1: '%2' is not %3").arg(key, value, expected);
        return false;
    };
    for (const Item &item : std::as_const(items)) {
        const QString &k = item.key;
        const QString &v = item.value;
        quint64 n = 0;
        if (k == QLatin1String("op")) {
            if (v == QLatin1String("cont") || v == QLatin1String("continuation"))
                spec.opcode = 0x0;
            else if (v == QLatin1String("text"))
                spec.opcode = 0x1;
            else if (v == QLatin1String("binary"))
                spec.opcode = 0x2;
            else if (v == QLatin1String("close"))
                spec.opcode = 0x8;
            else if (v == QLatin1String("ping"))
                spec.opcode = 0x9;
            else if (v == QLatin1String("pong"))
                spec.opcode = 0xA;
            else if (parseUInt(v, 15, &n))
                spec.opcode = quint8(n);
            else
                return bad(k, v, tr("an opcode (text, binary, cont, close, ping, pong or 0-15)"));
        } else if (k == QLatin1String("fin")) {
            if (!parseBool(item.hasValue ? v : QStringLiteral("1"), &spec.fin))
                return bad(k, v, tr("0 or 1"));
        } else if (k == QLatin1String("rsv1") || k == QLatin1String("rsv2") || k == QLatin1String("rsv3")) {
            bool on = true;
            if (item.hasValue && !parseBool(v, &on))
                return bad(k, v, tr("0 or 1"));
            const quint8 bit = quint8(4 >> (k.at(3).unicode() - '1'));
            spec.rsv = on ? quint8(spec.rsv | bit) : quint8(spec.rsv & ~bit);
        } else if (k == QLatin1String("rsv")) {
            if (!parseUInt(v, 7, &n))
                return bad(k, v, tr("0 to 7 (RSV1=4, RSV2=2, RSV3=1)"));
            spec.rsv = quint8(n);
        } else if (k == QLatin1String("mask")) {
            if (v == QLatin1String("on") || v == QLatin1String("1") || !item.hasValue) {
                spec.masked = true;
            } else if (v == QLatin1String("off") || v == QLatin1String("0")) {
                spec.masked = false;
            } else {
                QString hex = v;
                if (hex.startsWith(QLatin1String("0x"), Qt::CaseInsensitive))
                    hex = hex.mid(2);
                bool ok = hex.size() == 8;
                const quint32 key = ok ? hex.toUInt(&ok, 16) : 0;
                if (!ok)
                    return bad(k, v, tr("on, off or a 4-byte key in hex (e.g. 0a1b2c3d)"));
                spec.masked = true;
                spec.maskKey = key;
            }
        } else if (k == QLatin1String("payload")) {
            if (!payloadForm(k, v, &spec.payload, error, readFile))
                return false;
        } else if (k == QLatin1String("bad-utf8")) {
            badUtf8 = true;
        } else if (k == QLatin1String("close")) {
            closeSet = true;
            if (item.hasValue && v != QLatin1String("none")) {
                const qsizetype colon = v.indexOf(QLatin1Char(':'));
                const QString code = colon < 0 ? v : v.left(colon);
                if (!parseUInt(code, 65535, &n))
                    return bad(k, code, tr("a close code (0-65535)"));
                spec.closeCode = int(n);
                QByteArray reason;
                if (colon >= 0 && !payloadForm(k, v.mid(colon + 1), &reason, error, readFile))
                    return false;
                closeBody = QByteArray(1, char(n >> 8)) + char(n & 0xff) + reason;
            }
        } else if (k == QLatin1String("len")) {
            if (v.startsWith(QLatin1Char('+')) || v.startsWith(QLatin1Char('-'))) {
                if (!parseUInt(v.mid(1), quint64(1) << 62, &n))
                    return bad(k, v, tr("a length (N, +N or -N)"));
                spec.lengthMode = FrameSpec::LengthMode::Relative;
                spec.lengthDelta = v.startsWith(QLatin1Char('-')) ? -qint64(n) : qint64(n);
            } else {
                if (!parseUInt(v, ~quint64(0), &n))
                    return bad(k, v, tr("a length (N, +N or -N)"));
                spec.lengthMode = FrameSpec::LengthMode::Absolute;
                spec.lengthValue = n;
            }
        } else if (k == QLatin1String("len64")) {
            spec.lengthForm = FrameSpec::LengthForm::Force64;
        } else if (k == QLatin1String("len16")) {
            spec.lengthForm = FrameSpec::LengthForm::Force16;
        } else if (k == QLatin1String("frag")) {
            if (!parseUInt(v, MaxFragments, &n) || n == 0)
                return bad(k, v, tr("1 to %1").arg(MaxFragments));
            spec.fragments = int(n);
        } else if (k == QLatin1String("ping-between")) {
            spec.pingBetween = true;
            if (item.hasValue)
                spec.pingPayload = encode(v);
            if (spec.pingPayload.size() > 125)
                return bad(k, v, tr("a ping payload of at most 125 bytes"));
        } else if (k == QLatin1String("bytewise")) {
            if (!parseMs(item.hasValue ? v : QStringLiteral("0"), &spec.bytewiseDelayMs))
                return bad(k, v, tr("a delay in ms (0-60000)"));
        } else if (k == QLatin1String("gap")) {
            if (!parseMs(v, &spec.gapMs))
                return bad(k, v, tr("a delay in ms (0-60000)"));
        } else {
            *error = tr("frame spec: unknown key '%1' (keys: op, fin, rsv1, rsv2, rsv3, rsv, mask, payload, "
                        "bad-utf8, "
                        "close, len, len64, len16, frag, ping-between, bytewise, gap)")
                         .arg(k);
            return false;
        }
        if (!item.hasValue
            && (k == QLatin1String("op") || k == QLatin1String("payload") || k == QLatin1String("len")
                || k == QLatin1String("frag") || k == QLatin1String("gap") || k == QLatin1String("rsv"))) {
            *error = tr("frame spec: %1 needs a value (%1=...)").arg(k);
            return false;
        }
    }
    if (closeSet) {
        spec.opcode = 0x8;
        spec.payload = closeBody + spec.payload;
    }
    if (badUtf8)
        spec.payload += QByteArray("\xc0\xaf", 2);
    if (spec.lengthMode == FrameSpec::LengthMode::Absolute && spec.fragments > 1) {
        *error = tr("frame spec: len: an absolute length with frag; give len=+N or len=-N");
        return false;
    }
    if (spec.lengthForm == FrameSpec::LengthForm::Force16
        && spec.declaredLength(spec.payload.size()) > 0xffff) {
        *error = tr("frame spec: len16: the length is over 65535");
        return false;
    }
    if (spec.payload.size() > MaxPayloadBytes) {
        *error = tr("frame spec: payload: larger than %1 MiB").arg(MaxPayloadBytes / (1024 * 1024));
        return false;
    }
    *out = spec;
    return true;
}

} // namespace wst
