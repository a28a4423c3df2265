#pragma once

#include "FrameHeader.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QString>

#include <functional>

namespace wst {

// One WebSocket frame (RFC 6455 section 5.2) as it crossed the wire: its parsed header, and the
// header's bytes with the first payload bytes as they are kept.
struct FrameInfo : FrameHeader
{
    QByteArray header; // the header bytes exactly as sent (2 to 14)
    QByteArray head; // the first payload bytes, unmasked (HeadBytes; a control frame whole)

    static constexpr int HeadBytes = 64;
    static constexpr int ControlBytes = 125; // control frames are kept whole
    QString opcodeName() const;
    // How the store keeps a frame: the payload is header + head, extra is the header's length.
    QByteArray toStored() const { return header + head; }
    static FrameInfo fromStored(QByteArrayView stored, qint64 headerLength, quint64 length);
};

// Splits a byte stream of one direction into frames, across any chunking. Frames are reported
// when their header is complete and their first bytes (or all of them) have arrived.
class FrameDecoder
{
    Q_DECLARE_TR_FUNCTIONS(FrameDecoder)
public:
    using Sink = std::function<void(const FrameInfo &)>;
    // With record false only the frame boundaries are followed (cheap), and only control frames
    // are reported.
    void feed(QByteArrayView data, bool record, const Sink &sink);
    bool failed() const { return m_failed; }
    // Between two frames: another frame may be written into the stream here.
    bool atBoundary() const { return !m_inPayload && m_header.isEmpty(); }

private:
    QByteArray m_header;
    qsizetype m_headerNeeded = FrameHeader::MinSize;
    quint64 m_payloadLeft = 0;
    quint64 m_payloadSeen = 0;
    FrameInfo m_frame;
    bool m_inPayload = false;
    bool m_reported = false;
    bool m_recordThis = false;
    bool m_failed = false;
};

} // namespace wst
