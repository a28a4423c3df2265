#include "SessionCommand.h"

#include "Cli.h"
#include "NumberArgs.h"
#include "format/InputText.h"
#include "session/HarImport.h"
#include "session/RowJson.h"
#include "session/SessionExport.h"
#include "session/SessionReader.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <limits>

namespace wst::cli {

namespace {

QString isoTime(qint64 us)
{
    QByteArray out;
    RowJson::appendIsoTime(out, us);
    return QString::fromLatin1(out);
}

QString seconds(qint64 us)
{
    return QString::number(double(us) / 1e6, 'f', 3);
}

// The one positional argument (FILE); otherwise an error and ExitUsage in *exit.
bool onePositional(
    const QCommandLineParser &parser, const char *command, const QString &what, QString *file, int *exit)
{
    const QStringList positional = parser.positionalArguments();
    if (positional.size() == 1) {
        *file = positional.first();
        return true;
    }
    printError(command,
        positional.isEmpty() ? SessionCommand::tr("missing %1.").arg(what)
                             : SessionCommand::tr("unexpected argument \u201c%1\u201d.")
                                   .arg(InputText::escaped(positional.at(1))));
    *exit = ExitUsage;
    return false;
}

} // namespace

SessionCommand::SessionCommand(QObject *parent)
    : QObject(parent)
{
}

int SessionCommand::run(const QStringList &args)
{
    const QString sub = args.value(2);
    // From here on args[1] is the subcommand, as parseCommandLine() expects.
    QStringList subArgs = args;
    subArgs.removeAt(1);
    if (sub == QLatin1StringView("info"))
        return info(subArgs);
    if (sub == QLatin1StringView("export"))
        return exportSession(subArgs);
    if (sub == QLatin1StringView("import-har"))
        return importHar(subArgs);
    const QString help
        = tr("Usage: wstester session <command> [options]\n"
             "\n"
             "Commands:\n"
             "  info FILE                         what a session file holds: tabs, counts, times\n"
             "  export FILE --format FORMAT       write it as har, ndjson, csv, json, k6 or artillery\n"
             "  import-har FILE.har -o OUT        make a session file from a HAR (Chrome DevTools)\n"
             "\n"
             "\u201cwstester session <command> --help\u201d describes a command's options.\n");
    if (sub.isEmpty() || sub == QLatin1StringView("-h") || sub == QLatin1StringView("--help")
        || sub == QLatin1StringView("help")) {
        fputs(qPrintable(help), sub.isEmpty() ? stderr : stdout);
        return sub.isEmpty() ? ExitUsage : ExitOk;
    }
    printError("session",
        tr("\u201c%1\u201d is not a session command (info, export, import-har).")
            .arg(InputText::escaped(sub)));
    return ExitUsage;
}

int SessionCommand::info(const QStringList &args)
{
    const char *command = "session info";
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Shows what a session file holds: its name, when it was created, its format\n"
           "version, whether secrets were saved, and for each tab its kind, title, URL,\n"
           "message counts and time span."));
    parser.addHelpOption();
    const QCommandLineOption jsonOption(QStringLiteral("json"), tr("Print one JSON object."));
    parser.addOption(jsonOption);
    parser.addPositionalArgument(QStringLiteral("FILE"), tr("The session file (.wstsession)."));
    if (const int exit = parseCommandLine(parser, args, command); exit >= 0)
        return exit;
    QString path;
    int exit = ExitOk;
    if (!onePositional(parser, command, tr("the session file"), &path, &exit))
        return exit;
    SessionReader session;
    if (!session.open(path)) {
        printError(command, session.errorString());
        return ExitFailure;
    }
    QList<SessionTab> tabs = session.tabs();
    for (SessionTab &tab : tabs) {
        if (!session.countMessages(&tab)) {
            printError(command, tr("Cannot read the session: %1").arg(session.errorString()));
            return ExitFailure;
        }
    }
    const QString name = session.meta("name");
    const qint64 createdUs = session.meta("created_us").toLongLong();
    const QString secrets = session.meta("secrets");

    if (parser.isSet(jsonOption)) {
        QJsonArray tabList;
        for (const SessionTab &tab : std::as_const(tabs)) {
            QJsonObject o { { QStringLiteral("id"), tab.id }, { QStringLiteral("position"), tab.position },
                { QStringLiteral("kind"), tab.kind }, { QStringLiteral("title"), tab.title },
                { QStringLiteral("url"), tab.url }, { QStringLiteral("read_only"), tab.readOnly },
                { QStringLiteral("messages"), tab.messageCount() }, { QStringLiteral("in"), tab.messagesIn },
                { QStringLiteral("out"), tab.messagesOut }, { QStringLiteral("events"), tab.events } };
            if (tab.messageCount() > 0) {
                o.insert(QStringLiteral("first"), isoTime(tab.firstUs));
                o.insert(QStringLiteral("last"), isoTime(tab.lastUs));
                o.insert(QStringLiteral("first_us"), tab.firstUs);
                o.insert(QStringLiteral("last_us"), tab.lastUs);
                o.insert(QStringLiteral("span_us"), tab.lastUs - tab.firstUs);
            }
            tabList.append(o);
        }
        const QJsonObject root { { QStringLiteral("file"), path }, { QStringLiteral("name"), name },
            { QStringLiteral("created"), createdUs ? isoTime(createdUs) : QString() },
            { QStringLiteral("created_us"), createdUs },
            { QStringLiteral("format_version"), session.formatVersion() },
            { QStringLiteral("app_version"), session.meta("app_version") },
            { QStringLiteral("secrets"), secrets }, { QStringLiteral("tabs"), tabList } };
        const QByteArray text = QJsonDocument(root).toJson(QJsonDocument::Indented);
        fwrite(text.constData(), 1, size_t(text.size()), stdout);
        return ExitOk;
    }

    QString out;
    const QString none = tr("(none)");
    out += tr("Session:        %1").arg(name.isEmpty() ? none : name) + QLatin1Char('\n');
    out += tr("File:           %1").arg(path) + QLatin1Char('\n');
    out += tr("Created:        %1").arg(createdUs ? isoTime(createdUs) : tr("unknown")) + QLatin1Char('\n');
    out += tr("Format version: %1 (written by wstester %2)")
               .arg(session.formatVersion())
               .arg(session.meta("app_version"))
        + QLatin1Char('\n');
    out += tr("Secrets:        %1").arg(secrets == QLatin1StringView("masked") ? tr("masked") : tr("saved"))
        + QLatin1Char('\n');
    out += tr("Tabs:           %1").arg(tabs.size()) + QLatin1Char('\n');
    for (const SessionTab &tab : std::as_const(tabs)) {
        out += QLatin1Char('\n');
        out += tr("Tab %1: %2 \u201c%3\u201d%4")
                   .arg(tab.id)
                   .arg(tab.isServer() ? tr("server") : tr("client"), tab.title,
                       tab.readOnly ? tr(" (read-only)") : QString())
            + QLatin1Char('\n');
        out += tr("  URL:      %1").arg(tab.url.isEmpty() ? none : tab.url) + QLatin1Char('\n');
        out += tr("  Messages: %1 (in %2, out %3, events %4)")
                   .arg(tab.messageCount())
                   .arg(tab.messagesIn)
                   .arg(tab.messagesOut)
                   .arg(tab.events)
            + QLatin1Char('\n');
        if (tab.messageCount() > 0)
            out += tr("  Time:     %1 to %2 (%3 s)")
                       .arg(isoTime(tab.firstUs), isoTime(tab.lastUs), seconds(tab.lastUs - tab.firstUs))
                + QLatin1Char('\n');
    }
    fputs(out.toUtf8().constData(), stdout);
    return ExitOk;
}

