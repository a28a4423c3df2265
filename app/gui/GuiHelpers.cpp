#include "GuiHelpers.h"

#include "Theme.h"

#include <QAbstractItemView>
#include <QFile>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHash>
#include <QIconEngine>
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

namespace {

// The grey of the line icons (resources/icons/*.svg with stroke="#3c4043"): drawn as they are on a
// light palette, and in the palette's button text on a dark one, where that grey would vanish.
// The colour is read when the icon is painted, so View > Theme repaints them right.
class ThemedIconEngine : public QIconEngine
{
public:
    explicit ThemedIconEngine(const QIcon &svg)
        : m_svg(svg)
    {
    }

    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        QPixmap base = m_svg.pixmap(size, mode, state);
        const QPalette palette = QGuiApplication::palette();
        if (base.isNull() || !theme::isDark(palette))
            return base;
        const QColor ink = palette.color(
            mode == QIcon::Disabled ? QPalette::Disabled : QPalette::Normal, QPalette::ButtonText);
        QPainter p(&base);
        p.setCompositionMode(QPainter::CompositionMode_SourceIn);
        p.fillRect(base.rect(), ink);
        return base;
    }

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override
    {
        const qreal dpr = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
        QPixmap pm = pixmap(rect.size() * dpr, mode, state);
        pm.setDevicePixelRatio(dpr);
        painter->drawPixmap(rect, pm);
    }

    QSize actualSize(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        return m_svg.actualSize(size, mode, state);
    }

    QList<QSize> availableSizes(QIcon::Mode mode, QIcon::State state) override
    {
        return m_svg.availableSizes(mode, state);
    }

    QIconEngine *clone() const override { return new ThemedIconEngine(m_svg); }
    QString key() const override { return QStringLiteral("wst-themed-svg"); }

private:
    QIcon m_svg;
};

} // namespace

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
    const QString path = QStringLiteral(":/icons/%1.svg").arg(name);
    static QHash<QString, bool> greyIcons;
    auto grey = greyIcons.constFind(name);
    if (grey == greyIcons.cend()) {
        QFile file(path);
        grey = greyIcons.insert(
            name, file.open(QIODevice::ReadOnly) && file.readAll().contains("\"#3c4043\""));
    }
    return *grey ? QIcon(new ThemedIconEngine(QIcon(path))) : QIcon(path);
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
