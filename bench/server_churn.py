#!/usr/bin/python3
"""Connect/disconnect churn against a local WebSocket server, printing its RSS after each round.

    bench/server_churn.py PORT PID [--rounds 3] [--seconds 30] [--parallel 32]

Each cycle opens a TCP connection, sends a valid handshake, reads the 101, sends a masked Close
frame, reads the server's Close and closes. PID is the server process whose VmRSS is printed
(e.g. a headless `wstester serve --port 0 --manual`).
"""
import argparse
import asyncio
import base64
import os
import struct
import time


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return -1


async def cycle(port):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write((f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                  "Sec-WebSocket-Version: 13\r\n\r\n").encode())
    head = await reader.readuntil(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 101"):
        raise RuntimeError(head[:40])
    mask = os.urandom(4)
    payload = struct.pack("!H", 1000)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    writer.write(bytes([0x88, 0x80 | len(payload)]) + mask + masked)
    await reader.read(4)  # the server's Close
    writer.close()
    try:
        await writer.wait_closed()
    except ConnectionError:
        pass


async def round_(port, seconds, parallel):
    done = 0
    errors = 0
    deadline = time.monotonic() + seconds

    async def worker():
        nonlocal done, errors
        while time.monotonic() < deadline:
            try:
                await cycle(port)
                done += 1
            except (OSError, RuntimeError, asyncio.IncompleteReadError):
                errors += 1

    await asyncio.gather(*(worker() for _ in range(parallel)))
    return done, errors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("pid", type=int)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--parallel", type=int, default=32)
    a = ap.parse_args()
    print(f"start: {rss_mib(a.pid):.1f} MiB", flush=True)
    total = 0
    for r in range(a.rounds):
        done, errors = asyncio.run(round_(a.port, a.seconds, a.parallel))
        total += done
        time.sleep(1)  # let the server finish its last closes
        print(f"round {r + 1}: {done} cycles ({errors} errors), {total} in all, RSS {rss_mib(a.pid):.1f} MiB",
              flush=True)


if __name__ == "__main__":
    main()
