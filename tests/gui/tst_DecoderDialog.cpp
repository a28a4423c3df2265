// The decoder of a client tab: the dialog that chooses it, the message details that read
// binary payloads with it (against tests/peers/codec_peer.py, whose payloads come from the real
// python3-msgpack and python3-protobuf), and its place in a saved session.
#include "ClientTab.h"
#include "ComposerWidget.h"
#include "DecoderDialog.h"
#include "DetailPane.h"
#include "Dialogs.h"
#include "HistoryPane.h"
#include "HistoryView.h"
#include "MainWindow.h"
#include "MessageWindow.h"
#include "SessionController.h"
#include "Theme.h"
#include "compose/PeriodicSender.h"
#include "format/PayloadCodec.h"
#include "messages/MessageFilterModel.h"
#include "messages/MessageLogModel.h"
#include "settings/AppSettings.h"

#include "GuiTestSupport.h"
#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProcess>
#include <QPushButton>
#include <QTemporaryDir>

#include <QtTest>

using namespace wst;
using guitest::child;

class tst_DecoderDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void okRefusesWhatCannotBeUsed();
    void brokenProtoShownInRed();
    void controlsAreNamedAndDescribed();
    void msgpackFromPythonDecodedInDetails();
    void protobufFromPythonDecodedInDetails();
    void bsonComposedAndDecodedInDetails();
    void composerAndPeriodicSendEncodeProtobuf();
    void bigPayloadDecodedOffTheGuiThread();
    void sessionKeepsTheDecoder();
    void badDecoderInSettingsIsSkipped();

private:
    static QString proto(const char *name)
    {
        return QStringLiteral(WST_TEST_DATA "/proto/") + QLatin1String(name);
    }
    // Starts codec_peer.py in this mode; an empty URL when it cannot run.
    QString startPeer(const QString &mode);
    bool connectTab(ClientTab *tab, const QString &url);
    // Selects the last row of the history with this direction and kind; false when there is none.
    static bool selectLast(ClientTab *tab, Direction direction, Kind kind);
    DecoderDialog *openDialog(ClientTab *tab);

    QTemporaryDir m_dir;
    QProcess m_peer;
    std::unique_ptr<MainWindow> m_window;
};

void tst_DecoderDialog::initTestCase()
{
    QVERIFY(m_dir.isValid());
    guitest::installSettings(this, m_dir)->setFirstRunDone(true);
    SessionController::setLiveFolder(m_dir.filePath(QStringLiteral("sessions")));
}

void tst_DecoderDialog::init()
{
    Dialogs::clearNextAnswers();
}

void tst_DecoderDialog::cleanup()
{
    m_window.reset();
    if (m_peer.state() != QProcess::NotRunning) {
        m_peer.kill();
        m_peer.waitForFinished();
    }
}

QString tst_DecoderDialog::startPeer(const QString &mode)
{
    m_peer.start(QStringLiteral("/usr/bin/python3"),
        { QStringLiteral(WST_PEERS_DIR "/codec_peer.py"), mode, QStringLiteral(WST_TEST_DATA "/proto") });
    if (!m_peer.waitForStarted() || !m_peer.waitForReadyRead(20000)) {
        qWarning("codec_peer.py: %s", m_peer.readAllStandardError().constData());
        return {};
    }
    const int port = m_peer.readLine().trimmed().toInt();
    return port > 0 ? QStringLiteral("ws://127.0.0.1:%1/").arg(port) : QString();
}

bool tst_DecoderDialog::connectTab(ClientTab *tab, const QString &url)
{
    tab->setUrlText(url);
    if (!tab->connectToServer())
        return false;
    [&] { QTRY_VERIFY_WITH_TIMEOUT(tab->state() == ClientConnection::State::Open, 10000); }();
    return tab->state() == ClientConnection::State::Open;
}

bool tst_DecoderDialog::selectLast(ClientTab *tab, Direction direction, Kind kind)
{
    MessageLogModel *model = tab->logModel();
    for (int r = model->rowCount() - 1; r >= 0; --r) {
        const QModelIndex i = model->index(r, 0);
        if (i.data(MessageLogModel::DirectionRole).toInt() == int(direction)
            && i.data(MessageLogModel::KindRole).toInt() == int(kind)) {
            HistoryPane *pane = tab->historyPane();
            pane->view()->setCurrentIndex(pane->filterModel()->mapFromSource(i));
            return true;
        }
    }
    return false;
}

