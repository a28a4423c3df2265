// --- wstester helpers (plain JavaScript: no k6 module is used below this line) ---
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function uuid() {
  const h = '0123456789abcdef';
  let s = '';
  for (let i = 0; i < 36; ++i) {
    if (i === 8 || i === 13 || i === 18 || i === 23) s += '-';
    else if (i === 14) s += '4';
    else if (i === 19) s += h[8 + Math.floor(Math.random() * 4)];
    else s += h[Math.floor(Math.random() * 16)];
  }
  return s;
}

// wstester's {{name}} variables: {{{{ is a literal {{; an undefined name is left as it is.
function fill(vars, text) {
  return text.replace(/\{\{\{\{|\{\{ ?([A-Za-z_][A-Za-z0-9_.-]*) ?\}\}/g, (all, name) => {
    if (all === '{{{{') return '{{';
    if (name === 'timestamp') return String(Date.now());
    if (name === 'uuid') return uuid();
    if (name === 'counter') return '1';
    return Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : all;
  });
}

function fillValue(vars, value) {
  if (typeof value === 'string') return fill(vars, value);
  if (Array.isArray(value)) return value.map((v) => fillValue(vars, v));
  if (value !== null && typeof value === 'object') {
    const out = {};
    for (const k of Object.keys(value)) out[k] = fillValue(vars, value[k]);
    return out;
  }
  return value;
}

function bytes(hex) {
  const digits = hex.replace(/0x|[^0-9a-fA-F]/g, '');
  const out = new Uint8Array(digits.length >> 1);
  for (let i = 0; i < out.length; ++i) out[i] = parseInt(digits.substr(2 * i, 2), 16);
  return out.buffer;
}

const isText = (m) => typeof m === 'string';

function sameBytes(m, expected) {
  if (isText(m)) return false;
  const a = new Uint8Array(m);
  const b = new Uint8Array(expected);
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function parseJson(m) {
  if (!isText(m)) return undefined;
  try {
    return JSON.parse(m);
  } catch (e) {
    return undefined;
  }
}

// wstester's JSON paths: $, .name, ['name'], [2], [-1], .*, [*], ..name, ..*; or "a.b.0.c".
function jsonPath(root, path) {
  if (root === undefined) return [];
  if (!path.startsWith('$')) {
    let v = root;
    for (const part of path.split('.')) {
      if (Array.isArray(v) && /^[0-9]+$/.test(part) && Number(part) < v.length) v = v[Number(part)];
      else if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, part)) v = v[part];
      else return [];
    }
    return [v];
  }
  let nodes = [root];
  let i = 1;
  while (i < path.length) {
    let deep = false;
    if (path.startsWith('..', i)) {
      deep = true;
      i += 2;
    } else if (path[i] === '.') {
      i += 1;
    }
    let sel;
    if (path[i] === '[') {
      const q = path[i + 1];
      if (q === "'" || q === '"') {
        let name = '';
        let j = i + 2;
        while (j < path.length && path[j] !== q) {
          if (path[j] === '\\' && j + 1 < path.length) ++j;
          name += path[j++];
        }
        sel = { member: name };
        i = path.indexOf(']', j) + 1;
      } else {
        const end = path.indexOf(']', i);
        const inner = path.slice(i + 1, end).trim();
        sel = inner === '*' ? { all: true } : { index: Number(inner) };
        i = end + 1;
      }
    } else {
      let j = i;
      while (j < path.length && path[j] !== '.' && path[j] !== '[') ++j;
      const name = path.slice(i, j);
      sel = name === '*' ? { all: true } : { member: name };
      i = j;
    }
    const next = [];
    const visit = (node) => {
      if (Array.isArray(node)) {
        if (sel.all) next.push(...node);
        else if (sel.index !== undefined) {
          const k = sel.index < 0 ? node.length + sel.index : sel.index;
          if (k >= 0 && k < node.length) next.push(node[k]);
        }
      } else if (node !== null && typeof node === 'object') {
        if (sel.all) next.push(...Object.values(node));
        else if (sel.member !== undefined && Object.prototype.hasOwnProperty.call(node, sel.member)) next.push(node[sel.member]);
      }
      if (deep && node !== null && typeof node === 'object') {
        for (const child of Array.isArray(node) ? node : Object.values(node)) visit(child);
      }
    };
    nodes.forEach(visit);
    nodes = next;
  }
  return nodes;
}

const scalar = (v) => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

function sameJson(a, b) {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameJson(a[k], b[k]));
}

// One condition of a "json" expect: [path, op, value].
function jsonHolds(root, [path, op, value]) {
  const found = jsonPath(root, path);
  if (op === 'missing') return found.length === 0;
  return found.some((v) => {
    switch (op) {
      case 'exists': return true;
      case 'equals': return sameJson(v, value);
      case 'matches': return new RegExp(value).test(scalar(v));
      case '<': return typeof v === 'number' && v < value;
      case '<=': return typeof v === 'number' && v <= value;
      case '>': return typeof v === 'number' && v > value;
      case '>=': return typeof v === 'number' && v >= value;
      default: return false;
    }
  });
}

function jsonMatches(m, checks) {
  const root = parseJson(m);
  return root !== undefined && checks.every((c) => jsonHolds(root, c));
}

function wake(conn) {
  const waiters = conn.waiters;
  conn.waiters = [];
  waiters.forEach((w) => w());
}

function waitForEvent(conn, ms) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, Math.max(0, ms));
    conn.waiters.push(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

// Resolves with the connection once it opened, closed or `withinMs` ran out.
function connect(url, protocols, headers, withinMs) {
  const conn = { ws: null, opened: false, closed: false, inbox: [], seen: 0, pongs: 0, waiters: [] };
  return new Promise((resolve) => {
    try {
      conn.ws = new WebSocket(url, protocols, { headers });
    } catch (e) {
      console.error(`${url}: ${e}`);
      resolve(conn);
      return;
    }
    conn.ws.binaryType = 'arraybuffer';
    const timer = setTimeout(() => resolve(conn), withinMs);
    conn.ws.addEventListener('open', () => {
      conn.opened = true;
      clearTimeout(timer);
      resolve(conn);
    });
    conn.ws.addEventListener('message', (e) => {
      conn.inbox.push(e.data);
      wake(conn);
    });
    conn.ws.addEventListener('pong', () => {
      conn.pongs += 1;
      wake(conn);
    });
    conn.ws.addEventListener('close', () => {
      conn.closed = true;
      clearTimeout(timer);
      wake(conn);
      resolve(conn);
    });
    conn.ws.addEventListener('error', (e) => console.error(`${url}: ${e.error || e}`));
  });
}

// A step that acts (connect, send, ping, close) begins: expects look only at what comes next.
function mark(conns) {
  for (const conn of Object.values(conns)) conn.seen = Math.max(conn.seen, conn.inbox.length);
}

// The first message since the mark that matches, or undefined. Strict: any other message fails.
async function expectMessage(conn, matches, withinMs, strict) {
  const deadline = Date.now() + withinMs;
  for (;;) {
    while (conn.seen < conn.inbox.length) {
      const m = conn.inbox[conn.seen++];
      if (matches(m)) return m;
      if (strict) return undefined;
    }
    const left = deadline - Date.now();
    if (conn.closed || left <= 0) return undefined;
    await waitForEvent(conn, left);
  }
}

// A message that matches within `forMs`, or undefined when none came.
async function expectNone(conn, matches, forMs) {
  const deadline = Date.now() + forMs;
  let i = conn.seen;
  for (;;) {
    for (; i < conn.inbox.length; ++i) {
      if (matches(conn.inbox[i])) return conn.inbox[i];
    }
    const left = deadline - Date.now();
    if (left <= 0) return undefined;
    await waitForEvent(conn, left);
  }
}

async function ping(conn, withinMs) {
  const before = conn.pongs;
  conn.ws.ping();
  const deadline = Date.now() + withinMs;
  while (conn.pongs === before && !conn.closed && Date.now() < deadline) await waitForEvent(conn, deadline - Date.now());
  return conn.pongs > before;
}

async function waitClosed(conn, withinMs) {
  const deadline = Date.now() + withinMs;
  while (!conn.closed && Date.now() < deadline) await waitForEvent(conn, deadline - Date.now());
  return conn.closed;
}
// --- end of the wstester helpers ---