int SessionCommand::exportSession(const QStringList &args)
{
    const char *command = "session export";
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Exports a session file: har (HAR 1.2 with Chrome's WebSocket messages, one entry per\n"
           "connection), ndjson (one JSON object per message or event, as \u201c"
           "connect --json\u201d),\n"
           "csv (a header row, then one row per message) or json (one document with the tabs,\n"
           "their settings, handshakes and messages). Writes to standard output unless -o is given;\n"
           "the -o file appears only when the export is complete. Secret header values\n"
           "(Authorization, Proxy-Authorization, Cookie, Set-Cookie), passphrases and proxy\n"
           "passwords are masked unless --keep-secrets is given.\n"
           "k6 and artillery write a load script that replays each client tab: its URL, handshake\n"
           "headers and subprotocols, and its sends with the recorded gaps."));
    parser.addHelpOption();
    const QCommandLineOption formatOption(
        QStringLiteral("format"), tr("har, ndjson, csv, json, k6 or artillery."), tr("format"));
    const QCommandLineOption outputOption({ QStringLiteral("o"), QStringLiteral("output") },
        tr("Write to this file instead of standard output."), tr("file"));
    const QCommandLineOption tabOption(
        QStringLiteral("tab"), tr("Export only the tab with this id (see session info)."), tr("id"));
    const QCommandLineOption keepSecretsOption(QStringLiteral("keep-secrets"),
        tr("Write secret header values, passphrases and proxy passwords as recorded."));
    parser.addOptions({ formatOption, outputOption, tabOption, keepSecretsOption });
    parser.addPositionalArgument(QStringLiteral("FILE"), tr("The session file (.wstsession)."));
    if (const int exit = parseCommandLine(parser, args, command); exit >= 0)
        return exit;
    QString path;
    int exit = ExitOk;
    if (!onePositional(parser, command, tr("the session file"), &path, &exit))
        return exit;
    if (!parser.isSet(formatOption)) {
        printError(command, tr("missing --format (har, ndjson, csv, json, k6 or artillery)."));
        return ExitUsage;
    }
    const auto format = SessionExport::formatFromName(parser.value(formatOption));
    if (!format) {
        printError(command,
            tr("unknown format \u201c%1\u201d: use har, ndjson, csv, json, k6 or artillery.")
                .arg(InputText::escaped(parser.value(formatOption))));
        return ExitUsage;
    }
    qint64 tabId = -1;
    QString problem;
    if (parser.isSet(tabOption)
        && !NumberArgs::wholeNumber(
            parser, tabOption, 1, std::numeric_limits<qint64>::max(), &tabId, &problem)) {
        printError(command, problem);
        return ExitUsage;
    }
    SessionReader session;
    if (!session.open(path)) {
        printError(command, session.errorString());
        return ExitFailure;
    }
    SessionExport exporter(*format);
    exporter.setKeepSecrets(parser.isSet(keepSecretsOption));
    if (tabId >= 0) {
        QStringList ids;
        bool found = false;
        for (const SessionTab &tab : session.tabs()) {
            ids.append(QString::number(tab.id));
            found |= tab.id == tabId;
        }
        if (!found) {
            printError(command,
                ids.isEmpty() ? tr("there is no tab %1: %2 has no tabs.").arg(tabId).arg(path)
                              : tr("there is no tab %1 in %2 (its tabs: %3).")
                                    .arg(tabId)
                                    .arg(path, ids.join(QStringLiteral(", "))));
            return ExitUsage;
        }
        exporter.setTab(tabId);
    }
    SessionExport::Result result;
    if (parser.isSet(outputOption)) {
        result = exporter.writeFile(session, parser.value(outputOption));
    } else {
        QFile out;
        if (!out.open(stdout, QIODevice::WriteOnly)) {
            printError(command, tr("Cannot write to standard output: %1").arg(out.errorString()));
            return ExitFailure;
        }
        result = exporter.write(session, &out);
        out.flush();
    }
    if (result != SessionExport::Result::Ok) {
        printError(command, exporter.errorString());
        return ExitFailure;
    }
    if (exporter.secretsMasked() > 0) {
        // Said, not an error: the export is complete and the exit code 0.
        printError(command,
            tr("secrets masked in %n handshake(s) or tab setting(s); --keep-secrets writes them.", nullptr,
                int(exporter.secretsMasked())));
    }
    return ExitOk;
}

