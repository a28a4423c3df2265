// A Socket.IO 4 client (the `socket.io-client` package) for wstester's server tests.
// Usage: node socketio_client.js URL [--nsp /admin] [--listen N]
// Prints one JSON line per thing it got: {"connected": true}, {"event": name, "args": [...]},
// {"ack": [...]} (binary as {"binary": base64}). Without --listen it emits "echo" {"n":1} with
// an ack and "bin" <bytes 1,2,3> with an ack, and exits 0 once both acks and both echoes came.
// With --listen N it emits nothing and exits 0 after N events.
const { io } = require('socket.io-client');

const args = process.argv.slice(2);
const url = args[0];
const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
const nsp = opt('--nsp', '/');
const listen = Number(opt('--listen', 0));
const print = (o) => console.log(JSON.stringify(o));
const conv = (v) => (Buffer.isBuffer(v) ? { binary: v.toString('base64') }
  : Array.isArray(v) ? v.map(conv)
    : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, conv(x)])) : v);

const socket = io(url.replace(/\/$/, '') + (nsp === '/' ? '' : nsp), {
  transports: ['websocket'], auth: { token: 'node' }, reconnection: false,
});
let events = 0;
let acks = 0;
const finish = () => { socket.disconnect(); setTimeout(() => process.exit(0), 50); };
const check = () => { if (listen ? events >= listen : events >= 2 && acks >= 2) finish(); };
socket.on('connect', () => {
  print({ connected: true });
  if (listen) return;
  socket.timeout(5000).emit('echo', { n: 1 }, (err, ...reply) => {
    if (err) { print({ error: 'echo ack timeout' }); process.exit(4); }
    print({ ack: conv(reply) }); acks++; check();
  });
  socket.timeout(5000).emit('bin', Buffer.from([1, 2, 3]), (err, ...reply) => {
    if (err) { print({ error: 'bin ack timeout' }); process.exit(4); }
    print({ ack: conv(reply) }); acks++; check();
  });
});
socket.onAny((event, ...a) => { print({ event, args: conv(a) }); events++; check(); });
socket.on('connect_error', (e) => { print({ error: e.message }); process.exit(2); });
setTimeout(() => { print({ error: 'timeout' }); process.exit(3); }, 15000);
