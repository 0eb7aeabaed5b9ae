// The test page: the official modular SDK (firebase@12.19.0, bundled by esbuild at test time) behind a small API
// on window.canopy that the node tests drive through Playwright. Every call returns plain JSON values.
import { deleteApp, initializeApp } from 'firebase/app';
import {
  connectDatabaseEmulator,
  enableLogging,
  get,
  getDatabase,
  goOffline,
  limitToLast,
  onChildAdded,
  onDisconnect,
  onValue,
  orderByChild,
  push,
  query,
  ref,
  remove,
  runTransaction,
  serverTimestamp,
  set,
  update,
} from 'firebase/database';

const sdkLog = [];
enableLogging((message) => {
  sdkLog.push(`${new Date().toISOString()} ${message}`);
});

let app = null;
let db = null;
const connected = [];
const events = new Map();

function constraints(options = {}) {
  const out = [];
  if (options.orderByChild) out.push(orderByChild(options.orderByChild));
  if (options.limitToLast) out.push(limitToLast(options.limitToLast));
  return out;
}

function target(path, options) {
  const r = ref(db, path);
  const c = constraints(options);
  return c.length ? query(r, ...c) : r;
}

/** Resolves with the first value at r that satisfies test (the listener is removed then). */
function once(r, test) {
  return new Promise((resolve) => {
    let off = null;
    let done = false;
    off = onValue(r, (s) => {
      if (!done && test(s.val())) {
        done = true;
        if (off) off();
        resolve(s.val());
      }
    });
    if (done) off();
  });
}

window.canopy = {
  /** Connects to the gateway as an app connects to the Database Emulator. */
  start({ host, port, ns }) {
    app = initializeApp({ projectId: 'canopy-browser', databaseURL: `http://${host}:${port}?ns=${ns}` }, `app-${ns}`);
    db = getDatabase(app);
    connectDatabaseEmulator(db, host, port);
    onValue(ref(db, '.info/connected'), (s) => connected.push(s.val()));
    return true;
  },

  /** Resolves once .info/connected is true. */
  waitConnected() {
    return once(ref(db, '.info/connected'), (v) => v === true);
  },

  connectedHistory: () => connected.slice(),

  set: (path, value) => set(ref(db, path), value).then(() => true),
  setWithServerTime: (path, value) => set(ref(db, path), { ...value, at: serverTimestamp() }).then(() => true),
  update: (path, value) => update(ref(db, path), value).then(() => true),
  remove: (path) => remove(ref(db, path)).then(() => true),
  push: (path, value) => push(ref(db, path), value).then((r) => r.key),
  get: (path, options) => get(target(path, options)).then((s) => s.val()),
  /** The error code of a write that should fail, or null if it succeeded. */
  setError: (path, value) => set(ref(db, path), value).then(() => null, (e) => String(e.code || e.message)),

  /** Starts recording the values seen at path (optionally a query) under `id`. */
  listen(id, path, options) {
    const seen = [];
    events.set(id, seen);
    onValue(target(path, options), (s) => {
      const keys = [];
      s.forEach((child) => {
        keys.push(child.key);
      });
      seen.push({ value: s.val(), keys });
    });
    return true;
  },

  /** Starts recording the child_added keys at path under `id`. */
  listenChildAdded(id, path, options) {
    const seen = [];
    events.set(id, seen);
    onChildAdded(target(path, options), (s) => seen.push({ key: s.key, value: s.val() }));
    return true;
  },

  events: (id) => (events.get(id) || []).slice(),

  /** Resolves with the value at path once it equals `expected` (compared as JSON). */
  waitForValue(path, expected) {
    const want = JSON.stringify(expected);
    return once(ref(db, path), (v) => JSON.stringify(v) === want);
  },

  /** Adds `by` to the number at path in a transaction; resolves with { committed, value }. */
  increment: (path, by) =>
    runTransaction(ref(db, path), (v) => (typeof v === 'number' ? v : 0) + by).then((r) => ({
      committed: r.committed,
      value: r.snapshot.val(),
    })),

  onDisconnectSet: (path, value) => onDisconnect(ref(db, path)).set(value).then(() => true),
  onDisconnectRemove: (path) => onDisconnect(ref(db, path)).remove().then(() => true),

  goOffline() {
    goOffline(db);
    return true;
  },

  stop: () => deleteApp(app).then(() => true),

  /** What the SDK's log says about the transports it used. */
  transports() {
    const has = (s) => sdkLog.some((line) => line.includes(s));
    return {
      longPolling: has('Connecting via long-poll to'),
      webSocket: has('Websocket connecting to'),
      upgraded: has('cleaning up and promoting a connection'),
      webSocketFailed: has('Realtime connection failed') || has('WebSocket is closing itself'),
    };
  },

  log: () => sdkLog.slice(),
};
