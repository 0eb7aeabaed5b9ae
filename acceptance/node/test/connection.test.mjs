// Connection health: a quiet connection (no listens, no writes) must become "healthy" through the
// ping/pong control exchange, or the SDK closes it after 30 s and reconnects forever.
import { after, before, test } from 'node:test';
import { onValue, ref } from 'firebase/database';
import { EventLog, closeAll, newDb, uniqueNs, valueEvent, wireLog } from '../lib/canopy.mjs';

const sdkLog = new EventLog('SDK log');
before(() => wireLog(import.meta.url, (message) => sdkLog.add(message)));
after(closeAll);

test('.info/connected turns true and a quiet connection is made healthy by a pong', { timeout: 30_000 }, async () => {
  const db = newDb(uniqueNs('js-conn'));
  const connected = new EventLog('.info/connected');
  onValue(ref(db, '.info/connected'), connected.value());
  await connected.last(valueEvent(true));
  // With only the stats reply received, the client sends {t:'c',d:{t:'p',d:{}}} after 5 s and counts the
  // server's {t:'c',d:{t:'o',d:{}}} as the second response it needs.
  await sdkLog.until((lines) => lines.some((l) => l.includes('Primary connection is healthy')),
    "the SDK's 'Primary connection is healthy' (a pong answering its ping)", 15_000);
  await connected.exactly(valueEvent(false), valueEvent(true));
});
