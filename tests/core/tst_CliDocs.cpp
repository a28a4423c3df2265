// The shell completions and the man page, made by the real binary from its commands' parsers,
// checked by the shells and groff themselves.
#include "CliDocs.h"

#include <QCommandLineParser>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace wst::cli;

class tst_CliDocs : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void parsesHelpText();
    void bashCompletes();
    void fishCompletes();
    void zshReadsIt();
    void manPageHasEveryOption();

private:
    // Runs a program; its standard output (standard error kept in *err).
    static QByteArray run(const QString &program, const QStringList &args, QByteArray *err = nullptr,
        const QString &workingDirectory = {});
    QByteArray wstester(const QStringList &args) { return run(QStringLiteral(WST_BINARY), args); }
    QString bashComplete(const QStringList &words);

    QTemporaryDir m_dir;
    QString m_bash;
};

QByteArray tst_CliDocs::run(
    const QString &program, const QStringList &args, QByteArray *err, const QString &workingDirectory)
{
    QProcess p;
    if (!workingDirectory.isEmpty())
        p.setWorkingDirectory(workingDirectory);
    p.start(program, args);
    if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit) {
        qWarning() << program << args << "did not finish";
        return {};
    }
    if (err)
        *err = p.readAllStandardError();
    if (p.exitCode() != 0)
        qWarning() << program << args << "exited with" << p.exitCode() << p.readAllStandardError();
    return p.readAllStandardOutput();
}

void tst_CliDocs::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_bash = m_dir.filePath(QStringLiteral("wstester.bash"));
    QFile file(m_bash);
    QVERIFY(file.open(QIODevice::WriteOnly));
    const QByteArray script = wstester({ QStringLiteral("completions"), QStringLiteral("bash") });
    QVERIFY(!script.isEmpty());
    file.write(script);
}

void tst_CliDocs::parsesHelpText()
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Does things.\nOn two lines."));
    parser.addHelpOption();
    parser.addOption({ { QStringLiteral("s"), QStringLiteral("send") },
        QStringLiteral("Send this text once connected, a description long enough to be wrapped by "
                       "Qt onto a second line of the help."),
        QStringLiteral("text") });
    parser.addOption({ QStringLiteral("json"), QStringLiteral("Print JSON.") });
    parser.addPositionalArgument(QStringLiteral("URL"), QStringLiteral("Where to connect."));
    const CommandDoc doc = parseHelpText(QStringLiteral("connect"), parser.helpText());
    QCOMPARE(doc.name, QStringLiteral("connect"));
    QVERIFY2(doc.usage.startsWith(QStringLiteral("wstester connect [options] URL")), qPrintable(doc.usage));
    QCOMPARE(doc.description, QStringLiteral("Does things.\nOn two lines."));
    QCOMPARE(doc.options.size(), 3); // -h/--help, --send, --json (not --help-all)
    const OptionDoc &send = doc.options.at(1);
    QCOMPARE(send.names, (QStringList { QStringLiteral("-s"), QStringLiteral("--send") }));
    QCOMPARE(send.valueName, QStringLiteral("text"));
    QVERIFY2(send.description.endsWith(QStringLiteral("onto a second line of the help.")),
        qPrintable(send.description));
    QVERIFY(doc.options.at(2).valueName.isEmpty());
    QCOMPARE(doc.arguments.size(), 1);
    QCOMPARE(doc.arguments.first().first, QStringLiteral("URL"));
}

QString tst_CliDocs::bashComplete(const QStringList &words)
{
    QStringList quoted;
    for (const QString &w : words)
        quoted << QLatin1Char('\'') + w + QLatin1Char('\'');
    const QString script = QStringLiteral("source '%1'; COMP_WORDS=(%2); COMP_CWORD=%3; _wstester; "
                                          "printf '%s\\n' \"${COMPREPLY[@]}\"")
                               .arg(m_bash, quoted.join(QLatin1Char(' ')))
                               .arg(words.size() - 1);
    return QString::fromUtf8(
        run(QStringLiteral("bash"), { QStringLiteral("-c"), script }, nullptr, m_dir.path()));
}

void tst_CliDocs::bashCompletes()
{
    QByteArray err;
    run(QStringLiteral("bash"), { QStringLiteral("-n"), m_bash }, &err);
    QCOMPARE(err, QByteArray());
    QCOMPARE(
        bashComplete({ QStringLiteral("wstester"), QStringLiteral("con") }), QStringLiteral("connect\n"));
    QCOMPARE(bashComplete({ QStringLiteral("wstester"), QStringLiteral("connect"), QStringLiteral("--se") }),
        QStringLiteral("--send\n"));
    QCOMPARE(bashComplete({ QStringLiteral("wstester"), QStringLiteral("session"), QStringLiteral("ex") }),
        QStringLiteral("export\n"));
    QVERIFY(bashComplete({ QStringLiteral("wstester"), QStringLiteral("session"), QStringLiteral("export"),
                             QStringLiteral("--") })
                .contains(QStringLiteral("--keep-secrets\n")));
    // A file option completes file names; a value option offers nothing.
    QFile(m_dir.filePath(QStringLiteral("capture.wstsession"))).open(QIODevice::WriteOnly);
    QCOMPARE(bashComplete({ QStringLiteral("wstester"), QStringLiteral("connect"), QStringLiteral("--record"),
                 QStringLiteral("cap") }),
        QStringLiteral("capture.wstsession\n"));
    QCOMPARE(bashComplete({ QStringLiteral("wstester"), QStringLiteral("connect"), QStringLiteral("--send"),
                 QStringLiteral("cap") }),
        QStringLiteral("\n"));
}

