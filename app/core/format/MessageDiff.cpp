#include "MessageDiff.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>

#include <vector>

namespace wst {

namespace {

struct JsonDiffer
{
    QList<MessageDiff::JsonChange> changes;
    int max = 0;
    bool truncated = false;

    void add(
        MessageDiff::JsonChange::Type type, const QString &path, const QJsonValue &a, const QJsonValue &b)
    {
        if (changes.size() >= max) {
            truncated = true;
            return;
        }
        changes.append({ type, path, a, b });
    }

    void diff(const QJsonValue &a, const QJsonValue &b, const QString &path)
    {
        if (truncated)
            return;
        if (a.isObject() && b.isObject()) {
            const QJsonObject oa = a.toObject();
            const QJsonObject ob = b.toObject();
            // QJsonObject iterates in key order, so both walk the same order.
            for (auto it = oa.begin(); it != oa.end(); ++it) {
                const QString step = path + MessageDiff::memberStep(it.key());
                const auto other = ob.constFind(it.key());
                if (other == ob.constEnd())
                    add(MessageDiff::JsonChange::Type::Removed, step, it.value(),
                        QJsonValue(QJsonValue::Undefined));
                else
                    diff(it.value(), other.value(), step);
            }
            for (auto it = ob.begin(); it != ob.end(); ++it) {
                if (!oa.contains(it.key()))
                    add(MessageDiff::JsonChange::Type::Added, path + MessageDiff::memberStep(it.key()),
                        QJsonValue(QJsonValue::Undefined), it.value());
            }
            return;
        }
        if (a.isArray() && b.isArray()) {
            const QJsonArray aa = a.toArray();
            const QJsonArray ab = b.toArray();
            const qsizetype common = qMin(aa.size(), ab.size());
            for (qsizetype i = 0; i < common; ++i)
                diff(aa.at(i), ab.at(i), path + u'[' + QString::number(i) + u']');
            for (qsizetype i = common; i < aa.size(); ++i)
                add(MessageDiff::JsonChange::Type::Removed, path + u'[' + QString::number(i) + u']', aa.at(i),
                    QJsonValue(QJsonValue::Undefined));
            for (qsizetype i = common; i < ab.size(); ++i)
                add(MessageDiff::JsonChange::Type::Added, path + u'[' + QString::number(i) + u']',
                    QJsonValue(QJsonValue::Undefined), ab.at(i));
            return;
        }
        if (a != b)
            add(MessageDiff::JsonChange::Type::Changed, path, a, b);
    }
};

QList<QStringView> splitLines(const QString &text)
{
    QList<QStringView> lines;
    if (text.isEmpty())
        return lines;
    qsizetype start = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i) == u'\n') {
            qsizetype end = i;
            if (end > start && text.at(end - 1) == u'\r')
                --end;
            lines.append(QStringView(text).mid(start, end - start));
            start = i + 1;
        }
    }
    if (start < text.size())
        lines.append(QStringView(text).mid(start));
    return lines;
}

} // namespace

QString MessageDiff::memberStep(const QString &name)
{
    bool plain = !name.isEmpty() && name.front() != u'*' && name.front() != u'$';
    for (const QChar c : name) {
        if (!plain)
            break;
        plain = c != u'.' && c != u'[' && c != u']' && c != u'\'' && c != u'"' && c != u'\\' && !c.isSpace();
    }
    if (plain)
        return u'.' + name;
    QString escaped = name;
    escaped.replace(u'\\', QStringLiteral("\\\\")).replace(u'\'', QStringLiteral("\\'"));
    return QStringLiteral("['") + escaped + QStringLiteral("']");
}

QList<MessageDiff::JsonChange> MessageDiff::diffJson(
    const QJsonValue &before, const QJsonValue &after, int maxChanges, bool *truncated)
{
    JsonDiffer differ;
    differ.max = qMax(0, maxChanges);
    differ.diff(before, after, QStringLiteral("$"));
    if (truncated)
        *truncated = differ.truncated;
    return differ.changes;
}

