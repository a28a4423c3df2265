# Sends hand-made frames to a server. Usage: raw_frame_client.py PORT HEX [deflate]
# Opens a handshake (offering permessage-deflate when asked), prints the 101's extension header
# (or "-"), writes the bytes of HEX, then reads frames until a Close and prints "close CODE".
import base64
import os
import socket
import struct
import sys

port, frames = int(sys.argv[1]), bytes.fromhex(sys.argv[2])
offer = len(sys.argv) > 3 and sys.argv[3] == 'deflate'
s = socket.create_connection(('127.0.0.1', port), timeout=20)
key = base64.b64encode(os.urandom(16)).decode()
request = ('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
           f'Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n')
if offer:
    request += 'Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n'
s.sendall((request + '\r\n').encode())
data = b''
while b'\r\n\r\n' not in data:
    chunk = s.recv(4096)
    if not chunk:
        sys.exit('no 101')
    data += chunk
head, data = data.split(b'\r\n\r\n', 1)
ext = [l.split(b':', 1)[1].strip().decode() for l in head.split(b'\r\n')
       if l.lower().startswith(b'sec-websocket-extensions:')]
print(ext[0] if ext else '-')
s.sendall(frames)
while True:
    while len(data) < 2:
        chunk = s.recv(4096)
        if not chunk:
            print('eof')
            sys.exit(0)
        data += chunk
    n = data[1] & 0x7f
    at = 2
    if n == 126:
        n, at = struct.unpack('>H', data[2:4])[0], 4
    elif n == 127:
        n, at = struct.unpack('>Q', data[2:10])[0], 10
    while len(data) < at + n:
        chunk = s.recv(4096)
        if not chunk:
            print('eof')
            sys.exit(0)
        data += chunk
    op, payload, data = data[0] & 0x0f, data[at:at + n], data[at + n:]
    if op == 8:
        print('close', struct.unpack('>H', payload[:2])[0] if len(payload) >= 2 else 1005, flush=True)
        sys.exit(0)
