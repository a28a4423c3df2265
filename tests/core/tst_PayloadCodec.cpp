// The binary payload codecs against bytes made by the real libraries: Debian's python3-msgpack,
// python3-cbor2, python3-bson (pymongo's) and protoc --encode (libprotobuf's own encoder), run as processes;
// malformed inputs (truncated, lying lengths, deep nesting, wrong types); round trips through the real
// libraries the other way.
#include "compose/MessageFormat.h"
#include "compose/PeriodicSender.h"
#include "compose/SavedMessage.h"
#include "format/BsonCodec.h"
#include "format/CborCodec.h"
#include "format/DecoderSetting.h"
#include "format/MsgPackCodec.h"
#include "format/PayloadCodec.h"
#include "format/ProtoSchema.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

using namespace wst;

class tst_PayloadCodec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void msgpackFromPython();
    void msgpackToPython();
    void msgpackMalformed_data();
    void msgpackMalformed();
    void msgpackEveryPrefixFails();
    void cborFromPython();
    void cborToPython();
    void cborMalformed_data();
    void cborMalformed();
    void cborEveryPrefixFails();
    void bsonFromPython();
    void bsonToPython();
    void bsonMalformed_data();
    void bsonMalformed();
    void bsonEveryPrefixFails();
    void protobufFromProtoc();
    void protobufRoundTripThroughProtoc();
    void protobufComposedWithTheTabsCodec();
    void protobufMalformed_data();
    void protobufMalformed();
    void protobufImporterErrors_data();
    void protobufImporterErrors();
    void firstByteSelectsType();
    void settingJson();
    void settingJsonRefused_data();
    void settingJsonRefused();

private:
    // Runs python with the script; stdout is hex of the bytes it made (or JSON it read).
    QByteArray python(const QString &module, const QString &script, const QByteArray &input = {});
    QString protoDir() const { return QStringLiteral(WST_TEST_DATA "/proto"); }
    QByteArray protocEncode(const QString &type, const QByteArray &textFormat);
    QByteArray protocDecode(const QString &type, const QByteArray &bytes);
};

QByteArray tst_PayloadCodec::python(const QString &module, const QString &script, const QByteArray &input)
{
    QProcess probe;
    probe.start(
        QStringLiteral("/usr/bin/python3"), { QStringLiteral("-c"), QStringLiteral("import ") + module });
    if (!probe.waitForFinished(20000) || probe.exitCode() != 0)
        return "SKIP";
    QProcess p;
    p.start(QStringLiteral("/usr/bin/python3"), { QStringLiteral("-c"), script });
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(20000) || p.exitCode() != 0) {
        qWarning("python failed: %s", p.readAllStandardError().constData());
        return {};
    }
    return p.readAllStandardOutput().trimmed();
}

QByteArray tst_PayloadCodec::protocEncode(const QString &type, const QByteArray &textFormat)
{
    QProcess p;
    p.start(QStringLiteral("protoc"),
        { QStringLiteral("--encode=") + type, QStringLiteral("-I"), protoDir(),
            QStringLiteral("chat.proto") });
    p.write(textFormat);
    p.closeWriteChannel();
    if (!p.waitForFinished(20000) || p.exitCode() != 0) {
        qWarning("protoc failed: %s", p.readAllStandardError().constData());
        return {};
    }
    return p.readAllStandardOutput();
}

QByteArray tst_PayloadCodec::protocDecode(const QString &type, const QByteArray &bytes)
{
    QProcess p;
    p.start(QStringLiteral("protoc"),
        { QStringLiteral("--decode=") + type, QStringLiteral("-I"), protoDir(),
            QStringLiteral("chat.proto") });
    p.write(bytes);
    p.closeWriteChannel();
    if (!p.waitForFinished(20000) || p.exitCode() != 0) {
        qWarning("protoc failed: %s", p.readAllStandardError().constData());
        return {};
    }
    return p.readAllStandardOutput();
}

// ---- MessagePack

void tst_PayloadCodec::msgpackFromPython()
{
    const QByteArray hex = python(QStringLiteral("msgpack"), QStringLiteral(R"(
import msgpack, sys
v = {"a": 1, "neg": -5, "big": 2**64 - 1, "min": -2**63, "f": 1.5, "s": "h\u00e9llo \"q\"\n",
     "bin": b"\x00\x01", "arr": [None, True, False], "nan": float("nan"), "inf": float("-inf"),
     1: "int key", "ext": msgpack.ExtType(5, b"xy"), "nested": {"deep": [[]]}, "whole": 2.0}
sys.stdout.write(msgpack.packb(v).hex() + "\n")
sys.stdout.write(msgpack.packb([1.25], use_single_float=True).hex())
)"));
    if (hex == "SKIP")
        QSKIP("python3-msgpack is not installed");
    const QList<QByteArray> lines = hex.split('\n');
    QCOMPARE(lines.size(), 2);
    QString error;
    const QByteArray json = MsgPackCodec::decode(QByteArray::fromHex(lines[0]), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // Key order, every digit of the 64-bit integers, and the markers of BinaryJson.h.
    QCOMPARE(json,
        QByteArray(R"({"a":1,"neg":-5,"big":18446744073709551615,"min":-9223372036854775808,"f":1.5,)"
                   R"("s":"h)"
                   "\xc3\xa9"
                   R"(llo \"q\"\n","bin":{"$base64":"AAE="},"arr":[null,true,false],)"
                   R"("nan":"NaN","inf":"-Infinity","1":"int key","ext":{"$ext":5,"$base64":"eHk="},)"
                   R"("nested":{"deep":[[]]},"whole":2.0})"));
    QVERIFY(QJsonDocument::fromJson(json).isObject());
    QCOMPARE(MsgPackCodec::decode(QByteArray::fromHex(lines[1]), &error), QByteArray("[1.25]"));
}

