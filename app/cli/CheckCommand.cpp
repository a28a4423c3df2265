#include "CheckCommand.h"

#include "Cli.h"
#include "NumberArgs.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QXmlStreamWriter>

namespace wst::cli {

namespace {

void error(const QString &message)
{
    printError("check", message);
}

QString cell(const QString &text, int width)
{
    return text.size() > width ? text.left(width - 1) + QChar(0x2026) : text.leftJustified(width);
}

QString verdictKey(ServerCheck::Verdict verdict)
{
    switch (verdict) {
    case ServerCheck::Verdict::Pass:
        return QStringLiteral("pass");
    case ServerCheck::Verdict::Lenient:
        return QStringLiteral("lenient");
    case ServerCheck::Verdict::Fail:
        break;
    case ServerCheck::Verdict::Skipped:
        return QStringLiteral("skipped");
    }
    return QStringLiteral("fail");
}

} // namespace

CheckCommand::CheckCommand(QObject *parent)
    : QObject(parent)
{
}

QByteArray CheckCommand::jsonLine(const ServerCheck::Result &r)
{
    const QJsonObject o { { QStringLiteral("id"), r.testCase.id },
        { QStringLiteral("group"), CheckCase::groupName(r.testCase.id) },
        { QStringLiteral("case"), r.testCase.title }, { QStringLiteral("rfc"), r.testCase.rfc },
        { QStringLiteral("verdict"), verdictKey(r.verdict) }, { QStringLiteral("outcome"), r.outcome },
        { QStringLiteral("ms"), r.elapsedMs } };
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray CheckCommand::junit(const QString &url, const QList<ServerCheck::Result> &results)
{
    QByteArray out;
    QXmlStreamWriter xml(&out);
    xml.setAutoFormatting(true);
    xml.writeStartDocument();
    const ServerCheck::Counts counts = ServerCheck::count(results);
    qint64 totalMs = 0;
    for (const ServerCheck::Result &r : results)
        totalMs += r.elapsedMs;
    xml.writeStartElement(QStringLiteral("testsuites"));
    xml.writeStartElement(QStringLiteral("testsuite"));
    xml.writeAttribute(QStringLiteral("name"), QStringLiteral("wstester check ") + url);
    xml.writeAttribute(QStringLiteral("tests"), QString::number(results.size()));
    xml.writeAttribute(QStringLiteral("failures"), QString::number(counts.fail));
    xml.writeAttribute(QStringLiteral("errors"), QStringLiteral("0"));
    xml.writeAttribute(QStringLiteral("skipped"), QString::number(counts.skipped));
    xml.writeAttribute(QStringLiteral("time"), QString::number(totalMs / 1000.0, 'f', 3));
    for (const ServerCheck::Result &r : results) {
        xml.writeStartElement(QStringLiteral("testcase"));
        xml.writeAttribute(QStringLiteral("classname"), CheckCase::groupName(r.testCase.id));
        xml.writeAttribute(QStringLiteral("name"), r.testCase.id + QLatin1Char(' ') + r.testCase.title);
        xml.writeAttribute(QStringLiteral("time"), QString::number(r.elapsedMs / 1000.0, 'f', 3));
        if (r.verdict == ServerCheck::Verdict::Fail) {
            xml.writeStartElement(QStringLiteral("failure"));
            xml.writeAttribute(QStringLiteral("message"), r.outcome);
            xml.writeCharacters(tr("RFC 6455: %1\nThe server: %2").arg(r.testCase.rfc, r.outcome));
            xml.writeEndElement();
        } else if (r.verdict == ServerCheck::Verdict::Skipped) {
            xml.writeStartElement(QStringLiteral("skipped"));
            xml.writeAttribute(QStringLiteral("message"), r.outcome);
            xml.writeEndElement();
        } else {
            xml.writeTextElement(QStringLiteral("system-out"),
                tr("%1: %2 (RFC 6455: %3)")
                    .arg(ServerCheck::verdictName(r.verdict), r.outcome, r.testCase.rfc));
        }
        xml.writeEndElement();
    }
    xml.writeEndElement();
    xml.writeEndElement();
    xml.writeEndDocument();
    return out;
}

int CheckCommand::run(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Checks how a WebSocket echo server keeps RFC 6455: sends hand-made frames (cases modelled on\n"
           "the Autobahn test suite's groups: framing, ping/pong, reserved bits, opcodes, fragmentation,\n"
           "UTF-8, close codes, limits, compression), one fresh connection a case, and reports per case\n"
           "what the RFC requires and what the server did. “pass”: as required; “lenient”: allowed but\n"
           "not the recommended way (it dropped TCP instead of sending Close 1002, or closed with another\n"
           "code); “FAIL”: against the RFC; “skipped”: the server declined what the case needs\n"
           "(permessage-deflate, RFC 7692). The server must echo text and binary messages.\n"
           "Exit code 0 when no case fails (--strict: and none is lenient), 1 when one does, 3 when\n"
           "the server cannot be reached."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("url"), tr("The server (ws:// or wss://)."));
    const QCommandLineOption timeoutOption({ QStringLiteral("t"), QStringLiteral("timeout") },
        tr("How long to wait for the server's answer to a case (default 2)."), tr("seconds"),
        QStringLiteral("2"));
    const QCommandLineOption onlyOption(QStringLiteral("only"),
        tr("Run only these cases or groups (comma-separated, e.g. 3,7.4; repeatable)."), tr("ids"));
    const QCommandLineOption jsonOption(
        QStringLiteral("json"), tr("Print one JSON object per case, then a summary."));
    const QCommandLineOption junitOption(
        QStringLiteral("junit"), tr("Also write the results as JUnit XML to this file."), tr("file"));
    const QCommandLineOption strictOption(QStringLiteral("strict"), tr("Count lenient cases as failures."));
    const QCommandLineOption insecureOption(
        { QStringLiteral("k"), QStringLiteral("insecure") }, tr("Accept any TLS certificate (wss://)."));
    const QCommandLineOption listOption(QStringLiteral("list"), tr("List the cases and exit."));
    parser.addOptions(
        { timeoutOption, onlyOption, jsonOption, junitOption, strictOption, insecureOption, listOption });
    if (const int exit = parseCommandLine(parser, args, "check"); exit >= 0)
        return exit;

    ServerCheck::Options options;
    for (const QString &value : parser.values(onlyOption)) {
        for (const QString &id : value.split(QLatin1Char(','), Qt::SkipEmptyParts))
            options.only << id.trimmed();
    }
    const QList<CheckCase> cases = ServerCheck::selectCases(options.only);
    if (cases.isEmpty()) {
        error(tr("--only: no case has the id %1 (see --list)").arg(options.only.join(QLatin1Char(','))));
        return ExitUsage;
    }
    if (parser.isSet(listOption)) {
        for (const CheckCase &c : cases) {
            fprintf(stdout, "%s\n",
                qPrintable(cell(c.id, 6) + cell(CheckCase::groupName(c.id), 15) + cell(c.title, 48) + c.rfc));
        }
        return ExitOk;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) {
        error(tr("give one URL (ws://host:port/path)."));
        return ExitUsage;
    }
    options.url = QUrl(positional.first(), QUrl::StrictMode);
    if (!options.url.isValid() || options.url.host().isEmpty()
        || (options.url.scheme() != QLatin1String("ws") && options.url.scheme() != QLatin1String("wss"))) {
        error(tr("'%1' is not a ws:// or wss:// URL.").arg(positional.first()));
        return ExitUsage;
    }
    QString problem;
    if (!NumberArgs::seconds(parser, timeoutOption, 0.05, 600, &options.timeoutMs, &problem)) {
        error(problem);
        return ExitUsage;
    }
    options.ignoreSslErrors = parser.isSet(insecureOption);
    const bool json = parser.isSet(jsonOption);
    const bool strict = parser.isSet(strictOption);

    ServerCheck check;
    QEventLoop loop;
    int exitCode = ExitOk;
    QString lastGroup;
    connect(&check, &ServerCheck::caseFinished, &loop, [&](const ServerCheck::Result &r) {
        if (!r.reached && check.results().size() == 1) {
            error(tr("cannot check %1: %2").arg(options.url.toString(), r.outcome));
            exitCode = ExitConnectionFailed;
            loop.quit();
            return;
        }
        if (json) {
            fprintf(stdout, "%s\n", jsonLine(r).constData());
        } else {
            const QString group = CheckCase::groupName(r.testCase.id);
            if (group != lastGroup) {
                lastGroup = group;
                fprintf(stdout, "%s%s\n", check.results().size() > 1 ? "\n" : "", qPrintable(group));
            }
            fprintf(stdout, "  %s\n",
                qPrintable(cell(r.testCase.id, 6) + cell(ServerCheck::verdictName(r.verdict), 9)
                    + cell(r.testCase.title, 46) + cell(r.outcome, 40) + r.testCase.rfc));
        }
        fflush(stdout);
    });
    connect(&check, &ServerCheck::finished, &loop, &QEventLoop::quit);
    if (!json) {
        fprintf(stdout, "%s\n",
            qPrintable(QStringLiteral("  ") + cell(tr("case"), 6) + cell(tr("verdict"), 9)
                + cell(tr("sent"), 46) + cell(tr("the server"), 40) + tr("RFC 6455 requires")));
    }
    check.start(options);
    loop.exec();
    if (exitCode != ExitOk)
        return exitCode;

    const ServerCheck::Counts counts = ServerCheck::count(check.results());
    if (json) {
        const QJsonObject summary { { QStringLiteral("summary"),
            QJsonObject { { QStringLiteral("url"), options.url.toString() },
                { QStringLiteral("cases"), int(check.results().size()) },
                { QStringLiteral("pass"), counts.pass }, { QStringLiteral("lenient"), counts.lenient },
                { QStringLiteral("fail"), counts.fail }, { QStringLiteral("skipped"), counts.skipped } } } };
        fprintf(stdout, "%s\n", QJsonDocument(summary).toJson(QJsonDocument::Compact).constData());
    } else {
        fprintf(stdout, "\n%s\n", qPrintable(ServerCheck::summary(check.results())));
    }
    if (parser.isSet(junitOption)) {
        QFile file(parser.value(junitOption));
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)
            || file.write(junit(options.url.toString(), check.results())) < 0) {
            error(tr("cannot write %1: %2").arg(file.fileName(), file.errorString()));
            return ExitFailure;
        }
    }
    return counts.fail > 0 || (strict && counts.lenient > 0) ? ExitFailure : ExitOk;
}

} // namespace wst::cli
