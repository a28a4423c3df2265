#include "compose/SessionEnvironment.h"
#include "compose/Variables.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QUuid>
#include <QtTest>

using namespace wst;

class tst_Variables : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void substitutes_data();
    void substitutes();
    void undefinedIsAnErrorNamingThem();
    void mapEnvironment();
    void builtins();
    void valuesAreNotExpandedAgain();
    void referencedNames();
    void names();
    void jsonRoundTrip();
    void jsonBadTypes();
    void environmentModel();
};

void tst_Variables::substitutes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << "hello"
                           << "hello";
    QTest::newRow("one") << "Bearer {{token}}"
                         << "Bearer abc";
    QTest::newRow("spaces") << "{{ token }}!"
                            << "abc!";
    QTest::newRow("two") << "{{user}}:{{token}}"
                         << "ann:abc";
    QTest::newRow("dotted") << "{{api.host}}"
                            << "example.org";
    QTest::newRow("json") << R"({"t":"{{token}}","n":{"m":1}})"
                          << R"({"t":"abc","n":{"m":1}})";
    QTest::newRow("escape") << "{{{{token}}"
                            << "{{token}}";
    QTest::newRow("escape then var") << "{{{{{{token}}"
                                     << "{{abc";
    QTest::newRow("not a name") << "{{a b}} {{}} {{1x}}"
                                << "{{a b}} {{}} {{1x}}";
    QTest::newRow("unclosed") << "{{token"
                              << "{{token";
    QTest::newRow("empty value") << "[{{empty}}]"
                                 << "[]";
    QTest::newRow("unicode") << "\u00e9{{token}}\u4e2d"
                             << "\u00e9abc\u4e2d";
}

void tst_Variables::substitutes()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const Variables::Environment env { { QStringLiteral("token"), QStringLiteral("abc") },
        { QStringLiteral("user"), QStringLiteral("ann") },
        { QStringLiteral("api.host"), QStringLiteral("example.org") },
        { QStringLiteral("empty"), QString() } };
    QString error = QStringLiteral("stale");
    QCOMPARE(Variables::substitute(text, env, &error), expected);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void tst_Variables::undefinedIsAnErrorNamingThem()
{
    QString error;
    QStringList missing;
    const QString out = Variables::substitute(QStringLiteral("{{token}} {{who}} {{token}} {{x}}"),
        Variables::Environment { { QStringLiteral("x"), QStringLiteral("1") } }, &error, 1, &missing);
    QVERIFY(out.isEmpty());
    QCOMPARE(missing, QStringList({ QStringLiteral("token"), QStringLiteral("who") }));
    QVERIFY2(error.contains(QLatin1String("{{token}}")) && error.contains(QLatin1String("{{who}}")),
        qPrintable(error));

    Variables::substitute(QStringLiteral("Bearer {{token}}"), Variables::Environment(), &error);
    QVERIFY2(error.contains(QLatin1String("{{token}}")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("{{{{token}}")), qPrintable(error)); // says how to escape
}

void tst_Variables::mapEnvironment()
{
    QString error;
    const QMap<QString, QString> env { { QStringLiteral("a"), QStringLiteral("1") } };
    QCOMPARE(Variables::substitute(QStringLiteral("{{a}}{{a}}"), env, &error), QStringLiteral("11"));
    QVERIFY(error.isEmpty());
    Variables::substitute(QStringLiteral("{{b}}"), env, &error);
    QVERIFY(error.contains(QLatin1String("{{b}}")));
}

void tst_Variables::builtins()
{
    QString error;
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const qint64 ts = Variables::substitute(QStringLiteral("{{timestamp}}"), Variables::Environment(), &error)
                          .toLongLong();
    QVERIFY(error.isEmpty());
    QVERIFY(ts >= before && ts <= QDateTime::currentMSecsSinceEpoch());

    const QString a = Variables::substitute(QStringLiteral("{{uuid}}"), Variables::Environment(), &error);
    const QString b = Variables::substitute(QStringLiteral("{{uuid}}"), Variables::Environment(), &error);
    QVERIFY(!QUuid::fromString(a).isNull());
    QCOMPARE(a.size(), 36);
    QVERIFY(a != b);

    QCOMPARE(Variables::substitute(QStringLiteral("n={{counter}}"), Variables::Environment(), &error, 7),
        QStringLiteral("n=7"));
    QCOMPARE(Variables::substitute(QStringLiteral("{{counter}}"), Variables::Environment(), &error),
        QStringLiteral("1"));
    // A built-in cannot be redefined: the environment's value is not used.
    QCOMPARE(Variables::substitute(QStringLiteral("{{counter}}"),
                 Variables::Environment { { QStringLiteral("counter"), QStringLiteral("x") } }, &error, 3),
        QStringLiteral("3"));
}

