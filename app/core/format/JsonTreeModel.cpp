#include "JsonTreeModel.h"

#include "JsonFormat.h"

#include <QRegularExpression>

namespace wst {

namespace {

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return 0;
}

// The text of a JSON string (quotes included in [begin, end)), escapes resolved. At most
// maxBytes of UTF-8 are decoded (-1: all); *cut says whether some were left.
QString decodeString(const char *begin, const char *end, qsizetype maxBytes, bool *cut)
{
    QByteArray out;
    const char *p = begin + 1;
    const char *stop = end - 1;
    *cut = false;
    out.reserve(maxBytes < 0 ? stop - p : qMin<qsizetype>(stop - p, maxBytes + 8));
    while (p < stop) {
        if (maxBytes >= 0 && out.size() >= maxBytes) {
            *cut = true;
            break;
        }
        if (*p != '\\') {
            out.append(*p++);
            continue;
        }
        ++p;
        const char c = p < stop ? *p++ : '\\';
        switch (c) {
        case 'n':
            out.append('\n');
            break;
        case 't':
            out.append('\t');
            break;
        case 'r':
            out.append('\r');
            break;
        case 'b':
            out.append('\b');
            break;
        case 'f':
            out.append('\f');
            break;
        case 'u': {
            char32_t code = 0;
            for (int i = 0; i < 4 && p < stop; ++i)
                code = code * 16 + char32_t(hexValue(*p++));
            if (code >= 0xd800 && code < 0xdc00 && stop - p >= 6 && p[0] == '\\' && p[1] == 'u') {
                char32_t low = 0;
                for (int i = 2; i < 6; ++i)
                    low = low * 16 + char32_t(hexValue(p[i]));
                if (low >= 0xdc00 && low < 0xe000) {
                    code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
                    p += 6;
                }
            }
            out.append(QString::fromUcs4(&code, 1).toUtf8());
            break;
        }
        default:
            out.append(c);
            break; // \" \\ \/
        }
    }
    return QString::fromUtf8(out);
}

bool isIdentifier(const QString &key)
{
    static const QRegularExpression identifier(QStringLiteral("^[A-Za-z_$][A-Za-z0-9_$]*$"));
    return identifier.match(key).hasMatch();
}

} // namespace

// Reads the bytes of a valid document: where a value ends, what the children of a node are.
// Free of the model's state, so that a worker can open the root of a large document.
struct JsonTreeModel::Scanner
{
    QByteArrayView json;

    qsizetype skipSpace(qsizetype p) const;
    qsizetype skipString(qsizetype p) const;
    qsizetype skipValue(qsizetype p) const;
    Node makeNode(qsizetype begin, int parent, int row) const;
    void fetch(std::vector<Node> &nodes, int nodeIndex) const;
};

struct JsonTreeModel::Skeleton
{
    std::vector<Node> nodes;
};

JsonTreeModel::JsonTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
{
}

JsonTreeModel::~JsonTreeModel() = default;

void JsonTreeModel::setDocument(const QByteArray &json)
{
    setDocument(json, nullptr);
}

void JsonTreeModel::setDocument(const QByteArray &json, const std::shared_ptr<Skeleton> &skeleton)
{
    beginResetModel();
    m_json = json;
    m_nodes.clear();
    if (skeleton && !skeleton->nodes.empty()) {
        m_nodes.swap(skeleton->nodes); // taken, not copied: tens of thousands of nodes
    } else {
        const Scanner scan { m_json };
        const qsizetype begin = scan.skipSpace(0);
        if (begin < m_json.size())
            m_nodes.push_back(scan.makeNode(begin, -1, 0));
    }
    endResetModel();
}

void JsonTreeModel::clear()
{
    beginResetModel();
    m_json.clear();
    m_nodes.clear();
    endResetModel();
}

qsizetype JsonTreeModel::Scanner::skipSpace(qsizetype p) const
{
    const char *d = json.data();
    const qsizetype n = json.size();
    while (p < n && (d[p] == ' ' || d[p] == '\n' || d[p] == '\r' || d[p] == '\t'))
        ++p;
    return p;
}

qsizetype JsonTreeModel::Scanner::skipString(qsizetype p) const
{
    const char *d = json.data();
    const qsizetype n = json.size();
    for (++p; p < n; ++p) {
        if (d[p] == '\\')
            ++p;
        else if (d[p] == '"')
            return p + 1;
    }
    return n;
}

