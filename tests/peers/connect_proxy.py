#!/usr/bin/python3
"""A tiny HTTP CONNECT proxy of another stack (asyncio). Prints its port, then tunnels.

With an argument "user:pass" it demands Proxy-Authorization (Basic) and answers 407 otherwise.
Each CONNECT line it served is printed on stdout ("CONNECT host:port"), so tests can check the
chain was used.
"""
import asyncio
import base64
import sys

from tunnel import pipe

CREDENTIALS = sys.argv[1] if len(sys.argv) > 1 else None


async def handle(reader, writer):
    # After a 407 the client may send its CONNECT again on the same connection.
    while True:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()
            return
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers = {l.split(":", 1)[0].strip().lower(): l.split(":", 1)[1].strip() for l in lines[1:] if ":" in l}
        if CREDENTIALS:
            expected = "Basic " + base64.b64encode(CREDENTIALS.encode()).decode()
            if headers.get("proxy-authorization") != expected:
                writer.write(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                             b"Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n")
                await writer.drain()
                continue
        break
    host, port = target.rsplit(":", 1)
    upstream_reader, upstream_writer = await asyncio.open_connection(host, int(port))
    print(f"{method} {target}", flush=True)
    writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
    await writer.drain()
    await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
