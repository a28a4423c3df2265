#pragma once

#include "format/DecoderSetting.h"
#include "messages/Message.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QString>

#include <memory>

namespace wst {

class ProtoSchema;

// A decoder setting made ready to use: the .proto files read, the message types checked. It
// turns a binary payload of either direction into JSON and JSON text into the payload the
// composer sends. Immutable and shared (std::shared_ptr); usable from any thread.
class PayloadCodec
{
    Q_DECLARE_TR_FUNCTIONS(PayloadCodec)
public:
    struct Decoded
    {
        QByteArray json; // compact JSON text (UTF-8); empty on failure
        QString type; // protobuf: the message type used
        QString error; // one line; empty on success
        bool ok() const { return error.isEmpty(); }
    };
    struct Encoded
    {
        QByteArray payload;
        QString error;
        bool ok() const { return error.isEmpty(); }
    };

    // Null with *error when the setting cannot be used: "Protobuf: chat.proto:3:9: ..." or
    // "Protobuf: the .proto files define no message type chat.Evnt."
    static std::shared_ptr<const PayloadCodec> create(const DecoderSetting &setting, QString *error);

    const DecoderSetting &setting() const { return m_setting; }
    DecoderSetting::Codec codec() const { return m_setting.codec; }
    // The loaded .proto files (protobuf only, otherwise null).
    std::shared_ptr<const ProtoSchema> schema() const { return m_schema; }

    Decoded decode(Direction direction, QByteArrayView bytes) const;
    // JSON text to the payload of a message sent in this direction (Out for the composer).
    Encoded encode(Direction direction, QByteArrayView json) const;
    // The protobuf message type used for this direction: its own, else the other one's.
    QString typeFor(Direction direction) const;

private:
    PayloadCodec() = default;

    DecoderSetting m_setting;
    std::shared_ptr<const ProtoSchema> m_schema;
};

} // namespace wst