DecoderDialog *tst_DecoderDialog::openDialog(ClientTab *tab)
{
    QAction *action = m_window->findChild<QAction *>(QStringLiteral("decoderAction"));
    if (!action)
        return nullptr;
    action->trigger();
    return tab->findChild<DecoderDialog *>();
}

void tst_DecoderDialog::okRefusesWhatCannotBeUsed()
{
    DecoderDialog dialog({});
    dialog.show();
    auto *codec = child<QComboBox>(&dialog, "decoderCodecCombo");
    auto *ok = child<QPushButton>(&dialog, "decoderOkButton");
    QVERIFY(codec && ok);
    QVERIFY(!child<QWidget>(&dialog, "decoderProtobufGroup")->isVisible());
    codec->setCurrentIndex(codec->findData(int(DecoderSetting::Codec::Protobuf)));
    QVERIFY(child<QWidget>(&dialog, "decoderProtobufGroup")->isVisible());

    // No file: refused, said, still open.
    QTest::mouseClick(ok, Qt::LeftButton);
    QVERIFY(dialog.isVisible());
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QVERIFY2(dialog.problemText().contains(QStringLiteral(".proto")), qPrintable(dialog.problemText()));

    // A file through the Add button (its file dialog answered in advance): the types fill the lists.
    Dialogs::setNextOpenFileName(proto("chat.proto"));
    QTest::mouseClick(child<QPushButton>(&dialog, "decoderAddFileButton"), Qt::LeftButton);
    QCOMPARE(child<QListWidget>(&dialog, "decoderFilesList")->count(), 1);
    QCOMPARE(dialog.schemaError(), QString());
    QVERIFY2(dialog.messageTypes().contains(QStringLiteral("chat.v1.Event")),
        qPrintable(dialog.messageTypes().join(u' ')));
    auto *typeIn = child<QComboBox>(&dialog, "decoderTypeInCombo");
    QVERIFY(typeIn->findText(QStringLiteral("chat.v1.Command")) >= 0);

    // A type the files do not define: refused, and nothing typed is lost.
    typeIn->setCurrentText(QStringLiteral("chat.v1.Evnt"));
    QTest::mouseClick(ok, Qt::LeftButton);
    QVERIFY(dialog.isVisible());
    QVERIFY2(dialog.problemText().contains(QStringLiteral("chat.v1.Evnt")), qPrintable(dialog.problemText()));
    QCOMPARE(dialog.setting().protoFiles, QStringList { proto("chat.proto") });
    QCOMPARE(dialog.setting().typeIn, QStringLiteral("chat.v1.Evnt"));

    // A first-byte rule that cannot be read: refused too.
    typeIn->setCurrentText(QStringLiteral("chat.v1.Event"));
    child<QLineEdit>(&dialog, "decoderFirstByteEdit")->setText(QStringLiteral("1=chat.v1.Command, x"));
    QTest::mouseClick(ok, Qt::LeftButton);
    QVERIFY(dialog.isVisible());
    QVERIFY2(dialog.problemText().contains(QStringLiteral("byte=type")), qPrintable(dialog.problemText()));

    child<QLineEdit>(&dialog, "decoderFirstByteEdit")->setText(QStringLiteral("7=chat.v1.Command"));
    QTest::mouseClick(ok, Qt::LeftButton);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    const DecoderSetting s = dialog.setting();
    QCOMPARE(s.codec, DecoderSetting::Codec::Protobuf);
    QCOMPARE(s.typeIn, QStringLiteral("chat.v1.Event"));
    QCOMPARE(s.typeByFirstByte.value(7), QStringLiteral("chat.v1.Command"));

    // Reopened with that setting: every field as it was.
    DecoderDialog again(s);
    QCOMPARE(again.setting(), s);
}

