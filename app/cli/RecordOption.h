#pragma once

#include "session/SessionRecorder.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>

namespace wst::cli {

// `--record FILE`, shared by `connect` and `serve`: captures the run into a session file that
// the window opens. A new file is created; an existing session gets one more tab.
class RecordOption
{
    Q_DECLARE_TR_FUNCTIONS(RecordOption)
public:
    RecordOption();
    void addTo(QCommandLineParser &parser) const { parser.addOption(m_option); }
    bool isSet(const QCommandLineParser &parser) const { return parser.isSet(m_option); }
    // Opens the file and adds the tab, setting its id (nothing when --record is not given). On
    // failure returns false with a message for the user.
    // Write failures are reported on stderr as they happen (the command goes on).
    bool start(
        const QCommandLineParser &parser, SessionRecorder *recorder, SessionTab *tab, QString *error) const;

private:
    QCommandLineOption m_option;
};

} // namespace wst::cli
