#include "FaultPlan.h"

#include <QJsonValue>

#include <limits>

#include <optional>

namespace wst {

namespace {

const char *const CorruptionKeys[] = { "", "utf8", "opcode", "rsv" };

std::optional<int> wholeNumber(QStringView text, int min, int max)
{
    bool ok = false;
    const qlonglong value = text.toLongLong(&ok);
    if (!ok || value < min || value > max || text.startsWith(QLatin1Char('+')))
        return std::nullopt;
    return int(value);
}

// "300", "300ms" or "2s", in milliseconds.
std::optional<int> duration(QStringView text, int max)
{
    if (text.endsWith(QLatin1StringView("ms")))
        return wholeNumber(text.chopped(2), 0, max);
    if (text.endsWith(QLatin1Char('s'))) {
        const std::optional<int> seconds = wholeNumber(text.chopped(1), 0, max / 1000);
        return seconds ? std::optional<int>(*seconds * 1000) : std::nullopt;
    }
    return wholeNumber(text, 0, max);
}

QString triggerSpec(const FaultPlan::Trigger &t)
{
    if (t.ms > 0)
        return QStringLiteral(",after=%1ms").arg(t.ms);
    if (t.messages > 0)
        return QStringLiteral(",after=%1").arg(t.messages);
    return {};
}

QJsonObject triggerJson(const FaultPlan::Trigger &t)
{
    return { { QStringLiteral("messages"), t.messages }, { QStringLiteral("ms"), t.ms } };
}

} // namespace

bool FaultPlan::isEmpty() const
{
    FaultPlan none;
    none.seed = seed;
    return *this == none;
}

bool FaultPlan::touchesMessages() const
{
    return delayMs > 0 || jitterMs > 0 || dropPercent > 0 || fragments > 1 || corrupt != Corruption::None
        || (closeCode != 0 && closeAfter.messages > 0) || (abort && abortAfter.messages > 0)
        || (stopReading && stopReadingAfter.messages > 0);
}

bool FaultPlan::apply(const QString &specText, QString *error)
{
    const QString spec = specText.trimmed();
    auto fail = [error, &spec](const QString &why) {
        if (error)
            *error = tr("fault \u201c%1\u201d: %2").arg(spec, why);
        return false;
    };
    // The reason is last and free text: it may hold commas.
    QString head = spec;
    std::optional<QString> reason;
    if (const qsizetype at = spec.indexOf(QLatin1StringView(",reason=")); at >= 0) {
        reason = spec.mid(at + 8);
        head = spec.left(at);
    }
    const QStringList items = head.split(QLatin1Char(','));
    const QString first = items.first().trimmed();
    const qsizetype eq = first.indexOf(QLatin1Char('='));
    const QString name = (eq < 0 ? first : first.left(eq)).toLower();
    const QString value = eq < 0 ? QString() : first.mid(eq + 1).trimmed();
    QStringList allowed;
    FaultPlan next = *this;
    auto needValue
        = [&]() { return value.isEmpty() ? fail(tr("%1 needs a value (%1=...).").arg(name)) : true; };

    if (name == QLatin1StringView("delay")) {
        if (!needValue())
            return false;
        const auto ms = duration(value, MaxDelayMs);
        if (!ms)
            return fail(
                tr("the delay must be a duration from 0 to %1 ms (300, 300ms or 2s).").arg(MaxDelayMs));
        next.delayMs = *ms;
        allowed = { QStringLiteral("jitter") };
    } else if (name == QLatin1StringView("drop")) {
        if (!needValue())
            return false;
        const auto percent = wholeNumber(value.endsWith(QLatin1Char('%')) ? value.chopped(1) : value, 0, 100);
        if (!percent)
            return fail(tr("the share to drop must be a whole percentage from 0 to 100."));
        next.dropPercent = *percent;
    } else if (name == QLatin1StringView("fragment")) {
        if (!needValue())
            return false;
        const auto n = wholeNumber(value, 1, MaxFragments);
        if (!n)
            return fail(tr("the number of frames must be from 1 to %1.").arg(MaxFragments));
        next.fragments = *n > 1 ? *n : 0; // one frame is no fault
    } else if (name == QLatin1StringView("close")) {
        const auto code
            = value.isEmpty() ? std::optional<int>(DefaultCloseCode) : wholeNumber(value, 0, 65535);
        if (!code || !isSendableCloseCode(*code))
            return fail(tr("the close code must be 1000-1003, 1007-1014 or 3000-4999."));
        next.closeCode = *code;
        next.closeAfter = {};
        next.closeReason = reason.value_or(QString());
        allowed = { QStringLiteral("after") };
    } else if (name == QLatin1StringView("abort")) {
        if (!value.isEmpty())
            return fail(tr("abort takes no value; say when with after=N or after=2s."));
        next.abort = true;
        next.abortAfter = {};
        allowed = { QStringLiteral("after") };
    } else if (name == QLatin1StringView("stop-reading")) {
        if (!value.isEmpty())
            return fail(tr("stop-reading takes no value; say when with after=N or after=2s."));
        next.stopReading = true;
        next.stopReadingAfter = {};
        allowed = { QStringLiteral("after") };
    } else if (name == QLatin1StringView("refuse")) {
        const auto n = value.isEmpty() ? std::optional<int>(1) : wholeNumber(value, 0, MaxCount);
        if (!n)
            return fail(tr("the number of handshakes to refuse must be from 0 to %1.").arg(MaxCount));
        next.refuseCount = *n;
        next.refuseStatus = DefaultRefuseStatus;

        allowed = { QStringLiteral("status") };
    } else if (name == QLatin1StringView("corrupt")) {
        next.corrupt = Corruption::None;
        for (int i = 1; i < int(std::size(CorruptionKeys)); ++i) {
            if (value == QLatin1StringView(CorruptionKeys[i]))
                next.corrupt = Corruption(i);
        }
        if (next.corrupt == Corruption::None)
            return fail(tr("say what to corrupt: corrupt=utf8, corrupt=opcode or corrupt=rsv."));
        next.corruptAt = 1;
        allowed = { QStringLiteral("at") };
    } else if (name == QLatin1StringView("slow")) {
        if (!needValue())
            return false;
        const auto rate = wholeNumber(value, 1, MaxBytesPerSecond);
        if (!rate)
            return fail(
                tr("the rate must be a number of bytes a second from 1 to %1.").arg(MaxBytesPerSecond));
        next.slowBytesPerSecond = *rate;
    } else if (name == QLatin1StringView("ignore-pings")) {
        if (!value.isEmpty())
            return fail(tr("ignore-pings takes no value."));
        next.ignorePings = true;
    } else if (name == QLatin1StringView("seed")) {
        bool ok = false;
        const uint seed = value.toUInt(&ok);
        if (!ok)
            return fail(tr("the seed must be a whole number from 0 to 4294967295."));
        next.seed = seed;
    } else {
        return fail(tr("unknown fault \u201c%1\u201d (known: delay, drop, fragment, close, abort, "
                       "stop-reading, refuse, corrupt, slow, ignore-pings, seed).")
                        .arg(name));
    }
    if (reason && name != QLatin1StringView("close"))
        return fail(tr("only close takes a reason."));

    for (qsizetype i = 1; i < items.size(); ++i) {
        const QString item = items.at(i).trimmed();
        const qsizetype at = item.indexOf(QLatin1Char('='));
        const QString key = (at < 0 ? item : item.left(at)).toLower();
        const QString keyValue = at < 0 ? QString() : item.mid(at + 1).trimmed();
        if (!allowed.contains(key))
            return fail(allowed.isEmpty()
                    ? tr("%1 takes no options, and \u201c%2\u201d is one.").arg(name, item)
                    : tr("%1 takes %2, not \u201c%3\u201d.")
                          .arg(name, allowed.join(QLatin1StringView(", ")), item));
        if (key == QLatin1StringView("jitter")) {
            const auto ms = duration(keyValue, MaxDelayMs);
            if (!ms)
                return fail(tr("the jitter must be a duration from 0 to %1 ms.").arg(MaxDelayMs));
            next.jitterMs = *ms;
        } else if (key == QLatin1StringView("after")) {
            Trigger trigger;
            if (keyValue.endsWith(QLatin1Char('s'))) {
                const auto ms = duration(keyValue, MaxDelayMs * 10);
                if (!ms)
                    return fail(
                        tr("after=%1 is not a count of messages (5) or a time (500ms, 2s).").arg(keyValue));
                trigger.ms = *ms;
            } else {
                const auto n = wholeNumber(keyValue, 0, MaxCount);
                if (!n)
                    return fail(
                        tr("after=%1 is not a count of messages (5) or a time (500ms, 2s).").arg(keyValue));
                trigger.messages = *n;
            }
            (name == QLatin1StringView("close")          ? next.closeAfter
                    : name == QLatin1StringView("abort") ? next.abortAfter
                                                         : next.stopReadingAfter)
                = trigger;
        } else if (key == QLatin1StringView("status")) {
            const auto status = wholeNumber(keyValue, 300, 599);
            if (!status)
                return fail(tr("the status must be an HTTP status from 300 to 599."));
            next.refuseStatus = *status;
        } else if (key == QLatin1StringView("at")) {
            const auto n = wholeNumber(keyValue, 1, MaxCount);
            if (!n)
                return fail(tr("at= must be a message number from 1 to %1.").arg(MaxCount));
            next.corruptAt = *n;
        }
    }
    if (next.refuseCount == 0)
        next.refuseStatus = DefaultRefuseStatus; // refusing none: the status means nothing
    *this = next;
    return true;
}

FaultPlan FaultPlan::parse(const QStringList &specs, QString *error)
{
    FaultPlan plan;
    for (const QString &spec : specs) {
        if (!plan.apply(spec, error))
            return {};
    }
    if (error)
        error->clear();
    return plan;
}

QStringList FaultPlan::toSpecs() const
{
    QStringList specs;
    if (delayMs > 0 || jitterMs > 0)
        specs.append(jitterMs > 0 ? QStringLiteral("delay=%1,jitter=%2").arg(delayMs).arg(jitterMs)
                                  : QStringLiteral("delay=%1").arg(delayMs));
    if (dropPercent > 0)
        specs.append(QStringLiteral("drop=%1").arg(dropPercent));
    if (fragments > 1)
        specs.append(QStringLiteral("fragment=%1").arg(fragments));
    if (closeCode != 0)
        specs.append(QStringLiteral("close=%1").arg(closeCode) + triggerSpec(closeAfter)
            + (closeReason.isEmpty() ? QString() : QStringLiteral(",reason=") + closeReason));
    if (abort)
        specs.append(QStringLiteral("abort") + triggerSpec(abortAfter));
    if (stopReading)
        specs.append(QStringLiteral("stop-reading") + triggerSpec(stopReadingAfter));
    if (refuseCount > 0)
        specs.append(QStringLiteral("refuse=%1,status=%2").arg(refuseCount).arg(refuseStatus));
    if (corrupt != Corruption::None)
        specs.append(QStringLiteral("corrupt=%1,at=%2")
                         .arg(QLatin1StringView(CorruptionKeys[int(corrupt)]))
                         .arg(corruptAt));
    if (slowBytesPerSecond > 0)
        specs.append(QStringLiteral("slow=%1").arg(slowBytesPerSecond));
    if (ignorePings)
        specs.append(QStringLiteral("ignore-pings"));
    if (seed != 0)
        specs.append(QStringLiteral("seed=%1").arg(seed));
    return specs;
}

QString FaultPlan::validate() const
{
    if (delayMs < 0 || delayMs > MaxDelayMs || jitterMs < 0 || jitterMs > MaxDelayMs)
        return tr("A fault delay must be from 0 to %1 ms.").arg(MaxDelayMs);
    if (dropPercent < 0 || dropPercent > 100)
        return tr("The share of messages to drop must be from 0 to 100 %.");
    if (fragments < 0 || fragments > MaxFragments)
        return tr("A message can be split into at most %1 frames.").arg(MaxFragments);
    if (closeCode != 0 && !isSendableCloseCode(closeCode))
        return tr("The fault close code must be 1000-1003, 1007-1014 or 3000-4999.");
    for (const Trigger &t : { closeAfter, abortAfter, stopReadingAfter }) {
        if (t.messages < 0 || t.ms < 0 || (t.messages > 0 && t.ms > 0))
            return tr("A fault closes after a number of messages or after a time, not both.");
    }
    if (closeReason.toUtf8().size() > 123)
        return tr("A close reason can be at most 123 bytes.");
    if (refuseCount < 0 || refuseCount > MaxCount)
        return tr("The number of handshakes to refuse must be from 0 to %1.").arg(MaxCount);
    if (refuseStatus < 300 || refuseStatus > 599)
        return tr("The refusal status must be an HTTP status from 300 to 599.");
    if (corruptAt < 1)
        return tr("The message to corrupt is counted from 1.");
    if (slowBytesPerSecond < 0 || slowBytesPerSecond > MaxBytesPerSecond)
        return tr("The slow sending rate must be from 1 to %1 bytes a second.").arg(MaxBytesPerSecond);
    return {};
}

QString FaultPlan::describe() const
{
    QStringList parts;
    if (delayMs > 0 || jitterMs > 0)
        parts.append(jitterMs > 0 ? tr("delay %1 ms \u00b1 %2").arg(delayMs).arg(jitterMs)
                                  : tr("delay %1 ms").arg(delayMs));
    if (dropPercent > 0)
        parts.append(tr("drop %1 %").arg(dropPercent));
    if (fragments > 1)
        parts.append(tr("%1 frames a message").arg(fragments));
    auto when = [](const Trigger &t) {
        if (t.ms > 0)
            return tr("after %1 ms").arg(t.ms);
        if (t.messages > 0)
            return afterMessages(t.messages);
        return tr("on connect");
    };
    if (closeCode != 0)
        parts.append(tr("close with %1 %2").arg(closeCode).arg(when(closeAfter)));
    if (abort)
        parts.append(tr("drop the connection %1").arg(when(abortAfter)));
    if (stopReading)
        parts.append(tr("stop reading %1").arg(when(stopReadingAfter)));
    if (refuseCount > 0)
        parts.append(tr("refuse %1 handshakes with %2").arg(refuseCount).arg(refuseStatus));
    if (corrupt != Corruption::None)
        parts.append(tr("corrupt message %1 (%2)")
                         .arg(corruptAt)
                         .arg(QLatin1StringView(CorruptionKeys[int(corrupt)])));
    if (slowBytesPerSecond > 0)
        parts.append(tr("send at %1 bytes/s").arg(slowBytesPerSecond));
    if (ignorePings)
        parts.append(tr("leave pings unanswered"));
    return parts.join(QLatin1StringView(", "));
}

QString FaultPlan::specHelp()
{
    return tr("Fault SPEC (repeatable; one fault each):\n"
              "  delay=MS[,jitter=MS]        delay every message sent (300, 300ms, 2s); order is kept\n"
              "  drop=PERCENT                drop that share of the messages sent (0-100)\n"
              "  fragment=N                  send each message as N frames\n"
              "  close[=CODE][,after=N|T][,reason=TEXT]  close with CODE (default 4000) after N\n"
              "                              messages sent to a client or T (500ms, 2s) after it\n"
              "                              connects; neither: right away. The reason comes last.\n"
              "  abort[,after=N|T]           drop the TCP connection without a Close frame\n"
              "  stop-reading[,after=N|T]    stop reading what a client sends (its buffers fill)\n"
              "  refuse[=K][,status=CODE]    refuse the next K handshakes (default 1, 503)\n"
              "  corrupt=utf8|opcode|rsv[,at=N]  send message N (default 1) to each client as a\n"
              "                              broken frame: invalid UTF-8, opcode 3, or RSV1-3 set\n"
              "  slow=BYTES                  send to each client at most BYTES bytes a second\n"
              "  ignore-pings                leave the clients' pings unanswered (no pong)\n"
              "  seed=N                      seed of drop and jitter (default: a new one each start)");
}

QJsonObject FaultPlan::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("delayMs"), delayMs);
    o.insert(QStringLiteral("jitterMs"), jitterMs);
    o.insert(QStringLiteral("dropPercent"), dropPercent);
    o.insert(QStringLiteral("fragments"), fragments);
    o.insert(QStringLiteral("closeCode"), closeCode);
    o.insert(QStringLiteral("closeReason"), closeReason);
    o.insert(QStringLiteral("closeAfter"), triggerJson(closeAfter));
    o.insert(QStringLiteral("abort"), abort);
    o.insert(QStringLiteral("abortAfter"), triggerJson(abortAfter));
    o.insert(QStringLiteral("stopReading"), stopReading);
    o.insert(QStringLiteral("stopReadingAfter"), triggerJson(stopReadingAfter));
    o.insert(QStringLiteral("refuseCount"), refuseCount);
    o.insert(QStringLiteral("refuseStatus"), refuseStatus);
    o.insert(QStringLiteral("corrupt"), QLatin1StringView(CorruptionKeys[int(corrupt)]));
    o.insert(QStringLiteral("corruptAt"), corruptAt);
    o.insert(QStringLiteral("slowBytesPerSecond"), slowBytesPerSecond);
    o.insert(QStringLiteral("ignorePings"), ignorePings);
    o.insert(QStringLiteral("seed"), qint64(seed));
    return o;
}

