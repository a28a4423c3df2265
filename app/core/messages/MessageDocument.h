#pragma once

#include "Message.h"

#include <QByteArray>
#include <QJsonValue>

#include <functional>

namespace wst {

// The one place where a message's payload becomes a JSON document, for the history's JSON
// columns, filter expressions, highlight rules and the diff. Today text that parses as JSON;
// binary decoders (MessagePack, CBOR, BSON, Protocol Buffers) plug in as a decoder of their own set on
// the tab's MessageLogModel (setDocumentDecoder), falling back to this one for what they leave.
using DocumentDecoder = std::function<QJsonValue(Direction direction, Kind kind, const QByteArray &payload)>;
// A binary payload as the decoder writes it: compact JSON text, its keys in the decoder's order
// (a QJsonObject sorts them); empty where it does not decode.
using DocumentTextDecoder = std::function<QByteArray(Direction direction, const QByteArray &payload)>;

namespace MessageDocument {

// Text and binary rows whose payload is a JSON document; undefined otherwise.
QJsonValue fromPayload(Kind kind, const QByteArray &payload);
// That function as a decoder.
DocumentDecoder defaultDecoder();

} // namespace MessageDocument

} // namespace wst
