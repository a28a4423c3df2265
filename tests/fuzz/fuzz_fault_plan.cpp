// The fault-spec parser of `wstester serve --fault` (one spec a line) and the faults' JSON (an
// input starting with '{'): what is accepted is valid, describes itself, and reads back the same.
#include "FuzzSupport.h"
#include "server/FaultPlan.h"
#include "server/ServerFaults.h"

#include <QJsonDocument>
#include <QJsonObject>

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    wst::fuzz::ensureApplication();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace wst;
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    FaultPlan plan;
    if (input.startsWith('{')) {
        plan = FaultPlan::fromJson(QJsonDocument::fromJson(input).object(), &error);
        if (!error.isEmpty())
            return 0;
        QString again;
        if (FaultPlan::fromJson(plan.toJson(), &again) != plan || !again.isEmpty())
            abort(); // the JSON of an accepted plan reads back as that plan
    } else {
        plan = FaultPlan::parse(QString::fromUtf8(input).split(QLatin1Char('\n')), &error);
        if (!error.isEmpty()) {
            if (error.contains(QLatin1Char('\n')) && !input.contains('\r'))
                abort(); // an error is one line (a spec holds no newline here)
            return 0;
        }
        QString again;
        if (FaultPlan::parse(plan.toSpecs(), &again) != plan || !again.isEmpty())
            abort(); // the specs of an accepted plan build that plan again
    }
    (void)plan.validate();
    (void)plan.describe();
    (void)plan.isEmpty();
    (void)plan.touchesMessages();
    (void)ServerFaults::corruptFrame(plan.corrupt, Kind::Text, input.left(300));
    return 0;
}
