// The frame composer of the Frames view, driven through its widgets against an echo server on
// 127.0.0.1: the fields write the spec line, Send warns once per tab, the frame goes out through
// the relay (history row, frame view recording on), and a bad spec is one line under the field.
#include "Dialogs.h"
#include "FrameComposer.h"
#include "FrameView.h"
#include "GuiTestSupport.h"
#include "ServerCheckDialog.h"
#include "connection/ClientConnection.h"
#include "messages/FrameLogModel.h"
#include "messages/MessageStore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QtTest>

using namespace wst;

class tst_FrameComposer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void fieldsWriteTheSpec();
    void sendWarnsOnceAndRecords();
    void badSpecIsOneLine();
    void controlsAreNamed();
    void checkServerDialog();

private:
    QTemporaryDir m_dir;
    guitest::EchoServer m_server;
};

void tst_FrameComposer::initTestCase()
{
    guitest::installSettings(this, m_dir);
    QVERIFY(m_server.listen());
}

void tst_FrameComposer::fieldsWriteTheSpec()
{
    ClientConnection connection;
    FrameView view(&connection);
    FrameComposer *c = view.composer();
    auto *spec = guitest::child<QLineEdit>(c, "frameSpecEdit");
    QCOMPARE(spec->text(), QStringLiteral("op=text"));
    guitest::child<QCheckBox>(c, "frameFinCheck")->setChecked(false);
    guitest::child<QCheckBox>(c, "frameRsv1Check")->setChecked(true);
    QTest::keyClicks(guitest::child<QLineEdit>(c, "framePayloadEdit"), QStringLiteral("a, b"));
    guitest::child<QComboBox>(c, "frameLengthModeCombo")->setCurrentIndex(1);
    guitest::child<QSpinBox>(c, "frameLengthSpin")->setValue(3);
    guitest::child<QSpinBox>(c, "frameFragmentsSpin")->setValue(2);
    guitest::child<QCheckBox>(c, "framePingBetweenCheck")->setChecked(true);
    guitest::child<QSpinBox>(c, "frameBytewiseSpin")->setValue(10);
    QCOMPARE(spec->text(),
        QStringLiteral("op=text,fin=0,rsv1,payload=\"a, b\",len=+3,frag=2,ping-between,bytewise=10ms"));
    // A close frame: the code, and the payload as its reason.
    auto *opcode = guitest::child<QComboBox>(c, "frameOpcodeCombo");
    opcode->setCurrentIndex(opcode->findData(8));
    guitest::child<QSpinBox>(c, "frameCloseCodeSpin")->setValue(1005);
    guitest::child<QCheckBox>(c, "frameMaskCheck")->setChecked(false);
    QVERIFY(spec->text().startsWith(QStringLiteral("close=1005:\"a, b\",fin=0,rsv1,mask=off")));
}

void tst_FrameComposer::sendWarnsOnceAndRecords()
{
    ClientConnection connection;
    FrameView view(&connection);
    ConnectionOptions options;
    options.url = QUrl(m_server.url());
    connection.open(options);
    QTRY_COMPARE(connection.state(), ClientConnection::State::Open);
    QVERIFY(!view.isRecording());
    auto *spec = guitest::child<QLineEdit>(view.composer(), "frameSpecEdit");
    spec->setText(QStringLiteral("payload=hand-made,frag=2"));
    const int dialogs = Dialogs::shownCount();
    Dialogs::setNextAnswer(QMessageBox::No);
    QTest::mouseClick(guitest::child<QPushButton>(view.composer(), "sendFrameButton"), Qt::LeftButton);
    QCOMPARE(Dialogs::shownCount(), dialogs + 1);
    QVERIFY(Dialogs::lastQuestion().contains(QStringLiteral("straight to the server")));
    QVERIFY(!view.isRecording()); // declined: nothing sent
    Dialogs::setNextAnswer(QMessageBox::Yes);
    QVERIFY(view.composer()->send());
    QCOMPARE(Dialogs::shownCount(), dialogs + 2);
    QVERIFY(view.isRecording());
    QTRY_VERIFY(m_server.received.contains(QStringLiteral("hand-made")));
    // Once per tab: the second send asks nothing.
    QVERIFY(view.composer()->send());
    QCOMPARE(Dialogs::shownCount(), dialogs + 2);
    QTRY_COMPARE(m_server.received.count(QStringLiteral("hand-made")), 2);
    const MessageStore &store = *connection.store();
    qsizetype rows = 0;
    for (qint64 i = 0; i < store.count(); ++i)
        rows += store.payload(i) == "hand-made frame: text, 9 bytes, 2 fragments";
    QCOMPARE(rows, 2);
    QTRY_VERIFY(view.model()->rowCount() >= 4); // two fragments each, as written
}

