#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <optional>

namespace wst {

// A hand-made frame (or message, when split into fragments) as the user asked for it, for
// testing how a server copes with what a well-behaved client never sends. FrameBuilder makes the
// exact bytes; FrameSpecParser reads the CLI's one-line form (docs in FrameSpecParser.h).
struct FrameSpec
{
    Q_DECLARE_TR_FUNCTIONS(FrameSpec)
public:
    enum class LengthMode { Actual, Absolute, Relative };
    enum class LengthForm { Shortest, Force16, Force64 };

    quint8 opcode = 0x1; // 0-15, reserved values included
    bool fin = true; // of the last fragment
    quint8 rsv = 0; // RSV1..RSV3 as bits 2..0 (4 = RSV1), on the first fragment
    bool masked = true;
    std::optional<quint32> maskKey; // none: a random key per frame
    QByteArray payload;
    std::optional<int> closeCode; // set when the payload starts with a close code (op=close)
    LengthMode lengthMode = LengthMode::Actual;
    qint64 lengthDelta = 0; // LengthMode::Relative
    quint64 lengthValue = 0; // LengthMode::Absolute
    LengthForm lengthForm = LengthForm::Shortest;
    int fragments = 1;
    bool pingBetween = false;
    QByteArray pingPayload;
    int bytewiseDelayMs = -1; // -1: the frames go out in one write
    int gapMs = 0; // a pause between the frames (fragments, pings)

    // The length the first frame's header declares (the payload's when it does not lie).
    quint64 declaredLength(quint64 actual) const;
    bool lengthLies() const { return lengthMode != LengthMode::Actual; }
    // One line for the history: "hand-made frame: text, FIN=0, RSV1, 12 bytes, length lies: 15".
    QString describe() const;
    static QString opcodeName(quint8 opcode);
};

} // namespace wst
