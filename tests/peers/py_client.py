#!/usr/bin/python3
"""A WebSocket client of another stack (python3-websockets 10.4).

Usage: py_client.py URL MESSAGE...   Sends each message, prints each reply on its own line,
then closes with 1000. With WST_CLOSE_WAIT=1 it instead waits for the server to close and
prints "closed <code> <reason>".
"""
import asyncio
import os
import sys

import websockets


async def main(url, messages):
    async with websockets.connect(url, extra_headers=[("X-Peer", "python-websockets")]) as ws:
        for m in messages:
            await ws.send(m)
            print(await ws.recv(), flush=True)
        if os.environ.get("WST_CLOSE_WAIT"):
            try:
                await asyncio.wait_for(ws.recv(), 15)
            except websockets.ConnectionClosed as e:
                print(f"closed {e.code} {e.reason}", flush=True)


asyncio.run(asyncio.wait_for(main(sys.argv[1], sys.argv[2:]), 20))
