#include "FrameSpec.h"

#include <QStringList>

namespace wst {

quint64 FrameSpec::declaredLength(quint64 actual) const
{
    switch (lengthMode) {
    case LengthMode::Actual:
        return actual;
    case LengthMode::Absolute:
        return lengthValue;
    case LengthMode::Relative:
        // A lie below zero is clamped: a length field cannot be negative.
        return lengthDelta < 0 && quint64(-lengthDelta) > actual ? 0 : actual + lengthDelta;
    }
    return actual;
}

QString FrameSpec::opcodeName(quint8 opcode)
{
    switch (opcode) {
    case 0x0:
        return tr("continuation");
    case 0x1:
        return tr("text");
    case 0x2:
        return tr("binary");
    case 0x8:
        return tr("close");
    case 0x9:
        return tr("ping");
    case 0xA:
        return tr("pong");
    default:
        return tr("reserved opcode 0x%1").arg(QString::number(opcode, 16).toUpper());
    }
}

QString FrameSpec::describe() const
{
    QStringList parts;
    parts << opcodeName(opcode);
    if (closeCode)
        parts << tr("code %1").arg(*closeCode);
    else if (opcode == 0x8 && payload.isEmpty())
        parts << tr("no code");
    if (!fin)
        parts << QStringLiteral("FIN=0");
    for (int bit = 0; bit < 3; ++bit) {
        if (rsv & (4 >> bit))
            parts << QStringLiteral("RSV%1").arg(bit + 1);
    }
    if (!masked)
        parts << tr("unmasked");
    else if (maskKey)
        parts << tr("mask key %1").arg(*maskKey, 8, 16, QLatin1Char('0'));
    parts << (payload.size() == 1 ? tr("1 byte") : tr("%1 bytes").arg(payload.size()));
    if (lengthLies())
        parts << tr("length lies: %1").arg(declaredLength(quint64(payload.size())));
    if (lengthForm == LengthForm::Force64)
        parts << tr("64-bit length");
    else if (lengthForm == LengthForm::Force16)
        parts << tr("16-bit length");
    if (fragments > 1)
        parts << tr("%1 fragments").arg(fragments);
    if (pingBetween)
        parts << tr("ping between fragments");
    if (bytewiseDelayMs >= 0)
        parts << tr("one byte every %1 ms").arg(bytewiseDelayMs);
    if (gapMs > 0)
        parts << tr("%1 ms between frames").arg(gapMs);
    return tr("hand-made frame: %1").arg(parts.join(QStringLiteral(", ")));
}

} // namespace wst
