#include "compose/MessageFormat.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

using namespace wst;

class tst_MessageFormat : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void keysAndLabels();
    void encode_data();
    void encode();
    void checkAgreesWithEncode();
    void file_data();
    void file();
};

void tst_MessageFormat::keysAndLabels()
{
    QCOMPARE(MessageFormat::all().size(), 9);
    QSet<QString> keys;
    for (MessageFormat::Type type : MessageFormat::all()) {
        keys.insert(MessageFormat::key(type));
        QCOMPARE(MessageFormat::fromKey(MessageFormat::key(type)), std::optional(type));
        QVERIFY(!MessageFormat::label(type).isEmpty());
    }
    QCOMPARE(keys,
        (QSet<QString> { QStringLiteral("text"), QStringLiteral("json"), QStringLiteral("hex"),
            QStringLiteral("base64"), QStringLiteral("file"), QStringLiteral("msgpack"),
            QStringLiteral("cbor"), QStringLiteral("bson"), QStringLiteral("protobuf") }));
    QCOMPARE(MessageFormat::fromKey(u"xml"), std::nullopt);
    QCOMPARE(MessageFormat::fromKey(u"xml", MessageFormat::Type::Json), MessageFormat::Type::Json);
    QVERIFY(!MessageFormat::isBinary(MessageFormat::Type::Text));
    QVERIFY(!MessageFormat::isBinary(MessageFormat::Type::Json));
    QVERIFY(MessageFormat::isBinary(MessageFormat::Type::Hex));
    QVERIFY(MessageFormat::isBinary(MessageFormat::Type::Base64));
    QVERIFY(MessageFormat::isBinary(MessageFormat::Type::File));
    QVERIFY(MessageFormat::isBinary(MessageFormat::Type::MessagePack));
    QVERIFY(MessageFormat::isBinary(MessageFormat::Type::Cbor));
    QVERIFY(MessageFormat::isJsonBody(MessageFormat::Type::Cbor));
    QVERIFY(MessageFormat::isBinary(MessageFormat::Type::Protobuf));
    QVERIFY(MessageFormat::isJsonBody(MessageFormat::Type::Protobuf));
    QVERIFY(!MessageFormat::isJsonBody(MessageFormat::Type::Text));
    // The numbers are kept in settings: the new types come after the old ones.
    QCOMPARE(int(MessageFormat::Type::File), 4);
}

void tst_MessageFormat::encode_data()
{
    using T = MessageFormat::Type;
    QTest::addColumn<MessageFormat::Type>("type");
    QTest::addColumn<QString>("body");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("error"); // empty: valid

    QTest::newRow("text utf-8") << T::Text << QStringLiteral("h\u00e9") << QByteArray("h\xc3\xa9")
                                << QString();
    QTest::newRow("text empty") << T::Text << QString() << QByteArray() << QString();
    QTest::newRow("json valid") << T::Json << QStringLiteral("{\"a\": [1, 2]}")
                                << QByteArray("{\"a\": [1, 2]}") << QString();
    QTest::newRow("json line 2") << T::Json << QStringLiteral("{\n  \"a\" 1}") << QByteArray()
                                 << QStringLiteral(
                                        "JSON: line 2, column 7: Expected \u201c:\u201d after the key.");
    QTest::newRow("json column counts characters")
        << T::Json << QStringLiteral("[\"\u00e9\u00e9\", tru]") << QByteArray()
        << QStringLiteral("JSON: line 1, column 8: Unknown word: expected true, false or null.");
    QTest::newRow("json empty")
        << T::Json << QString() << QByteArray()
        << QStringLiteral("JSON: line 1, column 1: The document is empty: expected a JSON value.");
    QTest::newRow("msgpack map") << T::MessagePack
                                 << QStringLiteral(R"({"a": [1, -1, 1.5, {"$base64": "AAE="}]})")
                                 << QByteArray::fromHex("81 a1 61 94 01 ff cb 3ff8000000000000 c4 02 00 01")
                                 << QString();
    QTest::newRow("msgpack bad json") << T::MessagePack << QStringLiteral("{\"a\": }") << QByteArray()
                                      << QStringLiteral("JSON: line 1, column 7: Expected a value (object, "
                                                        "array, string, number, true, false or null).");
    QTest::newRow("cbor tag") << T::Cbor << QStringLiteral(R"({"$tag": 1, "$value": 2})")
                              << QByteArray::fromHex("c1 02") << QString();
    QTest::newRow("cbor empty")
        << T::Cbor << QString() << QByteArray()
        << QStringLiteral("JSON: line 1, column 1: The document is empty: expected a JSON value.");
    QTest::newRow("hex separators") << T::Hex << QStringLiteral("de ad:BE-ef 0x01\n02,03")
                                    << QByteArray("\xde\xad\xbe\xef\x01\x02\x03") << QString();
    QTest::newRow("hex odd") << T::Hex << QStringLiteral("48 65 6") << QByteArray()
                             << QStringLiteral(
                                    "Hex: odd number of digits: the digit at position 7 has no pair.");
    QTest::newRow("hex bad digit") << T::Hex << QStringLiteral("12 zz") << QByteArray()
                                   << QStringLiteral("Hex: \u201cz\u201d at position 4 is not a hex digit.");
    QTest::newRow("base64 padded") << T::Base64 << QStringLiteral("aGVs bG8=") << QByteArray("hello")
                                   << QString();
    QTest::newRow("base64 unpadded") << T::Base64 << QStringLiteral("aGVsbG8") << QByteArray("hello")
                                     << QString();
    QTest::newRow("base64 url alphabet")
        << T::Base64 << QStringLiteral("-_8") << QByteArray("\xfb\xff") << QString();
    QTest::newRow("base64 bad character")
        << T::Base64 << QStringLiteral("a$b=") << QByteArray()
        << QStringLiteral("Base64: \u201c$\u201d at position 2 is not a base64 character.");
    QTest::newRow("base64 padding inside")
        << T::Base64 << QStringLiteral("aG=Vs") << QByteArray()
        << QStringLiteral("Base64: the padding \u201c=\u201d at position 3 is not at the end.");
    QTest::newRow("base64 mixed alphabets")
        << T::Base64 << QStringLiteral("ab+_") << QByteArray()
        << QStringLiteral("Base64: \u201c_\u201d at position 4 mixes the URL-safe "
                          "alphabet (- _) with the standard one (+ /).");
    QTest::newRow("base64 lone character")
        << T::Base64 << QStringLiteral("aGVsb") << QByteArray()
        << QStringLiteral("Base64: the last group, at position 5, has one character: "
                          "it takes at least two to make a byte.");
    QTest::newRow("base64 short padding")
        << T::Base64 << QStringLiteral("aGV=") << QByteArray("he") << QString();
    QTest::newRow("base64 too much padding")
        << T::Base64 << QStringLiteral("aGVsbG8==") << QByteArray()
        << QStringLiteral("Base64: the padding at position 8 does not complete a "
                          "group of four.");
}

