// Shared helpers for the acceptance tests: official firebase@12.19.0 apps pointed at a Canopy server the way
// an app is pointed at the Firebase Database Emulator, and an event log to wait on (no sleeps).
//
// Environment: CANOPY_URL=http://127.0.0.1:PORT (required; NodeSdkIT sets it), CANOPY_WIRE_LOG_DIR (optional:
// the SDK's debug log, with every frame sent and received, goes to <dir>/<test file>.log).
import { appendFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { deleteApp, initializeApp } from 'firebase/app';
import { connectDatabaseEmulator, enableLogging, getDatabase, goOffline } from 'firebase/database';

if (!process.env.CANOPY_URL) {
  throw new Error('CANOPY_URL is not set: run these tests through NodeSdkIT (mvn verify), or set it to a running server');
}
export const CANOPY_URL = process.env.CANOPY_URL.replace(/\/$/, '');
const url = new URL(CANOPY_URL);
export const HOST = url.hostname;
export const PORT = Number(url.port);
export const TIMEOUT_MS = 15_000;

const apps = [];
let appCounter = 0;
let wireFile = null;
const seeWire = () => (wireFile ? ` (SDK log with every frame: ${wireFile})` : '');

/** Sends the SDK's debug log (frames included) of this test file to CANOPY_WIRE_LOG_DIR, if set. */
export function wireLog(testFileUrl, extraSink) {
  const dir = process.env.CANOPY_WIRE_LOG_DIR;
  let file = null;
  if (dir) {
    mkdirSync(dir, { recursive: true });
    file = join(dir, basename(new URL(testFileUrl).pathname).replace(/\.m?js$/, '') + '.log');
    appendFileSync(file, `==== ${new Date().toISOString()} against ${CANOPY_URL}\n`);
    wireFile = file;
  }
  enableLogging((message) => {
    if (file) appendFileSync(file, `${new Date().toISOString()} ${message}\n`);
    if (extraSink) extraSink(message);
  });
}

/** A unique namespace per test. */
export function uniqueNs(prefix) {
  return `${prefix}-${process.pid}-${Date.now() % 1_000_000}-${++appCounter}`.toLowerCase();
}

/**
 * A new app (one WebSocket connection) on namespace ns, as with the Database Emulator: databaseURL
 * http://HOST:PORT?ns=NS plus connectDatabaseEmulator. With { urlOnly: true } it skips connectDatabaseEmulator:
 * the SDK then also adopts the hello's `h` as its host for later connections.
 */
export function newDb(ns, { urlOnly = false, mockUserToken } = {}) {
  const app = initializeApp(
    { projectId: 'canopy-acceptance', databaseURL: `http://${HOST}:${PORT}?ns=${ns}` },
    `app-${ns}-${++appCounter}`,
  );
  const db = getDatabase(app);
  if (!urlOnly) connectDatabaseEmulator(db, HOST, PORT, mockUserToken ? { mockUserToken } : {});
  apps.push(app);
  return db;
}

/** Deletes one app (its connection closes, so its onDisconnect writes run). */
export async function removeApp(db) {
  const i = apps.indexOf(db.app);
  if (i >= 0) apps.splice(i, 1);
  await deleteApp(db.app);
}

/** goOffline + deleteApp for every app still alive; call it in after(). */
export async function closeAll() {
  const all = apps.splice(0, apps.length);
  for (const app of all) {
    try {
      goOffline(getDatabase(app));
    } catch {
      // already gone
    }
    await deleteApp(app).catch(() => {});
  }
  // If some handle still keeps the process alive, do not hang the runner (the exit code is kept).
  setTimeout(() => process.exit(), 5_000).unref();
}

/** Rejects if the promise does not settle in time (a write the server never acknowledged). */
export function within(promise, what, ms = TIMEOUT_MS) {
  let timer;
  return Promise.race([
    Promise.resolve(promise).finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: not completed within ${ms} ms (no reply from the server?)${seeWire()}`)), ms);
    }),
  ]);
}

/** Canonical JSON: sorted keys, so that equal trees print equally. */
export function canonical(value) {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) value = Object.fromEntries(value.map((v, i) => [String(i), v]).filter(([, v]) => v != null));
  if (typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonical(value[k])).join(',') + '}';
  }
  return JSON.stringify(value);
}

export const valueEvent = (v) => 'value ' + canonical(v);

/** Events in arrival order, as short strings, with promises that wait for them. */
export class EventLog {
  constructor(name) {
    this.name = name;
    this.events = [];
    this.waiters = new Set();
  }

  add(event) {
    this.events.push(event);
    for (const w of [...this.waiters]) w();
  }

  until(predicate, what, ms = TIMEOUT_MS) {
    return new Promise((resolve, reject) => {
      let timer;
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      const check = () => {
        let ok;
        try {
          ok = predicate(this.events);
        } catch (e) {
          done();
          reject(e);
          return;
        }
        if (ok) {
          done();
          resolve(this.events.slice());
        }
      };
      timer = setTimeout(() => {
        done();
        reject(new Error(`${this.name}: timed out after ${ms} ms waiting for ${what}\n  events: ${JSON.stringify(this.events)}${seeWire()}`));
      }, ms);
      this.waiters.add(check);
      check();
    });
  }

  /** Exactly these events; fails at once if the events diverge. */
  exactly(...expected) {
    return this.until((evs) => {
      if (evs.length > expected.length || evs.some((e, i) => e !== expected[i])) {
        throw new Error(`${this.name}: events diverged\n  expected: ${JSON.stringify(expected)}\n  got:      ${JSON.stringify(evs)}${seeWire()}`);
      }
      return evs.length === expected.length;
    }, JSON.stringify(expected));
  }

  /** The latest event is this one. */
  last(expected) {
    return this.until((evs) => evs.length > 0 && evs[evs.length - 1] === expected, `latest event ${expected}`);
  }

  /** Callback for onValue. */
  value() {
    return (snap) => this.add(valueEvent(snap.val()));
  }

  cancelled() {
    return (err) => this.add(`cancelled ${err.code || err.message}`);
  }
}

/** Child listeners recording `added|changed|moved <key> prev=<key>` and `removed <key>`. */
export function childEvents(log, query, { onChildAdded, onChildChanged, onChildMoved, onChildRemoved }) {
  const cancel = log.cancelled();
  return [
    onChildAdded(query, (s, prev) => log.add(`added ${s.key} prev=${prev ?? null}`), cancel),
    onChildChanged(query, (s, prev) => log.add(`changed ${s.key} prev=${prev ?? null}`), cancel),
    onChildMoved(query, (s, prev) => log.add(`moved ${s.key} prev=${prev ?? null}`), cancel),
    onChildRemoved(query, (s) => log.add(`removed ${s.key}`), cancel),
  ];
}

/** GET /<path>.json?ns= through REST: the server's own view. */
export async function restGet(ns, path) {
  const res = await fetch(`${CANOPY_URL}/${path.replace(/^\//, '')}.json?ns=${ns}&auth=owner`);
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Replaces the namespace's security rules (as the admin `owner`). */
export async function putRules(ns, rules) {
  const res = await fetch(`${CANOPY_URL}/.settings/rules.json?ns=${ns}&auth=owner`, {
    method: 'PUT',
    body: typeof rules === 'string' ? rules : JSON.stringify(rules),
  });
  if (res.status !== 200) throw new Error(`PUT rules: ${res.status} ${await res.text()}`);
}

export async function restPut(ns, path, value) {
  const res = await fetch(`${CANOPY_URL}/${path.replace(/^\//, '')}.json?ns=${ns}&auth=owner`, {
    method: 'PUT',
    body: JSON.stringify(value),
  });
  if (res.status !== 200) throw new Error(`PUT ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}