FaultPlan FaultPlan::fromJson(const QJsonObject &o, QString *error)
{
    FaultPlan plan;
    QString problem;
    auto number = [&o, &problem](const char *key, int *target) {
        const QJsonValue v = o.value(QLatin1StringView(key));
        if (v.isUndefined())
            return;
        if (!v.isDouble() && problem.isEmpty())
            problem = tr("The fault setting \u201c%1\u201d has the wrong type.").arg(QLatin1StringView(key));
        else
            *target = v.toInt();
    };
    number("delayMs", &plan.delayMs);
    number("jitterMs", &plan.jitterMs);
    number("dropPercent", &plan.dropPercent);
    number("fragments", &plan.fragments);
    number("closeCode", &plan.closeCode);
    number("refuseCount", &plan.refuseCount);
    number("refuseStatus", &plan.refuseStatus);
    number("corruptAt", &plan.corruptAt);
    number("slowBytesPerSecond", &plan.slowBytesPerSecond);
    plan.ignorePings = o.value(QLatin1StringView("ignorePings")).toBool();
    plan.closeReason = o.value(QLatin1StringView("closeReason")).toString();
    plan.abort = o.value(QLatin1StringView("abort")).toBool();
    plan.stopReading = o.value(QLatin1StringView("stopReading")).toBool();
    for (const auto &[key, trigger] :
        { std::pair { "closeAfter", &plan.closeAfter }, std::pair { "abortAfter", &plan.abortAfter },
            std::pair { "stopReadingAfter", &plan.stopReadingAfter } }) {
        const QJsonObject t = o.value(QLatin1StringView(key)).toObject();
        trigger->messages = t.value(QLatin1StringView("messages")).toInt();
        trigger->ms = t.value(QLatin1StringView("ms")).toInt();
    }
    const QString corrupt = o.value(QLatin1StringView("corrupt")).toString();
    for (int i = 0; i < int(std::size(CorruptionKeys)); ++i) {
        if (corrupt == QLatin1StringView(CorruptionKeys[i]))
            plan.corrupt = Corruption(i);
    }
    const qint64 seed = o.value(QLatin1StringView("seed")).toInteger();
    plan.seed = seed >= 0 && seed <= qint64(std::numeric_limits<quint32>::max()) ? quint32(seed) : 0;
    if (problem.isEmpty())
        problem = plan.validate();
    if (error)
        *error = problem;
    return plan;
}

QString FaultPlan::afterMessages(qint64 count)
{
    // Spelled out: the English build has no plural forms to fill "%n message(s)".
    return count == 1 ? tr("after 1 message") : tr("after %1 messages").arg(count);
}

QByteArray FaultPlan::statusLine(int status)
{
    static const std::pair<int, const char *> Reasons[]
        = { { 301, "Moved Permanently" }, { 302, "Found" }, { 400, "Bad Request" }, { 401, "Unauthorized" },
              { 403, "Forbidden" }, { 404, "Not Found" }, { 408, "Request Timeout" },
              { 426, "Upgrade Required" }, { 429, "Too Many Requests" }, { 500, "Internal Server Error" },
              { 502, "Bad Gateway" }, { 503, "Service Unavailable" }, { 504, "Gateway Timeout" } };
    QByteArray line = QByteArray::number(status) + ' ';
    for (const auto &[code, reason] : Reasons) {
        if (code == status)
            return line + reason;
    }
    return line + "Refused";
}

bool FaultPlan::isSendableCloseCode(int code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

} // namespace wst