MessageDiff::TextResult MessageDiff::diffText(const QString &before, const QString &after, int maxEdits)
{
    TextResult result;
    const QList<QStringView> a = splitLines(before);
    const QList<QStringView> b = splitLines(after);
    // The common head and tail cost nothing to keep out of the search.
    qsizetype head = 0;
    while (head < a.size() && head < b.size() && a.at(head) == b.at(head))
        ++head;
    qsizetype tail = 0;
    while (tail < a.size() - head && tail < b.size() - head
        && a.at(a.size() - 1 - tail) == b.at(b.size() - 1 - tail))
        ++tail;
    const int n = int(a.size() - head - tail);
    const int m = int(b.size() - head - tail);
    if (qint64(n) + m > qint64(INT_MAX / 4)) {
        result.problem = tr("The messages are too long to compare line by line.");
        return result;
    }
    // Lines as numbers: equal lines, equal numbers.
    QHash<QStringView, int> ids;
    std::vector<int> x(static_cast<size_t>(n));
    std::vector<int> y(static_cast<size_t>(m));
    for (int i = 0; i < n; ++i) {
        auto it = ids.constFind(a.at(head + i));
        if (it == ids.constEnd())
            it = ids.insert(a.at(head + i), int(ids.size()));
        x[size_t(i)] = it.value();
    }
    for (int j = 0; j < m; ++j) {
        auto it = ids.constFind(b.at(head + j));
        y[size_t(j)] = it == ids.constEnd() ? -1 - j : it.value();
    }

    // Myers: V[k] is the furthest x on diagonal k after d edits; trace keeps V before each d.
    const int maxD = qMin(n + m, qMax(0, maxEdits));
    const int offset = maxD + 1;
    std::vector<int> v(size_t(2 * offset + 1), 0);
    std::vector<std::vector<int>> trace;
    int found = -1;
    for (int d = 0; d <= maxD && found < 0; ++d) {
        trace.emplace_back(v.begin() + (offset - d - 1), v.begin() + (offset + d + 2));
        for (int k = -d; k <= d; k += 2) {
            int px;
            if (k == -d || (k != d && v[size_t(offset + k - 1)] < v[size_t(offset + k + 1)]))
                px = v[size_t(offset + k + 1)];
            else
                px = v[size_t(offset + k - 1)] + 1;
            int py = px - k;
            while (px < n && py < m && x[size_t(px)] == y[size_t(py)]) {
                ++px;
                ++py;
            }
            v[size_t(offset + k)] = px;
            if (px >= n && py >= m) {
                found = d;
                break;
            }
        }
    }
    if (found < 0) {
        result.problem = tr("The messages differ in more than %1 lines: too many to compare line by line.")
                             .arg(QLocale().toString(maxEdits));
        return result;
    }

    // Walk back from the end, collecting the edit script in reverse.
    QList<Line> middle;
    int cx = n;
    int cy = m;
    for (int d = found; d >= 0; --d) {
        const std::vector<int> &t = trace[size_t(d)];
        const auto at = [&t, d](int k) { return t[size_t(k + d + 1)]; };
        const int k = cx - cy;
        const int prevK = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1;
        const int prevX = d == 0 ? 0 : at(prevK);
        const int prevY = d == 0 ? 0 : prevX - prevK;
        while (cx > prevX && cy > prevY) {
            middle.append({ Line::Op::Same, a.at(head + cx - 1).toString(), int(head) + cx, int(head) + cy });
            --cx;
            --cy;
        }
        if (d > 0) {
            if (cx == prevX)
                middle.append({ Line::Op::Added, b.at(head + cy - 1).toString(), -1, int(head) + cy });
            else
                middle.append({ Line::Op::Removed, a.at(head + cx - 1).toString(), int(head) + cx, -1 });
        }
        cx = prevX;
        cy = prevY;
    }
    result.lines.reserve(head + middle.size() + tail);
    for (qsizetype i = 0; i < head; ++i)
        result.lines.append({ Line::Op::Same, a.at(i).toString(), int(i) + 1, int(i) + 1 });
    for (qsizetype i = middle.size() - 1; i >= 0; --i)
        result.lines.append(middle.at(i));
    for (qsizetype i = tail; i > 0; --i)
        result.lines.append(
            { Line::Op::Same, a.at(a.size() - i).toString(), int(a.size() - i) + 1, int(b.size() - i) + 1 });
    return result;
}

} // namespace wst
