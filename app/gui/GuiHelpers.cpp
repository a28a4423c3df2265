#include "GuiHelpers.h"

#include "Theme.h"

#include <QAbstractItemView>
#include <QFormLayout>
#include <QHash>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPixmap>

// Q_INIT_RESOURCE must be used outside any namespace.
static void initWstGuiResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace wst::gui {

void setFormLabel(QObject *field, const QString &text)
{
    auto *widget = qobject_cast<QWidget *>(field);
    auto *layout = qobject_cast<QLayout *>(field);
    QWidget *page = widget ? widget->parentWidget() : layout ? layout->parentWidget() : nullptr;
    if (!page)
        return;
    const QList<QFormLayout *> forms = page->findChildren<QFormLayout *>();
    for (QFormLayout *form : forms) {
        if (auto *label
            = qobject_cast<QLabel *>(widget ? form->labelForField(widget) : form->labelForField(layout))) {
            label->setText(text);
            return;
        }
    }
    if (auto *form = qobject_cast<QFormLayout *>(page->layout())) {
        if (auto *label
            = qobject_cast<QLabel *>(widget ? form->labelForField(widget) : form->labelForField(layout)))
            label->setText(text);
    }
}

void retranslateView(QAbstractItemView *view)
{
    if (!view)
        return;
    if (QAbstractItemModel *model = view->model(); model && model->columnCount() > 0)
        Q_EMIT model->headerDataChanged(Qt::Horizontal, 0, model->columnCount() - 1);
    // The cells ("in", "out", "Open") are asked for again when painted.
    view->viewport()->update();
}

QLabel *makeErrorLabel(const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    theme::setColour(label, QPalette::WindowText, theme::Role::ErrorText);
    label->setVisible(false);
    return label;
}

void setInlineError(QLabel *label, const QString &error, QWidget *field)
{
    label->setText(error);
    label->setAccessibleName(error);
    label->setVisible(!error.isEmpty());
    if (field)
        field->setAccessibleDescription(error);
}

void describe(
    QWidget *widget, const QString &objectName, const QString &accessibleName, const QString &toolTip)
{
    widget->setObjectName(objectName);
    widget->setAccessibleName(accessibleName);
    widget->setToolTip(toolTip);
}

QIcon icon(const QString &name)
{
    static const bool registered = [] {
        initWstGuiResources();
        return true;
    }();
    Q_UNUSED(registered)
    return QIcon(QStringLiteral(":/icons/%1.svg").arg(name));
}

QIcon stateIcon(ClientConnection::State state)
{
    static QHash<int, QIcon> cache;
    const auto it = cache.constFind(int(state));
    if (it != cache.cend())
        return *it;
    QColor fill;
    bool hollow = false;
    switch (state) {
    case ClientConnection::State::Idle:
        fill = theme::colour(theme::Role::StateIdle);
        hollow = true;
        break;
    case ClientConnection::State::Connecting:
    case ClientConnection::State::Closing:
        fill = theme::colour(theme::Role::StateBusy);
        break;
    case ClientConnection::State::Open:
        fill = theme::colour(theme::Role::StateOpen);
        break;
    case ClientConnection::State::Closed:
        fill = theme::colour(theme::Role::StateClosed);
        break;
    case ClientConnection::State::Error:
        fill = theme::colour(theme::Role::StateError);
        break;
    }
    QIcon result;
    for (int size : { 12, 16, 24, 32 }) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        const qreal margin = size * 0.2;
        const QRectF dot(margin, margin, size - 2 * margin, size - 2 * margin);
        if (hollow) {
            p.setPen(QPen(fill, qMax(1.0, size / 10.0)));
            p.setBrush(Qt::NoBrush);
        } else {
            p.setPen(QPen(fill.darker(130), qMax(1.0, size / 16.0)));
            p.setBrush(fill);
        }
        p.drawEllipse(dot);
        p.end();
        result.addPixmap(pixmap);
    }
    cache.insert(int(state), result);
    return result;
}

QString formatBytes(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1);
}

} // namespace wst::gui
