#include "SecretValues.h"

#include <QReadWriteLock>
#include <QUrl>

#include <algorithm>
#include <atomic>

namespace wst::SecretValues {

namespace {

struct Entry
{
    QByteArray value;
    QByteArray marker; // {{name}}
};

struct Known
{
    QReadWriteLock lock;
    QList<Entry> masks; // longest value first, so that a value inside another is not cut
    QList<Entry> restores;
    std::atomic<bool> empty { true };
};

Known &known()
{
    static Known instance;
    return instance;
}

} // namespace

void set(const QList<QPair<QString, QString>> &secrets)
{
    QList<Entry> masks;
    QList<Entry> restores;
    for (const auto &[name, value] : secrets) {
        if (value.size() < MinimumLength)
            continue;
        const QByteArray marker = "{{" + name.toUtf8() + "}}";
        const QByteArray raw = value.toUtf8();
        masks.append({ raw, marker });
        const QByteArray encoded = QUrl::toPercentEncoding(value);
        if (encoded != raw)
            masks.append({ encoded, marker });
        restores.append({ raw, marker });
    }
    std::stable_sort(masks.begin(), masks.end(),
        [](const Entry &a, const Entry &b) { return a.value.size() > b.value.size(); });
    Known &k = known();
    QWriteLocker locker(&k.lock);
    k.masks = masks;
    k.restores = restores;
    k.empty.store(masks.isEmpty(), std::memory_order_release);
}

bool isEmpty()
{
    return known().empty.load(std::memory_order_acquire);
}

QByteArray mask(const QByteArray &data, bool *changed)
{
    if (changed)
        *changed = false;
    if (isEmpty() || data.isEmpty())
        return data;
    Known &k = known();
    QReadLocker locker(&k.lock);
    QByteArray out = data;
    bool any = false;
    for (const Entry &entry : std::as_const(k.masks)) {
        if (out.contains(entry.value)) {
            out.replace(entry.value, entry.marker);
            any = true;
        }
    }
    if (changed)
        *changed = any;
    return any ? out : data;
}

QString mask(const QString &text, bool *changed)
{
    bool any = false;
    const QByteArray masked = mask(text.toUtf8(), &any);
    if (changed)
        *changed = any;
    return any ? QString::fromUtf8(masked) : text;
}

QByteArray restore(const QByteArray &data)
{
    if (isEmpty() || !data.contains("{{"))
        return data;
    Known &k = known();
    QReadLocker locker(&k.lock);
    QByteArray out = data;
    for (const Entry &entry : std::as_const(k.restores))
        out.replace(entry.marker, entry.value);
    return out;
}

} // namespace wst::SecretValues
