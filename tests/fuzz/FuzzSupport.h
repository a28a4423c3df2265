#pragma once

// What the fuzz targets share: one QCoreApplication for the parsers that load Qt's SQLite
// plugin or translate, Qt's warnings kept off the fuzzer's output, and a way to cut an input
// into the chunks a socket would deliver.
#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QList>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace wst::fuzz {

// Garbage makes the parsers warn on every input; the warnings would drown libFuzzer's own
// lines and slow it down. A qFatal still aborts, so that libFuzzer sees it as a crash.
inline void quietMessages(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (type == QtFatalMsg) {
        fprintf(stderr, "qFatal: %s\n", qPrintable(message));
        abort();
    }
}

// Created once, before the first input, and kept: libFuzzer runs every input in this process.
inline void ensureApplication()
{
    static int argc = 1;
    static char name[] = "wst-fuzz";
    static char *argv[] = { name, nullptr };
    qInstallMessageHandler(quietMessages);
    if (!QCoreApplication::instance())
        new QCoreApplication(argc, argv);
}

// The first byte chooses how the rest is cut (1 to 256 bytes a piece), so that one input
// exercises a parser across chunk boundaries as a TCP stream does.
inline QList<QByteArrayView> chunks(const uint8_t *data, size_t size, QByteArrayView *rest = nullptr)
{
    QList<QByteArrayView> out;
    if (size == 0)
        return out;
    const size_t piece = size_t(data[0]) + 1;
    const QByteArrayView all(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    if (rest)
        *rest = all;
    for (qsizetype at = 0; at < all.size(); at += qsizetype(piece))
        out.append(all.sliced(at, qMin<qsizetype>(qsizetype(piece), all.size() - at)));
    return out;
}

} // namespace wst::fuzz
