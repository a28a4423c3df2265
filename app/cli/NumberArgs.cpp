#include "NumberArgs.h"

#include "format/InputText.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QLocale>

#include <cmath>
#include <limits>

namespace wst::cli {

namespace {

QString decimal(double value)
{
    return QString::number(value, 'f', QLocale::FloatingPointShortest);
}

} // namespace

bool NumberArgs::wholeNumber(
    const QString &option, const QString &text, qint64 min, qint64 max, qint64 *value, QString *error)
{
    bool ok = false;
    const qint64 number = text.toLongLong(&ok);
    if (ok && number >= min && number <= max) {
        *value = number;
        return true;
    }
    *error = tr("%1: %2 is not a whole number from %3 to %4.")
                 .arg(option, InputText::quoted(text), QString::number(min), QString::number(max));
    return false;
}

bool NumberArgs::seconds(const QString &option, const QString &text, double minSeconds, double maxSeconds,
    int *milliseconds, QString *error)
{
    Q_ASSERT(maxSeconds * 1000 <= double(std::numeric_limits<int>::max()));
    bool ok = false;
    // toDouble() takes "nan" and "inf": both fail the range check below, as a NaN fails every comparison.
    const double number = text.toDouble(&ok);
    if (ok && std::isfinite(number) && number >= minSeconds && number <= maxSeconds) {
        *milliseconds = int(std::lround(number * 1000));
        return true;
    }
    *error = tr("%1: %2 is not a number of seconds from %3 to %4.")
                 .arg(option, InputText::quoted(text), decimal(minSeconds), decimal(maxSeconds));
    return false;
}

bool NumberArgs::wholeNumber(const QCommandLineParser &parser, const QCommandLineOption &option, qint64 min,
    qint64 max, qint64 *value, QString *error)
{
    return wholeNumber(optionName(option), parser.value(option), min, max, value, error);
}

bool NumberArgs::seconds(const QCommandLineParser &parser, const QCommandLineOption &option,
    double minSeconds, double maxSeconds, int *milliseconds, QString *error)
{
    return seconds(optionName(option), parser.value(option), minSeconds, maxSeconds, milliseconds, error);
}

QString NumberArgs::optionName(const QCommandLineOption &option)
{
    QStringList names;
    for (const QString &name : option.names())
        names.append((name.size() == 1 ? QStringLiteral("-") : QStringLiteral("--")) + name);
    return names.join(QLatin1Char('/'));
}

} // namespace wst::cli
