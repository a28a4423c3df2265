#pragma once

#include <QAbstractListModel>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace wst {

class PayloadCodec;

// A message kept under a name, to be sent again with one click. The body is the text as
// written: it may hold {{variables}}, and for "hex" and "base64" it is decoded when sent.
struct SavedMessage
{
    Q_DECLARE_TR_FUNCTIONS(SavedMessage)
public:
    QString name;
    QString format = QStringLiteral("text"); // a MessageFormat key: "text", "json", "hex", "protobuf"…
    QString body;

    bool operator==(const SavedMessage &other) const = default;

    static QStringList formats();
    static bool isValidFormat(const QString &format);
    bool isBinary() const;

    // Turns an already substituted body into what goes on the wire (MessageFormat::encode):
    // text (text, json) or bytes (hex, base64, protobuf with the tab's codec, ...). Returns false
    // with *error set when it cannot be sent.
    static bool encode(const QString &format, const QString &body, bool *binary, QByteArray *payload,
        QString *error, const PayloadCodec *codec = nullptr);

    // One line for lists: the body with runs of white space folded, cut to maxChars.
    QString preview(int maxChars = 120) const;
    // A short name to offer when the message is saved: a JSON object's "type", "event",
    // "action", "op", "method" or "command" value, else its first keys ("{id, user, …}"), else
    // the first words of the text; at most MaxSuggestedName characters, "…" when cut.
    static QString suggestName(const QString &body);
    static constexpr int MaxSuggestedName = 32;

    QJsonObject toJson() const;
    // Unknown keys are ignored; a wrong type or an unknown format sets *error naming the key.
    static SavedMessage fromJson(const QJsonObject &object, QString *error);
};

// An ordered, editable list of saved messages: one per connection, one global.
class SavedMessageList : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role { NameRole = Qt::UserRole + 1, FormatRole, BodyRole, PreviewRole };

    explicit SavedMessageList(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_messages.size()); }
    const SavedMessage &at(int row) const { return m_messages.at(row); }
    QList<SavedMessage> messages() const { return m_messages; }
    void setMessages(const QList<SavedMessage> &messages);
    // The row of the first message with this name, or -1.
    int indexOf(const QString &name) const;

    // Returns the new row.
    int add(const SavedMessage &message);
    bool edit(int row, const SavedMessage &message);
    bool remove(int row);
    // Moves the message at from so that it ends up at row to.
    bool move(int from, int to);
    void clear();

    // [{"name": …, "format": …, "body": …}, …]
    QJsonArray toJson() const;
    // Replaces the list. Entries with a problem are skipped and the first problem is in *error.
    bool fromJson(const QJsonArray &array, QString *error = nullptr);

Q_SIGNALS:
    // Any change to the list or to one of its messages.
    void changed();

private:
    QList<SavedMessage> m_messages;
};

} // namespace wst
