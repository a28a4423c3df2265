// A node `ws` echo server with perMessageDeflate (every message compressed: threshold 0).
// Prints its port on the first line of stdout. Argument "no-takeover": both
// *_no_context_takeover. "__offer__" answers with the Sec-WebSocket-Extensions the client
// offered; "__big <n>" sends n bytes of compressible text; anything else is echoed.
const { WebSocketServer } = require('ws');

const noTakeover = process.argv.includes('no-takeover');
const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    maxPayload: 0,
    perMessageDeflate: {
        threshold: 0,
        serverNoContextTakeover: noTakeover,
        clientNoContextTakeover: noTakeover,
    },
});
wss.on('listening', () => console.log(String(wss.address().port)));
wss.on('connection', (ws, req) => {
    ws.on('error', () => {}); // a client's protocol error closes its connection, not the server
    ws.on('message', (data, isBinary) => {
        const text = isBinary ? null : data.toString();
        if (text === '__offer__') {
            ws.send(JSON.stringify({ request: req.headers['sec-websocket-extensions'] || null,
                                     response: ws.extensions || null }));
        } else if (text !== null && text.startsWith('__big ')) {
            const n = parseInt(text.split(' ')[1], 10);
            ws.send('wstester compresses this line well. '.repeat(Math.ceil(n / 36) + 1).slice(0, n));
        } else {
            ws.send(data, { binary: isBinary });
        }
    });
});
