"""What both proxy peers (connect_proxy.py, socks5_proxy.py) do once a tunnel is up."""
import asyncio


async def pipe(reader, writer):
    """Copies one direction of a tunnel until it ends, then closes the other side."""
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()
