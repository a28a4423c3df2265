#!/usr/bin/python3
"""A WebSocket echo server of another stack (python3-websockets 10.4, Debian's).

Prints its port on the first line of stdout, then serves until killed. It echoes every
message. The text message "__headers__" is answered with a JSON object listing the
request headers it received, in wire order and with duplicates kept. "__close <code> <reason>"
makes it close the connection with that code. "__binary <n>" sends n bytes 0..n-1.
"""
import asyncio
import json
import sys

import websockets


async def handler(ws, path):
    try:
        await serve_one(ws, path)
    except websockets.ConnectionClosed:
        pass


async def serve_one(ws, path):
    async for message in ws:
        if message == "__headers__":
            await ws.send(json.dumps({
                "path": path,
                "headers": [[k, v] for k, v in ws.request_headers.raw_items()],
                "subprotocol": ws.subprotocol,
            }))
        elif isinstance(message, str) and message.startswith("__close "):
            _, code, *reason = message.split(" ", 2)
            await ws.close(int(code), reason[0] if reason else "")
        elif isinstance(message, str) and message.startswith("__binary "):
            await ws.send(bytes(i % 256 for i in range(int(message.split()[1]))))
        else:
            await ws.send(message)


async def main():
    protocols = sys.argv[1:] or None
    async with websockets.serve(handler, "127.0.0.1", 0, subprotocols=protocols,
                                max_size=None) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main())