void tst_DecoderDialog::brokenProtoShownInRed()
{
    DecoderDialog dialog({});
    dialog.show();
    auto *codec = child<QComboBox>(&dialog, "decoderCodecCombo");
    codec->setCurrentIndex(codec->findData(int(DecoderSetting::Codec::Protobuf)));
    dialog.addProtoFile(proto("bad/broken.proto"));
    QVERIFY(!dialog.schemaError().isEmpty());
    auto *label = child<QLabel>(&dialog, "decoderSchemaLabel");
    QCOMPARE(label->text(), dialog.schemaError());
    QVERIFY2(!label->text().contains(u'\n'), qPrintable(label->text()));
    QCOMPARE(label->palette().color(QPalette::WindowText), theme::colour(theme::Role::ErrorText));
    QVERIFY(dialog.messageTypes().isEmpty());

    // Removed: the line says so in the ordinary colour.
    auto *files = child<QListWidget>(&dialog, "decoderFilesList");
    files->item(0)->setSelected(true);
    QTest::mouseClick(child<QPushButton>(&dialog, "decoderRemoveFileButton"), Qt::LeftButton);
    QCOMPARE(files->count(), 0);
    QCOMPARE(dialog.schemaError(), QString());
    QVERIFY(label->palette().color(QPalette::WindowText) != theme::colour(theme::Role::ErrorText));
}

void tst_DecoderDialog::controlsAreNamedAndDescribed()
{
    DecoderDialog dialog({});
    auto *codec = child<QComboBox>(&dialog, "decoderCodecCombo");
    codec->setCurrentIndex(codec->findData(int(DecoderSetting::Codec::Protobuf)));
    for (const char *name : { "decoderCodecCombo", "decoderFilesList", "decoderAddFileButton",
             "decoderRemoveFileButton", "decoderImportPathsEdit", "decoderTypeInCombo", "decoderTypeOutCombo",
             "decoderFirstByteEdit", "decoderSchemaLabel", "decoderOkButton", "decoderCancelButton" }) {
        auto *w = child<QWidget>(&dialog, name);
        QVERIFY2(w, name);
        QVERIFY2(!w->accessibleName().isEmpty(), name);
        QVERIFY2(!w->toolTip().isEmpty(), name);
    }
}

