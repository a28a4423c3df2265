#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace wst::cli {

// The command line described from the commands' own parsers: each command builds its
// QCommandLineParser as for a real run, and parseCommandLine() hands it here instead of parsing
// (setParserHook() in Cli.h). The shell completions and the man page are made from this, so
// they cannot drift from what the parser accepts.
struct OptionDoc
{
    QStringList names; // "-s", "--send"
    QString valueName; // "text"; empty for a flag
    QString description;
};

struct CommandDoc
{
    QString name; // "connect", "session export"
    QString usage; // "wstester connect [options] URL"
    QString description;
    QList<OptionDoc> options;
    QList<QPair<QString, QString>> arguments; // positional: name, description
};

// Every subcommand, in the order of `wstester --help`.
QList<CommandDoc> commandDocs();
// Reads a QCommandLineParser::helpText() back (exposed for the tests).
CommandDoc parseHelpText(const QString &name, const QString &helpText);

QString bashCompletion(const QList<CommandDoc> &commands);
QString zshCompletion(const QList<CommandDoc> &commands);
QString fishCompletion(const QList<CommandDoc> &commands);
QString manPage(const QList<CommandDoc> &commands);

// `wstester completions bash|zsh|fish` and `wstester manpage`: print one of the above.
int runDocs(const QStringList &args);

} // namespace wst::cli
