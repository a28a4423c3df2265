#include "FilterExpression.h"

#include "format/JsonPath.h"

#include <QList>

namespace wst {

struct FilterExpression::Node
{
    enum class Type { Exists, Compare, Not, And, Or };
    enum class Op { Eq, Ne, Lt, Le, Gt, Ge, Contains };
    Type type = Type::Exists;
    Op op = Op::Eq;
    std::optional<JsonPath> path;
    QJsonValue literal;
    std::shared_ptr<const Node> left;
    std::shared_ptr<const Node> right;
};

namespace {

using Node = FilterExpression::Node;

bool isOperatorChar(QChar c)
{
    return c == u'=' || c == u'!' || c == u'<' || c == u'>' || c == u'~' || c == u'&' || c == u'|'
        || c == u')' || c == u'(';
}

// A number as a whole string ("100.5", "-3e2"), for comparing string values with numbers.
std::optional<double> numberOf(const QJsonValue &value)
{
    if (value.isDouble())
        return value.toDouble();
    if (value.isString()) {
        bool ok = false;
        const double d = value.toString().trimmed().toDouble(&ok);
        if (ok)
            return d;
    }
    return std::nullopt;
}

bool equals(const QJsonValue &value, const QJsonValue &literal)
{
    if (literal.isDouble()) {
        const std::optional<double> n = numberOf(value);
        return n && *n == literal.toDouble();
    }
    return value == literal;
}

// -1, 0, 1, or nothing when the two cannot be ordered.
std::optional<int> order(const QJsonValue &value, const QJsonValue &literal)
{
    if (literal.isDouble()) {
        const std::optional<double> n = numberOf(value);
        if (!n)
            return std::nullopt;
        const double l = literal.toDouble();
        return *n < l ? -1 : (*n > l ? 1 : 0);
    }
    if (literal.isString() && value.isString()) {
        const int c = value.toString().compare(literal.toString());
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    return std::nullopt;
}

bool compareOne(Node::Op op, const QJsonValue &value, const QJsonValue &literal)
{
    switch (op) {
    case Node::Op::Eq:
        return equals(value, literal);
    case Node::Op::Ne:
        return !equals(value, literal);
    case Node::Op::Contains:
        return JsonPath::scalarText(value).contains(JsonPath::scalarText(literal), Qt::CaseInsensitive);
    case Node::Op::Lt:
    case Node::Op::Le:
    case Node::Op::Gt:
    case Node::Op::Ge: {
        const std::optional<int> o = order(value, literal);
        if (!o)
            return false;
        return op == Node::Op::Lt ? *o < 0
            : op == Node::Op::Le  ? *o <= 0
            : op == Node::Op::Gt  ? *o > 0
                                  : *o >= 0;
    }
    }
    return false;
}

bool evaluate(const Node &node, const QJsonValue &document)
{
    switch (node.type) {
    case Node::Type::Exists:
        return !node.path->evaluate(document).isEmpty();
    case Node::Type::Compare: {
        const QList<QJsonValue> values = node.path->evaluate(document);
        if (node.op == Node::Op::Ne) {
            // "not equal to": none of the selected values equals it (nothing selected passes).
            for (const QJsonValue &v : values) {
                if (equals(v, node.literal))
                    return false;
            }
            return true;
        }
        for (const QJsonValue &v : values) {
            if (compareOne(node.op, v, node.literal))
                return true;
        }
        return false;
    }
    case Node::Type::Not:
        return !evaluate(*node.left, document);
    case Node::Type::And:
        return evaluate(*node.left, document) && evaluate(*node.right, document);
    case Node::Type::Or:
        return evaluate(*node.left, document) || evaluate(*node.right, document);
    }
    return false;
}

class Parser
{
    Q_DECLARE_TR_FUNCTIONS(FilterExpression)
public:
    explicit Parser(const QString &text)
        : m_text(text)
    {
    }

    std::shared_ptr<const Node> parse(QString *error)
    {
        std::shared_ptr<const Node> root = parseOr(0);
        if (root) {
            skipSpaces();
            if (m_at < m_text.size()) {
                fail(tr("unexpected \"%1\" after the end of the expression").arg(m_text.mid(m_at, 12)));
                root.reset();
            }
        }
        if (!root) {
            *error = tr("position %1: %2").arg(m_errorAt + 1).arg(m_error);
            return nullptr;
        }
        error->clear();
        return root;
    }

private:
    void skipSpaces()
    {
        while (m_at < m_text.size() && m_text.at(m_at).isSpace())
            ++m_at;
    }
    std::nullptr_t fail(const QString &what, qsizetype at = -1)
    {
        if (m_error.isEmpty()) {
            m_error = what;
            m_errorAt = at >= 0 ? at : m_at;
        }
        return nullptr;
    }
    // A keyword ("and", "or", "not") followed by something that cannot continue a word.
    bool takeWord(QLatin1StringView word)
    {
        if (!QStringView(m_text).mid(m_at).startsWith(word, Qt::CaseInsensitive))
            return false;
        const qsizetype end = m_at + word.size();
        if (end < m_text.size() && (m_text.at(end).isLetterOrNumber() || m_text.at(end) == u'_'))
            return false;
        m_at = end;
        return true;
    }
    bool take(QLatin1StringView symbol)
    {
        if (!QStringView(m_text).mid(m_at).startsWith(symbol))
            return false;
        m_at += symbol.size();
        return true;
    }

    std::shared_ptr<const Node> parseOr(int depth)
    {
        std::shared_ptr<const Node> left = parseAnd(depth);
        while (left) {
            skipSpaces();
            if (!take(QLatin1StringView("||")) && !takeWord(QLatin1StringView("or")))
                break;
            std::shared_ptr<const Node> right = parseAnd(depth);
            if (!right)
                return nullptr;
            auto node = std::make_shared<Node>();
            node->type = Node::Type::Or;
            node->left = std::move(left);
            node->right = std::move(right);
            left = std::move(node);
        }
        return left;
    }

    std::shared_ptr<const Node> parseAnd(int depth)
    {
        std::shared_ptr<const Node> left = parseUnary(depth);
        while (left) {
            skipSpaces();
            if (!take(QLatin1StringView("&&")) && !takeWord(QLatin1StringView("and")))
                break;
            std::shared_ptr<const Node> right = parseUnary(depth);
            if (!right)
                return nullptr;
            auto node = std::make_shared<Node>();
            node->type = Node::Type::And;
            node->left = std::move(left);
            node->right = std::move(right);
            left = std::move(node);
        }
        return left;
    }

    std::shared_ptr<const Node> parseUnary(int depth)
    {
        if (depth >= FilterExpression::MaxDepth)
            return fail(tr("nested more than %1 deep").arg(FilterExpression::MaxDepth));
        skipSpaces();
        const bool bang = m_at < m_text.size() && m_text.at(m_at) == u'!';
        if (bang || takeWord(QLatin1StringView("not"))) {
            if (bang)
                ++m_at;
            std::shared_ptr<const Node> inner = parseUnary(depth + 1);
            if (!inner)
                return nullptr;
            auto node = std::make_shared<Node>();
            node->type = Node::Type::Not;
            node->left = std::move(inner);
            return node;
        }
        if (m_at < m_text.size() && m_text.at(m_at) == u'(') {
            const qsizetype open = m_at;
            ++m_at;
            std::shared_ptr<const Node> inner = parseOr(depth + 1);
            if (!inner)
                return nullptr;
            skipSpaces();
            if (!take(QLatin1StringView(")")))
                return fail(tr("expected \")\" to close the \"(\" at position %1").arg(open + 1));
            return inner;
        }
        return parseCondition();
    }

    std::shared_ptr<const Node> parseCondition()
    {
        skipSpaces();
        if (m_at >= m_text.size())
            return fail(tr("expected a JSON path such as $.type"));
        if (m_text.at(m_at) != u'$')
            return fail(tr("expected a JSON path such as $.type, found \"%1\"").arg(m_text.mid(m_at, 12)));
        const qsizetype start = m_at;
        // The path runs to a space or an operator outside brackets and quotes.
        int brackets = 0;
        QChar quote;
        while (m_at < m_text.size()) {
            const QChar c = m_text.at(m_at);
            if (!quote.isNull()) {
                if (c == u'\\')
                    ++m_at;
                else if (c == quote)
                    quote = QChar();
            } else if (c == u'[') {
                ++brackets;
            } else if (c == u']') {
                --brackets;
            } else if (brackets > 0 && (c == u'\'' || c == u'"')) {
                quote = c;
            } else if (brackets <= 0 && (c.isSpace() || isOperatorChar(c))) {
                break;
            }
            ++m_at;
        }
        m_at = qMin(m_at, m_text.size());
        QString pathError;
        std::optional<JsonPath> path = JsonPath::parse(m_text.mid(start, m_at - start), &pathError);
        if (!path) {
            // JsonPath says "position N: ..." within the path: say it within the expression.
            qsizetype inner = 0;
            QString cause = pathError;
            const qsizetype colon = pathError.indexOf(u':');
            if (colon > 0) {
                bool ok = false;
                const QString head = pathError.left(colon);
                const qsizetype number = head.section(u' ', -1).toLongLong(&ok);
                if (ok && number > 0) {
                    inner = number - 1;
                    cause = pathError.mid(colon + 1).trimmed();
                }
            }
            return fail(tr("in the path: %1").arg(cause), start + inner);
        }
        auto node = std::make_shared<Node>();
        node->path = std::move(path);
        skipSpaces();
        struct Symbol
        {
            const char *text;
            Node::Op op;
        };
        static constexpr Symbol symbols[] = { { "==", Node::Op::Eq }, { "!=", Node::Op::Ne },
            { "<=", Node::Op::Le }, { ">=", Node::Op::Ge }, { "~=", Node::Op::Contains },
            { "<", Node::Op::Lt }, { ">", Node::Op::Gt } };
        const qsizetype opAt = m_at;
        for (const Symbol &s : symbols) {
            if (take(QLatin1StringView(s.text))) {
                node->type = Node::Type::Compare;
                node->op = s.op;
                break;
            }
        }
        if (node->type == Node::Type::Exists) {
            if (m_at < m_text.size() && m_text.at(m_at) == u'=')
                return fail(tr("\"=\" is not an operator: compare with \"==\""));
            return node;
        }
        const QString opText = m_text.mid(opAt, m_at - opAt);
        skipSpaces();
        std::optional<QJsonValue> literal = parseLiteral(opText);
        if (!literal)
            return nullptr;
        node->literal = *literal;
        return node;
    }

    std::optional<QJsonValue> parseLiteral(const QString &opText)
    {
        if (m_at >= m_text.size()) {
            fail(tr("expected a value after \"%1\"").arg(opText));
            return std::nullopt;
        }
        const QChar c = m_text.at(m_at);
        if (c == u'"' || c == u'\'') {
            const qsizetype open = m_at;
            ++m_at;
            QString value;
            while (m_at < m_text.size() && m_text.at(m_at) != c) {
                QChar ch = m_text.at(m_at);
                if (ch == u'\\') {
                    ++m_at;
                    if (m_at >= m_text.size())
                        break;
                    ch = m_text.at(m_at);
                    if (ch == u'n')
                        ch = u'\n';
                    else if (ch == u't')
                        ch = u'\t';
                }
                value += ch;
                ++m_at;
            }
            if (m_at >= m_text.size()) {
                fail(tr("the string that starts here is not closed"), open);
                return std::nullopt;
            }
            ++m_at;
            return QJsonValue(value);
        }
        const qsizetype start = m_at;
        while (m_at < m_text.size() && !m_text.at(m_at).isSpace() && !isOperatorChar(m_text.at(m_at)))
            ++m_at;
        const QString word = m_text.mid(start, m_at - start);
        if (word == QLatin1StringView("true"))
            return QJsonValue(true);
        if (word == QLatin1StringView("false"))
            return QJsonValue(false);
        if (word == QLatin1StringView("null"))
            return QJsonValue(QJsonValue::Null);
        bool ok = false;
        const double number = word.toDouble(&ok);
        if (ok && !word.isEmpty())
            return QJsonValue(number);
        if (word.isEmpty())
            fail(tr("expected a value after \"%1\"").arg(opText), start);
        else
            fail(tr("\"%1\" is not a value: quote text (\"%1\"), or write a number, true, false or null")
                     .arg(word),
                start);
        return std::nullopt;
    }

    const QString &m_text;
    qsizetype m_at = 0;
    QString m_error;
    qsizetype m_errorAt = 0;
};

} // namespace

bool FilterExpression::looksLikeExpression(const QString &text)
{
    QStringView t = QStringView(text).trimmed();
    while (!t.isEmpty() && (t.front() == u'(' || t.front() == u'!'))
        t = t.mid(1).trimmed();
    if (t.startsWith(QLatin1StringView("not "), Qt::CaseInsensitive))
        t = t.mid(4).trimmed();
    return t.startsWith(u'$');
}

std::optional<FilterExpression> FilterExpression::parse(const QString &text, QString *error)
{
    Parser parser(text);
    std::shared_ptr<const Node> root = parser.parse(error);
    if (!root) {
        // One line, whatever the text held (a quoted token can carry a line break).
        for (QChar &c : *error) {
            if (c.category() == QChar::Other_Control)
                c = u' ';
        }
        return std::nullopt;
    }
    FilterExpression expression;
    expression.m_text = text;
    expression.m_root = std::move(root);
    return expression;
}

bool FilterExpression::matches(const QJsonValue &document) const
{
    return m_root && evaluate(*m_root, document);
}

namespace {

void collectRequired(const Node &node, QList<QByteArray> *out)
{
    if (node.type == Node::Type::And) {
        collectRequired(*node.left, out);
        collectRequired(*node.right, out);
        return;
    }
    // A string equals the literal only when it is that string (equals()), which JSON writes
    // between quotes and, for these characters, without any escape but backslash-u.
    if (node.type != Node::Type::Compare || node.op != Node::Op::Eq || !node.literal.isString())
        return;
    const QString literal = node.literal.toString();
    for (const QChar c : literal) {
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && !QStringView(u" _.:-@#").contains(c))
            return;
    }
    out->append('"' + literal.toLatin1() + '"');
}

} // namespace

QList<QByteArray> FilterExpression::requiredText() const
{
    QList<QByteArray> out;
    if (m_root)
        collectRequired(*m_root, &out);
    return out;
}

} // namespace wst
