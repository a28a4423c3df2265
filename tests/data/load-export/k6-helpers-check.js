// Appended to the k6 script's helpers (app/core/export/K6Prelude.js) and run by node:
// tst_LoadExport::k6HelpersRunInNode.
const assert = (ok, what) => { if (!ok) { console.error('FAILED: ' + what); process.exit(1); } };
const doc = { op: 'welcome', n: 5, list: [{ id: 1 }, { id: 2, deep: { id: 3 } }], 'odd key': 'x', a: { b: [10, 20] } };
assert(JSON.stringify(jsonPath(doc, '$.op')) === '["welcome"]', '$.op');
assert(JSON.stringify(jsonPath(doc, '$..id')) === '[1,2,3]', '$..id');
assert(JSON.stringify(jsonPath(doc, '$.list[-1].id')) === '[2]', '[-1]');
assert(JSON.stringify(jsonPath(doc, "$['odd key']")) === '["x"]', 'quoted');
assert(JSON.stringify(jsonPath(doc, '$.list[*].id')) === '[1,2]', '[*]');
assert(JSON.stringify(jsonPath(doc, 'a.b.1')) === '[20]', 'dotted');
assert(jsonPath(doc, '$.missing').length === 0, 'missing');
assert(fill({ user: 'ann' }, 'hi {{user}} {{ user }} {{{{user}} {{nope}}') === 'hi ann ann {{user}} {{nope}}', 'fill');
assert(/^[0-9a-f-]{36}$/.test(fill({}, '{{uuid}}')), 'uuid');
assert(jsonMatches('{"op":"welcome","n":5}', [['$.op', 'equals', 'welcome'], ['$.n', '>', 3]]), 'json ok');
assert(!jsonMatches('{"op":"welcome","n":2}', [['$.n', '>', 3]]), 'json compare fails');
assert(!jsonMatches('not json', [['$.op', 'exists', null]]), 'not json');
assert(jsonMatches('{"a":{"x":[1,{"y":2}]}}', [['$.a', 'equals', { x: [1, { y: 2 }] }]]), 'deep equals');
assert(jsonMatches('{"id":"ab12"}', [['$.id', 'matches', '^ab[0-9]+$'], ['$.gone', 'missing', null]]), 'matches');
assert(sameBytes(bytes('00ff10'), bytes('00 ff 10')), 'bytes');
assert(!sameBytes('00ff10', bytes('00ff10')), 'text is not binary');
(async () => {
  const conn = { inbox: ['a', 'b'], seen: 0, waiters: [], closed: false };
  mark({ conn });
  setTimeout(() => { conn.inbox.push('late match'); wake(conn); }, 20);
  const m = await expectMessage(conn, (x) => x.includes('match'), 2000, false);
  assert(m === 'late match', 'expect waits for a later message');
  const none = await expectMessage(conn, (x) => x === 'never', 30, false);
  assert(none === undefined, 'expect times out');
  console.log('ok');
})();
