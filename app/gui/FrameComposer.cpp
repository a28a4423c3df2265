#include "FrameComposer.h"

#include "Dialogs.h"
#include "GuiHelpers.h"
#include "connection/ClientConnection.h"
#include "protocol/FrameSpec.h"
#include "protocol/FrameSpecParser.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace wst {

using gui::describe;

namespace {

enum PayloadForm { TextForm, HexForm, FileForm };
enum LengthMode { TrueLength, Longer, Shorter, Exactly };

// A value as the spec line needs it: quoted when a comma, quote, backslash or edge space would
// otherwise be read as syntax.
QString quoted(const QString &value)
{
    if (!value.contains(QLatin1Char(',')) && !value.contains(QLatin1Char('"'))
        && !value.contains(QLatin1Char('\\')) && value.trimmed() == value)
        return value;
    QString out = value;
    out.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('"'), QLatin1String("\\\""));
    return QLatin1Char('"') + out + QLatin1Char('"');
}

} // namespace

FrameComposer::FrameComposer(ClientConnection *connection, QWidget *parent)
    : QWidget(parent)
    , m_connection(connection)
    , m_opcode(new QComboBox(this))
    , m_fin(new QCheckBox(this))
    , m_mask(new QCheckBox(this))
    , m_maskKey(new QLineEdit(this))
    , m_payloadForm(new QComboBox(this))
    , m_payload(new QLineEdit(this))
    , m_closeCode(new QSpinBox(this))
    , m_badUtf8(new QCheckBox(this))
    , m_lengthMode(new QComboBox(this))
    , m_lengthValue(new QSpinBox(this))
    , m_len64(new QCheckBox(this))
    , m_fragments(new QSpinBox(this))
    , m_pingBetween(new QCheckBox(this))
    , m_bytewise(new QSpinBox(this))
    , m_spec(new QLineEdit(this))
    , m_send(new QPushButton(this))
    , m_error(gui::makeErrorLabel(QStringLiteral("frameComposerError"), this))
{
    setObjectName(QStringLiteral("frameComposer"));
    for (int op : { 1, 2, 0, 8, 9, 10, 3, 4, 5, 6, 7, 11, 12, 13, 14, 15 })
        m_opcode->addItem(QString(), op);
    for (int i = 0; i < 3; ++i) {
        m_rsv[i] = new QCheckBox(QStringLiteral("RSV%1").arg(i + 1), this);
        describe(m_rsv[i], QStringLiteral("frameRsv%1Check").arg(i + 1), QStringLiteral("RSV%1").arg(i + 1),
            QString());
    }
    for (int i = 0; i < 6; ++i)
        m_labels[i] = new QLabel(this);
    m_labels[0]->setBuddy(m_opcode);
    m_labels[1]->setBuddy(m_payload);
    m_labels[2]->setBuddy(m_closeCode);
    m_labels[3]->setBuddy(m_lengthMode);
    m_labels[4]->setBuddy(m_fragments);
    m_labels[5]->setBuddy(m_bytewise);
    m_fin->setChecked(true);
    m_mask->setChecked(true);
    m_maskKey->setMaxLength(8);
    for (int i = 0; i < 3; ++i)
        m_payloadForm->addItem(QString());
    for (int i = 0; i < 4; ++i)
        m_lengthMode->addItem(QString());
    m_closeCode->setRange(-1, 65535);
    m_closeCode->setValue(1000);
    m_lengthValue->setRange(0, 1 << 30);
    m_fragments->setRange(1, FrameSpecParser::MaxFragments);
    m_bytewise->setRange(-1, 60000);
    m_bytewise->setValue(-1);

    auto *grid = new QGridLayout;
    grid->setContentsMargins(0, 0, 0, 0);
    // A row of controls: `wide` takes the spare room, or else a stretch at the end does.
    const auto row = [](std::initializer_list<QWidget *> widgets, QWidget *wide = nullptr) {
        auto *line = new QHBoxLayout;
        for (QWidget *w : widgets)
            line->addWidget(w, w == wide ? 1 : 0);
        if (!wide)
            line->addStretch(1);
        return line;
    };
    grid->addWidget(m_labels[0], 0, 0);
    grid->addLayout(row({ m_opcode, m_fin, m_rsv[0], m_rsv[1], m_rsv[2], m_mask, m_maskKey }), 0, 1, 1, 3);
    grid->addWidget(m_labels[1], 1, 0);
    grid->addLayout(
        row({ m_payloadForm, m_payload, m_badUtf8, m_labels[2], m_closeCode }, m_payload), 1, 1, 1, 3);
    grid->addWidget(m_labels[3], 2, 0);
    grid->addLayout(row({ m_lengthMode, m_lengthValue, m_len64, m_labels[4], m_fragments, m_pingBetween,
                        m_labels[5], m_bytewise }),
        2, 1, 1, 3);
    grid->addLayout(row({ m_spec, m_send }, m_spec), 3, 0, 1, 4);
    grid->addWidget(m_error, 4, 0, 1, 4);
    grid->setColumnStretch(1, 1);
    setLayout(grid);

    const auto changed = [this] { updateSpec(); };
    for (QComboBox *c : { m_opcode, m_payloadForm, m_lengthMode })
        connect(c, &QComboBox::currentIndexChanged, this, changed);
    for (QCheckBox *c : { m_fin, m_rsv[0], m_rsv[1], m_rsv[2], m_mask, m_badUtf8, m_len64, m_pingBetween })
        connect(c, &QCheckBox::toggled, this, changed);
    for (QLineEdit *e : { m_maskKey, m_payload })
        connect(e, &QLineEdit::textEdited, this, changed);
    for (QSpinBox *s : { m_closeCode, m_lengthValue, m_fragments, m_bytewise })
        connect(s, &QSpinBox::valueChanged, this, changed);
    connect(m_spec, &QLineEdit::returnPressed, this, &FrameComposer::send);
    connect(
        m_spec, &QLineEdit::textEdited, this, [this] { gui::setInlineError(m_error, QString(), m_spec); });
    connect(m_send, &QPushButton::clicked, this, &FrameComposer::send);
    retranslateUi();
    updateSpec();
}

