#include "MessageFormat.h"

#include "format/BsonCodec.h"
#include "format/CborCodec.h"
#include "format/JsonFormat.h"
#include "format/MsgPackCodec.h"
#include "format/PayloadCodec.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>

namespace wst {

namespace {

bool isBase64Letter(char16_t c)
{
    return (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9');
}

} // namespace

QList<MessageFormat::Type> MessageFormat::all()
{
    return { Type::Text, Type::Json, Type::Hex, Type::Base64, Type::File, Type::MessagePack, Type::Cbor,
        Type::Bson, Type::Protobuf };
}

QString MessageFormat::key(Type type)
{
    switch (type) {
    case Type::Text:
        return QStringLiteral("text");
    case Type::Json:
        return QStringLiteral("json");
    case Type::Hex:
        return QStringLiteral("hex");
    case Type::Base64:
        return QStringLiteral("base64");
    case Type::File:
        return QStringLiteral("file");
    case Type::MessagePack:
        return QStringLiteral("msgpack");
    case Type::Cbor:
        return QStringLiteral("cbor");
    case Type::Bson:
        return QStringLiteral("bson");
    case Type::Protobuf:
        return QStringLiteral("protobuf");
    }
    return {};
}

std::optional<MessageFormat::Type> MessageFormat::fromKey(QStringView key)
{
    for (Type type : all()) {
        if (MessageFormat::key(type) == key)
            return type;
    }
    return std::nullopt;
}

MessageFormat::Type MessageFormat::fromKey(QStringView key, Type fallback)
{
    return fromKey(key).value_or(fallback);
}

QString MessageFormat::label(Type type)
{
    switch (type) {
    case Type::Text:
        return tr("Text");
    case Type::Json:
        return tr("JSON");
    case Type::Hex:
        return tr("Binary (hex)");
    case Type::Base64:
        return tr("Binary (base64)");
    case Type::File:
        return tr("File");
    case Type::MessagePack:
        return tr("MessagePack (from JSON)");
    case Type::Cbor:
        return tr("CBOR (from JSON)");
    case Type::Bson:
        return tr("BSON (from JSON)");
    case Type::Protobuf:
        return tr("Protobuf (from JSON)");
    }
    return {};
}

bool MessageFormat::isBinary(Type type)
{
    return type == Type::Hex || type == Type::Base64 || type == Type::File || type == Type::MessagePack
        || type == Type::Cbor || type == Type::Bson || type == Type::Protobuf;
}

bool MessageFormat::isJsonBody(Type type)
{
    return type == Type::Json || type == Type::MessagePack || type == Type::Cbor || type == Type::Bson
        || type == Type::Protobuf;
}

namespace {

// Where a byte offset of UTF-8 text is, as an editor counts: line and column from 1.
QString jsonProblem(const QByteArray &utf8, const JsonFormat::Result &r)
{
    const qsizetype offset = std::clamp<qsizetype>(r.errorOffset, 0, utf8.size());
    const QByteArrayView before(utf8.constData(), offset);
    const qsizetype line = std::count(before.begin(), before.end(), '\n') + 1;
    const qsizetype lineStart = before.lastIndexOf('\n') + 1;
    const qsizetype column = QString::fromUtf8(before.sliced(lineStart)).size() + 1;
    return MessageFormat::tr("JSON: line %1, column %2: %3").arg(line).arg(column).arg(r.error);
}

QString fileProblem(const QString &path)
{
    if (path.isEmpty())
        return MessageFormat::tr("File: no file chosen.");
    const QFileInfo info(path);
    const QString shown = QDir::toNativeSeparators(path);
    if (!info.exists())
        return MessageFormat::tr("File: %1 does not exist.").arg(shown);
    if (!info.isFile())
        return MessageFormat::tr("File: %1 is not a file.").arg(shown);
    if (!info.isReadable())
        return MessageFormat::tr("File: cannot read %1: permission denied.").arg(shown);
    return {};
}

} // namespace

QString MessageFormat::check(Type type, const QString &body, const PayloadCodec *codec)
{
    if (type == Type::File)
        return fileProblem(body);
    if (type == Type::Protobuf && !codec)
        return encode(Type::Json, body).error;
    return encode(type, body, codec).error;
}

MessageFormat::Encoded MessageFormat::encode(Type type, const QString &body, const PayloadCodec *codec)
{
    Encoded out;
    out.binary = isBinary(type);
    switch (type) {
    case Type::Text:
        out.payload = body.toUtf8();
        break;
    case Type::Json: {
        out.payload = body.toUtf8();
        const JsonFormat::Result r = JsonFormat::check(out.payload);
        if (!r.ok)
            out.error = jsonProblem(out.payload, r);
        break;
    }
    case Type::MessagePack:
    case Type::Cbor:
    case Type::Bson: {
        // Checked as JSON first, for the same line-and-column message as a JSON message.
        const QByteArray json = body.toUtf8();
        const JsonFormat::Result r = JsonFormat::check(json);
        if (!r.ok) {
            out.error = jsonProblem(json, r);
            break;
        }
        out.payload = type == Type::Cbor ? CborCodec::encode(json, &out.error)
            : type == Type::Bson         ? BsonCodec::encode(json, &out.error)
                                         : MsgPackCodec::encode(json, &out.error);
        break;
    }
    case Type::Protobuf: {
        const QByteArray json = body.toUtf8();
        const JsonFormat::Result r = JsonFormat::check(json);
        if (!r.ok) {
            out.error = jsonProblem(json, r);
        } else if (!codec || codec->codec() != DecoderSetting::Codec::Protobuf) {
            out.error = tr("Protobuf: no .proto files are set for this connection (View ▸ Decoder…).");
        } else {
            const PayloadCodec::Encoded encoded = codec->encode(Direction::Out, json);
            out.payload = encoded.payload;
            out.error = encoded.error;
        }
        break;
    }
    case Type::Hex:
        out.payload = parseHex(body, &out.error);
        break;
    case Type::Base64:
        out.payload = parseBase64(body, &out.error);
        break;
    case Type::File: {
        out.error = fileProblem(body);
        if (!out.error.isEmpty())
            break;
        QFile file(body);
        if (!file.open(QIODevice::ReadOnly)) {
            out.error
                = tr("File: cannot read %1: %2.").arg(QDir::toNativeSeparators(body), file.errorString());
            break;
        }
        out.payload = file.readAll();
        if (file.error() != QFileDevice::NoError)
            out.error
                = tr("File: cannot read %1: %2.").arg(QDir::toNativeSeparators(body), file.errorString());
        break;
    }
    }
    if (!out.error.isEmpty())
        out.payload.clear();
    return out;
}

QByteArray MessageFormat::parseHex(const QString &text, QString *error)
{
    QByteArray out;
    out.reserve(text.size() / 2);
    int pending = -1;
    qsizetype pendingAt = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isSpace() || c == u':' || c == u',' || c == u'-')
            continue;
        if (c == u'0' && i + 1 < text.size() && (text.at(i + 1) == u'x' || text.at(i + 1) == u'X')
            && pending < 0) {
            ++i;
            continue;
        }
        int v = -1;
        if (c >= u'0' && c <= u'9')
            v = c.unicode() - '0';
        else if (c >= u'a' && c <= u'f')
            v = c.unicode() - 'a' + 10;
        else if (c >= u'A' && c <= u'F')
            v = c.unicode() - 'A' + 10;
        if (v < 0) {
            *error = tr("Hex: \u201c%1\u201d at position %2 is not a hex digit.").arg(c).arg(i + 1);
            return {};
        }
        if (pending < 0) {
            pending = v;
            pendingAt = i + 1;
        } else {
            out.append(char(pending << 4 | v));
            pending = -1;
        }
    }
    if (pending >= 0) {
        *error = tr("Hex: odd number of digits: the digit at position %1 has no pair.").arg(pendingAt);
        return {};
    }
    error->clear();
    return out;
}

