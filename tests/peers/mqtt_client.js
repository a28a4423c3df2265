// The mqtt npm client (v5) against an MQTT-over-WebSocket broker: two clients, "sub" and "pub".
// "pub" publishes a retained message first, "sub" subscribes to t/# at QoS 2 and r/# at QoS 1
// (and gets the retained one), then "pub" publishes to t/a at QoS 0, 1 and 2 and finally clears
// the retained message; then "late" subscribes to r/# and publishes r/zz itself: it must see only
// r/zz (the cleared retained message is gone). Prints one JSON line per event; exits 0 at the end.
// Usage: node mqtt_client.js ws://127.0.0.1:PORT VERSION(4|5)
const mqtt = require('mqtt');

const [url, versionArg] = process.argv.slice(2);
const protocolVersion = Number(versionArg || 4);
const out = (o) => console.log(JSON.stringify(o));
const options = { protocolVersion, reconnectPeriod: 0, connectTimeout: 10000, keepalive: 30 };

setTimeout(() => { out({ event: 'timeout' }); process.exit(3); }, 20000);

const pub = mqtt.connect(url, { ...options, clientId: `pub-${protocolVersion}` });
pub.on('error', (e) => { out({ event: 'error', client: 'pub', message: e.message }); process.exit(2); });
pub.on('connect', (connack) => {
  out({ event: 'connect', client: 'pub', returnCode: connack.returnCode ?? connack.reasonCode ?? 0 });
  const properties = protocolVersion === 5 ? { userProperties: { origin: 'node' } } : undefined;
  pub.publish('r/kept', 'kept', { qos: 1, retain: true, properties }, (err) => {
    out({ event: 'published', client: 'pub', topic: 'r/kept', qos: 1, error: err ? err.message : null });
    const sub = mqtt.connect(url, { ...options, clientId: `sub-${protocolVersion}` });
    sub.on('error', (e) => { out({ event: 'error', client: 'sub', message: e.message }); process.exit(2); });
    const seen = [];
    let done = false;
    sub.on('message', (topic, payload, packet) => {
      const user = packet.properties && packet.properties.userProperties;
      out({ event: 'message', client: 'sub', topic, payload: payload.toString(), qos: packet.qos, retain: packet.retain, user: user || null });
      seen.push(topic);
      if (!done && seen.filter((t) => t === 't/a').length === 3) {
        done = true;
        pub.publish('r/kept', '', { qos: 1, retain: true }, () => {
          out({ event: 'cleared', client: 'pub' });
          const late = mqtt.connect(url, { ...options, clientId: `late-${protocolVersion}` });
          const lateSeen = [];
          late.on('message', (t) => {
            lateSeen.push(t);
            if (t === 'r/zz') {
              out({ event: 'late', client: 'late', topics: lateSeen });
              late.end(false, () => sub.end(false, () => pub.end(false, () => process.exit(0))));
            }
          });
          late.on('connect', () => late.subscribe('r/#', { qos: 1 }, () => late.publish('r/zz', 'marker', { qos: 1 })));
        });
      }
    });
    sub.on('connect', () => {
      sub.subscribe({ 't/#': { qos: 2 }, 'r/#': { qos: 1 } }, (err, granted) => {
        out({ event: 'subscribed', client: 'sub', granted: granted.map((g) => [g.topic, g.qos]) });
        let n = 0;
        const next = () => {
          if (n > 2) return;
          const qos = n++;
          pub.publish('t/a', JSON.stringify({ qos }), { qos }, (e) => {
            out({ event: 'published', client: 'pub', topic: 't/a', qos, error: e ? e.message : null });
            next();
          });
        };
        next();
      });
    });
  });
});