void tst_PayloadCodec::msgpackToPython()
{
    const QByteArray json = R"({"s":"text","i":-300,"u":4294967296,"d":0.5,"n":null,"b":[true,false],)"
                            R"("bin":{"$base64":"AAEC"},"ext":{"$ext":7,"$base64":"AAAAAA=="},"big":[)"
        + QByteArray::number(70000) + "]}";
    QString error;
    const QByteArray packed = MsgPackCodec::encode(json, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QByteArray seen = python(QStringLiteral("msgpack"), QStringLiteral(R"(
import msgpack, sys, json
v = msgpack.unpackb(sys.stdin.buffer.read(), raw=False, timestamp=0)
v["bin"] = list(v["bin"])
v["ext"] = [v["ext"].code, list(v["ext"].data)]
print(json.dumps(v, sort_keys=True))
)"),
        packed);
    if (seen == "SKIP")
        QSKIP("python3-msgpack is not installed");
    QCOMPARE(QJsonDocument::fromJson(seen).object(),
        QJsonDocument::fromJson(R"({"s":"text","i":-300,"u":4294967296,"d":0.5,"n":null,"b":[true,false],)"
                                R"("bin":[0,1,2],"ext":[7,[0,0,0,0]],"big":[70000]})")
            .object());
    // And back: the same JSON (Qt's parser sorts the keys of what we encode).
    const QByteArray again = MsgPackCodec::decode(packed, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(QJsonDocument::fromJson(again), QJsonDocument::fromJson(json));
    // A bare scalar is a message too; text that is not JSON says so.
    QCOMPARE(MsgPackCodec::encode("42", &error), QByteArray("\x2a"));
    QVERIFY(MsgPackCodec::encode("{\"a\":", &error).isEmpty());
    QVERIFY2(error.startsWith(QStringLiteral("MessagePack: the JSON is not valid")), qPrintable(error));
    QVERIFY(MsgPackCodec::encode("1 2", &error).isEmpty());
    QVERIFY(!error.isEmpty());
}

void tst_PayloadCodec::msgpackMalformed_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("error");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("empty");
    QTest::newRow("never used 0xc1") << QByteArray("\xc1", 1) << QStringLiteral("not a valid type");
    QTest::newRow("str8 short") << QByteArray::fromHex("d9 05 61 62") << QStringLiteral("truncated");
    QTest::newRow("array32 of 4G") << QByteArray::fromHex("dd ff ff ff ff 00") << QStringLiteral("truncated");
    QTest::newRow("map32 of 4G") << QByteArray::fromHex("df ff ff ff ff c0 c0")
                                 << QStringLiteral("truncated");
    QTest::newRow("bin32 of 4G") << QByteArray::fromHex("c6 ff ff ff ff 00") << QStringLiteral("truncated");
    QTest::newRow("ext32 of 4G") << QByteArray::fromHex("c9 ff ff ff ff 01 00")
                                 << QStringLiteral("truncated");
    QTest::newRow("str32 of 4G") << QByteArray::fromHex("db ff ff ff ff 41") << QStringLiteral("truncated");
    QTest::newRow("trailing bytes") << QByteArray::fromHex("01 02") << QStringLiteral("left over");
    QTest::newRow("deep arrays") << QByteArray(100000, '\x91') + QByteArray("\xc0", 1)
                                 << QStringLiteral("nested deeper than 256");
    QTest::newRow("deep map keys") << QByteArray(100000, '\x81') << QStringLiteral("nested deeper than 256");
}

void tst_PayloadCodec::msgpackMalformed()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, error);
    QString why;
    QVERIFY(MsgPackCodec::decode(bytes, &why).isEmpty());
    QVERIFY2(why.contains(error), qPrintable(why));
    QVERIFY2(why.startsWith(QStringLiteral("MessagePack: ")) && !why.contains(u'\n'), qPrintable(why));
}

