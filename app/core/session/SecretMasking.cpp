#include "SecretMasking.h"

#include "compose/ClientSettingsJson.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <tuple>
#include <utility>

namespace wst::SecretMasking {

QByteArray maskHeaders(const QByteArray &head)
{
    QList<QByteArray> lines = head.split('\n');
    bool changed = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        QByteArray &line = lines[i];
        const qsizetype colon = line.indexOf(':');
        if (line.trimmed().isEmpty())
            break;
        if (colon <= 0 || !ClientSettingsJson::isSecretHeader(line.left(colon)))
            continue;
        const bool cr = line.endsWith('\r');
        line = line.left(colon + 1) + " (masked)" + (cr ? "\r" : "");
        changed = true;
    }
    return changed ? lines.join('\n') : head;
}

bool maskSession(QSqlDatabase &copy, QString *error)
{
    QSqlQuery read(copy);
    QSqlQuery write(copy);
    auto fail = [error, &copy](const QSqlQuery &query) {
        if (error)
            *error = query.lastError().text();
        copy.rollback();
        return false;
    };
    if (!copy.transaction())
        return fail(read);
    if (!read.exec(QStringLiteral("SELECT id, settings FROM tabs")))
        return fail(read);
    write.prepare(QStringLiteral("UPDATE tabs SET settings = ? WHERE id = ?"));
    QList<std::pair<qint64, QString>> tabs;
    while (read.next()) {
        QJsonObject settings = QJsonDocument::fromJson(read.value(1).toString().toUtf8()).object();
        ClientSettingsJson::maskSecrets(settings);
        tabs.append({ read.value(0).toLongLong(),
            QString::fromUtf8(QJsonDocument(settings).toJson(QJsonDocument::Compact)) });
    }
    for (const auto &[id, settings] : tabs) {
        write.bindValue(0, settings);
        write.bindValue(1, id);
        if (!write.exec())
            return fail(write);
    }
    if (!read.exec(QStringLiteral("SELECT id, request, response FROM handshakes")))
        return fail(read);
    write.prepare(QStringLiteral("UPDATE handshakes SET request = ?, response = ? WHERE id = ?"));
    QList<std::tuple<qint64, QByteArray, QByteArray>> heads;
    while (read.next())
        heads.append(
            { read.value(0).toLongLong(), read.value(1).toByteArray(), read.value(2).toByteArray() });
    for (const auto &[id, request, response] : heads) {
        write.bindValue(0, maskHeaders(request));
        write.bindValue(1, maskHeaders(response));
        write.bindValue(2, id);
        if (!write.exec())
            return fail(write);
    }
    if (!write.exec(QStringLiteral("INSERT OR REPLACE INTO meta(key, value) VALUES ('secrets', 'masked')")))
        return fail(write);
    if (!copy.commit())
        return fail(write);
    return true;
}

} // namespace wst::SecretMasking
