// A WebSocket client of another stack (the `ws` package on Node.js).
// Usage: node ws_client.js URL MESSAGE...   Sends each message, prints each reply on its own
// line, and closes with 1000 once it has as many replies as it sent messages.
const WebSocket = require('ws');

const [url, ...messages] = process.argv.slice(2);
const ws = new WebSocket(url, { headers: { 'X-Peer': 'node-ws' } });
let replies = 0;
ws.on('open', () => messages.forEach((m) => ws.send(m)));
ws.on('message', (data, isBinary) => {
  console.log(isBinary ? `binary:${data.toString('base64')}` : data.toString());
  if (++replies >= messages.length) ws.close(1000, 'done');
});
ws.on('close', (code) => process.exit(code === 1000 ? 0 : 1));
ws.on('error', (e) => { console.error(e.message); process.exit(2); });
setTimeout(() => { console.error('timeout'); process.exit(3); }, 15000);