void tst_PayloadCodec::msgpackEveryPrefixFails()
{
    QString error;
    const QByteArray whole = MsgPackCodec::encode(
        R"({"a":[1,-1,300,-300,70000,1.5,"x",{"$base64":"AAEC"},{"$ext":3,"$base64":"AQ=="},{"k":null}]})",
        &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(!MsgPackCodec::decode(whole, &error).isEmpty());
    for (qsizetype n = 0; n < whole.size(); ++n) {
        QVERIFY(MsgPackCodec::decode(whole.first(n), &error).isEmpty());
        QVERIFY(!error.isEmpty());
    }
}

// ---- CBOR

void tst_PayloadCodec::cborFromPython()
{
    const QByteArray hex = python(QStringLiteral("cbor2"), QStringLiteral(R"(
import cbor2, sys
v = {"a": 1, "neg": -2**64, "bytes": b"\x00\xff", "tag": cbor2.CBORTag(1234, "x"),
     "undef": cbor2.undefined, 5: [1.5, float("inf"), float("nan")], "simple": cbor2.CBORSimpleValue(99),
     "s": "\u4e2d", "null": None, "t": True}
sys.stdout.write(cbor2.dumps(v).hex() + "\n")
sys.stdout.write(cbor2.dumps([1.5, 100000.0], canonical=True).hex())
)"));
    if (hex == "SKIP")
        QSKIP("python3-cbor2 is not installed");
    const QList<QByteArray> lines = hex.split('\n');
    QCOMPARE(lines.size(), 2);
    QString error;
    const QByteArray json = CborCodec::decode(QByteArray::fromHex(lines[0]), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(json,
        QByteArray(R"({"a":1,"neg":-18446744073709551616,"bytes":{"$base64":"AP8="},)"
                   R"("tag":{"$tag":1234,"$value":"x"},"undef":null,"5":[1.5,"Infinity","NaN"],)"
                   R"("simple":{"$simple":99},"s":")"
                   "\xe4\xb8\xad"
                   R"(","null":null,"t":true})"));
    // Canonical CBOR writes 1.5 as a half-precision float.
    QCOMPARE(CborCodec::decode(QByteArray::fromHex(lines[1]), &error), QByteArray("[1.5,100000.0]"));
}

void tst_PayloadCodec::cborToPython()
{
    const QByteArray json
        = R"({"s":"text","i":-300,"big":9007199254740993,"d":0.25,"n":null,)"
          R"("bin":{"$base64":"AAEC"},"tag":{"$tag":1234,"$value":"x"},"sv":{"$simple":40}})";
    QString error;
    const QByteArray encoded = CborCodec::encode(json, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QByteArray seen = python(QStringLiteral("cbor2"), QStringLiteral(R"(
import cbor2, sys, json
v = cbor2.loads(sys.stdin.buffer.read())
v["bin"] = list(v["bin"])
v["tag"] = str(v["tag"]) if not isinstance(v["tag"], cbor2.CBORTag) else [v["tag"].tag, v["tag"].value]
v["sv"] = v["sv"].value
print(json.dumps(v, sort_keys=True))
)"),
        encoded);
    if (seen == "SKIP")
        QSKIP("python3-cbor2 is not installed");
    // The 2^53 + 1 integer keeps its last digit.
    QCOMPARE(seen,
        QByteArray(
            R"({"big": 9007199254740993, "bin": [0, 1, 2], "d": 0.25, "i": -300, "n": null, "s": "text", )"
            R"("sv": 40, "tag": [1234, "x"]})"));
    const QByteArray again = CborCodec::decode(encoded, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(again.contains(R"("big":9007199254740993)"), again.constData());
    QVERIFY2(again.contains(R"("tag":{"$tag":1234,"$value":"x"})"), again.constData());
}

void tst_PayloadCodec::cborMalformed_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("error");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("empty");
    QTest::newRow("text of 2^64-1") << QByteArray::fromHex("7b ff ff ff ff ff ff ff ff 41")
                                    << QStringLiteral("more than the 10 bytes left");
    QTest::newRow("bytes of 2^32") << QByteArray::fromHex("5a ff ff ff ff 00")
                                   << QStringLiteral("bytes left");
    QTest::newRow("array of 2^64-1") << QByteArray::fromHex("9b ff ff ff ff ff ff ff ff 00")
                                     << QStringLiteral("bytes left");
    QTest::newRow("map of 2^32") << QByteArray::fromHex("ba ff ff ff ff 00 00")
                                 << QStringLiteral("bytes left");
    QTest::newRow("short text") << QByteArray::fromHex("63 61 62") << QStringLiteral("truncated");
    QTest::newRow("bad utf-8") << QByteArray::fromHex("62 c3 28") << QStringLiteral("CBOR: ");
    QTest::newRow("reserved 0x1c") << QByteArray::fromHex("1c") << QStringLiteral("CBOR: ");
    QTest::newRow("break alone") << QByteArray::fromHex("ff") << QStringLiteral("CBOR: ");
    QTest::newRow("unended array") << QByteArray::fromHex("9f 01 02") << QStringLiteral("CBOR: ");
    QTest::newRow("trailing bytes") << QByteArray::fromHex("01 02") << QStringLiteral("left over");
    QTest::newRow("deep arrays") << QByteArray(100000, '\x81') + QByteArray("\xf6", 1)
                                 << QStringLiteral("nested deeper than 256");
    QTest::newRow("deep tags") << QByteArray(100000, '\xc6') + QByteArray("\xf6", 1)
                               << QStringLiteral("nested deeper than 256");
    QTest::newRow("deep indefinite") << QByteArray(100000, '\x9f')
                                     << QStringLiteral("nested deeper than 256");
}

void tst_PayloadCodec::cborMalformed()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, error);
    QString why;
    QVERIFY(CborCodec::decode(bytes, &why).isEmpty());
    QVERIFY2(why.contains(error), qPrintable(why));
    QVERIFY2(why.startsWith(QStringLiteral("CBOR: ")) && !why.contains(u'\n'), qPrintable(why));
}

void tst_PayloadCodec::cborEveryPrefixFails()
{
    QString error;
    const QByteArray whole = CborCodec::encode(
        R"({"a":[1,-1,300,-300,70000,1.5,"x",{"$base64":"AAEC"},{"$tag":1,"$value":2},{"k":null}]})", &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(!CborCodec::decode(whole, &error).isEmpty());
    for (qsizetype n = 0; n < whole.size(); ++n) {
        QVERIFY2(CborCodec::decode(whole.first(n), &error).isEmpty(), qPrintable(QString::number(n)));
        QVERIFY(!error.isEmpty());
    }
}

// ---- Protocol Buffers

// ---- BSON

namespace {

// {"a": {"a": … {}}}, levels deep: each level is its length, the element's type and key and,
// after the inner document, its own end byte.
QByteArray nestedBson(int levels)
{
    QByteArray out;
    for (int i = 0; i < levels; ++i) {
        const qint32 length = qToLittleEndian(qint32(5 + 8 * (levels - i)));
        out += QByteArray(reinterpret_cast<const char *>(&length), 4)
            + QByteArray("\x03"
                         "a\0",
                3);
    }
    return out + QByteArray::fromHex("0500000000") + QByteArray(levels, '\0');
}

} // namespace

void tst_PayloadCodec::bsonFromPython()
{
    const QByteArray hex = python(QStringLiteral("bson"), QStringLiteral(R"(
import bson, sys, datetime
from bson import ObjectId, Int64, Binary, Decimal128
from bson.son import SON
v = SON([("a", 1), ("big", Int64(2**62)), ("f", 1.5), ("s", "h\u00e9 said \"hi\" , ok\n"),
         ("arr", [1, "x", {"n": None}]), ("oid", ObjectId("5f1d7f0e2c8b9a0001a1b2c3")),
         ("d", datetime.datetime(2024, 1, 2, 3, 4, 5)), ("bin", Binary(b"\x00\x01")), ("t", True),
         ("dec", Decimal128("1.10")), ("whole", 2.0)])
sys.stdout.write(bson.encode(v).hex())
)"));
    if (hex == "SKIP")
        QSKIP("python3-bson is not installed");
    QString error;
    const QByteArray json = BsonCodec::decode(QByteArray::fromHex(hex), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // Relaxed extended JSON, compact: the document's key order, a 64-bit integer in full, the
    // spaces inside the string kept, and markers for what JSON has not.
    QCOMPARE(json,
        QByteArray(
            R"({"a":1,"big":4611686018427387904,"f":1.5,"s":"h)"
            "\xc3\xa9"
            R"( said \"hi\" , ok\n","arr":[1,"x",{"n":null}],"oid":{"$oid":"5f1d7f0e2c8b9a0001a1b2c3"},)"
            R"("d":{"$date":"2024-01-02T03:04:05Z"},"bin":{"$binary":{"base64":"AAE=","subType":"00"}},)"
            R"("t":true,"dec":{"$numberDecimal":"1.10"},"whole":2.0})"));
    QVERIFY(QJsonDocument::fromJson(json).isObject());
}

void tst_PayloadCodec::bsonToPython()
{
    const QByteArray json
        = R"({"s":"text","i":-300,"big":9007199254740993,"d":0.25,"n":null,"b":[true,false],)"
          R"("oid":{"$oid":"5f1d7f0e2c8b9a0001a1b2c3"},"when":{"$date":"2024-01-02T03:04:05Z"}})";
    QString error;
    const QByteArray encoded = BsonCodec::encode(json, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QByteArray seen = python(QStringLiteral("bson"), QStringLiteral(R"(
import bson, sys, json
v = bson.decode(sys.stdin.buffer.read())
v["oid"] = str(v["oid"])
v["when"] = v["when"].isoformat()
print(json.dumps(v, sort_keys=True))
)"),
        encoded);
    if (seen == "SKIP")
        QSKIP("python3-bson is not installed");
    // The 2^53 + 1 integer keeps its last digit (an int64), the ObjectId and the date their value.
    QCOMPARE(seen,
        QByteArray(R"({"b": [true, false], "big": 9007199254740993, "d": 0.25, "i": -300, "n": null, )"
                   R"("oid": "5f1d7f0e2c8b9a0001a1b2c3", "s": "text", "when": "2024-01-02T03:04:05"})"));
    // And back, in the same order.
    QCOMPARE(BsonCodec::decode(encoded, &error),
        QByteArray(R"({"s":"text","i":-300,"big":9007199254740993,"d":0.25,"n":null,"b":[true,false],)"
                   R"("oid":{"$oid":"5f1d7f0e2c8b9a0001a1b2c3"},"when":{"$date":"2024-01-02T03:04:05Z"}})"));
    // 200 levels of documents are read (the limit is 256).
    const QByteArray nestedJson = BsonCodec::decode(nestedBson(200), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(nestedJson.count("{\"a\":"), 200);
    // A document is an object: anything else, or JSON that is not, says so in one line.
    for (const QByteArray &bad : { QByteArray("[1,2]"), QByteArray("42"), QByteArray("{\"a\":"),
             QByteArray("{\"a\":1} x"), QByteArray() }) {
        QVERIFY(BsonCodec::encode(bad, &error).isEmpty());
        QVERIFY2(error.startsWith(QStringLiteral("BSON: ")) && !error.contains(u'\n'), qPrintable(error));
    }
}

void tst_PayloadCodec::bsonMalformed_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("error");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("0 bytes");
    QTest::newRow("4 bytes") << QByteArray::fromHex("05000000") << QStringLiteral("at least 5");
    QTest::newRow("length too big") << QByteArray::fromHex("ff00000000") << QStringLiteral("says 255 bytes");
    QTest::newRow("negative length") << QByteArray::fromHex("ffffffff00") << QStringLiteral("says -1 bytes");
    QTest::newRow("trailing bytes") << QByteArray::fromHex("050000000000")
                                    << QStringLiteral("the payload has 6");
    QTest::newRow("no end zero") << QByteArray::fromHex("0500000001") << QStringLiteral("zero byte");
    // {"a": "x"} with the string's length a lie, and with bad UTF-8.
    QTest::newRow("string length lies")
        << QByteArray::fromHex("0e00000002610009000000780000") << QStringLiteral("BSON: ");
    QTest::newRow("bad utf-8") << QByteArray::fromHex("0f0000000261000300000078c30000")
                               << QStringLiteral("not valid UTF-8");
    // 100,000 documents each inside the last (800 KB): refused, not a stack overflow.
    QTest::newRow("deep documents") << nestedBson(100000) << QStringLiteral("nested deeper than 256");
    QTest::newRow("unknown type 0x20")
        << QByteArray::fromHex("0a000000206100010000") << QStringLiteral("BSON: ");
}

void tst_PayloadCodec::bsonMalformed()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, error);
    QString why;
    QVERIFY(BsonCodec::decode(bytes, &why).isEmpty());
    QVERIFY2(why.contains(error), qPrintable(why));
    QVERIFY2(why.startsWith(QStringLiteral("BSON: ")) && !why.contains(u'\n'), qPrintable(why));
}

void tst_PayloadCodec::bsonEveryPrefixFails()
{
    QString error;
    const QByteArray whole = BsonCodec::encode(
        R"({"a":[1,-1,300,1.5,"x",{"k":null}],"o":{"$oid":"5f1d7f0e2c8b9a0001a1b2c3"},"t":true})", &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(!BsonCodec::decode(whole, &error).isEmpty());
    for (qsizetype n = 0; n < whole.size(); ++n) {
        QVERIFY(BsonCodec::decode(whole.first(n), &error).isEmpty());
        QVERIFY(!error.isEmpty());
    }
}

void tst_PayloadCodec::protobufFromProtoc()
{
    const QByteArray bytes = protocEncode(QStringLiteral("chat.v1.Event"),
        "user: \"ann\" id: 42 tags: \"a\" tags: \"b\" meta { trace: \"t-1\" ts: 18446744073709551615 } "
        "blob: \"\\000\\001\" price: 1.5 level: ERROR counts { key: \"x\" value: 7 } reply { user: \"bob\" "
        "}");
    QVERIFY(!bytes.isEmpty());
    DecoderSetting setting;
    setting.codec = DecoderSetting::Codec::Protobuf;
    setting.protoFiles = { protoDir() + QStringLiteral("/chat.proto") };
    setting.typeIn = QStringLiteral("chat.v1.Event");
    QString error;
    const auto codec = PayloadCodec::create(setting, &error);
    QVERIFY2(codec, qPrintable(error));
    QCOMPARE(codec->schema()->messageTypes(),
        QStringList({ QStringLiteral("chat.v1.Command"), QStringLiteral("chat.v1.Event") }));
    const PayloadCodec::Decoded d = codec->decode(Direction::In, bytes);
    QVERIFY2(d.ok(), qPrintable(d.error));
    QCOMPARE(d.type, QStringLiteral("chat.v1.Event"));
    // protobuf's JSON mapping: 64-bit integers as strings, bytes as base64, enums by name.
    QCOMPARE(QJsonDocument::fromJson(d.json).object(),
        QJsonDocument::fromJson(R"({"user":"ann","id":"42","tags":["a","b"],)"
                                R"("meta":{"trace":"t-1","ts":"18446744073709551615"},"blob":"AAE=",)"
                                R"("price":1.5,"level":"ERROR","counts":{"x":7},"reply":{"user":"bob"}})")
            .object());
}

void tst_PayloadCodec::protobufRoundTripThroughProtoc()
{
    DecoderSetting setting;
    setting.codec = DecoderSetting::Codec::Protobuf;
    setting.protoFiles = { protoDir() + QStringLiteral("/chat.proto") };
    setting.typeIn = QStringLiteral("chat.v1.Event");
    setting.typeOut = QStringLiteral("chat.v1.Command");
    QString error;
    const auto codec = PayloadCodec::create(setting, &error);
    QVERIFY2(codec, qPrintable(error));
    // Out is a Command; the .proto field name and the lowerCamel one are both accepted.
    const PayloadCodec::Encoded e = codec->encode(Direction::Out, R"({"op":"join","seq":7})");
    QVERIFY2(e.ok(), qPrintable(e.error));
    QCOMPARE(
        protocDecode(QStringLiteral("chat.v1.Command"), e.payload), QByteArray("op: \"join\"\nseq: 7\n"));
    const PayloadCodec::Decoded d = codec->decode(Direction::Out, e.payload);
    QCOMPARE(d.json, QByteArray(R"({"op":"join","seq":7})"));
    const PayloadCodec::Encoded bad = codec->encode(Direction::Out, R"({"op":"join","sequence":7})");
    QVERIFY(!bad.ok());
    QVERIFY2(bad.error.startsWith(QStringLiteral("Protobuf: the JSON is not a chat.v1.Command: ")),
        qPrintable(bad.error));
    QVERIFY2(bad.error.contains(QStringLiteral("sequence")), qPrintable(bad.error));
}

// The "protobuf" message format (composer, saved messages, periodic send) encodes with the tab's
// codec; without one it says what is missing, and a check without one judges the JSON alone.
void tst_PayloadCodec::protobufComposedWithTheTabsCodec()
{
    DecoderSetting setting;
    setting.codec = DecoderSetting::Codec::Protobuf;
    setting.protoFiles = { protoDir() + QStringLiteral("/chat.proto") };
    setting.typeOut = QStringLiteral("chat.v1.Command");
    QString error;
    const auto codec = PayloadCodec::create(setting, &error);
    QVERIFY2(codec, qPrintable(error));
    const QString body = QStringLiteral(R"({"op": "join", "seq": 7})");

    const MessageFormat::Encoded e = MessageFormat::encode(MessageFormat::Type::Protobuf, body, codec.get());
    QVERIFY2(e.ok(), qPrintable(e.error));
    QVERIFY(e.binary);
    QCOMPARE(
        protocDecode(QStringLiteral("chat.v1.Command"), e.payload), QByteArray("op: \"join\"\nseq: 7\n"));

    const MessageFormat::Encoded none = MessageFormat::encode(MessageFormat::Type::Protobuf, body);
    QCOMPARE(none.error,
        QStringLiteral("Protobuf: no .proto files are set for this connection (View \u25b8 Decoder\u2026)."));
    QVERIFY(none.payload.isEmpty());
    setting.codec = DecoderSetting::Codec::MessagePack;
    const auto msgpack = PayloadCodec::create(setting, &error);
    QCOMPARE(MessageFormat::encode(MessageFormat::Type::Protobuf, body, msgpack.get()).error, none.error);
    QVERIFY(MessageFormat::check(MessageFormat::Type::Protobuf, body).isEmpty());
    QCOMPARE(MessageFormat::check(MessageFormat::Type::Protobuf, QStringLiteral("{\"op\": }")),
        MessageFormat::check(MessageFormat::Type::Json, QStringLiteral("{\"op\": }")));
    QVERIFY(MessageFormat::check(MessageFormat::Type::Protobuf, QStringLiteral(R"({"nope": 1})"), codec.get())
                .contains(QStringLiteral("nope")));

    QVERIFY(SavedMessage::isValidFormat(QStringLiteral("protobuf")));
    bool binary = false;
    QByteArray payload;
    QVERIFY2(SavedMessage::encode(QStringLiteral("protobuf"), body, &binary, &payload, &error, codec.get()),
        qPrintable(error));
    QVERIFY(binary);
    QCOMPARE(payload, e.payload);

    QList<QByteArray> sent;
    PeriodicSender sender([&sent](bool isBinary, const QByteArray &bytes) {
        QVERIFY(isBinary);
        sent.append(bytes);
    });
    SavedMessage tick;
    tick.name = QStringLiteral("tick");
    tick.format = QStringLiteral("protobuf");
    tick.body = QStringLiteral(R"({"op": "tick", "seq": {{counter}}})");
    QVERIFY(!sender.start(tick, 10, 3, &error));
    QCOMPARE(error, none.error);
    sender.setCodec(codec);
    QVERIFY2(sender.start(tick, 10, 3, &error), qPrintable(error));
    QTRY_COMPARE(sent.size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(protocDecode(QStringLiteral("chat.v1.Command"), sent.at(i)),
            QByteArray("op: \"tick\"\nseq: ") + QByteArray::number(i + 1) + "\n");
    }
}

void tst_PayloadCodec::protobufMalformed_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("truncated string") << QByteArray::fromHex("0a 05 61 62");
    QTest::newRow("giant length") << QByteArray::fromHex("0a ff ff ff ff 0f 61");
    QTest::newRow("bad varint") << QByteArray::fromHex("10 ff ff ff ff ff ff ff ff ff ff ff");
    QTest::newRow("field zero") << QByteArray::fromHex("00 01");
    QTest::newRow("end group alone") << QByteArray::fromHex("0c");
    // Event.reply nested 200 deep: beyond libprotobuf's recursion limit of 100.
    QByteArray deep;
    for (int i = 0; i < 200; ++i) {
        QByteArray length;
        for (quint64 n = quint64(deep.size());; n >>= 7) {
            length.append(char((n & 0x7f) | (n > 0x7f ? 0x80 : 0)));
            if (n <= 0x7f)
                break;
        }
        deep = QByteArray::fromHex("4a") + length + deep;
    }
    QTest::newRow("nested 200 deep") << deep;
}

void tst_PayloadCodec::protobufMalformed()
{
    QFETCH(QByteArray, bytes);
    QString error;
    const auto schema = ProtoSchema::load({ protoDir() + QStringLiteral("/chat.proto") }, {}, &error);
    QVERIFY2(schema, qPrintable(error));
    QVERIFY(schema->decode(QStringLiteral("chat.v1.Event"), bytes, &error).isEmpty());
    QVERIFY2(error.startsWith(QStringLiteral("Protobuf: the bytes are not a chat.v1.Event message")),
        qPrintable(error));
}

void tst_PayloadCodec::protobufImporterErrors_data()
{
    QTest::addColumn<QStringList>("files");
    QTest::addColumn<QStringList>("paths");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("error");
    const QString d = QStringLiteral(WST_TEST_DATA "/proto");
    QTest::newRow("undefined type")
        << QStringList { d + QStringLiteral("/bad/broken.proto") } << QStringList()
        << QStringLiteral("bad.Broken")
        << QStringLiteral("Protobuf: %1/bad/broken.proto:6:3: \"Strin\" is not defined.").arg(d);
    QTest::newRow("missing import") << QStringList { d + QStringLiteral("/bad/missing_import.proto") }
                                    << QStringList() << QStringLiteral("bad.Lost")
                                    << QStringLiteral("Protobuf: nowhere/gone.proto: File not found.");
    QTest::newRow("no such file") << QStringList { d + QStringLiteral("/none.proto") } << QStringList()
                                  << QStringLiteral("x.Y")
                                  << QStringLiteral("Protobuf: %1/none.proto does not exist.").arg(d);
    QTest::newRow("bad import path")
        << QStringList { d + QStringLiteral("/chat.proto") } << QStringList { d + QStringLiteral("/nope") }
        << QStringLiteral("chat.v1.Event")
        << QStringLiteral("Protobuf: the import path %1/nope is not a folder.").arg(d);
    QTest::newRow("unknown type") << QStringList { d + QStringLiteral("/chat.proto") } << QStringList()
                                  << QStringLiteral("chat.v1.Evnt")
                                  << QStringLiteral(
                                         "Protobuf: the .proto files define no message type chat.v1.Evnt.");
    QTest::newRow("unqualified type")
        << QStringList { d + QStringLiteral("/chat.proto") } << QStringList() << QStringLiteral("Event")
        << QStringLiteral("Protobuf: the .proto files define no message type Event "
                          "(did you mean chat.v1.Event?).");
}

void tst_PayloadCodec::protobufImporterErrors()
{
    QFETCH(QStringList, files);
    QFETCH(QStringList, paths);
    QFETCH(QString, type);
    QFETCH(QString, error);
    DecoderSetting setting;
    setting.codec = DecoderSetting::Codec::Protobuf;
    setting.protoFiles = files;
    setting.importPaths = paths;
    setting.typeIn = type;
    QString why;
    QVERIFY(!PayloadCodec::create(setting, &why));
    QCOMPARE(why, error);
}

void tst_PayloadCodec::firstByteSelectsType()
{
    DecoderSetting setting;
    setting.codec = DecoderSetting::Codec::Protobuf;
    setting.protoFiles = { protoDir() + QStringLiteral("/chat.proto") };
    setting.typeByFirstByte
        = { { 1, QStringLiteral("chat.v1.Event") }, { 2, QStringLiteral("chat.v1.Command") } };
    QString error;
    auto codec = PayloadCodec::create(setting, &error);
    QVERIFY2(codec, qPrintable(error));
    const QByteArray command = protocEncode(QStringLiteral("chat.v1.Command"), "op: \"x\" seq: 3");
    QVERIFY(!command.isEmpty());
    const PayloadCodec::Decoded d = codec->decode(Direction::In, QByteArray('\x02' + command));
    QVERIFY2(d.ok(), qPrintable(d.error));
    QCOMPARE(d.type, QStringLiteral("chat.v1.Command"));
    QCOMPARE(d.json, QByteArray(R"({"op":"x","seq":3})"));
    QCOMPARE(codec->decode(Direction::In, QByteArray('\x07' + command)).error,
        QStringLiteral("Protobuf: no message type for the first byte 7."));
    QCOMPARE(codec->decode(Direction::In, QByteArray()).error,
        QStringLiteral("Protobuf: the payload is empty; the first byte selects the type."));
    QCOMPARE(codec->encode(Direction::Out, "{}").error, QStringLiteral("Protobuf: no message type to send."));
    // Sending puts the byte of the direction's type first.
    setting.typeOut = QStringLiteral("chat.v1.Command");
    codec = PayloadCodec::create(setting, &error);
    QVERIFY2(codec, qPrintable(error));
    const PayloadCodec::Encoded e = codec->encode(Direction::Out, R"({"op":"x","seq":3})");
    QVERIFY2(e.ok(), qPrintable(e.error));
    QCOMPARE(e.payload, QByteArray('\x02' + command));
    setting.typeByFirstByte.insert(9, QStringLiteral("chat.v1.Nope"));
    QVERIFY(!PayloadCodec::create(setting, &error));
    QCOMPARE(error, QStringLiteral("Protobuf: the .proto files define no message type chat.v1.Nope."));
}

void tst_PayloadCodec::settingJson()
{
    DecoderSetting s;
    s.codec = DecoderSetting::Codec::Protobuf;
    s.protoFiles = { QStringLiteral("/a/chat.proto"), QStringLiteral("/a/more.proto") };
    s.importPaths = { QStringLiteral("/inc") };
    s.typeIn = QStringLiteral("chat.v1.Event");
    s.typeOut = QStringLiteral("chat.v1.Command");
    s.typeByFirstByte
        = { { 0, QStringLiteral("chat.v1.Event") }, { 255, QStringLiteral("chat.v1.Command") } };
    QString error;
    const auto back = DecoderSetting::fromJson(s.toJson(), &error);
    QVERIFY2(back, qPrintable(error));
    QVERIFY(*back == s);
    for (const auto codec :
        { DecoderSetting::Codec::None, DecoderSetting::Codec::MessagePack, DecoderSetting::Codec::Cbor }) {
        DecoderSetting plain;
        plain.codec = codec;
        QCOMPARE(plain.toJson(), QJsonObject({ { QStringLiteral("codec"), DecoderSetting::key(codec) } }));
        const auto read = DecoderSetting::fromJson(plain.toJson(), &error);
        QVERIFY2(read && *read == plain, qPrintable(error));
    }
}

void tst_PayloadCodec::settingJsonRefused_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    QTest::newRow("unknown codec")
        << QByteArray(R"({"codec":"yaml"})")
        << QStringLiteral("Decoder: unknown codec \u201cyaml\u201d (none, msgpack, cbor, bson or protobuf).");
    QTest::newRow("no codec")
        << QByteArray(R"({})")
        << QStringLiteral("Decoder: unknown codec \u201c?\u201d (none, msgpack, cbor, bson or protobuf).");
    QTest::newRow("files not a list")
        << QByteArray(R"({"codec":"protobuf","protoFiles":"a.proto"})")
        << QStringLiteral("Decoder: \u201cprotoFiles\u201d is not a list of strings.");
    QTest::newRow("no files") << QByteArray(R"({"codec":"protobuf","typeIn":"a.B"})")
                              << QStringLiteral("Decoder: Protocol Buffers needs at least one .proto file.");
    QTest::newRow("no type") << QByteArray(R"({"codec":"protobuf","protoFiles":["a.proto"]})")
                             << QStringLiteral("Decoder: no message type chosen.");
    QTest::newRow("byte 256") << QByteArray(
        R"({"codec":"protobuf","protoFiles":["a.proto"],"firstByte":{"256":"a.B"}})")
                              << QStringLiteral("Decoder: the first byte 256 is not 0-255.");
    QTest::newRow("byte not a number")
        << QByteArray(R"({"codec":"protobuf","protoFiles":["a.proto"],"firstByte":{"x":"a.B"}})")
        << QStringLiteral("Decoder: the first-byte rule \u201cx\u201d is not a byte value with a type.");
    QTest::newRow("type not a string")
        << QByteArray(R"({"codec":"protobuf","protoFiles":["a.proto"],"typeIn":3})")
        << QStringLiteral("Decoder: \u201ctypeIn\u201d is not a string.");
    QTest::newRow("files for msgpack")
        << QByteArray(R"({"codec":"msgpack","protoFiles":["a.proto"]})")
        << QStringLiteral("Decoder: .proto files and message types belong to Protocol Buffers only.");
}

void tst_PayloadCodec::settingJsonRefused()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    QString why;
    QVERIFY(!DecoderSetting::fromJson(QJsonDocument::fromJson(json).object(), &why));
    QCOMPARE(why, error);
}

QTEST_GUILESS_MAIN(tst_PayloadCodec)
#include "tst_PayloadCodec.moc"
