#pragma once

#include "FrameSpec.h"

#include <QCoreApplication>
#include <QString>

#include <functional>

namespace wst {

// Reads the one-line form of a hand-made frame (wstester connect --frame SPEC, the composer's
// spec field). Items are key=value or bare flags, separated by commas; a double-quoted stretch
// of a value keeps commas and spaces and knows \" \\ \n \r \t \xHH. Keys:
//   op=text|binary|cont|close|ping|pong|0-15|0x0-0xf   the opcode (default text)
//   fin=0|1                  FIN of the (last) frame (default 1)
//   rsv1 rsv2 rsv3 [=0|1]    reserved bits, on the first frame; rsv=0-7 sets all three
//   mask=on|off|HEX8         mask with a random key (default), none, or this key
//   payload=[text:]TEXT | hex:HEX | file:PATH | fill:N     the payload (default empty)
//   bad-utf8                 append bytes that are not UTF-8 (0xC0 0xAF, an overlong '/')
//   close[=CODE[:REASON]]    op=close with this code (any 0-65535) and reason (a payload form)
//   len=N | len=+N | len=-N  the declared length: N, or the payload's plus or minus N
//   len64 | len16            force the 64-bit (or 16-bit) length form
//   frag=N                   split the payload into N frames (continuations follow)
//   ping-between[=TEXT]      a ping between fragments
//   bytewise=MS[ms]          write one byte at a time, MS apart
//   gap=MS[ms]               pause between frames
// A problem is one line that names the key ("frame spec: frag: '0' is not 1 to 1000").
class FrameSpecParser
{
    Q_DECLARE_TR_FUNCTIONS(FrameSpecParser)
public:
    // Reads file: payloads; returns false with *error set when it cannot.
    using FileReader = std::function<bool(const QString &path, QByteArray *data, QString *error)>;

    static bool parse(const QString &text, FrameSpec *spec, QString *error);
    static bool parse(const QString &text, FrameSpec *spec, QString *error, const FileReader &readFile);
    static FileReader defaultFileReader();
    static constexpr int MaxFragments = 1000;
    static constexpr qsizetype MaxPayloadBytes = 64 * 1024 * 1024;

private:
    static bool payloadForm(const QString &key, const QString &value, QByteArray *out, QString *error,
        const FileReader &readFile);
};

} // namespace wst