QString FrameComposer::specText() const
{
    return m_spec->text();
}

QString FrameComposer::specFromFields() const
{
    QStringList parts;
    const int op = m_opcode->currentData().toInt();
    const bool close = op == 8;
    static const char *const names[] = { "cont", "text", "binary" };
    if (op <= 2)
        parts << QStringLiteral("op=") + QLatin1String(names[op]);
    else if (op >= 8 && op <= 10)
        parts << QStringLiteral("op=")
                + (op == 8        ? QStringLiteral("close")
                        : op == 9 ? QStringLiteral("ping")
                                  : QStringLiteral("pong"));
    else
        parts << QStringLiteral("op=%1").arg(op);
    if (!m_fin->isChecked())
        parts << QStringLiteral("fin=0");
    for (int i = 0; i < 3; ++i) {
        if (m_rsv[i]->isChecked())
            parts << QStringLiteral("rsv%1").arg(i + 1);
    }
    if (!m_mask->isChecked())
        parts << QStringLiteral("mask=off");
    else if (!m_maskKey->text().isEmpty())
        parts << QStringLiteral("mask=") + m_maskKey->text();
    QString payload;
    const QString text = m_payload->text();
    switch (m_payloadForm->currentIndex()) {
    case TextForm:
        payload = text.isEmpty()
            ? QString()
            : (text.contains(QLatin1Char(':')) ? QStringLiteral("text:") : QString()) + quoted(text);
        break;
    case HexForm:
        payload = QStringLiteral("hex:") + text;
        break;
    case FileForm:
        payload = QStringLiteral("file:") + quoted(text);
        break;
    }
    if (close && m_closeCode->value() >= 0)
        parts[0] = QStringLiteral("close=%1").arg(m_closeCode->value())
            + (payload.isEmpty() ? QString() : QLatin1Char(':') + payload);
    else if (!payload.isEmpty())
        parts << QStringLiteral("payload=") + payload;
    if (m_badUtf8->isChecked())
        parts << QStringLiteral("bad-utf8");
    switch (m_lengthMode->currentIndex()) {
    case Longer:
        parts << QStringLiteral("len=+%1").arg(m_lengthValue->value());
        break;
    case Shorter:
        parts << QStringLiteral("len=-%1").arg(m_lengthValue->value());
        break;
    case Exactly:
        parts << QStringLiteral("len=%1").arg(m_lengthValue->value());
        break;
    default:
        break;
    }
    if (m_len64->isChecked())
        parts << QStringLiteral("len64");
    if (m_fragments->value() > 1)
        parts << QStringLiteral("frag=%1").arg(m_fragments->value());
    if (m_pingBetween->isChecked())
        parts << QStringLiteral("ping-between");
    if (m_bytewise->value() >= 0)
        parts << QStringLiteral("bytewise=%1ms").arg(m_bytewise->value());
    return parts.join(QLatin1Char(','));
}