void tst_MessageFormat::encode()
{
    QFETCH(MessageFormat::Type, type);
    QFETCH(QString, body);
    QFETCH(QByteArray, payload);
    QFETCH(QString, error);
    const MessageFormat::Encoded encoded = MessageFormat::encode(type, body);
    QCOMPARE(encoded.error, error);
    QCOMPARE(encoded.ok(), error.isEmpty());
    QCOMPARE(encoded.payload, payload);
    QCOMPARE(encoded.binary, MessageFormat::isBinary(type));
}

void tst_MessageFormat::checkAgreesWithEncode()
{
    QCOMPARE(MessageFormat::check(MessageFormat::Type::Hex, QStringLiteral("abc")),
        MessageFormat::encode(MessageFormat::Type::Hex, QStringLiteral("abc")).error);
    QCOMPARE(MessageFormat::check(MessageFormat::Type::Json, QStringLiteral("[1]")), QString());
}

void tst_MessageFormat::file_data()
{
    QTest::addColumn<QString>("name"); // inside a temporary folder; "" for no path at all
    QTest::addColumn<bool>("unreadable");
    QTest::addColumn<QString>("error"); // %1: the full path

    QTest::newRow("readable") << QStringLiteral("data.bin") << false << QString();
    QTest::newRow("none chosen") << QString() << false << QStringLiteral("File: no file chosen.");
    QTest::newRow("missing") << QStringLiteral("missing.bin") << false
                             << QStringLiteral("File: %1 does not exist.");
    QTest::newRow("folder") << QStringLiteral("folder") << false << QStringLiteral("File: %1 is not a file.");
    QTest::newRow("unreadable") << QStringLiteral("data.bin") << true
                                << QStringLiteral("File: cannot read %1: permission denied.");
}

void tst_MessageFormat::file()
{
    QFETCH(QString, name);
    QFETCH(bool, unreadable);
    QFETCH(QString, error);
    if (unreadable && geteuid() == 0)
        QSKIP("root reads every file: no permission can be denied");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QByteArray bytes("\x00\x01\xfe\xff", 4);
    {
        QFile f(dir.filePath(QStringLiteral("data.bin")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    }
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("folder")));
    const QString path = name.isEmpty() ? QString() : dir.filePath(name);
    if (unreadable)
        QVERIFY(QFile::setPermissions(path, QFileDevice::WriteOwner));
    const QString expected
        = error.contains(QLatin1String("%1")) ? error.arg(QDir::toNativeSeparators(path)) : error;

    QCOMPARE(MessageFormat::check(MessageFormat::Type::File, path), expected);
    const MessageFormat::Encoded encoded = MessageFormat::encode(MessageFormat::Type::File, path);
    QCOMPARE(encoded.error, expected);
    QVERIFY(encoded.binary);
    QCOMPARE(encoded.payload, expected.isEmpty() ? bytes : QByteArray());
}

QTEST_GUILESS_MAIN(tst_MessageFormat)
#include "tst_MessageFormat.moc"
