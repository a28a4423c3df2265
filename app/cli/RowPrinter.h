#pragma once

#include <QByteArray>
#include <QtGlobal>

#include <cstdio>

namespace wst {
class MessageStore;
}

namespace wst::cli {

// Writes history rows to a stream as the headless commands print them: received messages one
// per line (binary as base64 behind a marker), or with --json one object per line for every
// message and event.
class RowPrinter
{
public:
    enum class Format { Plain, Json };
    explicit RowPrinter(Format format, FILE *out = stdout);

    // Prints one row of the store. Returns false when the row is not printed in this format.
    bool print(const MessageStore &store, qint64 index);
    void flush();

    static QByteArray jsonLine(const MessageStore &store, qint64 index);

private:
    Format m_format;
    FILE *m_out;
};

} // namespace wst::cli
