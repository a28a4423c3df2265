// The reply-rules parser on any document; each rule it accepts is then matched and expanded.
#include "FuzzSupport.h"
#include "server/ReplyRules.h"

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    wst::fuzz::ensureApplication();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace wst;
    QString error;
    const QList<ReplyRule> rules
        = ReplyRules::parse(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)), &error);
    if (rules.isEmpty())
        return 0;
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(0, Qt::UTC);
    const QString messages[]
        = { QStringLiteral("ping"), QStringLiteral("{\"op\":\"x\",\"data\":{\"items\":[{\"id\":1}]}}"),
              QStringLiteral("[1,2,3]"), QString() };
    for (const ReplyRule &rule : rules) {
        for (const QString &message : messages)
            (void)rule.matches(message);
        for (const ReplyAction &action : rule.actions)
            (void)ReplyRules::expand(action.text, messages[1], 7, now);
    }
    // What was accepted can be written back and read again.
    QString again;
    (void)ReplyRules::parse(ReplyRules::toJson(rules), &again);
    return 0;
}
