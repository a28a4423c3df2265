#pragma once

#include <QAbstractItemModel>
#include <QByteArray>

#include <memory>
#include <vector>

namespace wst {

// A tree of one JSON document (key, value) that reads the document's bytes as they are and
// makes the children of a node only when they are first asked for: a 10 MB message costs one
// row until the user opens it, and opening a node scans only that node's bytes. The document
// must be valid JSON (JsonFormat::check); the model does not check it again.
class JsonTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { KeyColumn, ValueColumn, ColumnCount };
    enum Role { PathRole = Qt::UserRole + 1, TypeRole };
    enum class Type { Object, Array, String, Number, Bool, Null };
    Q_ENUM(Type)

    explicit JsonTreeModel(QObject *parent = nullptr);
    ~JsonTreeModel() override;

    void setDocument(const QByteArray &json);
    // The root of a document and its children, made on any thread (a worker, for a large one)
    // and handed to setDocument, which takes its nodes: the GUI thread never scans the whole
    // document to show it.
    struct Skeleton;
    static std::shared_ptr<Skeleton> prepare(const QByteArray &json);
    void setDocument(const QByteArray &json, const std::shared_ptr<Skeleton> &skeleton);
    void clear();
    QByteArray document() const { return m_json; }

    // "$.data.items[3].price" (JSONPath; keys that are not identifiers as ['a key']).
    QString path(const QModelIndex &index) const;
    // The reply rules' dotted form ("data.items.3.price"); empty for the root or when a key
    // holds a dot (that form cannot name it).
    QString fieldPath(const QModelIndex &index) const;
    // A string decoded; a number, true, false or null as written; an object or array as JSON.
    QString valueText(const QModelIndex &index) const;
    Type type(const QModelIndex &index) const;
    // The node's children made so far and in all: what laziness costs (for tests and the bench).
    qsizetype nodeCount() const { return qsizetype(m_nodes.size()); }

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Longer strings are cut in the value column (the whole value is one copy away).
    static constexpr qsizetype PreviewChars = 200;
    // Above this size an unopened object or array shows no count in its value column.
    static constexpr qsizetype LazyCountBytes = 1 << 20;

private:
    struct Node
    {
        qsizetype keyBegin = -1; // the key's opening quote, or -1 (root, array items)
        qsizetype keyEnd = -1;
        qsizetype begin = 0; // the value's first byte
        qsizetype end = 0; // one past its last byte
        int parent = -1;
        int row = 0;
        Type type = Type::Null;
        bool fetched = false;
        std::vector<int> children;
    };

    struct Scanner;

    int nodeOf(const QModelIndex &index) const;
    void fetch(int node) const;
    QString keyText(const Node &node) const;
    QString preview(int nodeIndex) const;

    QByteArray m_json;
    mutable std::vector<Node> m_nodes; // made on demand: children appear when first asked for
};

} // namespace wst
