#pragma once

#include "protocols/ProtocolCommand.h"
#include "protocols/ProtocolOptions.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QList>
#include <QStringList>

namespace wst::cli {

// The protocol options of `wstester connect` and `wstester serve`:
//   --protocol raw|socket.io|graphql-ws|stomp|mqtt, --protocol-option KEY=VALUE (repeatable; the
//   value is read as JSON when it parses, else as a string), and for connect the sends, in the
//   order given: --emit EVENT JSON, --query TEXT|@FILE (with --variables JSON and
//   --operation-name NAME after it), --subscribe DEST|TOPIC, --publish TOPIC PAYLOAD,
//   --stomp-send DEST BODY; --qos N and --retain apply to subscribes and publishes, --ack asks
//   for a reply to every send (Socket.IO ack, STOMP receipt).
// Some take two values, which QCommandLineParser cannot: they are taken out of the arguments
// before the parser sees them (the parser only lists them in --help).
class ProtocolArgs
{
    Q_DECLARE_TR_FUNCTIONS(ProtocolArgs)
public:
    enum class Mode { Client, Server };
    explicit ProtocolArgs(Mode mode);

    // Removes the protocol options from args and reads them. On a problem returns false with
    // *error set (one line, naming the option).
    bool extract(QStringList *args, QString *error);
    void addHelpTo(QCommandLineParser &parser) const;

    const ProtocolOptions &options() const { return m_options; }
    const QList<ProtocolCommand> &commands() const { return m_commands; }
    // Sends that asked for a reply (--ack).
    qsizetype repliesExpected() const;

private:
    Mode m_mode;
    ProtocolOptions m_options;
    QList<ProtocolCommand> m_commands;
};

} // namespace wst::cli
