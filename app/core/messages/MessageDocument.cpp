#include "MessageDocument.h"

#include "format/JsonPath.h"

namespace wst::MessageDocument {

QJsonValue fromPayload(Kind kind, const QByteArray &payload)
{
    if (kind != Kind::Text && kind != Kind::Binary)
        return QJsonValue(QJsonValue::Undefined);
    // Skip what cannot start a JSON document without asking the parser.
    for (const char c : payload) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            continue;
        if (c != '{' && c != '[' && c != '"' && c != '-' && !(c >= '0' && c <= '9') && c != 't' && c != 'f'
            && c != 'n')
            return QJsonValue(QJsonValue::Undefined);
        break;
    }
    return JsonPath::parseDocument(payload);
}

DocumentDecoder defaultDecoder()
{
    return [](Direction, Kind kind, const QByteArray &payload) { return fromPayload(kind, payload); };
}

} // namespace wst::MessageDocument
