#include "SessionEnvironment.h"

#include "EnvironmentLibrary.h"

namespace wst {

SessionEnvironment::SessionEnvironment(QObject *parent)
    : QAbstractTableModel(parent)
{
    connect(this, &SessionEnvironment::changed, this, &SessionEnvironment::valuesChanged);
}

int SessionEnvironment::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SessionEnvironment::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SessionEnvironment::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const auto &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return index.column() == NameColumn ? row.first : row.second;
    case Qt::ToolTipRole:
        if (index.column() == NameColumn) {
            const QString problem = rowProblem(index.row());
            return problem.isEmpty() ? tr("Written as {{%1}} in a message").arg(row.first) : problem;
        }
        return row.second;
    default:
        return {};
    }
}

bool SessionEnvironment::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || role != Qt::EditRole || index.row() >= m_rows.size())
        return false;
    auto &row = m_rows[index.row()];
    QString text = value.toString();
    if (index.column() == NameColumn)
        text = text.trimmed();
    QString &target = index.column() == NameColumn ? row.first : row.second;
    if (target == text)
        return true;
    target = text;
    // A name decides the problems of the other rows too (duplicates).
    if (index.column() == NameColumn)
        Q_EMIT dataChanged(this->index(0, NameColumn), this->index(int(m_rows.size()) - 1, NameColumn));
    else
        Q_EMIT dataChanged(index, index);
    Q_EMIT changed();
    return true;
}

Qt::ItemFlags SessionEnvironment::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemIsEditable;
}

QVariant SessionEnvironment::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    return section == NameColumn ? tr("Name") : tr("Value");
}

bool SessionEnvironment::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > m_rows.size())
        return false;
    beginRemoveRows({}, row, row + count - 1);
    m_rows.remove(row, count);
    endRemoveRows();
    Q_EMIT changed();
    return true;
}

Variables::Environment SessionEnvironment::variables() const
{
    Variables::Environment out;
    for (const auto &row : m_rows) {
        if (!row.first.isEmpty())
            out.append(row);
    }
    return out;
}

void SessionEnvironment::setVariables(const Variables::Environment &variables)
{
    if (variables == m_rows)
        return;
    beginResetModel();
    m_rows = variables;
    endResetModel();
    Q_EMIT changed();
}

void SessionEnvironment::setValue(const QString &name, const QString &value)
{
    for (int r = 0; r < m_rows.size(); ++r) {
        if (m_rows.at(r).first == name) {
            setData(index(r, ValueColumn), value);
            return;
        }
    }
    addRow(name, value);
}

QString SessionEnvironment::value(const QString &name) const
{
    for (const auto &row : m_rows) {
        if (row.first == name)
            return row.second;
    }
    return {};
}

int SessionEnvironment::addRow(const QString &name, const QString &value)
{
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append({ name.trimmed(), value });
    endInsertRows();
    Q_EMIT changed();
    return row;
}

QString SessionEnvironment::rowProblem(int row) const
{
    const QString &name = m_rows.at(row).first;
    if (name.isEmpty())
        return m_rows.at(row).second.isEmpty() ? QString()
                                               : tr("The variable in row %1 has no name.").arg(row + 1);
    if (!Variables::isValidName(name))
        return tr("\u201c%1\u201d is not a valid name: use letters, digits, _ . and -, starting with a "
                  "letter or _.")
            .arg(name);
    if (Variables::isBuiltin(name))
        return tr("{{%1}} is built in and cannot be redefined.").arg(name);
    for (int r = 0; r < row; ++r) {
        if (m_rows.at(r).first == name)
            return tr("{{%1}} is defined twice: the first one is used.").arg(name);
    }
    return {};
}

QString SessionEnvironment::problem() const
{
    for (int r = 0; r < m_rows.size(); ++r) {
        if (const QString p = rowProblem(r); !p.isEmpty())
            return p;
    }
    return {};
}

QString SessionEnvironment::substitute(
    const QString &text, QString *error, qint64 counter, QStringList *missing) const
{
    return Variables::substitute(text, effectiveVariables(), error, counter, missing);
}

void SessionEnvironment::setLibrary(EnvironmentLibrary *library)
{
    if (m_library == library)
        return;
    if (m_library)
        m_library->disconnect(this);
    m_library = library;
    if (library)
        connect(library, &EnvironmentLibrary::changed, this, &SessionEnvironment::valuesChanged);
    Q_EMIT valuesChanged();
}

EnvironmentLibrary *SessionEnvironment::library() const
{
    return m_library;
}

void SessionEnvironment::setActiveName(const QString &name)
{
    if (m_activeName == name)
        return;
    m_activeName = name;
    Q_EMIT activeNameChanged(name);
    Q_EMIT changed();
}

Variables::Environment SessionEnvironment::effectiveVariables() const
{
    // Variables::substitute takes the first of a name: the session's come first.
    Variables::Environment out = variables();
    if (m_library && !m_activeName.isEmpty())
        out += m_library->variables(m_activeName);
    return out;
}

QJsonArray SessionEnvironment::toJson() const
{
    return Variables::toJson(variables());
}

bool SessionEnvironment::fromJson(const QJsonArray &array, QString *error)
{
    QString problem;
    setVariables(Variables::fromJson(array, &problem));
    if (error)
        *error = problem;
    return problem.isEmpty();
}

} // namespace wst
