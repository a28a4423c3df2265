#pragma once

#include "connection/ClientConnection.h"

#include <QIcon>
#include <QString>

class QAbstractItemView;
class QLabel;
class QObject;
class QWidget;

namespace wst::gui {

// A label for an inline error under a field: red, word-wrapped, hidden while empty.
QLabel *makeErrorLabel(const QString &objectName, QWidget *parent);
// Shows or hides the label; the field (if any) carries the error as its accessible description
// so a screen reader hears it with the field.
void setInlineError(QLabel *label, const QString &error, QWidget *field = nullptr);

// The same name, accessible name and tooltip for a control, in one call.
void describe(
    QWidget *widget, const QString &objectName, const QString &accessibleName, const QString &toolTip);

// Sets the text of the label a QFormLayout made for this field (a widget or a layout) with
// addRow(text, field): the label has no name of its own, so a retranslateUi() reaches it this way.
void setFormLabel(QObject *field, const QString &text);

// After a change of language: the view asks its model for the header labels and cells again
// (the core's models translate them when asked).
void retranslateView(QAbstractItemView *view);

// An icon from the resources (":/icons/<name>.svg").
QIcon icon(const QString &name);
// A small coloured dot for a connection state, drawn in code so that it needs no image plugin.
QIcon stateIcon(ClientConnection::State state);

QString formatBytes(qint64 bytes);

} // namespace wst::gui
