// set / update / push / remove with completion, value listeners on two connections, get(), server values.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  get, increment, onValue, push, ref, remove, serverTimestamp, set, update,
} from 'firebase/database';
import {
  EventLog, canonical, closeAll, newDb, restGet, restPut, uniqueNs, valueEvent, within, wireLog,
} from '../lib/canopy.mjs';

before(() => wireLog(import.meta.url));
after(closeAll);

test('set, update, push and remove complete, and another connection sees every state', { timeout: 60_000 }, async () => {
  const ns = uniqueNs('js-writes');
  const writer = newDb(ns);
  const reader = newDb(ns);
  const seen = new EventLog('reader of /doc');
  onValue(ref(reader, 'doc'), seen.value(), seen.cancelled());
  await seen.exactly(valueEvent(null));

  await within(set(ref(writer, 'doc'), { a: 1, b: { c: 'x' } }), 'set /doc');
  await seen.last(valueEvent({ a: 1, b: { c: 'x' } }));

  await within(update(ref(writer, 'doc'), { a: 2, 'b/d': true, e: null }), 'update /doc');
  await seen.last(valueEvent({ a: 2, b: { c: 'x', d: true } }));

  const first = push(ref(writer, 'doc/list'));
  const second = push(ref(writer, 'doc/list'));
  assert.equal(first.key.length, 20);
  assert.ok(first.key < second.key, 'push ids are chronological');
  await within(set(first, 'p1'), 'push p1');
  const third = await within(push(ref(writer, 'doc/list'), 'p3'), 'push with a value (thenable)');
  await within(set(second, 'p2'), 'push p2');
  const list = { [first.key]: 'p1', [second.key]: 'p2', [third.key]: 'p3' };
  await seen.last(valueEvent({ a: 2, b: { c: 'x', d: true }, list }));

  await within(remove(ref(writer, 'doc/b')), 'remove /doc/b');
  await seen.last(valueEvent({ a: 2, list }));
  assert.equal(canonical(await restGet(ns, 'doc')), canonical({ a: 2, list }));

  await within(set(ref(writer, 'doc'), null), 'set /doc null');
  await seen.last(valueEvent(null));
  assert.equal(await restGet(ns, 'doc'), null);
});

test("the writer's own listener sees its write once (echo before ack, no flicker)", { timeout: 30_000 }, async () => {
  const ns = uniqueNs('js-own');
  const db = newDb(ns);
  const seen = new EventLog("writer's own listener");
  onValue(ref(db, 'own'), seen.value(), seen.cancelled());
  await seen.exactly(valueEvent(null));
  await within(set(ref(db, 'own'), { v: 1 }), 'set /own');
  await within(set(ref(db, 'own/v'), 2), 'set /own/v');
  await within(set(ref(db, 'elsewhere'), true), 'one more round trip');
  await seen.exactly(valueEvent(null), valueEvent({ v: 1 }), valueEvent({ v: 2 }));
});

test('get() reads from the server, with and without a listener', { timeout: 30_000 }, async () => {
  const ns = uniqueNs('js-get');
  await restPut(ns, 'g', { a: 1, b: { c: [1, 2] } });
  const fresh = newDb(ns);
  const snap = await within(get(ref(fresh, 'g')), 'get /g (g action)');
  assert.equal(canonical(snap.val()), canonical({ a: 1, b: { c: [1, 2] } }));
  assert.equal((await within(get(ref(fresh, 'g/b/c/1')), 'get a leaf')).val(), 2);
  assert.equal((await within(get(ref(fresh, 'nothing')), 'get an absent path')).exists(), false);

  const listened = newDb(ns);
  const seen = new EventLog('listener of /g');
  onValue(ref(listened, 'g'), seen.value());
  await seen.exactly(valueEvent({ a: 1, b: { c: [1, 2] } }));
  assert.equal((await within(get(ref(listened, 'g/a')), 'get under a listener')).val(), 1);
});

test('serverTimestamp() is resolved by the server and echoed to every connection', { timeout: 30_000 }, async () => {
  const ns = uniqueNs('js-ts');
  const writer = newDb(ns);
  const reader = newDb(ns);
  const own = new EventLog('writer /ts');
  const other = new EventLog('reader /ts');
  onValue(ref(writer, 'ts'), own.value());
  onValue(ref(reader, 'ts'), other.value());
  await own.exactly(valueEvent(null));
  await other.exactly(valueEvent(null));
  const before = Date.now();
  await within(set(ref(writer, 'ts'), { at: serverTimestamp(), by: 'w' }), 'set serverTimestamp');
  // The reader's cache (and so get() under its listener) catches up asynchronously; a new connection's get()
  // asks the server.
  const snap = await within(get(ref(newDb(ns), 'ts')), 'get /ts from a new connection');
  assert.notEqual(snap.val(), null, 'the acknowledged write is readable');
  const at = snap.val().at;
  assert.equal(typeof at, 'number');
  assert.ok(Math.abs(at - before) < 60_000, `server time ${at} near client time ${before}`);
  await other.last(valueEvent({ at, by: 'w' }));
  await own.last(valueEvent({ at, by: 'w' }));
  assert.equal((await restGet(ns, 'ts')).at, at);
});

test('increment() from several connections adds up on the server', { timeout: 60_000 }, async () => {
  const ns = uniqueNs('js-inc');
  const dbs = [newDb(ns), newDb(ns), newDb(ns)];
  await Promise.all(dbs.map(async (db, i) => {
    for (let k = 0; k < 10; k++) {
      await within(update(ref(db, 'stats'), { hits: increment(1), [`by${i}`]: increment(2) }), `increment ${i}/${k}`);
    }
  }));
  const want = { hits: 30, by0: 20, by1: 20, by2: 20 };
  assert.equal(canonical(await restGet(ns, 'stats')), canonical(want));
  const seen = new EventLog('fresh listener of /stats');
  onValue(ref(newDb(ns), 'stats'), seen.value());
  await seen.exactly(valueEvent(want));
  for (const db of dbs) {
    const log = new EventLog('writer /stats');
    onValue(ref(db, 'stats'), log.value());
    await log.last(valueEvent(want));
  }
});

test('REST writes reach SDK listeners and SDK writes reach REST', { timeout: 30_000 }, async () => {
  const ns = uniqueNs('js-rest');
  const db = newDb(ns);
  const seen = new EventLog('listener of /shared');
  onValue(ref(db, 'shared'), seen.value());
  await seen.exactly(valueEvent(null));
  await restPut(ns, 'shared', { from: 'rest' });
  await seen.exactly(valueEvent(null), valueEvent({ from: 'rest' }));
  await within(set(ref(db, 'shared/from'), 'sdk'), 'set from the SDK');
  assert.deepEqual(await restGet(ns, 'shared'), { from: 'sdk' });
});

test('an app configured by databaseURL alone (no connectDatabaseEmulator) works too', { timeout: 30_000 }, async () => {
  const ns = uniqueNs('js-url');
  const writer = newDb(ns, { urlOnly: true });
  const reader = newDb(ns, { urlOnly: true });
  const seen = new EventLog('reader of /u');
  onValue(ref(reader, 'u'), seen.value(), seen.cancelled());
  await seen.exactly(valueEvent(null));
  await within(set(ref(writer, 'u'), { ok: true }), 'set /u');
  await seen.exactly(valueEvent(null), valueEvent({ ok: true }));
});
