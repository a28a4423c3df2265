// A client tab's decoder: how the message details read binary payloads, the dialog that
// chooses it, and its place in the tab's saved settings.
#include "ClientTab.h"

#include "ComposerWidget.h"
#include "DecoderDialog.h"
#include "DetailPane.h"
#include "HistoryPane.h"
#include "SavedMessagesSide.h"
#include "compose/PeriodicSender.h"
#include "format/JsonPath.h"
#include "format/PayloadCodec.h"
#include "messages/MessageDocument.h"
#include "messages/MessageLogModel.h"

namespace wst {

namespace {

const QLatin1String DecoderKey("decoder");

} // namespace

bool ClientTab::setDecoder(const DecoderSetting &setting, QString *error)
{
    QString problem;
    const bool changed = setting != m_decoder;
    m_decoder = setting;
    m_codec = setting.isNone() ? nullptr : PayloadCodec::create(setting, &problem);
    m_history->detailPane()->setCodec(m_codec);
    // What is sent as Protobuf (composer, saved messages, periodic send) is encoded with it.
    m_composer->setCodec(m_codec);
    m_saved->setCodec(m_codec);
    m_periodic->setCodec(m_codec);
    // The history's JSON columns, filter expressions, highlight rules and diff read binary
    // messages through the decoder too; text (and what does not decode) as before.
    if (MessageLogModel *log = m_history->logModel()) {
        if (m_codec) {
            log->setDocumentDecoder(
                [codec = m_codec](Direction direction, Kind kind, const QByteArray &payload) {
                    if (kind == Kind::Binary) {
                        const PayloadCodec::Decoded decoded = codec->decode(direction, payload);
                        if (decoded.ok())
                            return JsonPath::parseDocument(decoded.json);
                    }
                    return MessageDocument::fromPayload(kind, payload);
                },
                [codec = m_codec](Direction direction, const QByteArray &payload) {
                    const PayloadCodec::Decoded decoded = codec->decode(direction, payload);
                    return decoded.ok() ? decoded.json : QByteArray();
                });
        } else {
            log->setDocumentDecoder({});
        }
    }
    if (changed)
        Q_EMIT decoderChanged();
    if (error)
        *error = problem;
    return problem.isEmpty();
}

DecoderDialog *ClientTab::editDecoder()
{
    auto *dialog = new DecoderDialog(m_decoder, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { setDecoder(dialog->setting()); });
    dialog->open();
    return dialog;
}

void ClientTab::readDecoderJson(const QJsonObject &settings, QString *problem)
{
    const auto note = [problem](const QString &text) {
        if (!problem->isEmpty())
            problem->append(QLatin1Char('\n'));
        problem->append(text);
    };
    if (!settings.contains(DecoderKey)) {
        setDecoder({});
        return;
    }
    const QJsonValue value = settings.value(DecoderKey);
    QString error;
    std::optional<DecoderSetting> setting;
    if (value.isObject())
        setting = DecoderSetting::fromJson(value.toObject(), &error);
    else
        error = tr("must be an object.");
    if (!setting) {
        // The rest of the settings stand; only the decoder is left out.
        setDecoder({});
        note(tr("“decoder” skipped: %1").arg(error));
        return;
    }
    if (!setDecoder(*setting, &error))
        note(tr("The decoder cannot be used: %1").arg(error));
}

} // namespace wst