void tst_DecoderDialog::msgpackFromPythonDecodedInDetails()
{
    const QString url = startPeer(QStringLiteral("msgpack"));
    QVERIFY2(!url.isEmpty(), "tests/peers/codec_peer.py needs python3-msgpack and python3-websockets");
    m_window = std::make_unique<MainWindow>();
    ClientTab *tab = m_window->newClientTab();
    m_window->show();

    // Chosen in the dialog, as a user does.
    DecoderDialog *dialog = openDialog(tab);
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    auto *codec = child<QComboBox>(dialog, "decoderCodecCombo");
    codec->setCurrentIndex(codec->findData(int(DecoderSetting::Codec::MessagePack)));
    QTest::mouseClick(child<QPushButton>(dialog, "decoderOkButton"), Qt::LeftButton);
    QCOMPARE(tab->decoder().codec, DecoderSetting::Codec::MessagePack);
    QVERIFY(tab->codec());

    QVERIFY(connectTab(tab, url));
    // [1, 2, "x"] in MessagePack; python answers {"echo": [1, 2, "x"], "from": "python"}.
    tab->connection()->sendBinary(QByteArray::fromHex("930102a178"));
    QTRY_VERIFY(tab->logModel()->rowCount() > 0 && selectLast(tab, Direction::In, Kind::Binary));
    DetailPane *detail = tab->historyPane()->detailPane();
    QTRY_VERIFY(detail->hasMessage() && !detail->isBusy());
    const QByteArray received = detail->message().payload;
    QCOMPARE(received.front(), char(0x82)); // a map of two, as python wrote it
    QCOMPARE(detail->effectiveMode(), DetailPane::Mode::Json);
    const QString content = detail->contentText();
    QVERIFY2(content.contains(QStringLiteral("\"from\": \"python\"")), qPrintable(content));
    QVERIFY2(content.contains(QStringLiteral("\"x\"")), qPrintable(content));
    QCOMPARE(detail->decodedText(),
        QStringLiteral("Decoded as MessagePack (%1 bytes) \u2014 Hex shows the original bytes")
            .arg(received.size()));
    QCOMPARE(detail->messageText(), QString());

    // A window of its own reads it the same way.
    MessageWindow *window = tab->historyPane()->openMessageWindow({});
    QVERIFY(window);
    QTRY_VERIFY(!window->detailPane()->isBusy());
    QVERIFY2(window->detailPane()->contentText().contains(QStringLiteral("\"from\": \"python\"")),
        qPrintable(window->detailPane()->contentText()));
    window->close();

    // The original bytes one choice away.
    detail->setMode(DetailPane::Mode::Hex);
    QTRY_VERIFY(!detail->isBusy());
    QCOMPARE(detail->effectiveMode(), DetailPane::Mode::Hex);
    QVERIFY2(detail->contentText().contains(QStringLiteral("82 a4 65 63 68 6f")),
        qPrintable(detail->contentText()));
    QCOMPARE(detail->decodedText(), QString());

    // The tree reads the decoded JSON.
    detail->setMode(DetailPane::Mode::Tree);
    QTRY_VERIFY(!detail->isBusy());
    QVERIFY(detail->usesTreeView());
    QCOMPARE(detail->effectiveMode(), DetailPane::Mode::Tree);

    // What we sent is read too.
    detail->setMode(DetailPane::Mode::Auto);
    QVERIFY(selectLast(tab, Direction::Out, Kind::Binary));
    QTRY_VERIFY(detail->message().direction == Direction::Out && !detail->isBusy());
    QVERIFY2(detail->contentText().contains(QStringLiteral("\"x\"")), qPrintable(detail->contentText()));

    // Bytes that are not MessagePack (0xc1 is never used): the hex, and the decoder's message above it.
    const int before = tab->logModel()->rowCount();
    tab->connection()->sendText(QStringLiteral("__raw 93c1"));
    QTRY_VERIFY(tab->logModel()->rowCount() >= before + 2);
    QVERIFY(selectLast(tab, Direction::In, Kind::Binary));
    QTRY_VERIFY(detail->message().payload == QByteArray::fromHex("93c1") && !detail->isBusy());
    QCOMPARE(detail->effectiveMode(), DetailPane::Mode::Hex);
    QVERIFY2(detail->messageText().startsWith(QStringLiteral("Not decoded: MessagePack")),
        qPrintable(detail->messageText()));
    QVERIFY(!detail->messageText().contains(u'\n'));
    QVERIFY2(detail->contentText().contains(QStringLiteral("93 c1")), qPrintable(detail->contentText()));
    QCOMPARE(detail->decodedText(), QString());

    // No decoder: hex again, without a message.
    QVERIFY(tab->setDecoder({}));
    QTRY_VERIFY(!detail->isBusy());
    QCOMPARE(detail->effectiveMode(), DetailPane::Mode::Hex);
    QCOMPARE(detail->messageText(), QString());
}

