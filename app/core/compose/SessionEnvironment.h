#pragma once

#include "Variables.h"

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QPointer>

namespace wst {

class EnvironmentLibrary;

// The variables of a session ({{name}} → value), shared by every client tab of the window and
// edited as a two-column table (name, value). Saved with the session: toJson()/fromJson().
//
// On top of them, the window's active named environment (EnvironmentLibrary), saved with the
// session by name. A session variable wins over the active environment's variable of the same
// name: the session is the more specific of the two (one window's work, where an environment is
// shared by all), as in Postman, where the narrower scope wins.
class SessionEnvironment : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, ValueColumn, ColumnCount };

    explicit SessionEnvironment(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;

    // Rows with an empty name are kept in the table (being typed) but are not variables.
    Variables::Environment variables() const;
    void setVariables(const Variables::Environment &variables);
    // Sets (or adds) one variable.
    void setValue(const QString &name, const QString &value);
    QString value(const QString &name) const;
    // Returns the new row.
    int addRow(const QString &name = {}, const QString &value = {});

    // What is wrong with the row's name (invalid, built in, defined twice), or empty.
    QString rowProblem(int row) const;
    // The first row problem, or empty.
    QString problem() const;

    // Substitutes with these variables (see Variables::substitute).
    QString substitute(
        const QString &text, QString *error, qint64 counter = 1, QStringList *missing = nullptr) const;

    // Where named environments come from (none: no active environment is used).
    void setLibrary(EnvironmentLibrary *library);
    EnvironmentLibrary *library() const;
    // The active environment's name, or empty. A name the library does not have (deleted, or
    // a session from another machine) is kept and adds no variables.
    void setActiveName(const QString &name);
    QString activeName() const { return m_activeName; }
    // What substitute() uses: the session's variables, then the active environment's.
    Variables::Environment effectiveVariables() const;

    QJsonArray toJson() const;
    bool fromJson(const QJsonArray &array, QString *error = nullptr);

Q_SIGNALS:
    // The session's variables or the active environment's name changed (saved with the session).
    void changed();
    void activeNameChanged(const QString &name);
    // Anything substitute() depends on changed: changed(), or the active environment's variables.
    void valuesChanged();

private:
    Variables::Environment m_rows;
    QPointer<EnvironmentLibrary> m_library;
    QString m_activeName;
};

} // namespace wst
