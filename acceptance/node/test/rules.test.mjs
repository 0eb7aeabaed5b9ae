// Security rules as the official SDK sees them: permission_denied on writes, reads and listens, and revocation.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { get, onValue, ref, set, update } from 'firebase/database';
import {
  EventLog, closeAll, newDb, putRules, restPut, uniqueNs, valueEvent, within, wireLog,
} from '../lib/canopy.mjs';

before(() => wireLog(import.meta.url));
after(closeAll);

const RULES = {
  rules: {
    public: { '.read': true, '.write': 'auth != null' },
    users: {
      $uid: {
        '.read': 'auth != null && auth.uid == $uid',
        '.write': 'auth != null && auth.uid == $uid',
        age: { '.validate': 'newData.isNumber() && newData.val() >= 0' },
      },
    },
  },
};

// Writes fail with code PERMISSION_DENIED; get() with the server's message "Permission denied".
async function denied(promise, what) {
  await assert.rejects(within(promise, what), (err) => {
    assert.match(`${err.code} ${err.message}`, /permission.denied/i, `${what}: ${err}`);
    return true;
  });
}

test('writes and reads the rules refuse fail with permission_denied', { timeout: 60_000 }, async () => {
  const ns = uniqueNs('js-rules');
  await putRules(ns, RULES);
  const alice = newDb(ns, { mockUserToken: { sub: 'alice' } });
  const anonymous = newDb(ns);

  await within(set(ref(alice, 'users/alice'), { name: 'Alice', age: 30 }), 'alice writes her node');
  await denied(set(ref(alice, 'users/bob/name'), 'Eve'), 'alice writes bob');
  await denied(set(ref(alice, 'users/alice/age'), -1), 'an invalid age');
  await denied(update(ref(alice, 'users'), { 'alice/age': 31, 'bob/age': 1 }), 'a partly allowed update');
  await denied(set(ref(anonymous, 'public/x'), 1), 'anonymous writes public');
  await within(set(ref(alice, 'public/x'), 1), 'alice writes public');

  assert.deepEqual((await within(get(ref(alice, 'users/alice')), 'alice reads her node')).val(),
    { name: 'Alice', age: 30 });
  await denied(get(ref(anonymous, 'users/alice')), 'anonymous reads alice');
  await denied(get(ref(alice, 'users')), 'reading above the grant');

  const refused = new EventLog('anonymous listen on /users/alice');
  onValue(ref(anonymous, 'users/alice'), refused.value(), refused.cancelled());
  await refused.exactly('cancelled PERMISSION_DENIED');
});

test('the optimistic value of a refused write is reverted', { timeout: 60_000 }, async () => {
  const ns = uniqueNs('js-rules-revert');
  await putRules(ns, RULES);
  await restPut(ns, 'users/alice', { name: 'Alice', age: 30 });
  const alice = newDb(ns, { mockUserToken: { sub: 'alice' } });
  const seen = new EventLog('alice on /users/alice/age');
  onValue(ref(alice, 'users/alice/age'), seen.value(), seen.cancelled());
  await seen.exactly(valueEvent(30));
  await denied(set(ref(alice, 'users/alice/age'), -5), 'an invalid age');
  await seen.exactly(valueEvent(30), valueEvent(-5), valueEvent(30));
});

test('a listen the new rules no longer allow is cancelled', { timeout: 60_000 }, async () => {
  const ns = uniqueNs('js-rules-revoke');
  await putRules(ns, RULES);
  await restPut(ns, 'public/msg', 'hello');
  const reader = newDb(ns);
  const seen = new EventLog('reader of /public');
  onValue(ref(reader, 'public'), seen.value(), seen.cancelled());
  await seen.exactly(valueEvent({ msg: 'hello' }));
  await putRules(ns, { rules: { users: { '.read': true } } });
  await seen.exactly(valueEvent({ msg: 'hello' }), 'cancelled PERMISSION_DENIED');
});