void tst_DecoderDialog::protobufFromPythonDecodedInDetails()
{
    const QString url = startPeer(QStringLiteral("protobuf"));
    QVERIFY2(!url.isEmpty(), "tests/peers/codec_peer.py needs python3-protobuf and protoc");
    m_window = std::make_unique<MainWindow>();
    ClientTab *tab = m_window->newClientTab();
    m_window->show();

    DecoderDialog *dialog = openDialog(tab);
    QVERIFY(dialog);
    auto *codec = child<QComboBox>(dialog, "decoderCodecCombo");
    codec->setCurrentIndex(codec->findData(int(DecoderSetting::Codec::Protobuf)));
    dialog->addProtoFile(proto("chat.proto"));
    auto *typeIn = child<QComboBox>(dialog, "decoderTypeInCombo");
    auto *typeOut = child<QComboBox>(dialog, "decoderTypeOutCombo");
    typeIn->setCurrentIndex(typeIn->findText(QStringLiteral("chat.v1.Event")));
    typeOut->setCurrentIndex(typeOut->findText(QStringLiteral("chat.v1.Command")));
    QTest::mouseClick(child<QPushButton>(dialog, "decoderOkButton"), Qt::LeftButton);
    QCOMPARE(tab->decoder().typeIn, QStringLiteral("chat.v1.Event"));

    QVERIFY(connectTab(tab, url));
    // chat.v1.Command {op: "ping", seq: 2}; python answers chat.v1.Event {user: "peer", id: 2000, tags:
    // ["ping"]}.
    tab->connection()->sendBinary(QByteArray::fromHex("0a0470696e671002"));
    QTRY_VERIFY(tab->logModel()->rowCount() > 0 && selectLast(tab, Direction::In, Kind::Binary));
    DetailPane *detail = tab->historyPane()->detailPane();
    QTRY_VERIFY(detail->hasMessage() && !detail->isBusy());
    const QString content = detail->contentText();
    QVERIFY2(content.contains(QStringLiteral("\"user\": \"peer\"")), qPrintable(content));
    QVERIFY2(content.contains(QStringLiteral("2000")), qPrintable(content));
    QVERIFY2(detail->decodedText().startsWith(QStringLiteral("Decoded as chat.v1.Event (")),
        qPrintable(detail->decodedText()));

    // The history reads binary messages through the decoder too: a JSON column and a filter
    // expression over the decoded Event (the sent Command has no "user").
    HistoryPane *pane = tab->historyPane();
    QString error;
    QVERIFY2(pane->addJsonColumn(QStringLiteral("$.user"), &error), qPrintable(error));
    MessageFilterModel *filter = pane->filterModel();
    filter->setText(QStringLiteral("$.user == \"peer\""));
    QTRY_VERIFY(!filter->isScanning() && filter->rowCount() == 1);
    const QModelIndex row = filter->index(0, MessageLogModel::ColumnCount);
    QCOMPARE(row.data(MessageLogModel::DirectionRole).toInt(), int(Direction::In));
    QCOMPARE(row.data().toString(), QStringLiteral("peer"));
    // The preview shows the decoded Event as compact JSON, not its hex, its fields in the order
    // the details show them (the .proto's: user, id, tags), not sorted.
    const QString preview = filter->index(0, MessageLogModel::PreviewColumn).data().toString();
    QVERIFY2(preview.startsWith(QStringLiteral("{\"user\":\"peer\",\"id\":")), qPrintable(preview));
    if (const QString shots = qEnvironmentVariable("WST_SCREENSHOT_DIR"); !shots.isEmpty()) {
        filter->setText(QString());
        QTRY_VERIFY(!filter->isScanning());
        m_window->resize(1280, 760);
        QTest::qWait(200);
        m_window->grab().save(shots + QStringLiteral("/decoded-preview.png"));
        filter->setText(QStringLiteral("$.user == \"peer\""));
        QTRY_VERIFY(!filter->isScanning() && filter->rowCount() == 1);
    }
    // Without the decoder the same expression finds nothing, and the preview is hex again.
    const qint64 storeIndex = row.data(MessageLogModel::StoreIndexRole).toLongLong();
    QVERIFY(tab->setDecoder({}));
    MessageLogModel *log = tab->logModel();
    const QString hex
        = log->index(log->rowForStoreIndex(storeIndex), MessageLogModel::PreviewColumn).data().toString();
    QVERIFY2(!hex.isEmpty() && !hex.startsWith(QStringLiteral("{")), qPrintable(hex));
    filter->setText(QString());
    filter->setText(QStringLiteral("$.user == \"peer\""));
    QTRY_VERIFY(!filter->isScanning());
    QCOMPARE(filter->rowCount(), 0);
}

