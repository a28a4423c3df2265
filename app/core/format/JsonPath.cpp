#include "JsonPath.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace wst {

namespace {

void descendantsOf(const QJsonValue &node, QList<QJsonValue> *out)
{
    out->append(node);
    if (node.isObject()) {
        const QJsonObject o = node.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            descendantsOf(it.value(), out);
    } else if (node.isArray()) {
        const QJsonArray a = node.toArray();
        for (const QJsonValue &v : a)
            descendantsOf(v, out);
    }
}

bool isNameChar(QChar c)
{
    return c != u'.' && c != u'[' && c != u']' && !c.isSpace();
}

} // namespace

std::optional<JsonPath> JsonPath::parse(const QString &text, QString *error)
{
    JsonPath path;
    path.m_text = text;
    if (!text.startsWith(u'$')) {
        // The reply rules' dotted form: every part is a name, kept exactly as written.
        if (text.trimmed().isEmpty()) {
            *error = tr("the path is empty");
            return std::nullopt;
        }
        for (const QString &part : text.split(u'.'))
            path.m_segments.append({ Segment::Type::Member, false, part, 0 });
        error->clear();
        return path;
    }
    qsizetype i = 1;
    const qsizetype n = text.size();
    auto fail = [&](const QString &what) {
        *error = tr("position %1: %2").arg(i + 1).arg(what);
        return std::nullopt;
    };
    while (i < n) {
        Segment segment;
        const QChar c = text.at(i);
        if (c == u'.') {
            ++i;
            if (i < n && text.at(i) == u'.') {
                segment.descendants = true;
                ++i;
            }
            if (i < n && text.at(i) == u'[' && segment.descendants) {
                // "..[0]" or "..['a']": handled as a bracket below, carrying the flag.
            } else if (i < n && text.at(i) == u'*') {
                segment.type = Segment::Type::Wildcard;
                ++i;
                path.m_segments.append(segment);
                continue;
            } else {
                const qsizetype start = i;
                while (i < n && isNameChar(text.at(i)))
                    ++i;
                if (i == start)
                    return fail(tr("expected a member name after \".\""));
                segment.name = text.mid(start, i - start);
                path.m_segments.append(segment);
                continue;
            }
        }
        if (i >= n || text.at(i) != u'[')
            return fail(tr("expected \".\" or \"[\""));
        ++i; // '['
        if (i < n && (text.at(i) == u'\'' || text.at(i) == u'"')) {
            const QChar quote = text.at(i++);
            QString name;
            bool closed = false;
            while (i < n) {
                QChar ch = text.at(i++);
                if (ch == u'\\' && i < n) {
                    name.append(text.at(i++));
                } else if (ch == quote) {
                    closed = true;
                    break;
                } else {
                    name.append(ch);
                }
            }
            if (!closed)
                return fail(tr("the quoted name is not closed"));
            segment.name = name;
        } else if (i < n && text.at(i) == u'*') {
            segment.type = Segment::Type::Wildcard;
            ++i;
        } else {
            const qsizetype start = i;
            if (i < n && text.at(i) == u'-')
                ++i;
            while (i < n && text.at(i).isDigit())
                ++i;
            bool ok = false;
            segment.index = text.mid(start, i - start).toLongLong(&ok);
            if (!ok)
                return fail(tr("expected an index, \"*\" or a quoted name in brackets"));
            segment.type = Segment::Type::Index;
        }
        if (i >= n || text.at(i) != u']')
            return fail(tr("expected \"]\""));
        ++i;
        path.m_segments.append(segment);
    }
    error->clear();
    return path;
}

void JsonPath::select(const Segment &segment, const QJsonValue &node, QList<QJsonValue> *out)
{
    switch (segment.type) {
    case Segment::Type::Member:
        if (node.isObject()) {
            const QJsonObject o = node.toObject();
            const auto it = o.constFind(segment.name);
            if (it != o.constEnd())
                out->append(it.value());
        } else if (node.isArray()) {
            // "items.0" in the dotted form, and "$.items.0" alike: a number names an element.
            bool ok = false;
            const int index = segment.name.toInt(&ok);
            const QJsonArray a = node.toArray();
            if (ok && index >= 0 && index < a.size())
                out->append(a.at(index));
        }
        break;
    case Segment::Type::Index:
        if (node.isArray()) {
            const QJsonArray a = node.toArray();
            const qsizetype index = segment.index < 0 ? a.size() + segment.index : segment.index;
            if (index >= 0 && index < a.size())
                out->append(a.at(index));
        }
        break;
    case Segment::Type::Wildcard:
        if (node.isObject()) {
            const QJsonObject o = node.toObject();
            for (auto it = o.begin(); it != o.end(); ++it)
                out->append(it.value());
        } else if (node.isArray()) {
            const QJsonArray a = node.toArray();
            for (const QJsonValue &v : a)
                out->append(v);
        }
        break;
    }
}

QList<QJsonValue> JsonPath::evaluate(const QJsonValue &root) const
{
    if (root.isUndefined())
        return {};
    QList<QJsonValue> current { root };
    for (const Segment &segment : m_segments) {
        QList<QJsonValue> next;
        for (const QJsonValue &node : std::as_const(current)) {
            if (segment.descendants) {
                QList<QJsonValue> all;
                descendantsOf(node, &all);
                for (const QJsonValue &v : std::as_const(all))
                    select(segment, v, &next);
            } else {
                select(segment, node, &next);
            }
        }
        current = std::move(next);
        if (current.isEmpty())
            break;
    }
    return current;
}

QJsonValue JsonPath::first(const QJsonValue &root) const
{
    const QList<QJsonValue> all = evaluate(root);
    return all.isEmpty() ? QJsonValue(QJsonValue::Undefined) : all.first();
}

QJsonValue JsonPath::parseDocument(const QByteArray &utf8)
{
    // Wrapped in an array so that a scalar document ("42", "\"x\"") is a value too.
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson("[" + utf8 + "]", &error);
    if (error.error != QJsonParseError::NoError || doc.array().size() != 1)
        return QJsonValue(QJsonValue::Undefined);
    return doc.array().first();
}

QString JsonPath::scalarText(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::String:
        return v.toString();
    case QJsonValue::Bool:
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Double:
        return QString::fromUtf8(
            QJsonDocument(QJsonArray { v }).toJson(QJsonDocument::Compact).mid(1).chopped(1));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

} // namespace wst
