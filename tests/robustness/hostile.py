#!/usr/bin/python3
"""Hostile peers against the real wstester binary, one case a run (registered with ctest).

Usage: /usr/bin/python3 hostile.py WSTESTER CASE [SOURCE_DIR]

Each case starts `wstester serve`, `wstester connect` or `wstester session` as a user would and
plays a peer that misbehaves: too slow, too many, too much, wrong, or gone. A case passes when
wstester keeps its promises (keeps serving, bounded memory, a clear exit code and one line
naming the cause) within a bounded time. Only raw asyncio sockets: nothing a WebSocket library
would tidy up for us.
"""
import asyncio
import base64
import hashlib
import os
import random
import re
import resource
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
WSTESTER = None
SOURCE_DIR = None
STOP_SECONDS = int(os.environ.get("WST_STOP_SECONDS", "10"))


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


# ---------------------------------------------------------------- helpers

def accept_for(key):
    return base64.b64encode(hashlib.sha1(key + GUID).digest())


def request(port, key=b"dGhlIHNhbXBsZSBub25jZQ=="):
    return (b"GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (port, key))


def frame(opcode, payload, fin=True, mask=True):
    head = bytes([(0x80 if fin else 0) | opcode])
    bit = 0x80 if mask else 0
    n = len(payload)
    if n < 126:
        head += bytes([bit | n])
    elif n < 65536:
        head += bytes([bit | 126]) + struct.pack(">H", n)
    else:
        head += bytes([bit | 127]) + struct.pack(">Q", n)
    if not mask:
        return head + payload
    key = os.urandom(4)
    return head + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


async def read_frame(reader):
    b0, b1 = await reader.readexactly(2)
    n = b1 & 0x7F
    if n == 126:
        n = struct.unpack(">H", await reader.readexactly(2))[0]
    elif n == 127:
        n = struct.unpack(">Q", await reader.readexactly(8))[0]
    mask = await reader.readexactly(4) if b1 & 0x80 else None
    payload = await reader.readexactly(n)
    if mask:
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return b0 & 0x0F, payload


async def echo_once(port, text, timeout, pushed=None):
    """A well-behaved client: handshake, one text message, its echo, a clean close. Text frames
    equal to `pushed` (what serve pushes to every client on a timer) are not the echo: skipped."""
    async def run():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            writer.write(request(port))
            head = await reader.readuntil(b"\r\n\r\n")
            check(head.startswith(b"HTTP/1.1 101"), "the server refused a good handshake: %r" % head[:80])
            writer.write(frame(0x1, text.encode()))
            while True:
                opcode, payload = await read_frame(reader)
                if opcode == 0x1 and pushed is not None and payload == pushed:
                    continue
                if opcode == 0x1:
                    check(payload == text.encode(), "wrong echo %r" % payload[:40])
                    break
            writer.write(frame(0x8, struct.pack(">H", 1000)))
            await writer.drain()
        finally:
            writer.close()
    await asyncio.wait_for(run(), timeout)


def raise_fd_limit(wanted):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


class Serve:
    """`wstester serve --port 0 ...`; the port is read from its first line."""

    def __init__(self, *args):
        self.proc = subprocess.Popen([WSTESTER, "serve", "--port", "0", *args], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        line = self.proc.stdout.readline().decode()
        check(line.startswith("listening ws://127.0.0.1:"), "serve did not start: %r" % line)
        self.port = int(line.rsplit(":", 1)[1].strip().rstrip("/"))
        # serve prints a line per client: read them all, or a full pipe stops its event loop.
        self.lines = 0
        self.gone = []  # serve's lines about clients that went away
        self.reader = threading.Thread(target=self._drain, daemon=True)
        self.reader.start()
        self.errors = b""
        threading.Thread(target=self._drain_errors, daemon=True).start()

    def _drain(self):
        for line in self.proc.stdout:
            self.lines += 1
            if re.search(rb"^\[client \d+\].*\b(close|closed|dropped|disconnected|lost)\b", line, re.I):
                self.gone.append(line.decode(errors="replace").strip())

    def _drain_errors(self):
        self.errors = self.proc.stderr.read()

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                print_stacks(self.proc.pid)
                self.proc.kill()
                self.proc.wait()
                raise Failure("serve did not stop within %d s of SIGTERM" % STOP_SECONDS)
        return self.proc.returncode


class Peer:
    """A raw TCP server on 127.0.0.1 whose connection handler misbehaves on purpose."""

    def __init__(self, handler):
        self.handler = handler
        self.server = None

    async def __aenter__(self):
        self.server = await asyncio.start_server(self.handler, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc):
        self.server.close()


async def handshake_as_server(reader, writer):
    head = await reader.readuntil(b"\r\n\r\n")
    key = b""
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"sec-websocket-key:"):
            key = line.split(b":", 1)[1].strip()
    writer.write(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 b"Sec-WebSocket-Accept: " + accept_for(key) + b"\r\n\r\n")
    await writer.drain()


def print_stacks(pid):
    """A hung wstester's threads, for the report (when gdb is there)."""
    gdb = shutil.which("gdb")
    if gdb:
        out = subprocess.run([gdb, "-p", str(pid), "-batch", "-ex", "thread apply all bt 25"],
                             capture_output=True, timeout=60).stdout.decode(errors="replace")
        print("\n".join(l for l in out.splitlines() if l.startswith(("#", "Thread"))), file=sys.stderr)


def rss_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


_SANITIZED_EXES = {}


def sanitized(pid):
    """ASan's shadow memory and quarantine count in RSS: the limits are then looser. gcc links
    the sanitizer's runtime as a library; clang links it into the binary itself."""
    try:
        with open("/proc/%d/maps" % pid) as f:
            if any("libasan" in line or "libtsan" in line for line in f):
                return True
        exe = os.path.realpath("/proc/%d/exe" % pid)
        if exe not in _SANITIZED_EXES:
            with open(exe, "rb") as f:
                data = f.read()
            _SANITIZED_EXES[exe] = b"__asan_init" in data or b"__tsan_init" in data
        return _SANITIZED_EXES[exe]
    except OSError:
        return False


async def connect(url, *args, timeout=20):
    """Runs `wstester connect URL ARGS`; returns (exit code, stdout, stderr, seconds, peak RSS)."""
    start = time.monotonic()
    proc = await asyncio.create_subprocess_exec(WSTESTER, "connect", url, *args, stdin=subprocess.DEVNULL,
                                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out_task = asyncio.ensure_future(proc.stdout.read())
    err_task = asyncio.ensure_future(proc.stderr.read())
    try:
        await asyncio.wait_for(proc.wait(), timeout)
    except asyncio.TimeoutError:
        proc.kill()
        await proc.wait()
        raise Failure("connect %s %s did not end within %d s" % (url, " ".join(args), timeout))
    return proc.returncode, (await out_task).decode(errors="replace"), (await err_task).decode(errors="replace"), \
        time.monotonic() - start


def one_line(stderr, what):
    lines = [l for l in stderr.splitlines() if l.strip()]
    check(len(lines) == 1, "%s: expected one line on stderr, got %d: %r" % (what, len(lines), stderr[:400]))
    return lines[0]


# ---------------------------------------------------------------- cases

async def case_slowloris():
    """Many clients send their handshake one byte a second; the server keeps serving others."""
    serve = Serve("--echo")
    slow_count = 200
    stop = asyncio.Event()
    dropped = []

    async def trickle(i):
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", serve.port)
        except OSError:
            return
        start = time.monotonic()
        data = request(serve.port)
        try:
            for b in data[:-2]:  # never complete
                if stop.is_set():
                    break
                writer.write(bytes([b]))
                await writer.drain()
                try:
                    if await asyncio.wait_for(reader.read(1), 1.0) == b"":
                        dropped.append(time.monotonic() - start)
                        break
                except asyncio.TimeoutError:
                    pass
        except (ConnectionError, OSError):
            dropped.append(time.monotonic() - start)
        finally:
            writer.close()

    try:
        slow = [asyncio.ensure_future(trickle(i)) for i in range(slow_count)]
        await asyncio.sleep(0.5)
        served = []
        for round_ in range(6):
            t = time.monotonic()
            await echo_once(serve.port, "round %d" % round_, timeout=5)
            served.append(time.monotonic() - t)
            await asyncio.sleep(1)
        check(serve.alive(), "serve exited while slow clients were connected")
        stop.set()
        await asyncio.gather(*slow)
        print("slowloris: %d slow clients; echo answered in %s s; %d slow clients dropped by the server"
              % (slow_count, ", ".join("%.2f" % s for s in served), len(dropped)))
    finally:
        rc = serve.stop()
    check(rc == 0, "serve exited with %s after SIGTERM" % rc)


async def case_many_clients():
    """2,000 clients connect at once; each is served (or refused with an HTTP answer) in time."""
    n = 2000
    limit = raise_fd_limit(n + 200)
    check(limit >= n + 100, "the file descriptor limit (%d) is too low for %d clients" % (limit, n))
    serve = Serve("--echo")
    results = {"ok": 0, "refused": 0}
    errors = []

    async def client(i):
        try:
            await echo_once(serve.port, "client %d" % i, timeout=40)
            results["ok"] += 1
        except Failure as e:
            if "refused" in str(e) and "HTTP/1.1 50" in str(e):
                results["refused"] += 1
            else:
                errors.append(str(e))
        except Exception as e:  # noqa: BLE001 - every other outcome is the finding
            errors.append("%s: %s" % (type(e).__name__, e))

    try:
        start = time.monotonic()
        await asyncio.gather(*(client(i) for i in range(n)))
        took = time.monotonic() - start
        print("many clients: %d echoed, %d refused with 50x, %d failed, in %.1f s"
              % (results["ok"], results["refused"], len(errors), took))
        check(not errors, "%d of %d clients failed; first: %s" % (len(errors), n, errors[:3]))
        check(serve.alive(), "serve exited under 2,000 clients")
        await echo_once(serve.port, "after the crowd", timeout=5)
    finally:
        rc = serve.stop()
    check(rc == 0, "serve exited with %s after SIGTERM" % rc)


async def case_endless_fragments():
    """A server sends one text message in 64 KiB fragments without end. The client must close
    (1009, message too big) or stay within a memory bound; it must never grow without limit."""
    duration = 12.0
    chunk = b"a" * 65536
    sent = [0]

    async def flood(reader, writer):
        try:
            await handshake_as_server(reader, writer)
            writer.write(frame(0x1, chunk, fin=False, mask=False))
            continuation = frame(0x0, chunk, fin=False, mask=False)
            end = time.monotonic() + duration + 2
            while time.monotonic() < end:
                writer.write(continuation * 16)
                sent[0] += 16 * len(chunk)
                await writer.drain()
        except (ConnectionError, OSError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    async with Peer(flood) as peer:
        start = time.monotonic()
        proc = await asyncio.create_subprocess_exec(
            WSTESTER, "connect", "ws://127.0.0.1:%d/" % peer.port, "-n", "1",
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        err_task = asyncio.ensure_future(proc.stderr.read())
        await asyncio.sleep(0.3)
        limit_mb = 800 if sanitized(proc.pid) else 400
        peak = 0
        while proc.returncode is None and time.monotonic() - start < duration:
            peak = max(peak, rss_kb(proc.pid) // 1024)
            if peak > limit_mb:
                proc.kill()
                await proc.wait()
                raise Failure("connect grew to %d MB RSS (limit %d MB) after %.1f s of one endless message "
                              "(%d MB sent)" % (peak, limit_mb, time.monotonic() - start, sent[0] >> 20))
            try:
                await asyncio.wait_for(proc.wait(), 0.1)
            except asyncio.TimeoutError:
                pass
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
            print("endless fragments: connect stayed open for %.0f s at a peak of %d MB RSS (%d MB sent)"
                  % (duration, peak, sent[0] >> 20))
        else:
            err = (await err_task).decode(errors="replace")
            print("endless fragments: connect ended with %d after %.1f s, peak %d MB RSS, %d MB sent: %s"
                  % (proc.returncode, time.monotonic() - start, peak, sent[0] >> 20, err.strip()))
            check(proc.returncode == 5, "connect exited with %d, expected 5 (closed with an error)" % proc.returncode)
            one_line(err, "endless fragments")


async def watch_rss(serve, what, duration, limit_mb, done):
    """Samples serve's RSS until `done()` or the duration ends; fails past the limit."""
    if sanitized(serve.proc.pid):
        limit_mb *= 2
    start = time.monotonic()
    base = rss_kb(serve.proc.pid) // 1024
    peak = base
    while time.monotonic() - start < duration and not done():
        peak = max(peak, rss_kb(serve.proc.pid) // 1024)
        check(serve.alive(), "%s: serve exited" % what)
        check(peak - base <= limit_mb, "%s: serve grew from %d MB to %d MB RSS in %.1f s (limit +%d MB)"
              % (what, base, peak, time.monotonic() - start, limit_mb))
        await asyncio.sleep(0.1)
    return base, peak, time.monotonic() - start


async def case_server_endless_fragments():
    """A client sends one message in fragments without end: serve closes it (1009, as over its
    maximum message size) or stays within a memory bound, and keeps serving others."""
    serve = Serve("--echo")
    closed = []
    sent = [0]

    async def flood():
        reader, writer = await asyncio.open_connection("127.0.0.1", serve.port)
        writer.write(request(serve.port))
        await reader.readuntil(b"\r\n\r\n")
        continuation = frame(0x0, b"b" * 65536, fin=False)
        writer.write(frame(0x1, b"b" * 65536, fin=False))
        try:
            while not closed:
                writer.write(continuation * 8)
                sent[0] += 8 * 65536
                await writer.drain()
                if reader.at_eof():
                    break
        except (ConnectionError, OSError):
            pass
        closed.append(time.monotonic())
        writer.close()

    try:
        task = asyncio.ensure_future(flood())
        base, peak, took = await watch_rss(serve, "endless fragments to serve", 12, 400, lambda: closed)
        await echo_once(serve.port, "still there", timeout=5)
        closed.append(time.monotonic())
        await task
        print("serve, endless fragments: %d -> %d MB RSS over %.1f s, %d MB sent"
              % (base, peak, took, sent[0] >> 20))
    finally:
        rc = serve.stop()
    check(rc == 0, "serve exited with %s after SIGTERM" % rc)


async def case_server_slow_reader():
    """A client never reads while serve pushes 60 KB every 10 ms: serve drops it (or bounds
    what it keeps for it) and keeps serving others."""
    pushed = "x" * 60000
    serve = Serve("--push-interval", "10", "--push-text", pushed)
    done = []

    async def sleeper():
        reader, writer = await asyncio.open_connection("127.0.0.1", serve.port, limit=1024)
        writer.write(request(serve.port))
        await reader.readuntil(b"\r\n\r\n")
        # Never reads again; the kernel's buffers fill and then serve's own.
        while not done:
            await asyncio.sleep(0.2)
        writer.close()

    try:
        task = asyncio.ensure_future(sleeper())
        base, peak, took = await watch_rss(serve, "a client that never reads", 15, 64, lambda: serve.gone)
        done.append(1)
        await task
        print("serve, a client that never reads: %d -> %d MB RSS over %.1f s; %s"
              % (base, peak, took, serve.gone[0] if serve.gone else "still connected"))
        # serve pushes to every client, this one too: a push may come before the echo.
        await echo_once(serve.port, "still there", timeout=5, pushed=pushed.encode())
    finally:
        rc = serve.stop()
    check(rc == 0, "serve exited with %s after SIGTERM" % rc)


async def case_garbage_handshake():
    """Peers that answer the handshake with anything but a valid 101: connect fails with exit 3
    and one line, in bounded time, whatever the garbage."""
    answers = {
        "plain 200": b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi",
        "binary noise then close": bytes(random.Random(7).getrandbits(8) for _ in range(4096)),
        "101 without accept": b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
        "101 with a wrong accept": b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                                   b"Connection: Upgrade\r\nSec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n",
        "a frame instead of a head": frame(0x1, b"hello", mask=False),
        "CR LF in the status": b"HTTP/1.1 101\r\r\n\n\r\n\r\n",
    }
    for name, answer in answers.items():
        async def handler(reader, writer, answer=answer):
            try:
                await reader.readuntil(b"\r\n\r\n")
                writer.write(answer)
                await writer.drain()
                await asyncio.sleep(0.2)
            except (ConnectionError, asyncio.IncompleteReadError):
                pass
            writer.close()

        async with Peer(handler) as peer:
            rc, out, err, took = await connect("ws://127.0.0.1:%d/" % peer.port, "-n", "1", timeout=15)
        print("garbage handshake, %s: exit %d in %.1f s: %s" % (name, rc, took, err.strip()[:200]))
        check(rc == 3, "%s: exit %d, expected 3 (connection failed); stderr %r" % (name, rc, err[:300]))
        one_line(err, name)

    # A head that never ends: the client must give up by itself within its connect timeout.
    async def endless_head(reader, writer):
        try:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(b"HTTP/1.1 101 Switching Protocols\r\n")
            for _ in range(20000):
                writer.write(b"X-Padding: " + b"p" * 1000 + b"\r\n")
                await writer.drain()
                await asyncio.sleep(0.0005)
        except (ConnectionError, OSError):
            pass
        writer.close()

    async with Peer(endless_head) as peer:
        rc, out, err, took = await connect("ws://127.0.0.1:%d/" % peer.port, "-n", "1", "--connect-timeout", "5",
                                           timeout=20)
    print("garbage handshake, endless head: exit %d in %.1f s: %s" % (rc, took, err.strip()[:200]))
    check(rc in (3, 4), "endless head: exit %d, expected 3 or 4; stderr %r" % (rc, err[:300]))
    one_line(err, "endless head")


async def case_close_mid_frame():
    """The server goes away in the middle of a frame (or of its handshake): connect reports a
    lost connection (5) or a failed one (3) at once, with one line."""
    cases = {
        "mid header": (True, b"\x81\x7e\x01"),
        "mid payload": (True, b"\x81\x64" + b"x" * 10),
        "mid 64-bit length": (True, b"\x82\x7f\x00\x00\x00"),
        "after a fragment": (True, frame(0x1, b"part", fin=False, mask=False)),
        "mid handshake": (False, b"HTTP/1.1 101 Switching Protocols\r\nUpgr"),
    }
    for name, (upgraded, tail) in cases.items():
        async def handler(reader, writer, upgraded=upgraded, tail=tail):
            try:
                if upgraded:
                    await handshake_as_server(reader, writer)
                    writer.write(frame(0x1, b"complete", mask=False))
                else:
                    await reader.readuntil(b"\r\n\r\n")
                writer.write(tail)
                await writer.drain()
                await asyncio.sleep(0.3)
            except (ConnectionError, asyncio.IncompleteReadError):
                pass
            writer.close()

        async with Peer(handler) as peer:
            rc, out, err, took = await connect("ws://127.0.0.1:%d/" % peer.port, "-n", "5", timeout=15)
        print("close %s: exit %d in %.1f s, stdout %r: %s" % (name, rc, took, out.strip()[:60], err.strip()[:200]))
        expected = 5 if upgraded else 3
        check(rc == expected, "%s: exit %d, expected %d; stderr %r" % (name, rc, expected, err[:300]))
        check(took < 10, "%s: took %.1f s to notice" % (name, took))
        if upgraded:
            check("complete" in out, "%s: the message before the cut was not printed: %r" % (name, out[:200]))
        one_line(err, name)


async def case_damaged_session():
    """`wstester session info` on truncated, garbage and damaged session files: exit 1 and one
    line naming the cause, and the file is left exactly as it was."""
    with tempfile.TemporaryDirectory() as tmp:
        good = os.path.join(tmp, "good.wstsession")
        har = os.path.join(SOURCE_DIR, "tests", "data", "chrome-websocket.har")
        subprocess.run([WSTESTER, "session", "import-har", har, "-o", good], check=True,
                       stdout=subprocess.DEVNULL, timeout=30)
        with open(good, "rb") as f:
            data = f.read()
        check(len(data) >= 8192, "the imported session is unexpectedly small (%d bytes)" % len(data))
        rng = random.Random(11)
        damaged = {
            "empty": b"",
            "first 100 bytes": data[:100],
            "first page": data[:4096],
            "half": data[:len(data) // 2],
            "all but the last byte": data[:-1],
            "random bytes": bytes(rng.getrandbits(8) for _ in range(len(data))),
            "header then zeros": data[:100] + bytes(len(data) - 100),
            "text": b"this is not a session\n" * 100,
        }
        for name, content in damaged.items():
            path = os.path.join(tmp, "damaged.wstsession")
            with open(path, "wb") as f:
                f.write(content)
            proc = subprocess.run([WSTESTER, "session", "info", path], capture_output=True, timeout=30)
            err = proc.stderr.decode(errors="replace")
            print("session info, %s: exit %d: %s" % (name, proc.returncode, err.strip()[:200]))
            check(proc.returncode == 1, "%s: exit %d, expected 1; stderr %r" % (name, proc.returncode, err[:300]))
            one_line(err, name)
            with open(path, "rb") as f:
                check(f.read() == content, "%s: session info changed the file" % name)
            leftovers = sorted(set(os.listdir(tmp)) - {"good.wstsession", "damaged.wstsession"})
            check(not leftovers, "%s: session info left files behind: %s" % (name, leftovers))

        # Pages damaged in the middle: reading may succeed (an unused page) or fail, but it
        # never crashes, and a failure is one line.
        for trial in range(12):
            content = bytearray(data)
            start = rng.randrange(100, len(data) - 64)
            for i in range(start, start + 64):
                content[i] = rng.getrandbits(8)
            path = os.path.join(tmp, "flipped.wstsession")
            with open(path, "wb") as f:
                f.write(content)
            for args in (["info"], ["export", "--format", "ndjson"]):
                proc = subprocess.run([WSTESTER, "session", *args, path], capture_output=True, timeout=30)
                err = proc.stderr.decode(errors="replace")
                check(proc.returncode in (0, 1), "bytes %d-%d damaged, session %s: exit %d; stderr %r"
                      % (start, start + 64, args[0], proc.returncode, err[-600:]))
                if proc.returncode == 1:
                    one_line(err, "bytes %d-%d damaged, session %s" % (start, start + 64, args[0]))
        print("session info/export on 12 files with 64 damaged bytes: no crash")


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}


def main():
    global WSTESTER, SOURCE_DIR
    if len(sys.argv) < 3 or sys.argv[2] not in CASES:
        print("usage: hostile.py WSTESTER CASE [SOURCE_DIR]; cases: %s" % ", ".join(CASES), file=sys.stderr)
        return 2
    WSTESTER = sys.argv[1]
    SOURCE_DIR = sys.argv[3] if len(sys.argv) > 3 else os.path.join(os.path.dirname(__file__), "..", "..")
    try:
        asyncio.run(CASES[sys.argv[2]]())
    except Failure as e:
        print("FAIL: %s" % e, file=sys.stderr)
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