void tst_Variables::valuesAreNotExpandedAgain()
{
    QString error;
    const Variables::Environment env { { QStringLiteral("a"), QStringLiteral("{{b}}") } };
    QCOMPARE(Variables::substitute(QStringLiteral("{{a}}"), env, &error), QStringLiteral("{{b}}"));
    QVERIFY(error.isEmpty());
}

void tst_Variables::referencedNames()
{
    QCOMPARE(Variables::referencedNames(QStringLiteral("{{a}} {{{{b}} {{ c }} {{a}} {{counter}}")),
        QStringList({ QStringLiteral("a"), QStringLiteral("c"), QStringLiteral("counter") }));
}

void tst_Variables::names()
{
    QVERIFY(Variables::isValidName(QStringLiteral("token")));
    QVERIFY(Variables::isValidName(QStringLiteral("_a.b-c9")));
    QVERIFY(!Variables::isValidName(QStringLiteral("9a")));
    QVERIFY(!Variables::isValidName(QStringLiteral("a b")));
    QVERIFY(!Variables::isValidName(QString()));
    QVERIFY(Variables::isBuiltin(QStringLiteral("uuid")));
    QVERIFY(!Variables::isBuiltin(QStringLiteral("token")));
}

void tst_Variables::jsonRoundTrip()
{
    const Variables::Environment env { { QStringLiteral("token"), QStringLiteral("a\"b") },
        { QStringLiteral("empty"), QString() } };
    const QJsonArray json = Variables::toJson(env);
    QCOMPARE(json.at(0).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("token"));
    QString error;
    QCOMPARE(Variables::fromJson(json, &error), env);
    QVERIFY(error.isEmpty());
}

void tst_Variables::jsonBadTypes()
{
    QString error;
    const QJsonArray bad { QJsonObject { { QStringLiteral("name"), 3 },
                               { QStringLiteral("value"), QStringLiteral("x") } },
        QJsonObject { { QStringLiteral("name"), QStringLiteral("ok") },
            { QStringLiteral("value"), QStringLiteral("1") }, { QStringLiteral("unknown"), true } },
        QStringLiteral("not an object") };
    const Variables::Environment env = Variables::fromJson(bad, &error);
    QCOMPARE(env, Variables::Environment({ { QStringLiteral("ok"), QStringLiteral("1") } }));
    QVERIFY2(error.contains(QLatin1String("variables[0].name")), qPrintable(error));
}

void tst_Variables::environmentModel()
{
    SessionEnvironment env;
    QSignalSpy changed(&env, &SessionEnvironment::changed);
    const int row = env.addRow(QStringLiteral("token"), QStringLiteral("abc"));
    QCOMPARE(row, 0);
    QCOMPARE(changed.count(), 1);
    QString error;
    QCOMPARE(env.substitute(QStringLiteral("{{token}}"), &error), QStringLiteral("abc"));
    QVERIFY(env.setData(env.index(0, SessionEnvironment::ValueColumn), QStringLiteral("xyz")));
    QCOMPARE(env.value(QStringLiteral("token")), QStringLiteral("xyz"));
    QCOMPARE(changed.count(), 2);
    QVERIFY(env.problem().isEmpty());

    env.addRow(QStringLiteral("counter"), QStringLiteral("1"));
    QVERIFY(env.problem().contains(QLatin1String("built in")));
    env.removeRows(1, 1);
    env.addRow(QStringLiteral("token"), QStringLiteral("2"));
    QVERIFY(env.problem().contains(QLatin1String("twice")));
    env.removeRows(1, 1);
    env.addRow(QStringLiteral("bad name"), QString());
    QVERIFY(!env.rowProblem(1).isEmpty());
    env.removeRows(1, 1);
    QVERIFY(env.problem().isEmpty());

    // A row being typed (no name yet) is not a variable.
    env.addRow();
    QCOMPARE(env.variables().size(), 1);

    SessionEnvironment copy;
    QVERIFY(copy.fromJson(env.toJson(), &error));
    QCOMPARE(copy.variables(), env.variables());
}

QTEST_GUILESS_MAIN(tst_Variables)
#include "tst_Variables.moc"
