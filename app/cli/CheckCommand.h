#pragma once

#include "check/ServerCheck.h"

#include <QObject>
#include <QStringList>

namespace wst::cli {

// `wstester check URL`: the server conformance check (ServerCheck) as a table, NDJSON or JUnit.
class CheckCommand : public QObject
{
    Q_OBJECT
public:
    explicit CheckCommand(QObject *parent = nullptr);
    // args[0] is the program, args[1] "check". Returns the process exit code.
    int run(const QStringList &args);

    // The JUnit XML of a run (one testsuite; a FAIL is a <failure>, a lenient case passes with
    // a note in <system-out>).
    static QByteArray junit(const QString &url, const QList<ServerCheck::Result> &results);
    static QByteArray jsonLine(const ServerCheck::Result &result);
};

} // namespace wst::cli
