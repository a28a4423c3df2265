#pragma once

#include "compose/Variables.h"
#include "messages/MessageStore.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace wst {

// One client tab's part of a recording: its settings (ClientSettingsJson, the URL and headers as
// typed, so {{variables}} stay variables) and the history rows chosen from its store.
struct RecordedSource
{
    QString title; // the tab's title, kept as the connection's comment
    QJsonObject settings;
    std::shared_ptr<const MessageStore> store;
    QList<qint64> rows; // store indexes, ascending
};

// A step as recorded, before it is written: the dialog changes the looseness of expect steps.
struct RecordedStep
{
    enum class Type { Connect, Send, Expect, ExpectClose, Ping, Close };
    enum class Looseness { Exact, Contains, JsonPath };
    Type type = Type::Send;
    QString connection;
    qint64 timeUs = 0;
    // An acting step (connect, send, ping, close): the gap since the row before it. An expect:
    // how long after the last acting step the message came.
    qint64 delayMs = 0;

    bool binary = false;
    QByteArray payload; // send, expect, ping; close: the reason
    Looseness looseness = Looseness::Exact;
    QString containsText; // Contains: a part of the text (the dialog may change it)
    QStringList fields; // JSON messages (objects): the top-level scalar members, in order
    QStringList chosenFields; // JsonPath: the members checked for equality

    std::optional<QString> subprotocol; // connect: the negotiated one ("" for none)
    int closeCode = 1000; // close: the code sent; expect close: the code received (-1: any)
    int expectCloseCode = -1; // close: the code of the server's answer

    bool isJsonObject() const { return !fields.isEmpty(); }
    bool canLoosen() const { return type == Type::Expect && !binary; }
};

// Turns what the user did in client tabs into a scenario (*.wstest.json) that ScenarioParser
// reads and ScenarioRunner replays: a connect step per connection (status 101 and the subprotocol
// it got), sent messages as send steps, received ones as expect steps (exact, contains, or JSON
// path equals on chosen top-level members), closes and pings; the original gaps as waits when
// asked. Rows of several tabs are merged in time order, one connection per tab.
//
// Secrets never reach the text: the values of secret headers (ClientSettingsJson::isSecretHeader)
// become {{variables}} unless they already only refer to variables, every value of a secret
// variable (SecretValues) in a message becomes its {{name}}, and these names are listed
// (secretVariables(), and the file's "comment") for the user to set before running.
class ScenarioRecorder
{
    Q_DECLARE_TR_FUNCTIONS(ScenarioRecorder)
public:
    struct Options
    {
        QString name;
        bool keepGaps = false;
        int minimumGapMs = 20; // shorter gaps are not worth a step
    };

    // environment: the variables the tab filled its URL and headers from (non-secret values
    // referenced there are written into the file's "variables").
    explicit ScenarioRecorder(
        const QList<RecordedSource> &sources, const Variables::Environment &environment = {});

    QList<RecordedStep> &steps() { return m_steps; }
    const QList<RecordedStep> &steps() const { return m_steps; }
    int connectionCount() const { return int(m_sources.size()); }
    QString connectionName(int source) const;

    QByteArray toJson(const Options &options) const;
    // The variables the written scenario needs and does not define (secrets first): set them in
    // an environment or with --var before running it. Valid after toJson().
    QStringList missingVariables() const { return m_missing; }

    // A within for an expect that came after delayMs: room for a slower run.
    static int withinFor(qint64 delayMs);
    // The contains text offered by default: the start of the message, cut at a word.
    static QString defaultContains(const QString &text);
    // Top-level scalar members whose values look generated (ids, tokens, times) are not chosen
    // by default: a replay gets new ones.
    static bool looksGenerated(const QJsonValue &value);

private:
    void addRows();
    RecordedStep connectStep(int source, qint64 row, qint64 timeUs) const;
    QByteArray connectionJson(int source, QStringList *secrets, QStringList *referenced) const;
    QByteArray stepJson(const RecordedStep &step, QStringList *secrets) const;
    QByteArray expectMatcher(const RecordedStep &step, QStringList *secrets) const;

    QList<RecordedSource> m_sources;
    Variables::Environment m_environment;
    QList<RecordedStep> m_steps;
    mutable QStringList m_missing;
};

} // namespace wst
