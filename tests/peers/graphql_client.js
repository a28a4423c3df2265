// graphql-ws 5's client (`createClient` with the `ws` package) against a GraphQL-over-WebSocket
// server. Runs every QUERY at once and prints one JSON line per event:
//   {"op":N,"next":{...}}  {"op":N,"error":[...]}  {"op":N,"complete":true}
// then exits 0 when all have ended (1 on a connection failure).
// Usage: node graphql_client.js URL [--token T] QUERY...
const WebSocket = require('ws');
const { createClient } = require('graphql-ws');

const args = process.argv.slice(2);
const url = args.shift();
let connectionParams;
if (args[0] === '--token') {
  args.shift();
  connectionParams = { token: args.shift() };
}
const client = createClient({
  url, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true,
  on: { connected: (_socket, payload) => console.log(JSON.stringify({ connected: payload || null })) },
});
let open = args.length;
const finish = () => {
  if (--open === 0) client.dispose().then(() => process.exit(0));
};
args.forEach((query, op) => {
  client.subscribe({ query }, {
    next: (value) => console.log(JSON.stringify({ op, next: value })),
    error: (e) => {
      if (Array.isArray(e)) {
        console.log(JSON.stringify({ op, error: e }));
        finish();
      } else {
        console.error(`connection failed: ${e && (e.reason || e.message || e.code)}`);
        process.exit(1);
      }
    },
    complete: () => {
      console.log(JSON.stringify({ op, complete: true }));
      finish();
    },
  });
});
setTimeout(() => { console.error('timeout'); process.exit(3); }, 15000);
