# A python websockets client with compression on (its default). Usage: py_deflate_client.py URL
# Prints the Sec-WebSocket-Extensions of the 101, sends a 10 MB compressible message and a small
# one, checks both echoes, and prints "ok N" with the big message's size.
import asyncio
import sys

import websockets


async def main(url):
    async with websockets.connect(url, max_size=None) as ws:
        print(ws.response_headers.get('Sec-WebSocket-Extensions'))
        print(len(ws.extensions))
        big = ('{"name":"wstester","values":[1,2,3,4,5]}' * 262144)[: 10 * 1024 * 1024]
        await ws.send(big)
        echo = await asyncio.wait_for(ws.recv(), 60)
        assert echo == big, 'the 10 MB echo differs'
        await ws.send(b'\x00\x01small')
        echo = await asyncio.wait_for(ws.recv(), 20)
        assert echo == b'\x00\x01small', 'the binary echo differs'
        print('ok', len(big), flush=True)


asyncio.run(main(sys.argv[1]))
