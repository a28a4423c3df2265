#include "ScenarioReportWriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QXmlStreamWriter>

namespace wst {

namespace {

QString seconds(qint64 ms)
{
    return QString::number(double(ms) / 1000.0, 'f', 3);
}

// XML 1.0 cannot carry most control characters, even escaped: a message may hold them.
QString xmlSafe(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        const ushort u = c.unicode();
        out.append(u < 0x20 && u != 0x9 && u != 0xA && u != 0xD ? QChar(0xFFFD) : c);
    }
    return out;
}

} // namespace

QByteArray ScenarioReportWriter::junit(const QList<ScenarioReport> &reports)
{
    QByteArray out;
    QXmlStreamWriter xml(&out);
    xml.setAutoFormatting(true);
    xml.writeStartDocument();
    int tests = 0;
    int failures = 0;
    int skipped = 0;
    qint64 ms = 0;
    for (const ScenarioReport &r : reports) {
        tests += int(r.steps.size());
        failures += r.count(StepReport::Outcome::Failed);
        skipped += r.count(StepReport::Outcome::Skipped);
        ms += r.durationMs;
    }
    xml.writeStartElement(QStringLiteral("testsuites"));
    xml.writeAttribute(QStringLiteral("name"), QStringLiteral("wstester"));
    xml.writeAttribute(QStringLiteral("tests"), QString::number(tests));
    xml.writeAttribute(QStringLiteral("failures"), QString::number(failures));
    xml.writeAttribute(QStringLiteral("errors"), QStringLiteral("0"));
    xml.writeAttribute(QStringLiteral("skipped"), QString::number(skipped));
    xml.writeAttribute(QStringLiteral("time"), seconds(ms));
    for (const ScenarioReport &r : reports) {
        xml.writeStartElement(QStringLiteral("testsuite"));
        xml.writeAttribute(QStringLiteral("name"), xmlSafe(r.name));
        xml.writeAttribute(QStringLiteral("file"), xmlSafe(r.file));
        xml.writeAttribute(QStringLiteral("tests"), QString::number(r.steps.size()));
        xml.writeAttribute(QStringLiteral("failures"), QString::number(r.count(StepReport::Outcome::Failed)));
        xml.writeAttribute(QStringLiteral("errors"), QStringLiteral("0"));
        xml.writeAttribute(QStringLiteral("skipped"), QString::number(r.count(StepReport::Outcome::Skipped)));
        xml.writeAttribute(QStringLiteral("time"), seconds(r.durationMs));
        for (const StepReport &s : r.steps) {
            xml.writeStartElement(QStringLiteral("testcase"));
            xml.writeAttribute(QStringLiteral("classname"), xmlSafe(r.name));
            xml.writeAttribute(
                QStringLiteral("name"), xmlSafe(QStringLiteral("%1. %2").arg(s.number).arg(s.title)));
            xml.writeAttribute(QStringLiteral("file"), xmlSafe(r.file));
            if (s.line > 0)
                xml.writeAttribute(QStringLiteral("line"), QString::number(s.line));
            xml.writeAttribute(QStringLiteral("time"), seconds(s.durationMs));
            if (s.outcome == StepReport::Outcome::Failed) {
                xml.writeStartElement(QStringLiteral("failure"));
                xml.writeAttribute(QStringLiteral("message"), xmlSafe(s.detail));
                xml.writeAttribute(QStringLiteral("type"), QStringLiteral("AssertionError"));
                QString body = s.detail;
                if (!s.others.isEmpty())
                    body += QLatin1String("\n\n") + s.others.join(QLatin1Char('\n'));
                if (!s.log.isEmpty())
                    body += QLatin1String("\n\n") + s.log.join(QLatin1Char('\n'));
                xml.writeCharacters(xmlSafe(body));
                xml.writeEndElement();
            } else if (s.outcome == StepReport::Outcome::Skipped
                || s.outcome == StepReport::Outcome::Pending) {
                xml.writeEmptyElement(QStringLiteral("skipped"));
            } else if (!s.detail.isEmpty() || !s.log.isEmpty()) {
                xml.writeTextElement(QStringLiteral("system-out"),
                    xmlSafe(QStringList(QStringList { s.detail } + s.log).join(QLatin1Char('\n')).trimmed()));
            }
            xml.writeEndElement();
        }
        xml.writeEndElement();
    }
    xml.writeEndElement();
    xml.writeEndDocument();
    return out;
}

QByteArray ScenarioReportWriter::json(const QList<ScenarioReport> &reports)
{
    QJsonArray scenarios;
    bool all = true;
    for (const ScenarioReport &r : reports) {
        QJsonArray steps;
        for (const StepReport &s : r.steps) {
            steps.append(QJsonObject { { QStringLiteral("number"), s.number },
                { QStringLiteral("line"), s.line }, { QStringLiteral("title"), s.title },
                { QStringLiteral("outcome"), ScenarioReport::outcomeName(s.outcome) },
                { QStringLiteral("durationMs"), s.durationMs }, { QStringLiteral("detail"), s.detail },
                { QStringLiteral("others"), QJsonArray::fromStringList(s.others) },
                { QStringLiteral("log"), QJsonArray::fromStringList(s.log) } });
        }
        all &= r.passed();
        scenarios.append(QJsonObject { { QStringLiteral("file"), r.file }, { QStringLiteral("name"), r.name },
            { QStringLiteral("passed"), r.passed() }, { QStringLiteral("durationMs"), r.durationMs },
            { QStringLiteral("steps"), steps } });
    }
    return QJsonDocument(
        QJsonObject { { QStringLiteral("passed"), all }, { QStringLiteral("scenarios"), scenarios } })
        .toJson(QJsonDocument::Indented);
}

} // namespace wst
