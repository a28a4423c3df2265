#include "RequestOptionsWidget.h"

#include "GuiTestSupport.h"

#include <QApplication>
#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QtTest>

using namespace wst;
using wst::guitest::child;

// The headers table edited as a user does it, with the keyboard: each value must land in its own
// row however the next row is added (the Insert key, the button, with an editor still open).
class tst_RequestOptionsWidget : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void typedHeadersLandInTheirRows_data();
    void typedHeadersLandInTheirRows();
    void secretsNotSavedMustBeTyped();
    void compressionOption();

private:
    QWidget *typeInto(const QString &text, Qt::Key then);
    std::unique_ptr<RequestOptionsWidget> m_widget;
    QTableWidget *m_table = nullptr;
};

void tst_RequestOptionsWidget::init()
{
    m_widget = std::make_unique<RequestOptionsWidget>();
    m_widget->resize(700, 300);
    m_widget->show();
    QApplication::setActiveWindow(m_widget.get());
    QVERIFY(QTest::qWaitForWindowActive(m_widget.get()));
    m_table = child<QTableWidget>(m_widget.get(), "headersTable");
    QVERIFY(m_table);
}

void tst_RequestOptionsWidget::cleanup()
{
    m_widget.reset();
}

// Types text into the open editor, then presses a key (Tab, Return, or none); returns the editor.
QWidget *tst_RequestOptionsWidget::typeInto(const QString &text, Qt::Key then)
{
    QWidget *editor = QApplication::focusWidget();
    if (!qobject_cast<QLineEdit *>(editor))
        return nullptr;
    QTest::keyClicks(editor, text);
    if (then != Qt::Key_unknown)
        QTest::keyClick(editor, then);
    QCoreApplication::processEvents(); // the delegate commits and opens the next editor queued
    return editor;
}

enum class AddWith { Button, InsertKey };

void tst_RequestOptionsWidget::typedHeadersLandInTheirRows_data()
{
    QTest::addColumn<int>("addWith");
    QTest::addColumn<bool>("enterAfterValue"); // false: the value's editor is still open when adding
    QTest::newRow("button, Enter") << int(AddWith::Button) << true;
    QTest::newRow("Insert, Enter") << int(AddWith::InsertKey) << true;
    QTest::newRow("button, editor open") << int(AddWith::Button) << false;
    QTest::newRow("Insert, editor open") << int(AddWith::InsertKey) << false;
}

void tst_RequestOptionsWidget::typedHeadersLandInTheirRows()
{
    QFETCH(int, addWith);
    QFETCH(bool, enterAfterValue);
    auto *addButton = child<QPushButton>(m_widget.get(), "addHeaderButton");
    auto add = [&] {
        if (AddWith(addWith) == AddWith::Button) {
            QTest::mouseClick(addButton, Qt::LeftButton);
        } else {
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Insert);
        }
        QCoreApplication::processEvents();
    };

    QTest::mouseClick(addButton, Qt::LeftButton); // the first row: the table starts empty
    QVERIFY(typeInto(QStringLiteral("X-One"), Qt::Key_Tab));
    QVERIFY(typeInto(QStringLiteral("1"), enterAfterValue ? Qt::Key_Return : Qt::Key_unknown));
    for (const char *name : { "X-Two", "X-Three" }) {
        add();
        QVERIFY2(typeInto(QLatin1String(name), Qt::Key_Tab), "no editor open on the new row's name");
        QVERIFY(typeInto(
            QString::fromLatin1(name).toLower(), enterAfterValue ? Qt::Key_Return : Qt::Key_unknown));
    }
    if (!enterAfterValue)
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
    QCoreApplication::processEvents();

    QCOMPARE(m_table->rowCount(), 3);
    const QStringList expected
        = { QStringLiteral("X-One=1"), QStringLiteral("X-Two=x-two"), QStringLiteral("X-Three=x-three") };
    QStringList rows;
    for (int r = 0; r < m_table->rowCount(); ++r)
        rows << m_table->item(r, 0)->text() + u'=' + m_table->item(r, 1)->text();
    QCOMPARE(rows, expected);
    QCOMPARE(m_widget->options().headers.size(), 3);
    QVERIFY2(m_widget->problem().isEmpty(), qPrintable(m_widget->problem()));
}

