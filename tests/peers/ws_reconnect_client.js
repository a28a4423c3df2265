// A reconnecting WebSocket client of another stack (the `ws` package on Node.js), for the
// local server's fault tests. Usage: node ws_reconnect_client.js URL ROUNDS
// Each round connects (again 50 ms after a refusal or a close), sends "R-1", "R-2", "R-3" and
// prints what it saw, one line each: "refused STATUS", "open", every message, "closed CODE REASON"
// (1006: the connection dropped without a Close). Exits 0 after ROUNDS connections have ended.
const WebSocket = require('ws');

const [url, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg);
let round = 0;

function attempt() {
  const ws = new WebSocket(url);
  let opened = false;
  ws.on('open', () => {
    opened = true;
    ++round;
    console.log('open');
    for (let i = 1; i <= 3; ++i) ws.send(`${round}-${i}`);
  });
  ws.on('message', (data) => console.log(data.toString()));
  ws.on('error', (e) => {
    const refused = /Unexpected server response: (\d+)/.exec(e.message);
    if (refused) console.log(`refused ${refused[1]}`);
    else if (!opened) console.log(`error ${e.message}`);
  });
  ws.on('close', (code, reason) => {
    if (opened) console.log(`closed ${code} ${reason.toString()}`.trim());
    if (opened && round >= rounds) process.exit(0);
    setTimeout(attempt, 50);
  });
}

attempt();
setTimeout(() => { console.error('timeout'); process.exit(3); }, 20000);
