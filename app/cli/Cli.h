#pragma once

#include <QStringList>

#include <functional>

class QCommandLineParser;

namespace wst::cli {

// Exit codes of every subcommand, documented in `wstester --help`.
enum ExitCode {
    ExitOk = 0,
    ExitFailure = 1, // anything else (an unreadable file, an internal error)
    ExitUsage = 2, // bad arguments
    ExitConnectionFailed = 3, // refused, host not found, TLS or handshake failure
    ExitTimeout = 4, // -t/--timeout or the connect timeout ran out
    ExitConnectionLost = 5, // the connection dropped, or the peer closed with an error code
};

// Prints "wstester COMMAND: message" on standard error, as one line: control characters that
// came in with the user's input are shown escaped (InputText).
void printError(const char *command, const QString &message);
// Qt's own warnings (a TLS backend's complaint about a PKCS#12 file, say) never reach standard
// error unless this is called with true, as -v/--verbose does: every error is already one line
// of ours that names the cause.
void showQtMessages(bool show);
// Parses args (args[1] is the command's name) and answers --help. Returns -1 when the command
// should go on, otherwise the exit code (ExitOk after the help, ExitUsage after an error).
int parseCommandLine(QCommandLineParser &parser, const QStringList &args, const char *command);
// While set, parseCommandLine() hands each parser to it and returns ExitOk without parsing:
// how CliDocs reads every command's options for the completions and the man page.
void setParserHook(std::function<void(const QCommandLineParser &)> hook);

// True when the arguments name a subcommand (or --help / --version): run headless.
bool isCommandLine(int argc, char **argv);
int run(int argc, char **argv);

} // namespace wst::cli
