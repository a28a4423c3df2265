// An MQTT broker over WebSocket for the tests: aedes 0.51 (MQTT 3.1.1; it refuses MQTT 5 with
// CONNACK return code 1) behind `ws`, on 127.0.0.1 port 0. Prints the port, then serves until
// killed. Accepts the subprotocol "mqtt" (and a connection that offers none).
// Usage: node mqtt_broker.js
const aedes = require('aedes')();
const { WebSocketServer, createWebSocketStream } = require('ws');

const wss = new WebSocketServer({
  host: '127.0.0.1',
  port: 0,
  handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : false),
});
wss.on('connection', (ws) => aedes.handle(createWebSocketStream(ws)));
wss.on('listening', () => console.log(wss.address().port));
