// runTransaction from several apps (connections) on one counter: compare-and-set by node hash.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { get, onValue, ref, runTransaction, set } from 'firebase/database';
import { EventLog, closeAll, newDb, restGet, uniqueNs, valueEvent, within, wireLog } from '../lib/canopy.mjs';

before(() => wireLog(import.meta.url));
after(closeAll);

test('runTransaction from 4 connections increments one counter exactly 100 times', { timeout: 120_000 }, async () => {
  const ns = uniqueNs('js-tx');
  const dbs = [newDb(ns), newDb(ns), newDb(ns), newDb(ns)];
  let reruns = 0;
  await Promise.all(dbs.map(async (db, i) => {
    let committed = 0;
    while (committed < 25) {
      try {
        const result = await within(runTransaction(ref(db, 'counter'), (n) => (n ?? 0) + 1), `transaction ${i}/${committed}`, 30_000);
        assert.equal(result.committed, true);
        assert.equal(typeof result.snapshot.val(), 'number');
        committed++;
      } catch (e) {
        if (String(e.message).includes('maxretry')) {
          reruns++; // lost 25 races in a row: allowed, run it again
        } else {
          throw e;
        }
      }
    }
  }));
  assert.equal(await restGet(ns, 'counter'), 100, `counter after 100 committed transactions (${reruns} reruns after maxretry)`);
  for (const db of dbs) {
    const seen = new EventLog('counter');
    onValue(ref(db, 'counter'), seen.value());
    await seen.last(valueEvent(100));
  }
});

test('a transaction on an object sees the server value; returning undefined aborts', { timeout: 30_000 }, async () => {
  const ns = uniqueNs('js-tx-obj');
  const writer = newDb(ns);
  await within(set(ref(writer, 'acct'), { balance: 10, owner: 'w' }), 'set /acct');
  const db = newDb(ns);
  const result = await within(runTransaction(ref(db, 'acct'), (acct) => {
    if (acct === null) return { balance: -1 }; // first run on the empty cache: the server must answer datastale
    return { ...acct, balance: acct.balance + 5 };
  }), 'transaction on /acct');
  assert.equal(result.committed, true);
  assert.deepEqual(result.snapshot.val(), { balance: 15, owner: 'w' });

  const aborted = await within(runTransaction(ref(db, 'acct'), () => undefined), 'aborted transaction');
  assert.equal(aborted.committed, false);
  assert.deepEqual((await within(get(ref(writer, 'acct')), 'get /acct')).val(), { balance: 15, owner: 'w' });
});