// What a session saved without its secrets left empty is shown as not saved and refused at
// Connect, one secret at a time, until typed; a header simply left empty is not.
void tst_RequestOptionsWidget::secretsNotSavedMustBeTyped()
{
    ConnectionOptions options;
    options.headers = { { "Authorization", "" }, { "X-Empty", "" } };
    QString error;
    options.proxy = ConnectionOptions::parseProxy(QStringLiteral("http://user@127.0.0.1:3128"), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    options.clientCertificateFile = QStringLiteral("/nonexistent/client.p12");
    const QStringList masked = { QStringLiteral("headers.Authorization"), QStringLiteral("proxy.password"),
        QStringLiteral("clientKeyPassphrase") };
    m_widget->setOptions(options, masked);
    QCOMPARE(m_widget->notSaved(), masked);
    QCOMPARE(m_table->item(0, 1)->data(Qt::AccessibleTextRole).toString(), QStringLiteral("value not saved"));
    QVERIFY(m_table->item(1, 1)->data(Qt::AccessibleTextRole).toString().isEmpty());
    QVERIFY2(m_widget->problem().isEmpty(), qPrintable(m_widget->problem())); // Connect stays clickable
    QCOMPARE(child<QLabel>(m_widget.get(), "headersError")->text(),
        QStringLiteral("Authorization has no value: its value was not saved with the session. Type it or "
                       "remove the header."));

    QCOMPARE(m_widget->checkBeforeConnect(),
        QStringLiteral("Authorization has no value: its value was not saved with the session. Type it or "
                       "remove the header."));
    m_table->item(0, 1)->setText(QStringLiteral("Bearer x"));
    QVERIFY(m_table->item(0, 1)->data(Qt::AccessibleTextRole).toString().isEmpty());
    QCOMPARE(m_widget->checkBeforeConnect(),
        QStringLiteral("The proxy has no password: it was not saved with the session. Type it in the proxy "
                       "address or remove the proxy."));
    child<QLineEdit>(m_widget.get(), "proxyEdit")->setText(QStringLiteral("http://user:pw@127.0.0.1:3128"));
    QCOMPARE(m_widget->checkBeforeConnect(),
        QStringLiteral("The key passphrase was not saved with the session. Type it or remove the client "
                       "certificate."));
    auto *passphrase = child<QLineEdit>(m_widget.get(), "clientKeyPassphraseEdit");
    QCOMPARE(passphrase->placeholderText(), QStringLiteral("value not saved"));
    QTest::keyClicks(passphrase, QStringLiteral("pw"));
    const QString tls = m_widget->checkBeforeConnect(); // now the missing file itself
    QVERIFY2(tls.contains(QStringLiteral("client.p12")), qPrintable(tls));
    QCOMPARE(m_widget->notSaved(), QStringList());
    QCOMPARE(m_widget->options().headers.first().second, QByteArray("Bearer x"));
}

void tst_RequestOptionsWidget::compressionOption()
{
    auto *offer = child<QCheckBox>(m_widget.get(), "deflateCheck");
    auto *parameters = child<QLineEdit>(m_widget.get(), "deflateParametersEdit");
    QVERIFY(offer && parameters);
    QVERIFY(offer->isChecked());
    QVERIFY(m_widget->options().deflate.enabled);
    QVERIFY(m_widget->summary().isEmpty());

    parameters->setText(QStringLiteral("server_max_window_bits=10; client_no_context_takeover"));
    QCOMPARE(m_widget->options().deflate.serverMaxWindowBits, 10);
    QVERIFY(m_widget->options().deflate.clientNoContextTakeover);
    QVERIFY(m_widget->problem().isEmpty());

    parameters->setText(QStringLiteral("server_max_window_bits=99"));
    QVERIFY2(m_widget->problem().contains(QLatin1String("8 to 15")), qPrintable(m_widget->problem()));
    QVERIFY(child<QLabel>(m_widget.get(), "deflateError")->text().contains(QLatin1String("8 to 15")));

    offer->click();
    QVERIFY(!m_widget->options().deflate.enabled);
    QVERIFY(!parameters->isEnabled());
    QVERIFY(m_widget->problem().isEmpty());
    QCOMPARE(m_widget->summary(), QStringLiteral("no compression"));

    // Saved options come back into the fields.
    ConnectionOptions o;
    o.deflate.serverNoContextTakeover = true;
    m_widget->setOptions(o);
    QVERIFY(offer->isChecked());
    QCOMPARE(parameters->text(), QStringLiteral("server_no_context_takeover"));
}

QTEST_MAIN(tst_RequestOptionsWidget)
#include "tst_RequestOptionsWidget.moc"
