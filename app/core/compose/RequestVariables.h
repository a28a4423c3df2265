#pragma once

#include "Variables.h"

#include <QCoreApplication>
#include <QString>

namespace wst {

struct ConnectionOptions;

// Fills {{name}} in what a client connection is opened with: the URL as typed, header names and
// values, subprotocols and the Origin. The tab keeps what the user typed ({{token}} stays in its
// settings, its session and its collection entry); only the connection gets the values.
class RequestVariables
{
    Q_DECLARE_TR_FUNCTIONS(RequestVariables)
public:
    // False with *error naming the field and the undefined variable; the inputs are then unchanged.
    static bool substitute(QString *urlText, ConnectionOptions *options,
        const Variables::Environment &variables, QString *error);
};

} // namespace wst