qsizetype JsonTreeModel::Scanner::skipValue(qsizetype p) const
{
    const char *d = json.data();
    const qsizetype n = json.size();
    if (p >= n)
        return n;
    if (d[p] == '"')
        return skipString(p);
    if (d[p] != '{' && d[p] != '[') {
        while (p < n && d[p] != ',' && d[p] != '}' && d[p] != ']' && d[p] != ' ' && d[p] != '\n'
            && d[p] != '\r' && d[p] != '\t')
            ++p;
        return p;
    }
    // Only depth matters inside a container: the document is known to be valid.
    int depth = 0;
    while (p < n) {
        const char c = d[p];
        if (c == '"') {
            p = skipString(p);
            continue;
        }
        if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            if (--depth == 0)
                return p + 1;
        }
        ++p;
    }
    return n;
}

JsonTreeModel::Node JsonTreeModel::Scanner::makeNode(qsizetype begin, int parent, int row) const
{
    Node node;
    node.begin = begin;
    node.end = skipValue(begin);
    node.parent = parent;
    node.row = row;
    switch (json.at(begin)) {
    case '{':
        node.type = Type::Object;
        break;
    case '[':
        node.type = Type::Array;
        break;
    case '"':
        node.type = Type::String;
        break;
    case 't':
    case 'f':
        node.type = Type::Bool;
        break;
    case 'n':
        node.type = Type::Null;
        break;
    default:
        node.type = Type::Number;
        break;
    }
    node.fetched = node.type != Type::Object && node.type != Type::Array;
    return node;
}

void JsonTreeModel::Scanner::fetch(std::vector<Node> &nodes, int nodeIndex) const
{
    if (nodes[nodeIndex].fetched)
        return;
    const bool object = nodes[nodeIndex].type == Type::Object;
    const qsizetype end = nodes[nodeIndex].end;
    std::vector<int> children;
    qsizetype p = skipSpace(nodes[nodeIndex].begin + 1);
    while (p < end - 1) {
        qsizetype keyBegin = -1;
        qsizetype keyEnd = -1;
        if (object) {
            keyBegin = p;
            keyEnd = skipString(p);
            p = skipSpace(keyEnd) + 1; // the colon
            p = skipSpace(p);
        }
        // nodes grows here: no reference into it is held across the push_back.
        Node child = makeNode(p, nodeIndex, int(children.size()));
        child.keyBegin = keyBegin;
        child.keyEnd = keyEnd;
        p = skipSpace(child.end);
        children.push_back(int(nodes.size()));
        nodes.push_back(std::move(child));
        if (p < end && json.at(p) == ',')
            p = skipSpace(p + 1);
        else
            break;
    }
    nodes[nodeIndex].children = std::move(children);
    nodes[nodeIndex].fetched = true;
}

void JsonTreeModel::fetch(int nodeIndex) const
{
    Scanner { m_json }.fetch(m_nodes, nodeIndex);
}

std::shared_ptr<JsonTreeModel::Skeleton> JsonTreeModel::prepare(const QByteArray &json)
{
    auto skeleton = std::make_shared<Skeleton>();
    const Scanner scan { json };
    const qsizetype begin = scan.skipSpace(0);
    if (begin < json.size()) {
        skeleton->nodes.push_back(scan.makeNode(begin, -1, 0));
        scan.fetch(skeleton->nodes, 0);
    }
    return skeleton;
}

int JsonTreeModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? int(index.internalId()) : -1;
}

QModelIndex JsonTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    const int p = nodeOf(parent);
    if (p < 0)
        return row == 0 && !m_nodes.empty() ? createIndex(0, column, quintptr(0)) : QModelIndex();
    fetch(p);
    const std::vector<int> &children = m_nodes[p].children;
    if (row >= int(children.size()))
        return {};
    return createIndex(row, column, quintptr(children[row]));
}

QModelIndex JsonTreeModel::parent(const QModelIndex &child) const
{
    const int n = nodeOf(child);
    if (n <= 0)
        return {};
    const int p = m_nodes[n].parent;
    return createIndex(m_nodes[p].row, 0, quintptr(p));
}

int JsonTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return 0;
    const int p = nodeOf(parent);
    if (p < 0)
        return m_nodes.empty() ? 0 : 1;
    fetch(p);
    return int(m_nodes[p].children.size());
}

int JsonTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool JsonTreeModel::hasChildren(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return false;
    const int p = nodeOf(parent);
    if (p < 0)
        return !m_nodes.empty();
    const Node &node = m_nodes[p];
    if (node.type != Type::Object && node.type != Type::Array)
        return false;
    // Answered without making the children: whether anything but space follows the bracket.
    return Scanner { m_json }.skipSpace(node.begin + 1) < node.end - 1;
}