// BSON chosen in the dialog: the composer's BSON type sends a document that pymongo's bson reads
// and answers; the details show the answer as extended JSON ($oid and all), and bytes that are
// not a document show the hex under the decoder's one line.
void tst_DecoderDialog::bsonComposedAndDecodedInDetails()
{
    const QString url = startPeer(QStringLiteral("bson"));
    QVERIFY2(!url.isEmpty(), "tests/peers/codec_peer.py needs python3-bson and python3-websockets");
    m_window = std::make_unique<MainWindow>();
    ClientTab *tab = m_window->newClientTab();
    m_window->show();
    DecoderDialog *dialog = openDialog(tab);
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    auto *codec = child<QComboBox>(dialog, "decoderCodecCombo");
    QVERIFY(codec->findData(int(DecoderSetting::Codec::Bson)) >= 0);
    codec->setCurrentIndex(codec->findData(int(DecoderSetting::Codec::Bson)));
    QCOMPARE(codec->currentText(), QStringLiteral("BSON"));
    QTest::mouseClick(child<QPushButton>(dialog, "decoderOkButton"), Qt::LeftButton);
    QCOMPARE(tab->decoder().codec, DecoderSetting::Codec::Bson);
    QVERIFY(connectTab(tab, url));

    ComposerWidget *composer = tab->composer();
    composer->setMode(MessageFormat::Type::Bson);
    // Not an object: said, kept, not sent.
    composer->setText(QStringLiteral("[1, 2]"));
    QTRY_VERIFY(!composer->canSend());
    QVERIFY2(composer->statusText().contains(QStringLiteral("BSON: a document is a JSON object")),
        qPrintable(composer->statusText()));
    QVERIFY(!composer->send());
    QCOMPARE(composer->text(), QStringLiteral("[1, 2]"));
    const QString body = QStringLiteral(
        "{\"_id\": {\"$oid\": \"5f1d7f0e2c8b9a0001a1b2c3\"}, \"qty\": 9007199254740993, \"sym\": \"ABC\"}");
    composer->setText(body);
    QTRY_VERIFY(composer->canSend());
    QVERIFY2(composer->statusText().contains(QStringLiteral("of BSON")), qPrintable(composer->statusText()));
    QVERIFY(composer->send());

    QTRY_VERIFY(selectLast(tab, Direction::In, Kind::Binary));
    DetailPane *detail = tab->historyPane()->detailPane();
    QTRY_VERIFY(detail->hasMessage() && !detail->isBusy());
    QCOMPARE(detail->effectiveMode(), DetailPane::Mode::Json);
    const QString content = detail->contentText();
    QVERIFY2(content.contains(QStringLiteral("\"$oid\": \"5f1d7f0e2c8b9a0001a1b2c3\"")), qPrintable(content));
    QVERIFY2(content.contains(QStringLiteral("9007199254740993")), qPrintable(content));
    QVERIFY2(content.contains(QStringLiteral("\"from\": \"python\"")), qPrintable(content));
    QCOMPARE(detail->decodedText(),
        QStringLiteral("Decoded as BSON (%1 bytes) \u2014 Hex shows the original bytes")
            .arg(detail->message().payload.size()));
    if (const QString shots = qEnvironmentVariable("WST_SCREENSHOT_DIR"); !shots.isEmpty()) {
        m_window->resize(1280, 760);
        QTest::qWait(200);
        m_window->grab().save(shots + QStringLiteral("/decoder-bson.png"));
    }

    // A string whose length runs past the document: the hex, and the decoder's one line.
    const int before = tab->logModel()->rowCount();
    tab->connection()->sendText(QStringLiteral("__raw 0e00000002610009000000780000"));
    QTRY_VERIFY(tab->logModel()->rowCount() >= before + 2);
    QVERIFY(selectLast(tab, Direction::In, Kind::Binary));
    QTRY_VERIFY(detail->message().payload.size() == 14 && !detail->isBusy());
    QCOMPARE(detail->effectiveMode(), DetailPane::Mode::Hex);
    QCOMPARE(detail->messageText(),
        QStringLiteral("Not decoded: BSON: the element at byte 4 runs past the end of its document."));
}

