// A STOMP-over-WebSocket broker of another stack: stomp-broker-js 1.3 (STOMP 1.1 only; no ACK,
// NACK or transactions; never delivers a SEND to its own sender's
// subscriptions, sends MESSAGE without a message-id and counts content-length in characters).
// Its SEND receipts are lost too (its middleware drops the callback): only DISCONNECT gets one.
// It reports connects and subscriptions on stderr ("subscribed /topic/a").
// Usage: node stomp_broker.js [HEARTBEAT_MS]   Listens on 127.0.0.1, a free port, path /stomp,
// and prints the port. HEARTBEAT_MS (default 0 = off) is what it asks of clients: it then
// expects client heart-beats at that interval and closes a client silent for 1 s longer.
// Exits when its stdin closes, so a crashed test does not leave it behind.
const http = require('http');
const StompServer = require('stomp-broker-js');

const hb = Number(process.argv[2] || 0);
const server = http.createServer();
const broker = new StompServer({ server, path: '/stomp', heartbeat: [hb, hb], heartbeatErrorMargin: 1000 });
broker.on('connected', (session, headers) => console.error(`connected ${session} login=${headers.login || ''}`));
broker.on('subscribe', (sub) => console.error(`subscribed ${sub.topic}`));
broker.on('disconnected', (session) => console.error(`disconnected ${session}`));
broker.on('error', (e) => console.error(`error ${e}`));
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
