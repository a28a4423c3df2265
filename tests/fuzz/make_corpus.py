#!/usr/bin/python3
"""Writes the seed corpora of the fuzz targets into tests/fuzz/corpus/<target>/.

Run from anywhere: /usr/bin/python3 tests/fuzz/make_corpus.py [path/to/wstester]
The session_file seeds are real session files made by `wstester session import-har` from
HARs written here; without a wstester binary they are left as they are.
Each seed is small (the fuzzer grows what it needs) and shows one shape of valid or nearly
valid input, so that the fuzzer starts next to the parser's interesting branches.
"""
import json
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")


def frame(opcode, payload, fin=True, mask=None, rsv=0, long_form=None):
    head = bytes([(0x80 if fin else 0) | (rsv << 4) | opcode])
    bit = 0x80 if mask is not None else 0
    n = len(payload)
    if long_form == 127 or n >= 65536:
        head += bytes([bit | 127]) + struct.pack(">Q", n)
    elif long_form == 126 or n >= 126:
        head += bytes([bit | 126]) + struct.pack(">H", n)
    else:
        head += bytes([bit | n])
    if mask is None:
        return head + payload
    key = struct.pack(">I", mask)
    return head + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


def write(target, name, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def zlib_bomb():
    import zlib
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = c.compress(bytes(4 << 20)) + c.flush(zlib.Z_SYNC_FLUSH)
    return data[:-4]


def streams():
    # The first byte of each seed is the chunk size minus one (FuzzSupport.h, chunks()).
    text = frame(0x1, b"hello")
    return {
        "text": b"\xff" + text,
        "bytewise": b"\x00" + text + frame(0x2, b"\x00\x01\x02"),
        "fragmented": b"\x02" + frame(0x1, b"hel", fin=False) + frame(0x9, b"ping")
        + frame(0x0, b"lo", fin=False) + frame(0x0, b"!"),
        "lengths": b"\x10" + frame(0x2, b"x" * 130) + frame(0x2, b"y" * 3, long_form=127),
        "control": b"\x07" + frame(0xA, b"ping") + frame(0x8, struct.pack(">H", 1000) + b"bye"),
        "masked": b"\x03" + frame(0x1, b"masked", mask=0x11223344),
        "bad_opcode": b"\x05" + frame(0x3, b"?") + frame(0x1, b"\xc3\x28", rsv=4),
        "declared_huge": b"\x40" + bytes([0x82, 127]) + struct.pack(">Q", 1 << 62) + b"abc",
    }


def payload_seeds():
    """payload_codec (first byte modulo 3: 0 MessagePack, 1 CBOR, 2 BSON) and protobuf
    (chat.v1.Event of tests/data/proto/chat.proto), made by the real libraries: python3-msgpack,
    python3-cbor2, python3-bson and protoc --encode."""
    import msgpack
    import cbor2
    import bson
    import datetime
    value = {"type": "trade", "price": 101.25, "qty": 3, "ids": [1, -2, 2**63, -2**63],
             "raw": b"\x00\xff", "ok": True, "none": None, 7: "int key", "nested": {"a": [[], {}]}}
    write("payload_codec", "msgpack_map", b"\x00" + msgpack.packb(value))
    write("payload_codec", "msgpack_ext", b"\x00" + msgpack.packb([msgpack.ExtType(5, b"xy"), 1.5],
                                                                   use_single_float=True))
    write("payload_codec", "msgpack_lying_length", b"\x00\xdd\xff\xff\xff\xff\xc0")
    write("payload_codec", "msgpack_deep", b"\x00" + b"\x91" * 300 + b"\xc0")
    write("payload_codec", "msgpack_map_key", b"\x00\x81\x81\x92\x01\x02\xc3\xc2")
    write("payload_codec", "cbor_map", b"\x01" + cbor2.dumps(value))
    write("payload_codec", "cbor_tags", b"\x01" + cbor2.dumps(
        [cbor2.CBORTag(1234, "x"), cbor2.undefined, cbor2.CBORSimpleValue(99), float("nan"), -2**64],
        canonical=True))
    write("payload_codec", "cbor_indefinite", b"\x01\x9f\x01\x7f\x61\x61\x61\x62\xff\xbf\x61\x6b\x5f\x41\x00\xff\xff\xff")
    write("payload_codec", "cbor_lying_length", b"\x01\x9b" + b"\xff" * 8 + b"\x00")
    write("payload_codec", "cbor_deep", b"\x01" + b"\xc6\x81" * 150 + b"\xf6")
    document = bson.son.SON([("type", "trade"), ("price", 101.25), ("qty", bson.int64.Int64(2**62)),
                             ("ids", [1, -2]), ("raw", bson.binary.Binary(b"\x00\xff")), ("ok", True),
                             ("none", None), ("oid", bson.objectid.ObjectId("5f1d7f0e2c8b9a0001a1b2c3")),
                             ("at", datetime.datetime(2024, 1, 2)), ("re", bson.regex.Regex("^a", "i")),
                             ("dec", bson.decimal128.Decimal128("1.10")),
                             ("code", bson.code.Code("f()", {"x": 1})), ("nested", {"a": [[], {}]})])
    write("payload_codec", "bson_document", b"\x02" + bson.encode(document))
    deep = b"\x05\x00\x00\x00\x00"
    for _ in range(300):
        body = b"\x03a\x00" + deep + b"\x00"
        deep = struct.pack("<i", len(body) + 4) + body
    write("payload_codec", "bson_deep", b"\x02" + deep)
    write("payload_codec", "bson_lying_length", b"\x02\x0e\x00\x00\x00\x02a\x00\x09\x00\x00\x00x\x00\x00")
    proto = os.path.join(HERE, "..", "data", "proto")
    text = ('user: "ann" id: 42 tags: "a" tags: "b" meta { trace: "t-1" ts: 18446744073709551615 } '
            'blob: "\\000\\001" price: 1.5 level: ERROR counts { key: "x" value: 7 } '
            'reply { user: "bob" reply { id: -1 } }')
    event = subprocess.run(["protoc", "--encode=chat.v1.Event", "-I", proto, "chat.proto"],
                           input=text.encode(), stdout=subprocess.PIPE, check=True).stdout
    write("protobuf", "event", event)
    write("protobuf", "empty", b"")
    write("protobuf", "truncated", event[:-3])
    write("protobuf", "giant_length", b"\x0a\xff\xff\xff\xff\x0f\x61")
    write("protobuf", "unknown_fields", b"\x78\x01\x82\x01\x02hi" + event)
    deep = b""
    for _ in range(120):
        n = len(deep)
        length = b""
        while True:
            length += bytes([(n & 0x7f) | (0x80 if n > 0x7f else 0)])
            n >>= 7
            if n == 0:
                break
        deep = b"\x4a" + length + deep
    write("protobuf", "deep", deep)


def main():
    for name, data in streams().items():
        write("frame_decoder", name, data)
        write("message_tap", name, data)
    write("message_tap", "bad_utf8_fragments", b"\x01" + frame(0x1, b"\xe2\x82", fin=False) + frame(0x0, b"\xac"))

    accept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
    # permessage-deflate: byte 0 cuts, byte 1 chooses (bit 7: a response header; else the
    # agreement's flags) and the rest is the header or the server's stream.
    hello = bytes.fromhex("f248cdc9c90700")
    write("permessage_deflate", "rfc_hello", b"\x07\x00" + frame(0x1, hello, rsv=4) + frame(0x1, bytes.fromhex("f200110000"), rsv=4))
    write("permessage_deflate", "fragments_ping", b"\x02\x01" + frame(0x1, hello[:3], fin=False, rsv=4)
          + frame(0x9, b"p") + frame(0x0, hello[3:]) + frame(0x2, b"raw"))
    write("permessage_deflate", "bad_data", b"\xff\x00" + frame(0x1, b"\xff\xff\xff\xff", rsv=4))
    write("permessage_deflate", "rsv1_ping", b"\xff\x00" + frame(0x9, b"x", rsv=4))
    write("permessage_deflate", "bomb", b"\xff\x00" + frame(0x2, zlib_bomb(), rsv=4))
    write("permessage_deflate", "client_masked", b"\x05\x02" + frame(0x1, b"hello hello hello", mask=0x61626364)
          + frame(0x2, b"x" * 300, fin=False, mask=0x7778797a) + frame(0x0, b"y", mask=0x31323334))
    write("permessage_deflate", "response_full", b"\xff\x87permessage-deflate; server_no_context_takeover; "
          b"server_max_window_bits=10; client_max_window_bits=\"12\"\nx-other; a=\"b,c\"")
    write("permessage_deflate", "response_bad", b"\xff\x80permessage-deflate; foo, permessage-deflate;"
          b"server_max_window_bits=16")
    write("handshake_response", "ok_101",
          "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          f"Sec-WebSocket-Accept: {accept}\r\nSec-WebSocket-Protocol: chat\r\n\r\n")
    write("handshake_response", "refused_body",
          "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n"
          "Content-Length: 6\r\n\r\nnope!\n")
    write("handshake_response", "with_request",
          "GET /chat HTTP/1.1\r\nHost: localhost\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n\x00"
          f"HTTP/1.1 101 OK\r\nsec-websocket-accept:   {accept}  \r\n\r\n")
    write("handshake_response", "folded_and_bare_lf",
          "HTTP/1.0 200\nX-A: 1\n continued\r\nNoColon\r\n: empty name\r\n\r\n")

    har = {"log": {"version": "1.2", "creator": {"name": "fuzz", "version": "1"}, "entries": [
        {"startedDateTime": "2024-01-02T03:04:05.678Z", "_resourceType": "websocket",
         "request": {"method": "GET", "url": "wss://example.com/socket?x=1", "httpVersion": "HTTP/1.1",
                     "headers": [{"name": "Sec-WebSocket-Protocol", "value": "chat, json"},
                                 {"name": "Origin", "value": "https://example.com"}]},
         "response": {"status": 101, "statusText": "Switching Protocols", "headers": [
             {"name": "Upgrade", "value": "websocket"}]},
         "time": 12.5,
         "_webSocketMessages": [
             {"type": "send", "time": 1704164645.7, "opcode": 1, "data": "{\"op\":\"hi\"}"},
             {"type": "receive", "time": 1704164645.8, "opcode": 2, "data": "AAEC"},
             {"type": "receive", "time": 1704164645.9, "opcode": 1, "data": "bye"}]},
        {"startedDateTime": "2024-01-02T03:04:06Z", "request": {"method": "GET", "url": "https://example.com/"},
         "response": {"status": 200}}]}}
    write("har_import", "two_entries.har", json.dumps(har, indent=1))
    write("har_import", "empty_log.har", '{"log": {"entries": []}}')
    write("har_import", "not_json.har", "<html>")
    chrome = os.path.join(HERE, "..", "data", "chrome-websocket.har")
    with open(chrome, "rb") as f:
        write("har_import", "chrome.har", f.read())

    rules = {"rules": [
        {"match": "exact", "value": "ping", "actions": [{"reply": "pong"}]},
        {"match": "json", "field": "data.items.0.id", "value": "",
         "actions": [{"reply": "{\"client\":{{client}},\"at\":\"{{time}}\"}"}]},
        {"match": "regex", "value": "^echo (.*)$", "actions": [{"delay": 250}, {"reply": "{{message}}"}]},
        {"match": "contains", "value": "bye", "actions": [{"reply": "see you"}, {"close": 4000, "reason": "bye"}]}]}
    write("reply_rules", "readme.json", json.dumps(rules))
    write("reply_rules", "bad_regex.json", '{"rules":[{"match":"regex","value":"(","actions":[{"reply":"x"}]}]}')
    write("reply_rules", "bad_close.json", '{"rules":[{"match":"exact","value":"a","actions":[{"close":99999}]}]}')
    write("reply_rules", "empty.json", '{"rules":[]}')
    with open(os.path.join(HERE, "..", "data", "scenarios", "chat.wstest.json"), "rb") as f:
        write("scenario_file", "chat.json", f.read())
    write("scenario_file", "kinds.json",
          '{"connections":{"a":"ws://x/"},"steps":[{"expect":"a","json":{"$..id":{">":1},'
          '"$.a[-1][\'b\']":{"exists":true}},"save":{"t":{"regex":"(x)"}}},'
          '{"close":"a","code":4000,"expect":{"code":4000}}]}')
    write("scenario_file", "broken.json", '{"connections":{"a":1},"steps":[')
    # Scripts are parsed only: the fuzz target never runs them (the parser does not either).
    write("scenario_file", "script.json",
          '{"onMessage":"vars.set(\'n\', 1)","connections":{"a":{"url":"ws://x/","onMessage":'
          '{"code":["if (msg.json) log(msg.json.op);","expect(msg.text)"],"timeout":500}}},'
          '"steps":[{"script":"a","code":"while (true) {}","timeout":1},{"script":true,"code":["x","y"]}]}')

    write("json_format", "object.json", '{"b":1,"a":[true,false,null,-0.5e+10,"\\u00e9\\n"],"c":{}}')
    write("json_format", "nested.json", "[" * 40 + "]" * 40)
    write("json_format", "numbers.json", "[0, -0, 1e999, 12345678901234567890, 0.000001]")
    write("json_format", "broken.json", '{"a": [1, 2,}')
    write("json_format", "utf8.json", '"\xe4\xbd\xa0\xe5\xa5\xbd \\ud83d\\ude00"')

    write("variables", "simple", "Bearer {{token}} at {{timestamp}} #{{counter}}\x00token=abc\nother=1")
    write("variables", "escapes", "{{{{literal}} {{ spaced }} {{}} {{a b}} {\"json\":{}}\x00spaced=x")
    write("variables", "missing", "{{nope}} {{uuid}}\x00")
    write("variables", "json_env", "{{a.b-c}}\x00" + json.dumps([{"name": "a.b-c", "value": "{{x}}"}, {"name": 3}]))

    write("fault_plan", "every_fault", "delay=300,jitter=50\ndrop=25%\nfragment=4\nclose=4001,after=5,reason=a, b\n"
          "abort,after=2s\nrefuse=2,status=429\ncorrupt=rsv,at=3\nseed=42")
    write("fault_plan", "short_forms", "close\nrefuse\nabort\ndelay=1500ms\nclose=1000,after=0s")
    write("fault_plan", "bad_specs", "delay=-1\ndrop=101\nclose=1006\nexplode\ncorrupt=bits,at=0")
    write("fault_plan", "json.json", json.dumps({"delayMs": 100, "jitterMs": 20, "dropPercent": 10, "fragments": 3,
          "closeCode": 4000, "closeReason": "r", "closeAfter": {"messages": 3, "ms": 0}, "abort": True,
          "abortAfter": {"messages": 0, "ms": 500}, "refuseCount": 1, "refuseStatus": 503, "corrupt": "utf8",
          "corruptAt": 2, "seed": 7}))
    write("fault_plan", "stop_reading", "stop-reading,after=3\nstop-reading,after=2s\nstop-reading")
    write("fault_plan", "bad_json.json", '{"dropPercent": "ten", "closeAfter": {"messages": 1, "ms": 1}}')
    write("fault_plan", "pace_pings", "slow=1000\nignore-pings\nslow=0\nslow=100000001\nignore-pings=1")
    write("fault_plan", "pace_pings.json", json.dumps({"slowBytesPerSecond": 2000, "ignorePings": True}))
    # server_shim: byte 0 cuts, byte 1 chooses (bit 7: offers, one a line; bit 0: deflate agreed;
    # bit 6: pings held back), the rest is what a client sends.
    hello = bytes.fromhex("f248cdc9c90700")
    write("server_shim", "offers", b"\xff\x80permessage-deflate; client_max_window_bits\n"
          b"permessage-deflate; server_max_window_bits=8, permessage-deflate; server_no_context_takeover\n"
          b"permessage-deflate; x=1; client_max_window_bits=08")
    write("server_shim", "compressed", b"\x05\x01" + frame(0x1, hello, rsv=4, mask=0x01020304)
          + frame(0x9, b"ping", mask=0) + frame(0x2, hello[:3], fin=False, rsv=4, mask=7)
          + frame(0x0, hello[3:], mask=9))
    write("server_shim", "bad_data", b"\xff\x01" + frame(0x1, b"\xff\xff\xff\xff", rsv=4, mask=0))
    write("server_shim", "rsv1_ping", b"\xff\x01" + frame(0x9, b"x", rsv=4, mask=0))
    write("server_shim", "unmasked", b"\xff\x00" + frame(0x1, b"hi"))
    write("server_shim", "pings_held", b"\x03\x40" + frame(0x9, b"p1", mask=5) + frame(0x1, b"t", mask=6))
    write("server_shim", "bomb", b"\xff\x01" + frame(0x2, zlib_bomb(), rsv=4, mask=0))
    write("server_shim", "qt_frames", b"\xff\x01" + frame(0x1, b"a" * 300, fin=False) + frame(0x0, b"b" * 10))
    write("proxy_settings", "everything.json", json.dumps({
          "mode": "explicit", "address": "::1", "port": 8899, "upstream": "wss://h.test:8443/feed?x=1",
          "certificateFile": "/tmp/ca.pem", "keyFile": "/tmp/ca.key", "ignoreUpstreamTlsErrors": True,
          "setHeaders": [["Authorization", "Bearer x"], ["X-Trace", "é"]], "removeHeaders": ["Cookie"],
          "passCompression": False, "faults": {"delayMs": 100, "dropPercent": 10},
          "breakpoints": [{"direction": "to-client", "match": "json", "field": "data.op", "value": "buy"},
                          {"direction": "to-server", "match": "regex", "value": "^p(i|o)ng$", "enabled": False},
                          {"match": "contains", "value": "secret"}],
          "maxMessageSize": 1024, "maxHeld": 5}))
    write("proxy_settings", "bad.json", json.dumps({
          "mode": "socks", "port": -1, "setHeaders": [[1, 2], "x"], "removeHeaders": [""], "faults": [],
          "breakpoints": [{"direction": "up"}, {"match": "regex", "value": "("}, {"match": "json"}, 3],
          "maxMessageSize": "big"}))
    write("proxy_settings", "empty.json", "{}")
    frame_specs = {
        "plain": "op=text,payload=hello",
        "everything": "op=text,fin=0,rsv1=1,mask=off,payload=hex:ff fe,len=+3,frag=3,ping-between,"
                      "close=1005:reason,bytewise=10ms",
        "close_bytes": "close=65535:hex:c0 af",
        "close_empty": "close",
        "reserved": "op=0xB,rsv=7,mask=0a1b2c3d",
        "quotes": 'payload="a, b\\"c\\x80\\n",bad-utf8',
        "len64": "payload=fill:70000,len64",
        "len_max": "payload=x,len=18446744073709551615",
        "fragments": "op=binary,payload=fill:1000,frag=100,ping-between=p,gap=5",
        "bytewise_utf8": "payload=text:\u03ba\u1f79\u03c3\u03bc\u03b5,bytewise=2",
        "file": "payload=file:/etc/hostname",
        "open_quote": 'payload="abc',
        "frag_zero": "frag=0",
        "absolute_len_frag": "len=3,frag=2",
        "len16_short": "op=cont,len16,payload=x,len=-9",
    }
    for name, spec in frame_specs.items():
        write("frame_spec", name, spec)

    payload_seeds()

    wstester = sys.argv[1] if len(sys.argv) > 1 else None
    if wstester:
        with tempfile.TemporaryDirectory() as tmp:
            sources = {"one_tab": har, "chrome": None}
            for name, doc in sources.items():
                har_path = os.path.join(tmp, name + ".har")
                if doc is None:
                    har_path = chrome
                else:
                    with open(har_path, "w") as f:
                        json.dump(doc, f)
                out = os.path.join(tmp, name + ".wstsession")
                subprocess.run([wstester, "session", "import-har", har_path, "-o", out], check=True,
                               stdout=subprocess.DEVNULL)
                with open(out, "rb") as f:
                    write("session_file", name + ".wstsession", f.read())
    write("session_file", "sqlite_header_only", b"SQLite format 3\x00" + bytes(84))


if __name__ == "__main__":
    main()
