// An MQTT broker over WebSocket for the tests: aedes 0.51 (MQTT 3.1.1; it refuses MQTT 5 with
// CONNACK return code 1) behind `ws`, on 127.0.0.1 port 0. Prints the port, then serves until
// killed. Accepts the subprotocol "mqtt" (and a connection that offers none).
// aedes writes a packet in several stream chunks; by default they are gathered so that every
// WebSocket message is one whole packet (as mosquitto and EMQX send them). With --split every
// chunk is its own message: packets split over messages, which MQTT over WebSocket allows.
// Usage: node mqtt_broker.js [--split]
const aedes = require('aedes')();
const { Duplex } = require('stream');
const { WebSocketServer, createWebSocketStream } = require('ws');

const split = process.argv.includes('--split');

// The length of the first whole packet in `b`, or 0 when it is not all there yet.
function packetLength(b) {
  let length = 0;
  let multiplier = 1;
  for (let i = 1; i <= 4; ++i) {
    if (i >= b.length) return 0;
    length += (b[i] & 0x7f) * multiplier;
    multiplier *= 128;
    if (!(b[i] & 0x80)) return i + 1 + length <= b.length ? i + 1 + length : 0;
  }
  return 0;
}

function packetStream(ws) {
  let pending = Buffer.alloc(0);
  const stream = new Duplex({
    read() {},
    write(chunk, encoding, callback) {
      pending = Buffer.concat([pending, chunk]);
      for (let n = packetLength(pending); n > 0; n = packetLength(pending)) {
        ws.send(pending.subarray(0, n));
        pending = pending.subarray(n);
      }
      callback();
    },
    final(callback) {
      ws.close();
      callback();
    },
  });
  ws.on('message', (data) => stream.push(data));
  ws.on('close', () => stream.destroy());
  return stream;
}

const wss = new WebSocketServer({
  host: '127.0.0.1',
  port: 0,
  handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : false),
});
wss.on('connection', (ws) => aedes.handle(split ? createWebSocketStream(ws) : packetStream(ws)));
wss.on('listening', () => console.log(wss.address().port));
