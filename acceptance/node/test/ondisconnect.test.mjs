// onDisconnect set / update / remove / cancel, fired by goOffline and by deleteApp.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { goOffline, onDisconnect, onValue, ref, set } from 'firebase/database';
import { EventLog, closeAll, newDb, removeApp, restGet, uniqueNs, valueEvent, within, wireLog } from '../lib/canopy.mjs';

before(() => wireLog(import.meta.url));
after(closeAll);

test('onDisconnect writes run when the client goes offline; cancelled ones do not', { timeout: 30_000 }, async () => {
  const ns = uniqueNs('js-od');
  const leaving = newDb(ns);
  const watcher = newDb(ns);
  await within(set(ref(leaving, 'presence/alice'), 'online'), 'set online');
  await within(set(ref(leaving, 'kept'), 'original'), 'set kept');
  await within(set(ref(leaving, 'trash'), 'to be removed'), 'set trash');
  await within(onDisconnect(ref(leaving, 'presence/alice')).set('offline'), 'onDisconnect set');
  await within(onDisconnect(ref(leaving, 'kept')).set('overwritten'), 'onDisconnect set /kept');
  await within(onDisconnect(ref(leaving, 'kept')).cancel(), 'onDisconnect cancel /kept');
  await within(onDisconnect(ref(leaving, 'sessions')).update({ alice: false, n: 1 }), 'onDisconnect update');
  await within(onDisconnect(ref(leaving, 'trash')).remove(), 'onDisconnect remove');

  const presence = new EventLog('watcher of /presence/alice');
  onValue(ref(watcher, 'presence/alice'), presence.value());
  await presence.exactly(valueEvent('online'));
  const sessions = new EventLog('watcher of /sessions');
  onValue(ref(watcher, 'sessions'), sessions.value());
  await sessions.exactly(valueEvent(null));
  const trash = new EventLog('watcher of /trash');
  onValue(ref(watcher, 'trash'), trash.value());
  await trash.exactly(valueEvent('to be removed'));

  goOffline(leaving);
  await presence.exactly(valueEvent('online'), valueEvent('offline'));
  await sessions.exactly(valueEvent(null), valueEvent({ alice: false, n: 1 }));
  await trash.exactly(valueEvent('to be removed'), valueEvent(null));
  assert.equal(await restGet(ns, 'kept'), 'original', 'a cancelled onDisconnect must not run');
});

test('onDisconnect writes run when the app is deleted', { timeout: 30_000 }, async () => {
  const ns = uniqueNs('js-od-del');
  const leaving = newDb(ns);
  const watcher = newDb(ns);
  await within(onDisconnect(ref(leaving, 'status/bob')).set({ state: 'gone' }), 'onDisconnect set');
  const status = new EventLog('watcher of /status/bob');
  onValue(ref(watcher, 'status/bob'), status.value());
  await status.exactly(valueEvent(null));
  await removeApp(leaving);
  await status.exactly(valueEvent(null), valueEvent({ state: 'gone' }));
});
