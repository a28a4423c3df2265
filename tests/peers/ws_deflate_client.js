// A node `ws` client with permessage-deflate. Usage: node ws_deflate_client.js URL MODE
// MODE takeover | no-takeover: offers the extension (no-takeover: both *_no_context_takeover),
// prints the agreed extensions, sends compressible messages (some twice, so that a kept context
// matters; one under ws's 1 KiB threshold, sent uncompressed), checks the echoes, prints "ok".
// MODE ping: pings once and prints "pong" or, after 3 s without one, "no pong".
const WebSocket = require('ws');

const [url, mode] = process.argv.slice(2);
const perMessageDeflate = mode === 'no-takeover'
  ? { clientNoContextTakeover: true, serverNoContextTakeover: true, threshold: 1024 }
  : { threshold: 1024 };
const ws = new WebSocket(url, { perMessageDeflate, maxPayload: 0 });
const big = 'abcdefghij'.repeat(1024 * 1024);
const messages = ['hello '.repeat(500), 'hello '.repeat(500), 'short', big, Buffer.alloc(200000, 7)];
let next = 0;
ws.on('open', () => {
  console.log(ws.extensions || '(none)');
  if (mode === 'ping') {
    const timer = setTimeout(() => { console.log('no pong'); ws.close(1000); }, 3000);
    ws.on('pong', () => { clearTimeout(timer); console.log('pong'); ws.close(1000); });
    ws.ping('are you there');
    return;
  }
  ws.send(messages[0]);
});
ws.on('message', (data, isBinary) => {
  const sent = messages[next];
  const same = isBinary ? Buffer.compare(data, sent) === 0 : data.toString() === sent;
  if (!same) { console.error(`echo ${next} differs`); process.exit(4); }
  if (++next === messages.length) { console.log('ok'); ws.close(1000, 'done'); return; }
  ws.send(messages[next]);
});
ws.on('close', (code) => process.exit(code === 1000 ? 0 : 1));
ws.on('error', (e) => { console.error(e.message); process.exit(2); });
setTimeout(() => { console.error('timeout'); process.exit(3); }, 60000);
