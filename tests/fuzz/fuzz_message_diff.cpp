// The message diff on two inputs (split at the first NUL byte): key by key when both parse as
// JSON, line by line always, with a small edit budget so that giving up is exercised too. The
// line diff must rebuild both sides exactly.
#include "FuzzSupport.h"
#include "format/JsonPath.h"
#include "format/MessageDiff.h"

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    wst::fuzz::ensureApplication();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace wst;
    const QByteArray all(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype split = all.indexOf('\0');
    const QByteArray a = split < 0 ? all : all.left(split);
    const QByteArray b = split < 0 ? QByteArray() : all.mid(split + 1);
    const QJsonValue ja = JsonPath::parseDocument(a);
    const QJsonValue jb = JsonPath::parseDocument(b);
    if (!ja.isUndefined() && !jb.isUndefined()) {
        bool truncated = false;
        const QList<MessageDiff::JsonChange> changes = MessageDiff::diffJson(ja, jb, 1000, &truncated);
        if (changes.size() > 1000 || (ja == jb && !changes.isEmpty()))
            abort();
    }
    const QString ta = QString::fromUtf8(a);
    const QString tb = QString::fromUtf8(b);
    const MessageDiff::TextResult r = MessageDiff::diffText(ta, tb, 200);
    if (!r.problem.isEmpty())
        return 0;
    QStringList left, right;
    for (const MessageDiff::Line &l : r.lines) {
        if (l.op != MessageDiff::Line::Op::Added)
            left << l.text;
        if (l.op != MessageDiff::Line::Op::Removed)
            right << l.text;
    }
    // Lines as the diff reads them: split at \n, a \r before it dropped, no last empty line.
    const auto lines = [](QString text) {
        text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
        QStringList l = text.split(u'\n');
        if (!l.isEmpty() && l.last().isEmpty())
            l.removeLast();
        return l;
    };
    if (left != lines(ta) || right != lines(tb))
        abort();
    return 0;
}