int SessionCommand::importHar(const QStringList &args)
{
    const char *command = "session import-har";
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Makes a session file from a HAR file saved by a browser (Chrome DevTools: \u201cSave all\n"
           "as HAR with content\u201d). Each WebSocket connection becomes a read-only client tab with its\n"
           "URL, headers, handshake and messages; other requests are left out. The output file\n"
           "appears only when the import is complete."));
    parser.addHelpOption();
    const QCommandLineOption outputOption({ QStringLiteral("o"), QStringLiteral("output") },
        tr("The session file to write (.wstsession)."), tr("file"));
    parser.addOption(outputOption);
    parser.addPositionalArgument(QStringLiteral("FILE.har"), tr("The HAR file."));
    if (const int exit = parseCommandLine(parser, args, command); exit >= 0)
        return exit;
    QString path;
    int exit = ExitOk;
    if (!onePositional(parser, command, tr("the HAR file"), &path, &exit))
        return exit;
    if (!parser.isSet(outputOption)) {
        printError(command, tr("missing -o OUT.wstsession: where to write the session."));
        return ExitUsage;
    }
    HarImport importer;
    if (importer.importFile(path, parser.value(outputOption)) != HarImport::Result::Ok) {
        printError(command, importer.errorString());
        return ExitFailure;
    }
    // No plural forms: the headless commands load no translation that would supply them.
    const QString summary
        = tr("Wrote %1: WebSocket connections: %2, messages: %3, other requests left out: %4.")
              .arg(parser.value(outputOption))
              .arg(importer.tabCount())
              .arg(importer.messageCount())
              .arg(importer.skippedEntries());
    fprintf(stdout, "%s\n", qPrintable(summary));
    return ExitOk;
}

} // namespace wst::cli
