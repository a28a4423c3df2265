#!/usr/bin/python3
"""A tiny SOCKS5 proxy of another stack (asyncio): RFC 1928, CONNECT only.

Prints its port on the first line of stdout, then serves until killed. With an argument
"user:pass" it demands username/password authentication (RFC 1929) and answers any other
credentials with a failure status and closes. Each CONNECT it served is printed on stdout
("CONNECT 127.0.0.1:1234", "CONNECT localhost:1234" for the domain-name form,
"CONNECT [::1]:1234" for IPv6), so tests can check the chain was used. Refused or failed
CONNECTs get the matching RFC 1928 reply code and are reported on stderr only.
"""
import asyncio
import errno
import ipaddress
import socket
import sys

from tunnel import pipe

CREDENTIALS = sys.argv[1] if len(sys.argv) > 1 else None

VERSION = 0x05
NO_AUTH, USER_PASS, NO_ACCEPTABLE = 0x00, 0x02, 0xFF
CMD_CONNECT = 0x01
ATYP_IPV4, ATYP_DOMAIN, ATYP_IPV6 = 0x01, 0x03, 0x04
# Reply codes (RFC 1928 section 6).
SUCCEEDED = 0x00
GENERAL_FAILURE = 0x01
NETWORK_UNREACHABLE = 0x03
HOST_UNREACHABLE = 0x04
CONNECTION_REFUSED = 0x05
TTL_EXPIRED = 0x06
COMMAND_NOT_SUPPORTED = 0x07
ADDRESS_TYPE_NOT_SUPPORTED = 0x08


def say(line):
    """One line on stdout in one write (print() writes the newline apart under PYTHONUNBUFFERED)."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def log(text):
    print(text, file=sys.stderr, flush=True)


def reply(code, bound=None):
    """A reply: VER REP RSV ATYP BND.ADDR BND.PORT. Qt reads only an IPv4 or IPv6 BND.ADDR."""
    host, port = ("0.0.0.0", 0) if bound is None else bound[:2]
    address = ipaddress.ip_address(host)
    atyp = ATYP_IPV4 if address.version == 4 else ATYP_IPV6
    return bytes([VERSION, code, 0x00, atyp]) + address.packed + port.to_bytes(2, "big")


def failure_code(error):
    if isinstance(error, ConnectionRefusedError):
        return CONNECTION_REFUSED
    if isinstance(error, socket.gaierror):
        return HOST_UNREACHABLE
    if isinstance(error, (TimeoutError, asyncio.TimeoutError)):
        return TTL_EXPIRED
    if isinstance(error, OSError):
        if error.errno == errno.ENETUNREACH:
            return NETWORK_UNREACHABLE
        if error.errno == errno.EHOSTUNREACH:
            return HOST_UNREACHABLE
        if error.errno == errno.ECONNREFUSED:
            return CONNECTION_REFUSED
    return GENERAL_FAILURE


async def authenticate(reader, writer):
    """Method selection, then RFC 1929 if credentials are demanded. False: the client is gone."""
    version, count = await reader.readexactly(2)
    methods = await reader.readexactly(count)
    if version != VERSION:
        log(f"bad version {version}")
        return False
    wanted = USER_PASS if CREDENTIALS else NO_AUTH
    if wanted not in methods:
        writer.write(bytes([VERSION, NO_ACCEPTABLE]))
        await writer.drain()
        log(f"no acceptable method among {list(methods)}")
        return False
    writer.write(bytes([VERSION, wanted]))
    await writer.drain()
    if wanted == NO_AUTH:
        return True
    # RFC 1929: VER(1) ULEN UNAME PLEN PASSWD; answer VER STATUS, any non-zero status closes.
    sub_version, user_length = await reader.readexactly(2)
    user = await reader.readexactly(user_length)
    (password_length,) = await reader.readexactly(1)
    password = await reader.readexactly(password_length)
    given = user.decode("latin-1") + ":" + password.decode("latin-1")
    if sub_version != 0x01 or given != CREDENTIALS:
        writer.write(bytes([0x01, 0x01]))
        await writer.drain()
        log(f"authentication failed for user {user.decode('latin-1')!r}")
        return False
    writer.write(bytes([0x01, 0x00]))
    await writer.drain()
    return True


async def read_request(reader):
    """VER CMD RSV ATYP DST.ADDR DST.PORT -> (cmd, atyp, host, port); host None: unknown ATYP."""
    version, command, _reserved, atyp = await reader.readexactly(4)
    if version != VERSION:
        raise ValueError(f"bad version {version} in request")
    if atyp == ATYP_IPV4:
        host = str(ipaddress.IPv4Address(await reader.readexactly(4)))
    elif atyp == ATYP_IPV6:
        host = str(ipaddress.IPv6Address(await reader.readexactly(16)))
    elif atyp == ATYP_DOMAIN:
        (length,) = await reader.readexactly(1)
        host = (await reader.readexactly(length)).decode("idna")
    else:
        host = None  # the rest of the request cannot be parsed
        return command, atyp, host, 0
    port = int.from_bytes(await reader.readexactly(2), "big")
    return command, atyp, host, port


async def handle(reader, writer):
    try:
        if not await authenticate(reader, writer):
            writer.close()
            return
        command, atyp, host, port = await read_request(reader)
        if host is None:
            writer.write(reply(ADDRESS_TYPE_NOT_SUPPORTED))
            await writer.drain()
            log(f"address type {atyp} not supported")
            writer.close()
            return
        target = f"[{host}]:{port}" if atyp == ATYP_IPV6 else f"{host}:{port}"
        if command != CMD_CONNECT:
            writer.write(reply(COMMAND_NOT_SUPPORTED))
            await writer.drain()
            log(f"command {command} not supported ({target})")
            writer.close()
            return
        try:
            upstream_reader, upstream_writer = await asyncio.wait_for(asyncio.open_connection(host, port), 10)
        except Exception as error:  # noqa: BLE001 - every failure gets a reply code
            code = failure_code(error)
            writer.write(reply(code))
            await writer.drain()
            log(f"CONNECT {target} failed with 0x{code:02x}: {error!r}")
            writer.close()
            return
        say(f"CONNECT {target}")
        writer.write(reply(SUCCEEDED, upstream_writer.get_extra_info("sockname")))
        await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, ValueError) as error:
        log(f"client gone or invalid: {error!r}")
        writer.close()
        return
    await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    say(str(server.sockets[0].getsockname()[1]))
    async with server:
        await server.serve_forever()


asyncio.run(main())
