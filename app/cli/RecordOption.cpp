#include "RecordOption.h"

#include "Cli.h"
#include "messages/Message.h"

namespace wst::cli {

RecordOption::RecordOption()
    : m_option(QStringLiteral("record"),
        tr("Capture every message and event into this session file (.wstsession), which the window "
           "can open later; an existing session gets one more tab."),
        tr("file"))
{
}

bool RecordOption::start(
    const QCommandLineParser &parser, SessionRecorder *recorder, SessionTab *tab, QString *error) const
{
    if (!parser.isSet(m_option))
        return true;
    const QString path = parser.value(m_option);
    if (!recorder->open(path, error, true))
        return false;
    if (!recorder->notice().isEmpty())
        printError("record", recorder->notice());
    QObject::connect(recorder, &SessionRecorder::writeFailed, recorder,
        [](const QString &message) { printError("record", message); });
    tab->createdUs = nowUs();
    tab->id = recorder->addTab(*tab);
    return true;
}

} // namespace wst::cli
