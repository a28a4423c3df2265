#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace wst {

// The values of the secret variables this process knows, shared by every thread: what records
// (the session file's writer) hide and what an export asked to keep secrets puts back.
//
// A secret value is recorded as "{{name}}", where it went (also in its percent-encoded form,
// as it appears in a URL query); restore() turns "{{name}}" back into the value. Values shorter
// than MinimumLength are not masked: hiding every "ab" in a history would destroy it.
namespace SecretValues {

constexpr qsizetype MinimumLength = 4;

// Replaces what is known (name → value). Thread-safe.
void set(const QList<QPair<QString, QString>> &secrets);
bool isEmpty();

// `data` with every known secret value replaced by {{name}}; *changed when one was.
QByteArray mask(const QByteArray &data, bool *changed = nullptr);
QString mask(const QString &text, bool *changed = nullptr);
// `data` with every {{name}} of a known secret replaced by its value.
QByteArray restore(const QByteArray &data);

} // namespace SecretValues

} // namespace wst
