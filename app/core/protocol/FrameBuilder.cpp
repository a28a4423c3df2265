#include "FrameBuilder.h"

#include <QRandomGenerator>
#include <QtEndian>

namespace wst {

namespace {
quint32 systemRandomKey()
{
    return QRandomGenerator::system()->generate();
}
} // namespace

QByteArray FrameBuilder::Plan::bytes() const
{
    QByteArray all;
    for (const Chunk &chunk : chunks)
        all += chunk.bytes;
    return all;
}

FrameBuilder::Frame FrameBuilder::frame(quint8 opcode, bool fin, quint8 rsv, bool masked, quint32 key,
    const QByteArray &payload, quint64 declaredLength, FrameSpec::LengthForm form)
{
    Frame f;
    QByteArray header;
    header.append(char((fin ? 0x80 : 0) | ((rsv & 0x7) << 4) | (opcode & 0x0f)));
    const char maskBit = masked ? char(0x80) : char(0);
    // A 16-bit form cannot hold more than 0xffff: the longer form is used then.
    if (form == FrameSpec::LengthForm::Force64 || declaredLength > 0xffff) {
        header.append(char(maskBit | 127));
        char be[8];
        qToBigEndian<quint64>(declaredLength, be);
        header.append(be, 8);
    } else if (form == FrameSpec::LengthForm::Force16 || declaredLength >= 126) {
        header.append(char(maskBit | 126));
        char be[2];
        qToBigEndian<quint16>(quint16(declaredLength), be);
        header.append(be, 2);
    } else {
        header.append(char(maskBit | char(declaredLength)));
    }
    QByteArray body = payload;
    if (masked) {
        char be[4];
        qToBigEndian<quint32>(key, be);
        header.append(be, 4);
        for (qsizetype i = 0; i < body.size(); ++i)
            body[i] = char(body[i] ^ be[i & 3]);
    }
    FrameHeader::parse(header, &f.info);
    f.info.header = header;
    f.info.head = payload.left(isControl(Opcode(opcode)) ? FrameInfo::ControlBytes : FrameInfo::HeadBytes);
    f.bytes = header + body;
    return f;
}

FrameBuilder::Plan FrameBuilder::build(const FrameSpec &spec)
{
    return build(spec, &systemRandomKey);
}

FrameBuilder::Plan FrameBuilder::build(const FrameSpec &spec, quint32 (*randomKey)())
{
    Plan plan;
    const int count = qMax(1, spec.fragments);
    const qsizetype size = spec.payload.size();
    auto key = [&spec, randomKey] { return spec.maskKey ? *spec.maskKey : randomKey(); };
    auto add = [&plan, &spec](const Frame &f, bool first) {
        const int index = int(plan.frames.size());
        plan.frames.append(f);
        const int pause = first ? 0 : spec.gapMs;
        if (spec.bytewiseDelayMs < 0) {
            plan.chunks.append({ f.bytes, pause, index });
            return;
        }
        for (qsizetype i = 0; i < f.bytes.size(); ++i) {
            const int delay = i == 0 ? (first ? 0 : qMax(pause, spec.bytewiseDelayMs)) : spec.bytewiseDelayMs;
            plan.chunks.append({ f.bytes.mid(i, 1), delay, i == 0 ? index : -1 });
        }
    };
    for (int i = 0; i < count; ++i) {
        // Fragments share the payload as evenly as it goes; the first ones take the remainder.
        const qsizetype from = size * i / count;
        const qsizetype to = size * (i + 1) / count;
        const QByteArray piece = spec.payload.mid(from, to - from);
        const bool last = i == count - 1;
        const quint8 opcode = i == 0 ? spec.opcode : quint8(0x0);
        const quint8 rsv = i == 0 ? spec.rsv : quint8(0);
        add(frame(opcode, last ? spec.fin : false, rsv, spec.masked, key(), piece,
                spec.declaredLength(quint64(piece.size())), spec.lengthForm),
            i == 0);
        if (!last && spec.pingBetween) {
            add(frame(0x9, true, 0, spec.masked, key(), spec.pingPayload, quint64(spec.pingPayload.size()),
                    FrameSpec::LengthForm::Shortest),
                false);
        }
    }
    return plan;
}

} // namespace wst
