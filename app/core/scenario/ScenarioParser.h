#pragma once

#include "Scenario.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QVariant>

namespace wst {

// Reads a scenario file (*.wstest.json; the format is in the README, "Testing your API", and in
// docs/wstest.schema.json). Every mistake is reported as one line that says where it is and
// which key is wrong: "chat.wstest.json:14:25: step 4: \"within\" must be a number of
// milliseconds." Values with {{variables}} are checked when the step runs.
class ScenarioParser
{
    Q_DECLARE_TR_FUNCTIONS(ScenarioParser)
public:
    // file names the scenario in messages and is the folder "file" sends are relative to.
    static std::optional<Scenario> parse(const QByteArray &json, const QString &file, QString *error);
    static std::optional<Scenario> parseFile(const QString &path, QString *error);

private:
    explicit ScenarioParser(const QByteArray &json, const QString &file);
    std::optional<Scenario> run(QString *error);
    bool readVariables(const QJsonValue &value);
    bool readConnections(const QJsonValue &value);
    bool readStep(const QJsonObject &o, ScenarioStep *step);
    bool readConnect(const QJsonObject &o, ScenarioStep *step);
    bool readSend(const QJsonObject &o, ScenarioStep *step);
    bool readMatcher(const QJsonObject &o, ScenarioStep *step);
    bool readJsonChecks(const QJsonValue &value, QList<JsonCheck> *checks);
    bool readSaves(const QJsonValue &value, QList<SaveRule> *saves);
    bool readScript(const QJsonObject &o, ScenarioStep *step);
    bool readScriptBody(const QJsonObject &o, ScriptSource *script);
    bool readScriptCode(const QJsonValue &v, const QString &key, ScriptSource *script);
    bool readOnMessage(const QJsonObject &o, ScriptSource *script);
    bool readClose(const QJsonObject &o, ScenarioStep *step);
    // ScenarioParserProtocol.cpp: a connection's "protocol", command steps, protocol conditions.
    bool readProtocol(const QJsonObject &o, ScenarioConnection *connection);
    bool readDecoder(const QJsonObject &o, ScenarioConnection *connection);
    bool readCommand(const QJsonObject &o, ScenarioStep *step);
    bool readCommandBody(const QJsonObject &o, ProtocolCommand *command);
    bool readProtocolMatcher(const QJsonObject &o, ScenarioStep *step);
    bool readString(const QJsonObject &o, const QString &key, QString *value, bool numberToo = false);
    bool readMs(const QJsonObject &o, const QString &key, int *ms);
    bool readConnectionName(const QJsonObject &o, const QString &key, ScenarioStep *step);
    bool checkKeys(const QJsonObject &o, const QStringList &allowed, const QString &what);
    bool checkPattern(const QString &pattern, const QString &key);
    // Records the first error at the path below the current one (a key or an index).
    bool fail(const QList<QVariant> &at, const QString &message, bool atKey = false);
    static QString quoted(const QString &key);
    static bool isWholeNumber(const QJsonValue &v, double min, double max);

    QByteArray m_json;
    QString m_file;
    Scenario m_scenario;
    QList<QVariant> m_where; // the path of what is being read: {"steps", 3}
    QString m_prefix; // "step 4: " while a step is read
    QString m_error;
};

} // namespace wst
