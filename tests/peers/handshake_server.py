#!/usr/bin/python3
"""A python3-websockets server whose handshake answers are known to the tests.

Prints its port, then serves until killed:
  /ok     101 with two Set-Cookie lines and an X-Custom header; echoes messages
  /401    401 with WWW-Authenticate
  /403    403 with a short body
  /302    302 with a Location
  /500    500 with a body
"""
import asyncio
import http

import websockets

REFUSALS = {
    "/401": (http.HTTPStatus.UNAUTHORIZED, [("WWW-Authenticate", 'Bearer realm="test"')], b"token required\n"),
    "/403": (http.HTTPStatus.FORBIDDEN, [("X-Reason", "nope")], b"forbidden for you\n"),
    "/302": (http.HTTPStatus.FOUND, [("Location", "/ok")], b""),
    "/500": (http.HTTPStatus.INTERNAL_SERVER_ERROR, [], b"something broke\n"),
}


async def process_request(path, headers):
    return REFUSALS.get(path.split("?")[0])


async def handler(ws, path):
    try:
        async for message in ws:
            await ws.send(message)
    except websockets.ConnectionClosed:
        pass


async def main():
    extra = [("Set-Cookie", "a=1; Path=/"), ("Set-Cookie", "b=2; HttpOnly"), ("X-Custom", "hello")]
    async with websockets.serve(handler, "127.0.0.1", 0, process_request=process_request,
                                extra_headers=extra) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()


asyncio.run(main())
