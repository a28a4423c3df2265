#include "CliDocs.h"

#include "CheckCommand.h"
#include "Cli.h"
#include "ConnectCommand.h"
#include "HandshakeCommand.h"
#include "ProxyCommand.h"
#include "ServeCommand.h"
#include "SessionCommand.h"
#include "TestCommand.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRegularExpression>

#include <cstdio>
#include <functional>

namespace wst::cli {

namespace {

// Runs a command far enough to build its parser, and reads the parser's help back.
CommandDoc describe(const QString &name, const std::function<int(const QStringList &)> &run)
{
    CommandDoc doc;
    setParserHook(
        [&doc, &name](const QCommandLineParser &parser) { doc = parseHelpText(name, parser.helpText()); });
    QStringList args { QStringLiteral("wstester") };
    args += name.split(QLatin1Char(' '));
    run(args);
    setParserHook({});
    return doc;
}

// Options whose value is a path: completed with file names.
bool takesFile(const OptionDoc &option)
{
    static const QStringList names { QStringLiteral("file"), QStringLiteral("path"), QStringLiteral("dir"),
        QStringLiteral("folder"), QStringLiteral("FILE") };
    return names.contains(option.valueName) || option.valueName.endsWith(QLatin1StringView("file"));
}

QString singleQuoted(QString text)
{
    text.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + text + QLatin1Char('\'');
}

// The first sentence of a description, on one line (for completion menus).
QString summary(const QString &description)
{
    QString text = description.simplified();
    const qsizetype stop = text.indexOf(QStringLiteral(". "));
    if (stop > 0)
        text.truncate(stop);
    if (text.endsWith(QLatin1Char('.')))
        text.chop(1);
    return text;
}

QString bashFunctionName(const QString &command)
{
    QString name = command;
    name.replace(QLatin1Char(' '), QLatin1Char('_'));
    name.replace(QLatin1Char('-'), QLatin1Char('_'));
    return name;
}

QString roff(const QString &text)
{
    QString out = text;
    out.replace(QLatin1Char('\\'), QStringLiteral("\\e"));
    if (out.startsWith(QLatin1Char('.')) || out.startsWith(QLatin1Char('\'')))
        out.prepend(QStringLiteral("\\&"));
    return out;
}

QString roffOption(const QString &name)
{
    QString out = roff(name);
    out.replace(QLatin1Char('-'), QStringLiteral("\\-"));
    return out;
}

} // namespace

CommandDoc parseHelpText(const QString &name, const QString &helpText)
{
    CommandDoc doc;
    doc.name = name;
    const QStringList lines = helpText.split(QLatin1Char('\n'));
    enum class Part { Usage, Description, Options, Arguments } part = Part::Usage;
    QStringList description;
    static const QRegularExpression entry(QStringLiteral("^  (\\S.*?)(?:  +(\\S.*))?$"));
    static const QRegularExpression more(QStringLiteral("^ {3,}(\\S.*)$"));
    for (const QString &line : lines) {
        if (part == Part::Usage) {
            if (line.startsWith(QLatin1StringView("Usage: "))) {
                // "Usage: /path/to/wstester [options] URL": the program as it is typed.
                const qsizetype space = line.indexOf(QLatin1Char(' '), 7);
                doc.usage = QStringLiteral("wstester ") + name + (space > 0 ? line.mid(space) : QString());
                part = Part::Description;
            }
            continue;
        }
        if (line == QLatin1StringView("Options:")) {
            part = Part::Options;
            continue;
        }
        if (line == QLatin1StringView("Arguments:")) {
            part = Part::Arguments;
            continue;
        }
        if (part == Part::Description) {
            description << line;
            continue;
        }
        if (const auto m = more.match(line); m.hasMatch()) {
            QString *text = nullptr;
            if (part == Part::Options && !doc.options.isEmpty())
                text = &doc.options.last().description;
            else if (part == Part::Arguments && !doc.arguments.isEmpty())
                text = &doc.arguments.last().second;
            if (text)
                *text += QLatin1Char(' ') + m.captured(1);
            continue;
        }
        const auto m = entry.match(line);
        if (!m.hasMatch())
            continue;
        if (part == Part::Arguments) {
            doc.arguments.append({ m.captured(1), m.captured(2) });
            continue;
        }
        OptionDoc option;
        QString spec = m.captured(1);
        if (const qsizetype lt = spec.indexOf(QStringLiteral(" <"));
            lt > 0 && spec.endsWith(QLatin1Char('>'))) {
            option.valueName = spec.mid(lt + 2, spec.size() - lt - 3);
            spec.truncate(lt);
        }
        const QStringList names = spec.split(QStringLiteral(", "));
        for (const QString &n : names)
            option.names << n.trimmed();
        option.description = m.captured(2);
        // Qt's own --help-all (Qt-specific options) is of no use to anyone here.
        if (!option.names.contains(QStringLiteral("--help-all")))
            doc.options.append(option);
    }
    while (!description.isEmpty() && description.last().trimmed().isEmpty())
        description.removeLast();
    doc.description = description.join(QLatin1Char('\n'));
    return doc;
}

QList<CommandDoc> commandDocs()
{
    const auto connect = [](const QStringList &a) { return ConnectCommand().run(a); };
    const auto check = [](const QStringList &a) { return CheckCommand().run(a); };
    const auto handshake = [](const QStringList &a) { return HandshakeCommand().run(a); };
    const auto serve = [](const QStringList &a) { return ServeCommand().run(a); };
    const auto proxy = [](const QStringList &a) { return ProxyCommand().run(a); };
    const auto session = [](const QStringList &a) { return SessionCommand().run(a); };
    const auto test = [](const QStringList &a) { return TestCommand().run(a); };
    return {
        describe(QStringLiteral("connect"), connect),
        describe(QStringLiteral("check"), check),
        describe(QStringLiteral("handshake"), handshake),
        describe(QStringLiteral("serve"), serve),
        describe(QStringLiteral("proxy"), proxy),
        describe(QStringLiteral("session info"), session),
        describe(QStringLiteral("session export"), session),
        describe(QStringLiteral("session import-har"), session),
        describe(QStringLiteral("test"), test),
    };
}

QString bashCompletion(const QList<CommandDoc> &commands)
{
    QStringList top;
    QStringList sessionSubs;
    for (const CommandDoc &c : commands) {
        const QString first = c.name.section(QLatin1Char(' '), 0, 0);
        if (!top.contains(first))
            top << first;
        if (c.name.contains(QLatin1Char(' ')))
            sessionSubs << c.name.section(QLatin1Char(' '), 1);
    }
    top << QStringLiteral("help");
    QString out = QStringLiteral("# bash completion for wstester, made by `wstester completions bash` from "
                                 "the commands' own parsers.\n"
                                 "_wstester()\n{\n"
                                 "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
                                 "    local command=${COMP_WORDS[1]} opts='' files='' values=''\n"
                                 "    COMPREPLY=()\n"
                                 "    if ((COMP_CWORD == 1)); then\n"
                                 "        if [[ $cur == -* ]]; then\n"
                                 "            COMPREPLY=($(compgen -W '--help --version --new-connection "
                                 "--new-server --new-instance' -- \"$cur\"))\n"
                                 "        else\n"
                                 "            COMPREPLY=($(compgen -W '%1' -- \"$cur\") $(compgen -f -X "
                                 "'!*.wstsession' -- \"$cur\"))\n"
                                 "        fi\n"
                                 "        return\n"
                                 "    fi\n"
                                 "    if [[ $command == help ]]; then\n"
                                 "        ((COMP_CWORD == 2)) && COMPREPLY=($(compgen -W '%2' -- \"$cur\"))\n"
                                 "        return\n"
                                 "    fi\n"
                                 "    if [[ $command == session ]]; then\n"
                                 "        if ((COMP_CWORD == 2)); then\n"
                                 "            COMPREPLY=($(compgen -W '%3' -- \"$cur\"))\n"
                                 "            return\n"
                                 "        fi\n"
                                 "        command=\"session ${COMP_WORDS[2]}\"\n"
                                 "    fi\n"
                                 "    case $command in\n")
                      .arg(top.join(QLatin1Char(' ')), top.mid(0, top.size() - 1).join(QLatin1Char(' ')),
                          sessionSubs.join(QLatin1Char(' ')));
    for (const CommandDoc &c : commands) {
        QStringList opts;
        QStringList files;
        QStringList values;
        for (const OptionDoc &o : c.options) {
            opts += o.names;
            if (!o.valueName.isEmpty())
                (takesFile(o) ? files : values) += o.names;
        }
        out += QStringLiteral("    %1)\n        opts=%2\n        files=%3\n        values=%4\n        ;;\n")
                   .arg(singleQuoted(c.name), singleQuoted(opts.join(QLatin1Char(' '))),
                       singleQuoted(files.join(QLatin1Char(' '))),
                       singleQuoted(values.join(QLatin1Char(' '))));
    }
    out += QStringLiteral("    *) return ;;\n"
                          "    esac\n"
                          "    if [[ \" $files \" == *\" $prev \"* ]]; then\n"
                          "        COMPREPLY=($(compgen -f -- \"$cur\"))\n"
                          "        return\n"
                          "    fi\n"
                          "    [[ \" $values \" == *\" $prev \"* ]] && return\n"
                          "    if [[ $cur == -* ]]; then\n"
                          "        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
                          "    else\n"
                          "        COMPREPLY=($(compgen -f -- \"$cur\"))\n"
                          "    fi\n"
                          "}\n"
                          "complete -o filenames -F _wstester wstester\n");
    return out;
}

QString zshCompletion(const QList<CommandDoc> &commands)
{
    const auto zshText = [](QString text) {
        text = summary(text);
        for (const QChar c : { QLatin1Char('\\'), QLatin1Char('['), QLatin1Char(']'), QLatin1Char(':') })
            text.replace(c, QStringLiteral("\\") + c);
        return text;
    };
    QString out = QStringLiteral("#compdef wstester\n"
                                 "# zsh completion for wstester, made by `wstester completions zsh` from the "
                                 "commands' own parsers.\n\n");
    QStringList top;
    QStringList sessionSubs;
    for (const CommandDoc &c : commands) {
        out += QStringLiteral("_wstester_%1() {\n    _arguments -s \\\n").arg(bashFunctionName(c.name));
        for (const OptionDoc &o : c.options) {
            for (const QString &n : o.names) {
                QString spec
                    = QStringLiteral("*") + n + QLatin1Char('[') + zshText(o.description) + QLatin1Char(']');
                if (!o.valueName.isEmpty())
                    spec += QLatin1Char(':') + zshText(o.valueName)
                        + (takesFile(o) ? QStringLiteral(":_files") : QStringLiteral(":"));
                out += QStringLiteral("        ") + singleQuoted(spec) + QStringLiteral(" \\\n");
            }
        }
        out += QStringLiteral("        '*:argument:_files'\n}\n\n");
        const QString first = c.name.section(QLatin1Char(' '), 0, 0);
        const QString line = zshText(c.description.section(QLatin1Char('\n'), 0, 0));
        if (c.name.contains(QLatin1Char(' ')))
            sessionSubs << singleQuoted(c.name.section(QLatin1Char(' '), 1) + QLatin1Char(':') + line);
        else
            top << singleQuoted(first + QLatin1Char(':') + line);
    }
    top << QStringLiteral("'session:show, export or import a session file'")
        << QStringLiteral("'help:show help for a command'");
    out += QStringLiteral(
        "_wstester() {\n"
        "    local -a commands sessions\n"
        "    commands=(%1)\n"
        "    sessions=(%2)\n"
        "    if (( CURRENT == 2 )); then\n"
        "        _describe -t commands 'wstester command' commands\n"
        "        _files -g '*.wstsession'\n"
        "        return\n"
        "    fi\n"
        "    case $words[2] in\n"
        "    session)\n"
        "        if (( CURRENT == 3 )); then _describe -t commands 'session command' sessions; return; fi\n"
        "        shift 2 words; (( CURRENT -= 2 ))\n"
        "        (( $+functions[_wstester_session_${words[1]//-/_}] )) && "
        "_wstester_session_${words[1]//-/_}\n"
        "        ;;\n"
        "    help) (( CURRENT == 3 )) && _describe -t commands 'wstester command' commands ;;\n"
        "    *)\n"
        "        local name=$words[2]\n"
        "        shift words; (( CURRENT-- ))\n"
        "        (( $+functions[_wstester_$name] )) && _wstester_$name\n"
        "        ;;\n"
        "    esac\n"
        "}\n\n"
        "_wstester \"$@\"\n")
               .arg(top.join(QLatin1Char(' ')), sessionSubs.join(QLatin1Char(' ')));
    return out;
}

QString fishCompletion(const QList<CommandDoc> &commands)
{
    QString out = QStringLiteral(
        "# fish completion for wstester, made by `wstester completions fish` from the commands' own "
        "parsers.\n"
        "complete -c wstester -f\n"
        "complete -c wstester -n __fish_use_subcommand -a help -d 'Show help for a command'\n"
        "complete -c wstester -n __fish_use_subcommand -a session -d 'Show, export or import a session "
        "file'\n");
    for (const CommandDoc &c : commands) {
        const QString first = c.name.section(QLatin1Char(' '), 0, 0);
        const QString sub = c.name.section(QLatin1Char(' '), 1);
        const QString line = summary(c.description.section(QLatin1Char('\n'), 0, 0));
        QString condition;
        if (sub.isEmpty()) {
            out += QStringLiteral("complete -c wstester -n __fish_use_subcommand -a %1 -d %2\n")
                       .arg(first, singleQuoted(line));
            condition = QStringLiteral("__fish_seen_subcommand_from ") + first;
        } else {
            out += QStringLiteral("complete -c wstester -n %1 -a %2 -d %3\n")
                       .arg(
                           singleQuoted(QStringLiteral("__fish_seen_subcommand_from session; and not "
                                                       "__fish_seen_subcommand_from info export import-har")),
                           sub, singleQuoted(line));
            condition
                = QStringLiteral("__fish_seen_subcommand_from session; and __fish_seen_subcommand_from ")
                + sub;
        }
        for (const OptionDoc &o : c.options) {
            QString spec = QStringLiteral("complete -c wstester -n ") + singleQuoted(condition);
            for (const QString &n : o.names) {
                if (n.startsWith(QLatin1StringView("--")))
                    spec += QStringLiteral(" -l ") + n.mid(2);
                else
                    spec += QStringLiteral(" -s ") + n.mid(1);
            }
            if (!o.valueName.isEmpty())
                spec += takesFile(o) ? QStringLiteral(" -r -F") : QStringLiteral(" -r");
            spec += QStringLiteral(" -d ") + singleQuoted(summary(o.description));
            out += spec + QLatin1Char('\n');
        }
    }
    return out;
}

QString manPage(const QList<CommandDoc> &commands)
{
    QString out;
    const auto text = [&out](const QString &block) {
        const QStringList lines = block.split(QLatin1Char('\n'));
        for (const QString &line : lines)
            out += line.trimmed().isEmpty() ? QStringLiteral(".PP\n")
                                            : roff(line.trimmed()) + QLatin1Char('\n');
    };
    out += QStringLiteral(
        ".\\\" Made by `wstester manpage` from the commands' own parsers; do not edit.\n"
        ".TH WSTESTER 1 \"\" \"wstester %1\" \"User Commands\"\n"
        ".SH NAME\n"
        "wstester \\- test WebSocket servers and clients, in a window or headless\n"
        ".SH SYNOPSIS\n"
        ".B wstester\n"
        "[\\fB\\-\\-new\\-connection\\fR|\\fB\\-\\-new\\-server\\fR] [\\fB\\-\\-new\\-instance\\fR] "
        "[\\fIURL\\fR|\\fIFILE\\fR.wstsession]\n"
        ".br\n"
        ".B wstester\n"
        "\\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n"
        ".SH DESCRIPTION\n"
        "Without a command, \\fBwstester\\fR opens its window: client tabs that connect to any "
        "WebSocket server and show the exact handshake and every frame, local server tabs, "
        "sessions. A URL opens a client tab connected to it; a session file opens that "
        "session. A window already open for this user is asked to do it instead, unless "
        "\\fB\\-\\-new\\-instance\\fR is given.\n"
        ".PP\n"
        "With a command, the same core runs headless, for scripts and CI.\n"
        ".SH WINDOW OPTIONS\n"
        ".TP\n.B \\-\\-new\\-connection\nOpen with an empty client tab.\n"
        ".TP\n.B \\-\\-new\\-server\nOpen with a new local server tab.\n"
        ".TP\n.B \\-\\-new\\-instance\nStart a new window process even when one is running.\n"
        ".TP\n.B \\-\\-version\nPrint the version.\n"
        ".TP\n.B \\-h, \\-\\-help\nShow the help.\n"
        ".SH COMMANDS\n")
               .arg(QCoreApplication::applicationVersion());
    for (const CommandDoc &c : commands) {
        out += QStringLiteral(".SS \"%1\"\n").arg(roff(c.usage));
        text(c.description);
        for (const auto &[name, description] : c.arguments)
            out += QStringLiteral(".TP\n.I %1\n%2\n").arg(roff(name), roff(description));
        for (const OptionDoc &o : c.options) {
            QStringList names;
            for (const QString &n : o.names)
                names << QStringLiteral("\\fB") + roffOption(n) + QStringLiteral("\\fR");
            QString head = names.join(QStringLiteral(", "));
            if (!o.valueName.isEmpty())
                head += QStringLiteral(" \\fI") + roff(o.valueName) + QStringLiteral("\\fR");
            out += QStringLiteral(".TP\n") + head + QLatin1Char('\n') + roff(o.description)
                + QLatin1Char('\n');
        }
    }
    out += QStringLiteral(
        ".SH EXIT STATUS\n"
        ".TP\n.B 0\nSuccess, or the connection was closed normally (1000, 1001, 1005).\n"
        ".TP\n.B 1\nAnother failure (the server cannot listen, an unreadable file, an internal error).\n"
        ".TP\n.B 2\nUsage error: a bad command, option or value.\n"
        ".TP\n.B 3\nThe connection failed: refused, host not found, TLS or handshake failure.\n"
        ".TP\n.B 4\nTimeout: \\fB\\-\\-timeout\\fR or the connect timeout ran out.\n"
        ".TP\n.B 5\nThe connection was lost, or the peer closed it with an error code.\n"
        ".PP\n\\fBwstester test\\fR exits with 1 when a scenario failed.\n"
        ".SH FILES\n"
        ".TP\n.I ~/.config/wstester/wstester.conf\nSettings: language, recent URLs and sessions, window "
        "layout.\n"
        ".TP\n.I ~/.local/share/wstester/\nThe live captures of open windows (offered for recovery after a "
        "crash), "
        "collections, environments and saved messages.\n"
        ".TP\n.I *.wstsession\nA session file: an SQLite database of tabs, handshakes and messages "
        "(MIME type application/x\\-wstsession), readable with \\fBsqlite3\\fR(1).\n"
        ".TP\n.I $TMPDIR/wstester\\-UID\nThe local socket through which a second launch hands its URL or "
        "file "
        "to the running window.\n"
        ".SH ENVIRONMENT\n"
        ".TP\n.B QT_QPA_PLATFORM\nThe window system plug-in; \\fBoffscreen\\fR runs the window without a "
        "display.\n"
        ".TP\n.B XDG_CONFIG_HOME, XDG_DATA_HOME, TMPDIR\nWhere the files above are.\n"
        ".SH EXAMPLES\n"
        ".nf\n"
        "wstester connect wss://echo.example/feed \\-s hello \\-n 1\n"
        "wstester serve \\-\\-port 9000 \\-\\-echo\n"
        "wstester proxy \\-\\-listen 8080 \\-\\-upstream wss://api.example/feed\n"
        "wstester test api.wstest.json \\-\\-junit report.xml\n"
        "wstester session export run.wstsession \\-\\-format har \\-o run.har\n"
        ".fi\n"
        ".SH SEE ALSO\n"
        "\\fBwebsocat\\fR(1), \\fBsqlite3\\fR(1)\n");
    return out;
}

int runDocs(const QStringList &args)
{
    const QString what = args.value(1);
    const QString shell = args.value(2);
    const QList<CommandDoc> commands = commandDocs();
    QString out;
    if (what == QLatin1StringView("manpage") && args.size() == 2)
        out = manPage(commands);
    else if (what == QLatin1StringView("completions") && shell == QLatin1StringView("bash"))
        out = bashCompletion(commands);
    else if (what == QLatin1StringView("completions") && shell == QLatin1StringView("zsh"))
        out = zshCompletion(commands);
    else if (what == QLatin1StringView("completions") && shell == QLatin1StringView("fish"))
        out = fishCompletion(commands);
    if (out.isEmpty()) {
        printError("completions",
            QCoreApplication::translate(
                "wst::cli", "usage: wstester completions bash|zsh|fish, or wstester manpage"));
        return ExitUsage;
    }
    fputs(out.toUtf8().constData(), stdout);
    return ExitOk;
}

} // namespace wst::cli
