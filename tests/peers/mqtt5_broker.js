// A minimal MQTT 5 broker over WebSocket for the tests, made of mqtt-packet (the codec of the
// mqtt and aedes packages) because aedes 0.51 speaks only 3.1.1. One topic space, no sessions:
// CONNACK with Assigned Client Identifier / Server Keep Alive / Receive Maximum, SUBSCRIBE with
// + and #, PUBLISH routed at min(QoS) with PUBACK or PUBREC/PUBREL/PUBCOMP both ways, retained
// messages, PINGRESP. Prints the port on 127.0.0.1 (port 0), then serves until killed.
// Usage: node mqtt5_broker.js [serverKeepAliveSeconds]
const mqttPacket = require('mqtt-packet');
const { WebSocketServer } = require('ws');

const serverKeepAlive = process.argv[2] ? Number(process.argv[2]) : undefined;
const opts = { protocolVersion: 5 };
const clients = new Set();
const retained = new Map();
let assigned = 0;

function matches(filter, topic) {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; ++i) {
    if (f[i] === '#') return true;
    if (i >= t.length || (f[i] !== '+' && f[i] !== t[i])) return false;
  }
  return f.length === t.length;
}

const wss = new WebSocketServer({
  host: '127.0.0.1',
  port: 0,
  handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : false),
});

wss.on('connection', (ws) => {
  const client = { ws, subs: new Map(), nextId: 1 };
  const send = (packet) => ws.send(mqttPacket.generate(packet, opts));
  const deliver = (c, msg, qos, retain) => {
    const packet = { cmd: 'publish', topic: msg.topic, payload: msg.payload, qos, retain, dup: false };
    if (msg.properties) packet.properties = msg.properties;
    if (qos > 0) packet.messageId = c.nextId++;
    c.ws.send(mqttPacket.generate(packet, opts));
  };
  client.deliver = deliver;
  const parser = mqttPacket.parser(opts);
  parser.on('error', (e) => { console.error(e.message); ws.close(1002); });
  parser.on('packet', (p) => {
    switch (p.cmd) {
      case 'connect': {
        const properties = { receiveMaximum: 20 };
        if (!p.clientId) properties.assignedClientIdentifier = `peer-${++assigned}`;
        if (serverKeepAlive !== undefined) properties.serverKeepAlive = serverKeepAlive;
        clients.add(client);
        send({ cmd: 'connack', sessionPresent: false, reasonCode: 0, properties });
        break;
      }
      case 'subscribe':
        send({ cmd: 'suback', messageId: p.messageId, granted: p.subscriptions.map((s) => s.qos) });
        for (const s of p.subscriptions) {
          client.subs.set(s.topic, s.qos);
          for (const msg of retained.values())
            if (matches(s.topic, msg.topic)) deliver(client, msg, Math.min(s.qos, msg.qos), true);
        }
        break;
      case 'unsubscribe':
        send({ cmd: 'unsuback', messageId: p.messageId, granted: p.unsubscriptions.map((t) => (client.subs.delete(t) ? 0 : 17)) });
        break;
      case 'publish': {
        if (p.retain) {
          if (p.payload.length === 0) retained.delete(p.topic);
          else retained.set(p.topic, p);
        }
        for (const c of clients) {
          let qos = -1;
          for (const [filter, q] of c.subs) if (matches(filter, p.topic)) qos = Math.max(qos, q);
          if (qos >= 0) c.deliver(c, p, Math.min(qos, p.qos), false);
        }
        if (p.qos === 1) send({ cmd: 'puback', messageId: p.messageId, reasonCode: 0 });
        if (p.qos === 2) send({ cmd: 'pubrec', messageId: p.messageId, reasonCode: 0 });
        break;
      }
      case 'pubrel':
        send({ cmd: 'pubcomp', messageId: p.messageId, reasonCode: 0 });
        break;
      case 'pubrec':
        send({ cmd: 'pubrel', messageId: p.messageId, reasonCode: 0 });
        break;
      case 'pingreq':
        send({ cmd: 'pingresp' });
        break;
      case 'disconnect':
        ws.close(1000);
        break;
      default:
        break;
    }
  });
  ws.on('message', (data) => parser.parse(data));
  ws.on('close', () => clients.delete(client));
});
wss.on('listening', () => console.log(wss.address().port));