void tst_FrameComposer::badSpecIsOneLine()
{
    ClientConnection connection;
    FrameView view(&connection);
    view.composer()->show();
    auto *spec = guitest::child<QLineEdit>(view.composer(), "frameSpecEdit");
    spec->setText(QStringLiteral("op=text,frag=0"));
    QVERIFY(!view.composer()->send());
    auto *error = guitest::child<QLabel>(view.composer(), "frameComposerError");
    QCOMPARE(error->text(), QStringLiteral("frame spec: frag: '0' is not 1 to 1000"));
    spec->setText(QStringLiteral("op=text"));
    QVERIFY(!view.composer()->send());
    QCOMPARE(error->text(), QStringLiteral("Not sent: the connection is not open."));
    QCOMPARE(spec->text(), QStringLiteral("op=text")); // what the user typed stays
}

void tst_FrameComposer::controlsAreNamed()
{
    ClientConnection connection;
    FrameView view(&connection);
    const QStringList problems = guitest::unnamedControls(&view,
        { "composeFrameButton", "checkServerButton", "frameOpcodeCombo", "frameFinCheck", "frameRsv1Check",
            "frameMaskCheck", "frameMaskKeyEdit", "framePayloadFormCombo", "framePayloadEdit",
            "frameBadUtf8Check", "frameCloseCodeSpin", "frameLengthModeCombo", "frameLengthSpin",
            "frameLen64Check", "frameFragmentsSpin", "framePingBetweenCheck", "frameBytewiseSpin",
            "frameSpecEdit", "sendFrameButton" });
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1String("; "))));
}

void tst_FrameComposer::checkServerDialog()
{
    ClientConnection connection;
    FrameView view(&connection);
    ConnectionOptions options;
    options.url = QUrl(m_server.url());
    connection.open(options);
    QTRY_COMPARE(connection.state(), ClientConnection::State::Open);
    QTest::mouseClick(guitest::child<QPushButton>(&view, "checkServerButton"), Qt::LeftButton);
    auto *dialog = view.findChild<ServerCheckDialog *>();
    QVERIFY(dialog);
    QCOMPARE(guitest::child<QLineEdit>(dialog, "serverCheckUrlEdit")->text(), m_server.url());
    const QStringList problems = guitest::unnamedControls(
        dialog, { "serverCheckUrlEdit", "runServerCheckButton", "serverCheckTable" });
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1String("; "))));
    QTest::mouseClick(guitest::child<QPushButton>(dialog, "runServerCheckButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(
        guitest::child<QPushButton>(dialog, "runServerCheckButton")->isEnabled(), 120000);
    const QTableWidget *table = dialog->table();
    QVERIFY(table->rowCount() > 40);
    // Qt's server echoes an unmasked client frame (case 1.7): the one failure.
    QCOMPARE(table->item(6, 0)->text(), QStringLiteral("1.7"));
    QCOMPARE(table->item(6, 1)->text(), QStringLiteral("FAIL"));
    QVERIFY2(dialog->summary().endsWith(QStringLiteral("lenient, 1 FAIL, 8 skipped")),
        qPrintable(dialog->summary()));
}

QTEST_MAIN(tst_FrameComposer)
#include "tst_FrameComposer.moc"