QByteArray MessageFormat::parseBase64(const QString &text, QString *error)
{
    QByteArray compact;
    compact.reserve(text.size());
    qsizetype lastLetterAt = 0; // position (from 1) of the last character that is not padding
    qsizetype firstPadAt = 0;
    qsizetype pads = 0;
    QChar standardSeen, urlSeen;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isSpace())
            continue;
        if (c == u'=') {
            if (pads++ == 0)
                firstPadAt = i + 1;
            compact.append('=');
            continue;
        }
        const bool standard = c == u'+' || c == u'/';
        const bool url = c == u'-' || c == u'_';
        if (!standard && !url && !isBase64Letter(c.unicode())) {
            *error = tr("Base64: \u201c%1\u201d at position %2 is not a base64 character.").arg(c).arg(i + 1);
            return {};
        }
        if (pads > 0) {
            *error
                = tr("Base64: the padding \u201c=\u201d at position %1 is not at the end.").arg(firstPadAt);
            return {};
        }
        if ((standard && !urlSeen.isNull()) || (url && !standardSeen.isNull())) {
            *error = tr("Base64: \u201c%1\u201d at position %2 mixes the URL-safe alphabet (- _) with the "
                        "standard one (+ /).")
                         .arg(c)
                         .arg(i + 1);
            return {};
        }
        if (standard)
            standardSeen = c;
        if (url)
            urlSeen = c;
        lastLetterAt = i + 1;
        compact.append(char(c.unicode()));
    }
    const qsizetype letters = compact.size() - pads;
    if (letters % 4 == 1) {
        *error = tr("Base64: the last group, at position %1, has one character: it takes at least two to "
                    "make a byte.")
                     .arg(lastLetterAt);
        return {};
    }
    if (pads > 0 && (pads > 2 || compact.size() % 4 != 0)) {
        *error = tr("Base64: the padding at position %1 does not complete a group of four.").arg(firstPadAt);
        return {};
    }
    auto options = (urlSeen.isNull() ? QByteArray::Base64Encoding : QByteArray::Base64UrlEncoding)
        | QByteArray::AbortOnBase64DecodingErrors;
    if (compact.size() % 4 != 0)
        options |= QByteArray::OmitTrailingEquals;
    const auto result = QByteArray::fromBase64Encoding(compact, options);
    if (!result) {
        *error = tr("Base64: the text is not valid base64.");
        return {};
    }
    error->clear();
    return result.decoded;
}

} // namespace wst
