#pragma once

#include <QCoreApplication>
#include <QString>

class QCommandLineOption;
class QCommandLineParser;

namespace wst::cli {

// The one reader of numeric option values for every subcommand. A value is finite and in its
// range, or the reader returns false with one line for the user that names the option, quotes
// the value (escaped) and gives the range; the command then exits with ExitUsage.
class NumberArgs
{
    Q_DECLARE_TR_FUNCTIONS(NumberArgs)
public:
    // Longest timeout in seconds: its milliseconds must fit a QTimer's int.
    static constexpr double MaxSeconds = 1000000;

    // A whole number from min to max (decimal, an optional sign, no exponent).
    static bool wholeNumber(
        const QString &option, const QString &text, qint64 min, qint64 max, qint64 *value, QString *error);
    // A number of seconds from minSeconds to maxSeconds, returned in whole milliseconds: with
    // minSeconds at least 0.001 a timer that should run never rounds down to 0 ms (not started).
    static bool seconds(const QString &option, const QString &text, double minSeconds, double maxSeconds,
        int *milliseconds, QString *error);

    // The same for a parsed option: its value (or default) and its names ("-t/--timeout").
    static bool wholeNumber(const QCommandLineParser &parser, const QCommandLineOption &option, qint64 min,
        qint64 max, qint64 *value, QString *error);
    static bool seconds(const QCommandLineParser &parser, const QCommandLineOption &option, double minSeconds,
        double maxSeconds, int *milliseconds, QString *error);
    static QString optionName(const QCommandLineOption &option);
};

} // namespace wst::cli