QString JsonTreeModel::keyText(const Node &node) const
{
    if (node.parent < 0)
        return QStringLiteral("$");
    if (node.keyBegin < 0)
        return QLatin1Char('[') + QString::number(node.row) + QLatin1Char(']');
    bool cut = false;
    return decodeString(m_json.constData() + node.keyBegin, m_json.constData() + node.keyEnd, -1, &cut);
}

QString JsonTreeModel::preview(int nodeIndex) const
{
    const char *d = m_json.constData();
    const Node &node = m_nodes[nodeIndex];
    switch (node.type) {
    case Type::Object:
    case Type::Array: {
        // Counting the children of a big unopened node would scan megabytes for one label.
        int n = -1;
        if (node.fetched || node.end - node.begin < LazyCountBytes) {
            fetch(nodeIndex); // may move m_nodes: read it again below
            n = int(m_nodes[nodeIndex].children.size());
        }
        // Not %n: the app ships no English plural forms, so "1 key(s)" would show as written.
        if (m_nodes[nodeIndex].type == Type::Object)
            return n < 0 ? QStringLiteral("{\u2026}") : n == 1 ? tr("{1 key}") : tr("{%1 keys}").arg(n);
        return n < 0 ? QStringLiteral("[\u2026]") : n == 1 ? tr("[1 item]") : tr("[%1 items]").arg(n);
    }
    case Type::String: {
        bool cut = false;
        QString text = decodeString(d + node.begin, d + node.end, PreviewChars * 4, &cut);
        if (text.size() > PreviewChars) {
            text.truncate(PreviewChars);
            cut = true;
        }
        // One line in the tree: the line breaks of a long string show as the escapes they were.
        text.replace(u'\n', QStringLiteral("\\n"));
        text.replace(u'\r', QStringLiteral("\\r"));
        return QLatin1Char('"') + text + (cut ? QStringLiteral("\u2026") : QStringLiteral("\""));
    }
    default:
        return QString::fromUtf8(d + node.begin, node.end - node.begin);
    }
}

QVariant JsonTreeModel::data(const QModelIndex &index, int role) const
{
    const int n = nodeOf(index);
    if (n < 0 || n >= int(m_nodes.size()))
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return index.column() == KeyColumn ? keyText(m_nodes[n]) : preview(n);
    case Qt::ToolTipRole:
    case PathRole:
        return path(index);
    case TypeRole:
        return int(m_nodes[n].type);
    default:
        return {};
    }
}

QVariant JsonTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == KeyColumn ? tr("Key") : tr("Value");
}

QString JsonTreeModel::path(const QModelIndex &index) const
{
    int n = nodeOf(index);
    if (n < 0)
        return {};
    QStringList parts;
    for (; n > 0; n = m_nodes[n].parent) {
        const Node &node = m_nodes[n];
        if (node.keyBegin < 0) {
            parts.prepend(QLatin1Char('[') + QString::number(node.row) + QLatin1Char(']'));
            continue;
        }
        const QString key = keyText(node);
        if (isIdentifier(key)) {
            parts.prepend(QLatin1Char('.') + key);
        } else {
            QString quoted = key;
            quoted.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
            quoted.replace(QLatin1Char('\''), QStringLiteral("\\'"));
            parts.prepend(QStringLiteral("['") + quoted + QStringLiteral("']"));
        }
    }
    return QLatin1Char('$') + parts.join(QString());
}

QString JsonTreeModel::fieldPath(const QModelIndex &index) const
{
    int n = nodeOf(index);
    QStringList parts;
    for (; n > 0; n = m_nodes[n].parent) {
        const Node &node = m_nodes[n];
        const QString part = node.keyBegin < 0 ? QString::number(node.row) : keyText(node);
        if (part.isEmpty() || part.contains(u'.'))
            return {};
        parts.prepend(part);
    }
    return parts.join(u'.');
}

QString JsonTreeModel::valueText(const QModelIndex &index) const
{
    const int n = nodeOf(index);
    if (n < 0)
        return {};
    const Node &node = m_nodes[n];
    const QByteArrayView raw = QByteArrayView(m_json).sliced(node.begin, node.end - node.begin);
    if (node.type == Type::String) {
        bool cut = false;
        return decodeString(raw.data(), raw.data() + raw.size(), -1, &cut);
    }
    if (node.type == Type::Object || node.type == Type::Array) {
        const JsonFormat::Result pretty = JsonFormat::pretty(raw);
        if (pretty.ok)
            return QString::fromUtf8(pretty.text);
    }
    return QString::fromUtf8(raw);
}

JsonTreeModel::Type JsonTreeModel::type(const QModelIndex &index) const
{
    const int n = nodeOf(index);
    return n < 0 ? Type::Null : m_nodes[n].type;
}

} // namespace wst
