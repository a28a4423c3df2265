#!/usr/bin/python3
"""A WebSocket peer that speaks binary payloads through the real libraries (Debian's
python3-msgpack, python3-cbor2, python3-bson, python3-protobuf), for tst_DecodeCommand.

    codec_peer.py msgpack|cbor|bson
    codec_peer.py protobuf PROTO_DIR

Prints its port on the first line of stdout, then serves until killed. A binary message is
decoded with the library and answered with a binary message the library encodes:
msgpack/cbor/bson: {"echo": <what it read>, "from": "python"}; protobuf: the message is read as a
chat.v1.Command and answered with a chat.v1.Event {user: "peer", id: seq * 1000, tags: [op]}.
The text "__raw HEX" is answered with those bytes as a binary message.
"""
import asyncio
import os
import subprocess
import sys
import tempfile

import websockets


def make_codec(mode):
    if mode == "msgpack":
        import msgpack
        return lambda data: msgpack.packb({"echo": msgpack.unpackb(data), "from": "python"})
    if mode == "cbor":
        import cbor2
        return lambda data: cbor2.dumps({"echo": cbor2.loads(data), "from": "python"})
    if mode == "bson":
        import bson
        return lambda data: bson.encode({"echo": bson.decode(data), "from": "python"})
    from google.protobuf import descriptor_pb2, message_factory
    proto_dir = sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "set.pb")
        subprocess.run(["protoc", "-I", proto_dir, "--include_imports", "--descriptor_set_out=" + out,
                        "chat.proto"], check=True)
        with open(out, "rb") as f:
            files = descriptor_pb2.FileDescriptorSet.FromString(f.read())
    classes = message_factory.GetMessages(files.file)

    def answer(data):
        command = classes["chat.v1.Command"].FromString(data)
        event = classes["chat.v1.Event"](user="peer", id=command.seq * 1000, tags=[command.op])
        return event.SerializeToString()
    return answer


async def main():
    codec = make_codec(sys.argv[1])

    async def handler(ws, path):
        try:
            async for message in ws:
                if isinstance(message, str) and message.startswith("__raw "):
                    await ws.send(bytes.fromhex(message[6:]))
                elif isinstance(message, bytes):
                    await ws.send(codec(message))
                else:
                    await ws.send(message)
        except websockets.ConnectionClosed:
            pass

    async with websockets.serve(handler, "127.0.0.1", 0) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main())
