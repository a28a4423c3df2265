#!/usr/bin/python3
"""A python3-websockets 10.4 echo server with permessage-deflate (websockets compresses by
default). Prints its port on the first line of stdout, then serves until killed.

Arguments: "no-takeover" makes the server ask for client_no_context_takeover and offer
server_no_context_takeover; "tls CERT KEY" serves wss:// with that PEM certificate and key. Messages: "__offer__" is answered with the Sec-WebSocket-Extensions
the client sent and the server answered (JSON); "__big <n>" sends n bytes of compressible text;
"__sizes__" answers with the sizes of the messages received so far (JSON list); anything else
is echoed.
"""
import asyncio
import json
import ssl
import sys

import websockets
from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory


async def handler(ws, path):
    sizes = []
    try:
        async for message in ws:
            if message == "__offer__":
                await ws.send(json.dumps({
                    "request": ws.request_headers.get("Sec-WebSocket-Extensions"),
                    "response": ws.response_headers.get("Sec-WebSocket-Extensions"),
                }))
            elif message == "__sizes__":
                await ws.send(json.dumps(sizes))
            elif isinstance(message, str) and message.startswith("__big "):
                n = int(message.split()[1])
                line = b"wstester compresses this line well. " * (n // 36 + 1)
                await ws.send(line[:n].decode())
            else:
                sizes.append(len(message))
                await ws.send(message)
    except websockets.ConnectionClosed:
        pass


async def main():
    args = sys.argv[1:]
    no_takeover = "no-takeover" in args
    tls = None
    if "tls" in args:
        at = args.index("tls")
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(args[at + 1], args[at + 2])
    factory = ServerPerMessageDeflateFactory(
        server_no_context_takeover=no_takeover, client_no_context_takeover=no_takeover)
    async with websockets.serve(handler, "127.0.0.1", 0, extensions=[factory],
                                max_size=None, ssl=tls) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main())
