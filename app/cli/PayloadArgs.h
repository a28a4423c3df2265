#pragma once

#include "format/PayloadCodec.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>

#include <memory>
#include <optional>

namespace wst::cli {

// `--decode CODEC`, `--encode CODEC` and `--proto-path DIR` of `connect`: binary messages read
// as JSON, and JSON texts sent as binary. CODEC is msgpack, cbor, bson or
// protobuf:FILE.proto:package.Message.
class PayloadArgs
{
    Q_DECLARE_TR_FUNCTIONS(PayloadArgs)
public:
    PayloadArgs();
    void addTo(QCommandLineParser &parser) const;
    // Reads the .proto files and checks the types. False with one line in *error (a usage
    // error: exit code 2, before connecting).
    bool read(const QCommandLineParser &parser, QString *error);

    // Null when the option is not given.
    std::shared_ptr<const PayloadCodec> decoder() const { return m_decoder; }
    std::shared_ptr<const PayloadCodec> encoder() const { return m_encoder; }

    // "msgpack", "cbor", "bson", "protobuf:chat.proto:chat.v1.Event" to a setting for one direction.
    static std::optional<DecoderSetting> parseSpec(
        const QString &spec, const QStringList &importPaths, QString *error);

private:
    QCommandLineOption m_decode;
    QCommandLineOption m_encode;
    QCommandLineOption m_protoPath;
    std::shared_ptr<const PayloadCodec> m_decoder;
    std::shared_ptr<const PayloadCodec> m_encoder;
};

} // namespace wst::cli
