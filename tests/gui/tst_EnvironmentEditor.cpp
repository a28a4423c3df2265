#include "EnvironmentEditor.h"

#include "GuiTestSupport.h"
#include "compose/SessionEnvironment.h"

#include <QApplication>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QtTest>

using namespace wst;
using wst::guitest::child;

// The variables table edited with the keyboard, as the headers table is: each value lands in its
// own row, whether the next row comes from Insert or the button, with an editor still open or not.
class tst_EnvironmentEditor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void typedVariablesLandInTheirRows_data();
    void typedVariablesLandInTheirRows();
};

void tst_EnvironmentEditor::typedVariablesLandInTheirRows_data()
{
    QTest::addColumn<bool>("insertKey"); // false: the Add button
    QTest::addColumn<bool>("enterAfterValue"); // false: the value's editor is still open when adding
    QTest::newRow("button, Enter") << false << true;
    QTest::newRow("Insert, Enter") << true << true;
    QTest::newRow("button, editor open") << false << false;
    QTest::newRow("Insert, editor open") << true << false;
}

void tst_EnvironmentEditor::typedVariablesLandInTheirRows()
{
    QFETCH(bool, insertKey);
    QFETCH(bool, enterAfterValue);
    SessionEnvironment environment;
    EnvironmentEditor editor;
    editor.setEnvironment(&environment);
    editor.resize(500, 300);
    editor.show();
    QApplication::setActiveWindow(&editor);
    QVERIFY(QTest::qWaitForWindowActive(&editor));
    auto *addButton = child<QPushButton>(&editor, "addVariableButton");

    auto type = [](const QString &text, Qt::Key then) {
        auto *field = qobject_cast<QLineEdit *>(QApplication::focusWidget());
        if (!field)
            return false;
        QTest::keyClicks(field, text);
        if (then != Qt::Key_unknown)
            QTest::keyClick(field, then);
        QCoreApplication::processEvents();
        return true;
    };
    const Qt::Key afterValue = enterAfterValue ? Qt::Key_Return : Qt::Key_unknown;
    QTest::mouseClick(addButton, Qt::LeftButton);
    QVERIFY(type(QStringLiteral("host"), Qt::Key_Tab));
    QVERIFY(type(QStringLiteral("localhost"), afterValue));
    for (const char *name : { "token", "user" }) {
        if (insertKey)
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Insert);
        else
            QTest::mouseClick(addButton, Qt::LeftButton);
        QCoreApplication::processEvents();
        QVERIFY2(type(QLatin1String(name), Qt::Key_Tab), "no editor open on the new row's name");
        QVERIFY(type(QString::fromLatin1(name).toUpper(), afterValue));
    }
    if (!enterAfterValue)
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
    QCoreApplication::processEvents();

    QCOMPARE(environment.rowCount(), 3);
    QCOMPARE(environment.value(QStringLiteral("host")), QStringLiteral("localhost"));
    QCOMPARE(environment.value(QStringLiteral("token")), QStringLiteral("TOKEN"));
    QCOMPARE(environment.value(QStringLiteral("user")), QStringLiteral("USER"));
    QVERIFY2(editor.errorText().isEmpty(), qPrintable(editor.errorText()));
}

QTEST_MAIN(tst_EnvironmentEditor)
#include "tst_EnvironmentEditor.moc"