void tst_CliDocs::fishCompletes()
{
    if (QStandardPaths::findExecutable(QStringLiteral("fish")).isEmpty())
        QSKIP("fish is not installed (scripts/setup.sh --tests installs it)");
    const QString path = m_dir.filePath(QStringLiteral("wstester.fish"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(wstester({ QStringLiteral("completions"), QStringLiteral("fish") }));
    file.close();
    QByteArray err;
    const QString out = QString::fromUtf8(run(QStringLiteral("fish"),
        { QStringLiteral("-c"),
            QStringLiteral("source '%1'; complete -C 'wstester connect --se'").arg(path) },
        &err));
    QCOMPARE(err, QByteArray());
    QVERIFY2(out.startsWith(QStringLiteral("--send\t")), qPrintable(out));
    const QString subs = QString::fromUtf8(run(QStringLiteral("fish"),
        { QStringLiteral("-c"), QStringLiteral("source '%1'; complete -C 'wstester session '").arg(path) }));
    QVERIFY2(subs.contains(QStringLiteral("import-har\t")), qPrintable(subs));
}

void tst_CliDocs::zshReadsIt()
{
    if (QStandardPaths::findExecutable(QStringLiteral("zsh")).isEmpty())
        QSKIP("zsh is not installed (scripts/setup.sh --tests installs it)");
    const QString path = m_dir.filePath(QStringLiteral("_wstester"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(wstester({ QStringLiteral("completions"), QStringLiteral("zsh") }));
    file.close();
    QByteArray err;
    run(QStringLiteral("zsh"), { QStringLiteral("-n"), path }, &err);
    QCOMPARE(err, QByteArray());
}

void tst_CliDocs::manPageHasEveryOption()
{
    const QByteArray page = wstester({ QStringLiteral("manpage") });
    QVERIFY(page.startsWith(".\\\""));
    // groff reads it without a warning.
    QProcess groff;
    groff.start(QStringLiteral("groff"),
        { QStringLiteral("-man"), QStringLiteral("-ww"), QStringLiteral("-z"), QStringLiteral("-Kutf8") });
    QVERIFY(groff.waitForStarted());
    groff.write(page);
    groff.closeWriteChannel();
    QVERIFY(groff.waitForFinished(30000));
    QCOMPARE(groff.readAllStandardError(), QByteArray());
    QCOMPARE(groff.exitCode(), 0);
    // Every option of every command's own --help is in it, under that command.
    const QString text = QString::fromUtf8(page);
    static const QRegularExpression option(
        QStringLiteral("^  (?:-\\w, )?(--[\\w-]+)"), QRegularExpression::MultilineOption);
    for (const QStringList &command : { QStringList { QStringLiteral("connect") },
             { QStringLiteral("serve") }, { QStringLiteral("check") }, { QStringLiteral("handshake") },
             { QStringLiteral("test") }, { QStringLiteral("session"), QStringLiteral("export") } }) {
        const QString help = QString::fromUtf8(wstester(command + QStringList { QStringLiteral("--help") }));
        const qsizetype section
            = text.indexOf(QStringLiteral(".SS \"wstester ") + command.join(QLatin1Char(' ')));
        QVERIFY2(section > 0, qPrintable(command.join(QLatin1Char(' '))));
        const qsizetype next = text.indexOf(QStringLiteral(".SS "), section + 1);
        const QString part = text.mid(section, next < 0 ? -1 : next - section);
        int found = 0;
        for (auto it = option.globalMatch(help); it.hasNext();) {
            const QString name = it.next().captured(1);
            if (name == QStringLiteral("--help-all"))
                continue;
            QString roffName = name;
            roffName.replace(QLatin1Char('-'), QStringLiteral("\\-"));
            QVERIFY2(part.contains(QStringLiteral("\\fB") + roffName + QStringLiteral("\\fR")),
                qPrintable(command.join(QLatin1Char(' ')) + QLatin1Char(' ') + name));
            ++found;
        }
        QVERIFY2(found >= 2, qPrintable(command.join(QLatin1Char(' '))));
    }
}

QTEST_GUILESS_MAIN(tst_CliDocs)
#include "tst_CliDocs.moc"