void FrameComposer::updateSpec()
{
    updateEnabled();
    m_spec->setText(specFromFields());
    gui::setInlineError(m_error, QString(), m_spec);
}

void FrameComposer::updateEnabled()
{
    m_closeCode->setEnabled(m_opcode->currentData().toInt() == 8);
    m_maskKey->setEnabled(m_mask->isChecked());
    m_lengthValue->setEnabled(m_lengthMode->currentIndex() != TrueLength);
    m_pingBetween->setEnabled(m_fragments->value() > 1);
}

bool FrameComposer::send()
{
    FrameSpec spec;
    QString problem;
    if (!FrameSpecParser::parse(m_spec->text(), &spec, &problem)) {
        gui::setInlineError(m_error, problem, m_spec);
        return false;
    }
    if (m_connection->state() != ClientConnection::State::Open) {
        gui::setInlineError(m_error, tr("Not sent: the connection is not open."), m_spec);
        return false;
    }
    if (!m_warned) {
        const auto answer = Dialogs::question(this, tr("Send a hand-made frame"),
            tr("A hand-made frame goes straight to the server, past the WebSocket client. A frame that "
               "breaks "
               "RFC 6455 is meant to make the server close the connection (or leave it waiting), and the "
               "history may then show what the client did not send itself.\n\nSend it?"));
        if (answer != QMessageBox::Yes)
            return false;
        m_warned = true;
    }
    gui::setInlineError(m_error, QString(), m_spec);
    Q_EMIT aboutToSend();
    m_connection->sendFrame(spec);
    return true;
}