// The composer's Protobuf type encodes JSON with the tab's decoder (its outgoing type,
// chat.v1.Command); python's protobuf reads it and answers with an Event built from its fields.
// A periodic send of a saved Protobuf message does the same for each message.
void tst_DecoderDialog::composerAndPeriodicSendEncodeProtobuf()
{
    const QString url = startPeer(QStringLiteral("protobuf"));
    QVERIFY2(!url.isEmpty(), "tests/peers/codec_peer.py needs python3-protobuf and protoc");
    m_window = std::make_unique<MainWindow>();
    ClientTab *tab = m_window->newClientTab();
    m_window->show();
    QVERIFY(connectTab(tab, url));

    ComposerWidget *composer = tab->composer();
    const QString body = QStringLiteral("{\"op\": \"subscribe\", \"seq\": 7}");
    composer->setMode(MessageFormat::Type::Protobuf);
    composer->setText(body);
    // Without a decoder the composer says what is missing, and keeps the text.
    QTRY_VERIFY(!composer->canSend());
    QVERIFY2(composer->statusText().contains(QStringLiteral("no .proto files")),
        qPrintable(composer->statusText()));
    QVERIFY(!composer->send());
    QCOMPARE(composer->text(), body);

    DecoderSetting setting;
    setting.codec = DecoderSetting::Codec::Protobuf;
    setting.protoFiles = QStringList { proto("chat.proto") };
    setting.typeIn = QStringLiteral("chat.v1.Event");
    setting.typeOut = QStringLiteral("chat.v1.Command");
    QString error;
    QVERIFY2(tab->setDecoder(setting, &error), qPrintable(error));
    QTRY_VERIFY(composer->canSend());
    QVERIFY2(composer->statusText().contains(QStringLiteral("chat.v1.Command")),
        qPrintable(composer->statusText()));
    // A field the type does not have is named before anything is sent.
    composer->setText(QStringLiteral("{\"op\": \"x\", \"nope\": 1}"));
    QTRY_VERIFY(!composer->canSend());
    QVERIFY2(composer->statusText().contains(QStringLiteral("nope")), qPrintable(composer->statusText()));
    composer->setText(body);
    QTRY_VERIFY(composer->canSend());
    if (const QString shots = qEnvironmentVariable("WST_SCREENSHOT_DIR"); !shots.isEmpty()) {
        m_window->resize(1280, 760);
        QTest::qWait(200);
        m_window->grab().save(shots + QStringLiteral("/composer-protobuf.png"));
    }
    QVERIFY(composer->send());

    const auto answers = [tab] {
        QStringList out;
        MessageLogModel *log = tab->logModel();
        for (int r = 0; r < log->rowCount(); ++r) {
            const QModelIndex i = log->index(r, MessageLogModel::PreviewColumn);
            if (i.data(MessageLogModel::DirectionRole).toInt() == int(Direction::In))
                out.append(i.data().toString());
        }
        return out;
    };
    // The preview of a decoded Event is its compact JSON: python read op and seq from our bytes.
    QTRY_COMPARE(answers().size(), 1);
    QVERIFY2(answers().at(0).contains(QStringLiteral("\"id\":\"7000\""))
            && answers().at(0).contains(QStringLiteral("subscribe")),
        qPrintable(answers().at(0)));

    SavedMessage tick;
    tick.name = QStringLiteral("tick");
    tick.format = QStringLiteral("protobuf");
    tick.body = QStringLiteral("{\"op\": \"tick\", \"seq\": {{counter}}}");
    QVERIFY2(tab->periodicSender()->start(tick, 50, 2, &error), qPrintable(error));
    QTRY_COMPARE(answers().size(), 3);
    QVERIFY2(answers().at(1).contains(QStringLiteral("\"id\":\"1000\""))
            && answers().at(1).contains(QStringLiteral("tick")),
        qPrintable(answers().at(1)));
    QVERIFY2(answers().at(2).contains(QStringLiteral("\"id\":\"2000\"")), qPrintable(answers().at(2)));
}

void tst_DecoderDialog::bigPayloadDecodedOffTheGuiThread()
{
    QString error;
    DecoderSetting setting;
    setting.codec = DecoderSetting::Codec::MessagePack;
    const auto codec = PayloadCodec::create(setting, &error);
    QVERIFY2(codec, qPrintable(error));
    // A MessagePack str 32 of 3 MB, past the pane's threshold for working in the background.
    const qsizetype size = 3 << 20;
    QByteArray payload = QByteArray::fromHex("db") + QByteArray(4, '\0') + QByteArray(size, 'a');
    payload[1] = char(size >> 24);
    payload[2] = char(size >> 16);
    payload[3] = char(size >> 8);
    payload[4] = char(size);
    QVERIFY(payload.size() > DetailPane::AsyncThreshold);

    DetailPane pane;
    pane.setCodec(codec);
    QSignalSpy busy(&pane, &DetailPane::busyChanged);
    DetailPane::Message message;
    message.direction = Direction::In;
    message.kind = Kind::Binary;
    message.payload = payload;
    pane.showMessage(message);
    QVERIFY(pane.isBusy()); // not decoded on the GUI thread
    QTRY_VERIFY_WITH_TIMEOUT(!pane.isBusy(), 20000);
    QCOMPARE(busy.count(), 2);
    QCOMPARE(pane.effectiveMode(), DetailPane::Mode::Json);
    QVERIFY(pane.usesLinesView());
    QCOMPARE(pane.contentText().size(), size + 2);
    QVERIFY(pane.decodedText().startsWith(QStringLiteral("Decoded as MessagePack")));
}

