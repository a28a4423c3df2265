// A Socket.IO 4 server (the `socket.io` package) for wstester's client tests.
// Usage: node socketio_server.js [pingIntervalMs]   Prints its port, then one JSON line per thing
// it saw ({"connect": nsp, "auth": ...}, {"disconnect": reason}). Namespaces:
//   "/"       "echo" (args..., ack): emits "echo" back with the args and acks with them;
//             "binary" (ack): emits "file" {name, data: <3 bytes>} and acks with a Buffer;
//             "shout" (text): broadcasts "news" {text} to every client of "/".
//   "/admin"  accepts only auth {"token": "secret"} (else CONNECT_ERROR "not authorized");
//             "echo" as above.
const http = require('http');
const { Server } = require('socket.io');

const pingInterval = Number(process.argv[2] || 25000);
const httpServer = http.createServer();
// A generous pingTimeout: a loaded machine must not make the pong late.
const io = new Server(httpServer, { pingInterval, pingTimeout: Math.max(2000, pingInterval), transports: ['websocket'] });
const print = (o) => console.log(JSON.stringify(o));

function echo(socket) {
  socket.on('echo', (...args) => {
    const ack = typeof args[args.length - 1] === 'function' ? args.pop() : null;
    socket.emit('echo', ...args);
    if (ack) ack(...args);
  });
}

io.on('connection', (socket) => {
  print({ connect: '/', auth: socket.handshake.auth });
  socket.emit('welcome', { nsp: '/' });
  echo(socket);
  socket.on('binary', (...args) => {
    const ack = args[args.length - 1];
    socket.emit('file', { name: 'a.bin', data: Buffer.from([1, 2, 3]) });
    if (typeof ack === 'function') ack(Buffer.from('ok'));
  });
  socket.on('shout', (text) => io.emit('news', { text }));
  socket.on('disconnect', (reason) => print({ disconnect: reason }));
});

const admin = io.of('/admin');
admin.use((socket, next) => {
  if (socket.handshake.auth && socket.handshake.auth.token === 'secret') next();
  else next(new Error('not authorized'));
});
admin.on('connection', (socket) => {
  print({ connect: '/admin', auth: socket.handshake.auth });
  socket.emit('welcome', { nsp: '/admin', user: 'admin' });
  echo(socket);
  socket.on('disconnect', (reason) => print({ disconnect: reason }));
});

httpServer.listen(0, '127.0.0.1', () => console.log(httpServer.address().port));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
