#pragma once

#include "Variables.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>

#include <optional>

namespace wst {

struct EnvironmentVariable
{
    QString name;
    QString value; // a secret's value is held here in memory, never written to its file
    bool secret = false;
    bool operator==(const EnvironmentVariable &other) const = default;
};

// A named set of variables ("local", "staging"), one plain JSON file each, made to be kept in Git:
// pretty-printed, keys in a stable order, variables in the user's order, and a secret written as
// {"name": "token", "secret": true} with no value.
//
//   {"format": "wstester-environment", "name": "staging", "variables": [...], "version": 1}
struct NamedEnvironment
{
    Q_DECLARE_TR_FUNCTIONS(NamedEnvironment)
public:
    static constexpr int Version = 1;

    QString name;
    QList<EnvironmentVariable> variables;

    // The file's bytes; secret values only when includeSecretValues (an export the user asked for).
    QByteArray toFile(bool includeSecretValues = false) const;
    // A secret that has a value in the file (an export with secrets) keeps it. On failure: nullopt
    // and *error, one line naming the cause.
    static std::optional<NamedEnvironment> fromFile(const QByteArray &data, QString *error);

    // Name → value, secrets included (with the values known in memory).
    Variables::Environment resolved() const;
    // Empty when the variables can be used; otherwise the first problem (invalid, built-in or
    // duplicate name).
    QString problem() const;
    // Empty when `name` can name an environment (and its file); otherwise why not.
    static QString nameProblem(const QString &name);
};

} // namespace wst