void tst_DecoderDialog::sessionKeepsTheDecoder()
{
    m_window = std::make_unique<MainWindow>();
    ClientTab *tab = m_window->newClientTab();
    m_window->show();
    tab->setUrlText(QStringLiteral("ws://127.0.0.1:1/"));
    DecoderSetting setting;
    setting.codec = DecoderSetting::Codec::Protobuf;
    setting.protoFiles = { proto("chat.proto") };
    setting.typeIn = QStringLiteral("chat.v1.Event");
    setting.typeOut = QStringLiteral("chat.v1.Command");
    QString error;
    QVERIFY2(tab->setDecoder(setting, &error), qPrintable(error));

    const QString file = m_dir.filePath(QStringLiteral("decoder.wstsession"));
    Dialogs::setNextSaveFileName(file);
    QVERIFY(m_window->saveSessionAs());
    m_window.reset();

    m_window = std::make_unique<MainWindow>();
    m_window->show();
    QCOMPARE(m_window->openSession(file), m_window.get());
    ClientTab *back = m_window->tabAt(0);
    QVERIFY(back);
    QTRY_VERIFY(!back->isHistoryLoading());
    QCOMPARE(back->decoder(), setting);
    QVERIFY(back->codec());
    QCOMPARE(back->historyPane()->detailPane()->codec(), back->codec());
    QCOMPARE(back->urlText(), QStringLiteral("ws://127.0.0.1:1/"));
}

void tst_DecoderDialog::badDecoderInSettingsIsSkipped()
{
    m_window = std::make_unique<MainWindow>();
    ClientTab *tab = m_window->newClientTab();
    const QString url = QStringLiteral("ws://127.0.0.1:1/x");
    const QJsonArray subprotocols { QStringLiteral("chat") };

    // An old file, without the key: no decoder, no complaint.
    QString error;
    QVERIFY(tab->setSettingsJson(QJsonObject { { QStringLiteral("url"), url } }, &error));
    QCOMPARE(error, QString());
    QVERIFY(tab->decoder().isNone());

    // An unknown codec: skipped with a message naming it; the rest stands.
    QVERIFY(!tab->setSettingsJson(
        QJsonObject { { QStringLiteral("url"), url }, { QStringLiteral("subprotocols"), subprotocols },
            { QStringLiteral("decoder"),
                QJsonObject { { QStringLiteral("codec"), QStringLiteral("zip") } } } },
        &error));
    QVERIFY2(error.contains(QStringLiteral("decoder")) && error.contains(QStringLiteral("zip")),
        qPrintable(error));
    QVERIFY(tab->decoder().isNone());
    QCOMPARE(tab->urlText(), url);
    QCOMPARE(tab->settingsJson().value(QStringLiteral("subprotocols")).toArray(), subprotocols);
    QVERIFY(!tab->settingsJson().contains(QStringLiteral("decoder")));

    // Not an object at all.
    QVERIFY(!tab->setSettingsJson(
        QJsonObject { { QStringLiteral("url"), url }, { QStringLiteral("decoder"), 3 } }, &error));
    QVERIFY2(error.contains(QStringLiteral("decoder")), qPrintable(error));

    // A .proto file that is not on this machine: kept (saved again as it was), not used, said.
    const QJsonObject missing { { QStringLiteral("codec"), QStringLiteral("protobuf") },
        { QStringLiteral("protoFiles"), QJsonArray { m_dir.filePath(QStringLiteral("gone.proto")) } },
        { QStringLiteral("typeIn"), QStringLiteral("chat.v1.Event") } };
    QVERIFY(!tab->setSettingsJson(
        QJsonObject { { QStringLiteral("url"), url }, { QStringLiteral("decoder"), missing } }, &error));
    QVERIFY2(error.contains(QStringLiteral("gone.proto")), qPrintable(error));
    QCOMPARE(tab->decoder().codec, DecoderSetting::Codec::Protobuf);
    QVERIFY(!tab->codec());
    QCOMPARE(tab->settingsJson().value(QStringLiteral("decoder")).toObject(), missing);
}

QTEST_MAIN(tst_DecoderDialog)
#include "tst_DecoderDialog.moc"
