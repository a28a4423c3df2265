#pragma once

#include <QObject>
#include <QStringList>

namespace wst::cli {

// `wstester session info|export|import-har`: reads, exports and creates session files
// without a window.
class SessionCommand : public QObject
{
    Q_OBJECT
public:
    explicit SessionCommand(QObject *parent = nullptr);
    int run(const QStringList &args);

private:
    int info(const QStringList &args);
    int exportSession(const QStringList &args);
    int importHar(const QStringList &args);
};

} // namespace wst::cli
