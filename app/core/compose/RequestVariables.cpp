#include "RequestVariables.h"

#include "connection/ConnectionOptions.h"

namespace wst {

bool RequestVariables::substitute(
    QString *urlText, ConnectionOptions *options, const Variables::Environment &variables, QString *error)
{
    QString problem;
    auto fill = [&variables, &problem](const QString &text, const QString &where) -> QString {
        if (!problem.isEmpty() || !Variables::containsVariables(text))
            return text;
        QString why;
        const QString out = Variables::substitute(text, variables, &why);
        if (!why.isEmpty())
            problem = tr("%1: %2").arg(where, why);
        return out;
    };
    const QString url = fill(*urlText, tr("URL"));
    ConnectionOptions filled = *options;
    for (auto &[name, value] : filled.headers) {
        const QString where = tr("Header %1").arg(QString::fromUtf8(name));
        name = fill(QString::fromUtf8(name), where).toUtf8();
        value = fill(QString::fromUtf8(value), where).toUtf8();
    }
    for (QString &protocol : filled.subprotocols)
        protocol = fill(protocol, tr("Subprotocol"));
    filled.origin = fill(filled.origin, tr("Origin"));
    if (!problem.isEmpty()) {
        *error = problem;
        return false;
    }
    error->clear();
    *urlText = url;
    *options = filled;
    return true;
}

} // namespace wst
