// Values larger than 64 KiB: the SDK splits its messages into 16384-character frames; the server must
// reassemble them and split its own pushes and replies the same way.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { get, onValue, ref, set } from 'firebase/database';
import { EventLog, closeAll, newDb, restGet, restPut, uniqueNs, valueEvent, within, wireLog } from '../lib/canopy.mjs';

before(() => wireLog(import.meta.url));
after(closeAll);

const big = {
  ascii: 'x'.repeat(100_000),
  wide: 'é€😀'.repeat(15_000), // 2-, 3- and 4-byte UTF-8 characters
  many: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, `value number ${i} `.repeat(4)])),
};

test('a value over 64 KiB written by the SDK reaches another connection and REST', { timeout: 60_000 }, async () => {
  const ns = uniqueNs('js-big');
  const writer = newDb(ns);
  const reader = newDb(ns);
  const seen = new EventLog('reader of /big');
  onValue(ref(reader, 'big'), seen.value());
  await seen.exactly(valueEvent(null));
  await within(set(ref(writer, 'big'), big), 'set 250 KB');
  await seen.exactly(valueEvent(null), valueEvent(big));
  assert.deepEqual(await restGet(ns, 'big'), big);
  const fresh = newDb(ns);
  assert.deepEqual((await within(get(ref(fresh, 'big')), 'get 250 KB')).val(), big);
});

test('a value over 64 KiB written through REST is pushed to the SDK in pieces', { timeout: 60_000 }, async () => {
  const ns = uniqueNs('js-big-rest');
  const db = newDb(ns);
  const seen = new EventLog('listener of /big');
  onValue(ref(db, 'big'), seen.value());
  await seen.exactly(valueEvent(null));
  await restPut(ns, 'big', big);
  await seen.exactly(valueEvent(null), valueEvent(big));
});