void FrameComposer::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void FrameComposer::retranslateUi()
{
    for (int i = 0; i < m_opcode->count(); ++i) {
        const int op = m_opcode->itemData(i).toInt();
        m_opcode->setItemText(i, QStringLiteral("%1 %2").arg(op).arg(FrameSpec::opcodeName(quint8(op))));
    }
    describe(m_opcode, QStringLiteral("frameOpcodeCombo"), tr("Opcode"),
        tr("The frame's opcode, reserved ones (3-7, 11-15) included"));
    describe(m_fin, QStringLiteral("frameFinCheck"), tr("FIN"),
        tr("The final-fragment bit (of the last fragment when the message is split)"));
    for (int i = 0; i < 3; ++i)
        m_rsv[i]->setToolTip(
            tr("Reserved bit %1, on the first frame: without an extension a server must close with 1002")
                .arg(i + 1));
    describe(m_mask, QStringLiteral("frameMaskCheck"), tr("Mask"),
        tr("Mask the payload, as a client must (a server must close on an unmasked frame)"));
    describe(m_maskKey, QStringLiteral("frameMaskKeyEdit"), tr("Mask key"),
        tr("The 4-byte mask key in hex (8 digits); empty: a random key per frame"));
    m_maskKey->setPlaceholderText(tr("random key"));
    m_payloadForm->setItemText(TextForm, tr("Text"));
    m_payloadForm->setItemText(HexForm, tr("Hex"));
    m_payloadForm->setItemText(FileForm, tr("File"));
    describe(m_payloadForm, QStringLiteral("framePayloadFormCombo"), tr("Payload form"),
        tr("How the payload field is read: UTF-8 text, hex bytes (ff fe 00) or a file's path"));
    describe(m_payload, QStringLiteral("framePayloadEdit"), tr("Payload"),
        tr("The payload (for a close frame: the reason, any bytes, invalid UTF-8 included)"));
    describe(m_badUtf8, QStringLiteral("frameBadUtf8Check"), tr("Invalid UTF-8"),
        tr("Append two bytes that are not UTF-8 (C0 AF): a server must close a text message with 1007"));
    m_badUtf8->setText(tr("Invalid UTF-8"));
    describe(m_closeCode, QStringLiteral("frameCloseCodeSpin"), tr("Close code"),
        tr("The close frame's code, any of 0-65535 (1005, 1006 and 65535 included); \u201cno code\u201d "
           "sends an "
           "empty close frame"));
    m_closeCode->setSpecialValueText(tr("no code"));
    m_lengthMode->setItemText(TrueLength, tr("True length"));
    m_lengthMode->setItemText(Longer, tr("Longer by"));
    m_lengthMode->setItemText(Shorter, tr("Shorter by"));
    m_lengthMode->setItemText(Exactly, tr("Declared as"));
    describe(m_lengthMode, QStringLiteral("frameLengthModeCombo"), tr("Length field"),
        tr("Make the length field lie: longer or shorter than the payload by N bytes, or exactly N"));
    describe(m_lengthValue, QStringLiteral("frameLengthSpin"), tr("Length lie"), tr("N bytes"));
    describe(m_len64, QStringLiteral("frameLen64Check"), tr("64-bit length"),
        tr("Write the length in the 64-bit form even when it is small (RFC 6455 asks for the shortest)"));
    m_len64->setText(tr("64-bit length"));
    describe(m_fragments, QStringLiteral("frameFragmentsSpin"), tr("Fragments"),
        tr("Split the payload into this many frames (continuation frames follow the first)"));
    describe(m_pingBetween, QStringLiteral("framePingBetweenCheck"), tr("Ping between fragments"),
        tr("Send a ping between the fragments (allowed by RFC 6455)"));
    m_pingBetween->setText(tr("Ping between"));
    describe(m_bytewise, QStringLiteral("frameBytewiseSpin"), tr("Byte at a time"),
        tr("Write the frames one byte at a time, this many ms apart; “all at once” writes them "
           "together"));
    m_bytewise->setSpecialValueText(tr("all at once"));
    m_bytewise->setSuffix(tr(" ms"));
    describe(m_spec, QStringLiteral("frameSpecEdit"), tr("Frame spec"),
        tr("The frame as one line (the form of wstester connect --frame): written by the fields above, "
           "and can be typed; Send sends what it says"));
    describe(m_send, QStringLiteral("sendFrameButton"), tr("Send frame"),
        tr("Send the hand-made frame straight to the server (through the wire relay)"));
    m_send->setText(tr("Send &frame"));
    m_fin->setText(tr("FIN"));
    m_mask->setText(tr("Mask"));
    m_labels[0]->setText(tr("Frame:"));
    m_labels[1]->setText(tr("Payload:"));
    m_labels[2]->setText(tr("Close code:"));
    m_labels[3]->setText(tr("Length:"));
    m_labels[4]->setText(tr("Fragments:"));
    m_labels[5]->setText(tr("Bytewise:"));
    setAccessibleName(tr("Frame composer"));
    setToolTip(QString());
}

} // namespace wst
