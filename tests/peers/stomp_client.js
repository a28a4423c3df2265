// A STOMP client of another stack: @stomp/stompjs 7 over `ws` (Node has no global WebSocket
// before 22). Usage: node stomp_client.js URL SCENARIO [LOGIN PASSCODE]; prints one JSON line
// per thing that happened and exits 0 when the scenario is done (1 on a failure, 3 on timeout).
//   pubsub     two clients: A subscribes /topic/chat (ack: client) and /queue/*; B sends to
//              /topic/chat with a receipt; A ACKs the first message, NACKs the second (it comes
//              back with redelivered:true) and ACKs the redelivery; B sends {"n":3} to /queue/x
//   badlogin   connects with LOGIN/PASSCODE and prints the ERROR frame it gets
//   heartbeat  connects with 100 ms heart-beats both ways, stays 1.5 s, prints the beats seen
Object.assign(global, { WebSocket: require('ws') });
const { Client } = require('@stomp/stompjs');

const [url, scenario, login = 'guest', passcode = 'guest'] = process.argv.slice(2);
const out = (o) => console.log(JSON.stringify(o));
const fail = (why) => { console.error(why); process.exit(1); };
setTimeout(() => { console.error('timeout'); process.exit(3); }, 15000);

function client(name, extra = {}) {
  return new Client({
    brokerURL: url,
    connectHeaders: { login, passcode },
    reconnectDelay: 0,
    heartbeatIncoming: 0,
    heartbeatOutgoing: 0,
    onWebSocketError: (e) => fail(`${name}: websocket error ${e.message || e}`),
    ...extra,
  });
}

function connect(c) {
  return new Promise((resolve) => { c.onConnect = (frame) => resolve(frame); c.activate(); });
}

async function pubsub() {
  const a = client('A');
  const b = client('B');
  const connected = await connect(a);
  out({ event: 'connected', version: connected.headers.version, server: connected.headers.server });
  await connect(b);
  const messages = [];
  let waiting = null;
  // Printed when taken, not when they arrive, so that the output's order does not depend on
  // which of the two connections node reads first.
  const print = (m) => {
    out({ event: 'message', destination: m.headers.destination, body: m.body,
      redelivered: m.headers.redelivered === 'true', subscription: m.headers.subscription });
    return m;
  };
  const next = () => new Promise((resolve) => {
    if (messages.length) resolve(print(messages.shift())); else waiting = (m) => resolve(print(m));
  });
  const onMessage = (m) => {
    if (waiting) { const w = waiting; waiting = null; w(m); } else messages.push(m);
  };
  const subReceipt = new Promise((resolve) => a.watchForReceipt('sub-r', resolve));
  a.subscribe('/topic/chat', onMessage, { ack: 'client-individual', receipt: 'sub-r' });
  a.subscribe('/queue/*', onMessage);
  await subReceipt;
  out({ event: 'receipt', id: 'sub-r' });
  const sendReceipt = new Promise((resolve) => b.watchForReceipt('send-r', resolve));
  b.publish({ destination: '/topic/chat', body: 'hello', headers: { receipt: 'send-r' } });
  await sendReceipt;
  out({ event: 'receipt', id: 'send-r' });
  const m1 = await next();
  m1.ack();
  b.publish({ destination: '/topic/chat', body: 'second' });
  const m2 = await next();
  m2.nack();
  const m3 = await next();
  if (!m3.headers.redelivered) fail('the NACKed message did not come back');
  m3.ack();
  b.publish({ destination: '/queue/x', body: JSON.stringify({ n: 3 }), headers: { 'content-type': 'application/json' } });
  await next();
  await a.deactivate();
  await b.deactivate();
  out({ event: 'done' });
  process.exit(0);
}

async function badlogin() {
  const c = client('C', {
    onStompError: (frame) => {
      out({ event: 'error', message: frame.headers.message, body: frame.body });
      c.deactivate().then(() => process.exit(0));
    },
  });
  c.onConnect = () => fail('connected with a bad login');
  c.activate();
}

async function heartbeat() {
  let pongs = 0;
  let pings = 0;
  const c = client('H', {
    heartbeatIncoming: 100,
    heartbeatOutgoing: 100,
    debug: (msg) => {
      if (msg === '<<< PONG') pongs++;
      if (msg === '>>> PING') pings++;
      if (msg.startsWith('did not receive server activity')) fail(msg);
    },
  });
  c.onWebSocketClose = (e) => { if (!done) fail(`closed early: ${e.code}`); };
  let done = false;
  const frame = await connect(c);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  done = true;
  out({ event: 'heartbeat', negotiated: frame.headers['heart-beat'], pongs, pings, connected: c.connected });
  await c.deactivate();
  process.exit(0);
}

({ pubsub, badlogin, heartbeat }[scenario] || (() => fail(`unknown scenario ${scenario}`)))();
