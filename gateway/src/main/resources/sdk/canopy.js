// canopy.js: a small browser client for Canopy (and any server speaking Firebase's v5 realtime protocol).
// An ES module with no dependencies. Served by every Canopy gateway at /sdk/canopy.js; see docs/BROWSER-SDK.md.
//
//   import { connect } from '/sdk/canopy.js';
//   const db = connect(location.origin, { ns: 'demo', auth: 'owner' });
//   const off = db.ref('rooms/lobby').onValue(snap => console.log(snap.val()));
//   await db.ref('rooms/lobby/topic').set('hello');
//
// What it does: one WebSocket per database (framing with count frames both ways, request ids, replies in order),
// listens whose data is kept in a local cache per listen and fed by the server's `d`/`m` pushes, listen
// revocation (`c`), keepalive pings, reconnection with backoff that re-authenticates and re-listens.
// What it does not do (unlike the Firebase SDK): optimistic local writes, offline persistence, transactions,
// onDisconnect. Writes resolve when the server has committed them (the server pushes their effect to your
// listeners before it acknowledges them).

export const SDK_VERSION = '0.1.0';

const MAX_FRAME_CHARS = 16384;
const DEFAULTS = {
  pingIntervalMs: 25000, // send a ping after this long without receiving anything
  pongTimeoutMs: 20000, // then give the server this long to answer before reconnecting
  reconnectDelayMs: 1000, // first reconnect delay; grows ×1.5 per failure with jitter
  maxReconnectDelayMs: 30000,
};

/**
 * Opens a database connection.
 * @param {string} [url] the server, `http(s)://host:port` or `ws(s)://host:port` (default: this page's origin)
 * @param {object} [options] `{ns, auth, WebSocket, pingIntervalMs, pongTimeoutMs, reconnectDelayMs, maxReconnectDelayMs}`
 * @returns {Database}
 */
export function connect(url, options = {}) {
  return new Database(url, options);
}

/** An error reported by the server (`code` is its status string, e.g. `permission_denied`) or the connection. */
export class CanopyError extends Error {
  constructor(code, message) {
    super(message ? `${code}: ${message}` : code);
    this.name = 'CanopyError';
    this.code = code;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Paths and values

/** Splits a path into its keys: '/a//b/' → ['a','b']. */
export function pathKeys(path) {
  return String(path ?? '').split('/').filter(k => k.length > 0);
}

function joinPath(keys) {
  return '/' + keys.join('/');
}

function normalizePath(path) {
  return joinPath(pathKeys(path));
}

const INT_KEY = /^-?0*\d{1,10}$/;

function intKey(key) {
  if (!INT_KEY.test(key)) {
    return null;
  }
  const n = Number(key);
  return n >= -2147483648 && n <= 2147483647 ? n : null;
}

/** Firebase key order: keys that are 32-bit integers first, numerically, then the others by UTF-16 code units. */
export function compareKeys(a, b) {
  if (a === b) {
    return 0;
  }
  const ia = intKey(a);
  const ib = intKey(b);
  if (ia !== null && ib !== null) {
    return ia - ib || a.length - b.length;
  }
  if (ia !== null) {
    return -1;
  }
  if (ib !== null) {
    return 1;
  }
  return a < b ? -1 : 1;
}

function typeRank(v) {
  if (v === null || v === undefined) return 0;
  if (v === false) return 1;
  if (v === true) return 2;
  if (typeof v === 'number') return 3;
  if (typeof v === 'string') return 4;
  return 5;
}

/** Firebase value order: null < false < true < numbers < strings < objects (objects tie). */
export function compareValues(a, b) {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 3) return a - b;
  if (ra === 4) return a < b ? -1 : a > b ? 1 : 0;
  return 0;
}

/** Drops priorities (`.priority`, `{".value": v}`) and empty objects; arrays become objects keyed "0", "1", ... */
function clean(value) {
  if (value === undefined || value === null) {
    return null;
  }
  if (typeof value !== 'object') {
    return value;
  }
  if (!Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, '.value')) {
    return clean(value['.value']);
  }
  const out = {};
  let any = false;
  for (const [k, v] of Object.entries(value)) {
    if (k === '.priority' || v === undefined) continue;
    const c = clean(v);
    if (c !== null) {
      out[k] = c;
      any = true;
    }
  }
  return any ? out : null;
}

function childAt(value, keys) {
  let v = value;
  for (const k of keys) {
    if (v === null || typeof v !== 'object' || !(k in v)) {
      return null;
    }
    v = v[k];
  }
  return v ?? null;
}

/** A copy of `root` with `value` at `keys` (null deletes, and emptied parents vanish). Unchanged parts are shared. */
function setAt(root, keys, value) {
  if (keys.length === 0) {
    return value;
  }
  const [first, ...rest] = keys;
  const base = root !== null && typeof root === 'object' ? root : {};
  const child = setAt(first in base ? base[first] : null, rest, value);
  const out = { ...base };
  if (child === null) {
    delete out[first];
  } else {
    out[first] = child;
  }
  return Object.keys(out).length === 0 ? null : out;
}

function deepEqual(a, b) {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every(k => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
}

const PUSH_CHARS = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
let lastPushTime = 0;
const lastRandom = [];

/** A 20-character push id that sorts by creation time, like Firebase's `push()`. */
export function pushId(now = Date.now()) {
  let time = now;
  const timeChars = new Array(8);
  for (let i = 7; i >= 0; i--) {
    timeChars[i] = PUSH_CHARS.charAt(time % 64);
    time = Math.floor(time / 64);
  }
  if (now === lastPushTime) {
    let i = 11;
    for (; i >= 0 && lastRandom[i] === 63; i--) {
      lastRandom[i] = 0;
    }
    lastRandom[Math.max(i, 0)]++;
  } else {
    for (let i = 0; i < 12; i++) {
      lastRandom[i] = Math.floor(Math.random() * 64);
    }
  }
  lastPushTime = now;
  return timeChars.join('') + lastRandom.map(r => PUSH_CHARS.charAt(r)).join('');
}

// ---------------------------------------------------------------------------------------------------------------
// Snapshots, references and queries

/** An immutable view of the data at one location (or of a query's result). */
export class DataSnapshot {
  constructor(ref, value, order) {
    this.ref = ref;
    this.key = ref.key;
    this._value = value;
    this._order = order;
  }

  /** The value as plain JSON (objects, strings, numbers, booleans), or null. */
  val() {
    return this._value;
  }

  exists() {
    return this._value !== null;
  }

  /** The snapshot of a child path. */
  child(path) {
    return new DataSnapshot(this.ref.child(path), childAt(this._value, pathKeys(path)), null);
  }

  hasChildren() {
    return this._value !== null && typeof this._value === 'object';
  }

  /** Number of children (0 for a leaf). */
  get size() {
    return this.hasChildren() ? Object.keys(this._value).length : 0;
  }

  /** Child keys in the snapshot's order (the query's order, else Firebase key order). */
  keys() {
    if (!this.hasChildren()) return [];
    const keys = Object.keys(this._value);
    return this._order ? this._order(keys, this._value) : keys.sort(compareKeys);
  }

  /** Calls `fn(childSnapshot)` per child in order; stops when it returns true. */
  forEach(fn) {
    for (const key of this.keys()) {
      if (fn(this.child(key)) === true) return true;
    }
    return false;
  }

  toJSON() {
    return this._value;
  }
}

/**
 * A query: a location plus ordering, range and limit. Build one with `ref.orderByChild('age').limitToFirst(10)`.
 * Listens on a query keep only its window; `get()` returns the filtered result.
 */
export class Query {
  constructor(db, keys, params = {}) {
    this._db = db;
    this._keys = keys;
    this._params = params;
  }

  get path() {
    return joinPath(this._keys);
  }

  get key() {
    return this._keys.length ? this._keys[this._keys.length - 1] : null;
  }

  get ref() {
    return new Reference(this._db, this._keys);
  }

  _with(extra) {
    return new Query(this._db, this._keys, { ...this._params, ...extra });
  }

  orderByKey() { return this._with({ i: '.key' }); }
  orderByValue() { return this._with({ i: '.value' }); }
  orderByPriority() { const p = { ...this._params }; delete p.i; return new Query(this._db, this._keys, p); }
  orderByChild(path) { return this._with({ i: pathKeys(path).join('/') }); }
  startAt(value, key) { return this._with(bound('s', value, key, true)); }
  startAfter(value, key) { return this._with(bound('s', value, key ?? (this._params.i === '.key' ? undefined : '[MAX_NAME]'), false)); }
  endAt(value, key) { return this._with(bound('e', value, key, true)); }
  endBefore(value, key) { return this._with(bound('e', value, key ?? (this._params.i === '.key' ? undefined : '[MIN_NAME]'), false)); }
  equalTo(value, key) { return this._with({ ...bound('s', value, key, true), ...bound('e', value, key, true) }); }
  limitToFirst(n) { return this._with({ l: n, vf: 'l' }); }
  limitToLast(n) { return this._with({ l: n, vf: 'r' }); }

  /** True if the query only orders (no range or limit): the server sends it as a plain listen. */
  get _loadsAll() {
    const p = this._params;
    return !('sp' in p || 'ep' in p || 'l' in p);
  }

  /** The wire query object (`q`), or null for a default listen. */
  _wire() {
    return this._loadsAll ? null : { ...this._params };
  }

  _id() {
    return this.path + '|' + (this._loadsAll ? 'default' : JSON.stringify(sortedObject(this._params)));
  }

  /** Sorts child keys the way this query orders them. */
  _order() {
    const index = this._params.i;
    if (index === undefined || index === '.key') {
      return null;
    }
    const indexKeys = index === '.value' ? [] : pathKeys(index);
    return (keys, value) => keys.sort((a, b) => {
      const va = childAt(value[a], indexKeys);
      const vb = childAt(value[b], indexKeys);
      return compareValues(va === null || typeof va !== 'object' ? va : {}, vb === null || typeof vb !== 'object' ? vb : {})
        || compareKeys(a, b);
    });
  }

  /** Reads once from the server (not from a listen's cache). Resolves to a DataSnapshot. */
  async get() {
    const value = await this._db._request('g', { p: this.path, q: this._wire() ?? {} });
    return new DataSnapshot(this.ref, clean(value), this._order());
  }

  /**
   * Calls `callback(snapshot)` with the current value once the server has sent it, then after every change.
   * `cancel(error)` is called if the server refuses or revokes the listen. Returns a function that stops it.
   */
  onValue(callback, cancel) {
    return this._db._listen(this, { value: callback, cancel });
  }

  /** `callback(childSnapshot, previousKey)` for each child present at first, then for each new child. */
  onChildAdded(callback, cancel) {
    return this._db._listen(this, { added: callback, cancel });
  }

  /** `callback(childSnapshot)` when a child's value changes. */
  onChildChanged(callback, cancel) {
    return this._db._listen(this, { changed: callback, cancel });
  }

  /** `callback(oldChildSnapshot)` when a child goes away. */
  onChildRemoved(callback, cancel) {
    return this._db._listen(this, { removed: callback, cancel });
  }

  toString() {
    return this.path;
  }
}

function bound(side, value, key, inclusive) {
  const b = { [side + 'p']: value === undefined ? null : value };
  if (key !== undefined) b[side + 'n'] = key;
  if (!inclusive) b[side + 'in'] = false;
  return b;
}

function sortedObject(o) {
  return Object.fromEntries(Object.keys(o).sort().map(k => [k, o[k]]));
}

/** A location in the database. */
export class Reference extends Query {
  constructor(db, keys) {
    super(db, keys, {});
  }

  get parent() {
    return this._keys.length ? new Reference(this._db, this._keys.slice(0, -1)) : null;
  }

  get root() {
    return new Reference(this._db, []);
  }

  child(path) {
    return new Reference(this._db, [...this._keys, ...pathKeys(path)]);
  }

  /** Replaces the value here (null deletes). Resolves once the server committed it. */
  set(value) {
    return this._db._request('p', { p: this.path, d: value === undefined ? null : value }).then(() => undefined);
  }

  /** Writes several children at once, atomically: `{'a': 1, 'b/c': null}`. Keys may be paths. */
  update(values) {
    return this._db._request('m', { p: this.path, d: values }).then(() => undefined);
  }

  remove() {
    return this.set(null);
  }

  /** Adds a child under a new time-ordered push id; resolves to its Reference once written. */
  async push(value) {
    const child = this.child(pushId(Date.now() + this._db.serverTimeOffset));
    if (value !== undefined) {
      await child.set(value);
    }
    return child;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The connection

/** One listen on the wire, shared by every callback on the same (path, query). */
class Listen {
  constructor(query, tag) {
    this.query = query;
    this.keys = query._keys;
    this.tag = tag;
    this.callbacks = new Set();
    this.value = null;
    this.complete = false;
    this.order = query._order();
  }

  snapshot() {
    return new DataSnapshot(this.query.ref, this.value, this.order);
  }
}

/** A connection to one namespace. Create it with `connect()`. */
export class Database {
  constructor(url, options = {}) {
    this.options = { ...DEFAULTS, ...options };
    this.url = websocketUrl(url, options.ns);
    this.ns = new URL(this.url).searchParams.get('ns');
    this.serverTimeOffset = 0;
    this.sessionId = null;
    this.connected = false;
    this._auth = options.auth ?? null;
    this._authResult = null;
    this._ws = null;
    this._nextId = 1;
    this._pending = new Map(); // request id → {resolve, reject, action}
    this._queue = []; // requests waiting for a connection: {msg, resolve, reject, action}
    this._listens = new Map(); // query id → Listen
    this._byTag = new Map();
    this._nextTag = 1;
    this._connectionListeners = new Set();
    this._frames = null; // {expected, parts} while a split message arrives
    this._closed = false;
    this._online = true;
    this._attempt = 0;
    this._reconnectTimer = null;
    this._pingTimer = null;
    this._pingSentAt = 0;
    this._lastReceived = 0;
    this.lastPingMs = null;
    this._pongWaiters = [];
    this._open();
  }

  /** A reference to `path` ('' or '/' for the root). */
  ref(path = '') {
    return new Reference(this, pathKeys(path));
  }

  /** Sets the credential (an ID token / JWT, or an admin credential like `owner`); null signs out. */
  async setAuth(token) {
    this._auth = token ?? null;
    if (!this.connected) {
      return null;
    }
    return token == null ? this._request('unauth', {}) : this._sendAuth();
  }

  /** `callback(connected)` now and whenever the connection opens or drops. Returns an unsubscribe function. */
  onConnectionChange(callback) {
    this._connectionListeners.add(callback);
    callback(this.connected);
    return () => this._connectionListeners.delete(callback);
  }

  /** Measures one round trip to the server (a protocol ping); resolves to milliseconds, or null if offline. */
  ping() {
    if (!this.connected) return Promise.resolve(null);
    return new Promise(resolve => {
      this._pongWaiters.push(resolve);
      this._pingSentAt = Date.now();
      this._sendText({ t: 'c', d: { t: 'p', d: {} } });
    });
  }

  /** Drops the connection and stays offline until `goOnline()`. Listens are kept and re-sent then. */
  goOffline() {
    this._online = false;
    clearTimeout(this._reconnectTimer);
    if (this._ws) {
      this._ws.close(1000, 'offline');
    }
  }

  goOnline() {
    if (this._online || this._closed) return;
    this._online = true;
    this._attempt = 0;
    this._open();
  }

  /** Closes the connection for good; pending requests fail with `disconnected`. */
  close() {
    this._closed = true;
    this._online = false;
    clearTimeout(this._reconnectTimer);
    clearTimeout(this._pingTimer);
    if (this._ws) {
      this._ws.close(1000, 'closed');
    }
    this._failQueued(new CanopyError('disconnected', 'the database was closed'));
  }

  // --- socket lifecycle

  _open() {
    if (this._closed || !this._online) return;
    const WS = this.options.WebSocket ?? globalThis.WebSocket;
    if (!WS) {
      throw new CanopyError('unsupported', 'no WebSocket implementation: pass options.WebSocket');
    }
    let ws;
    try {
      ws = new WS(this.url);
    } catch (e) {
      this._scheduleReconnect();
      return;
    }
    this._ws = ws;
    this._frames = null;
    ws.onmessage = event => this._onFrame(ws, String(event.data));
    ws.onclose = () => this._onClose(ws);
    ws.onerror = () => {}; // onclose follows
  }

  _onClose(ws) {
    if (ws !== this._ws) return;
    this._ws = null;
    clearTimeout(this._pingTimer);
    const wasConnected = this.connected;
    this.connected = false;
    for (const [, p] of this._pending) {
      if (p.action === 'q') {
        continue; // listens are sent again after reconnecting
      } else if (p.action === 'n') {
        p.resolve(''); // the server dropped the listen with the connection
      } else {
        p.reject(new CanopyError('disconnected', 'the connection closed before the server answered'));
      }
    }
    for (const resolve of this._pongWaiters.splice(0)) resolve(null);
    this._pending.clear();
    for (const listen of this._listens.values()) {
      listen.sent = false;
    }
    if (wasConnected) {
      this._emitConnection(false);
    }
    this._scheduleReconnect();
  }

  _scheduleReconnect() {
    if (this._closed || !this._online) return;
    const base = Math.min(this.options.maxReconnectDelayMs, this.options.reconnectDelayMs * 1.5 ** this._attempt);
    const delay = this._attempt === 0 ? Math.min(base, 250) : base * (0.5 + Math.random() * 0.5);
    this._attempt++;
    clearTimeout(this._reconnectTimer);
    this._reconnectTimer = setTimeout(() => this._open(), delay);
  }

  _emitConnection(state) {
    for (const cb of [...this._connectionListeners]) {
      try {
        cb(state);
      } catch (e) {
        reportError(e);
      }
    }
  }

  _armPing() {
    clearTimeout(this._pingTimer);
    this._pingTimer = setTimeout(() => this._ping(), this.options.pingIntervalMs);
  }

  _ping() {
    const ws = this._ws;
    if (!ws || !this.connected) return;
    this._pingSentAt = Date.now();
    this._sendText({ t: 'c', d: { t: 'p', d: {} } });
    clearTimeout(this._pingTimer);
    this._pingTimer = setTimeout(() => {
      if (ws === this._ws && this._lastReceived < this._pingSentAt) {
        ws.close(4000, 'no answer to ping'); // a dead connection: reconnect
      }
    }, this.options.pongTimeoutMs);
  }

  // --- framing

  _onFrame(ws, text) {
    if (ws !== this._ws) return;
    this._lastReceived = Date.now();
    if (this.connected) this._armPing();
    if (this._frames === null) {
      if (text.length <= 6 && /^\d+$/.test(text)) {
        const count = Number(text);
        if (count > 1) this._frames = { expected: count, parts: [] };
        return; // 0 and 1 are no-ops
      }
      this._onMessage(text);
      return;
    }
    this._frames.parts.push(text);
    if (this._frames.parts.length === this._frames.expected) {
      const whole = this._frames.parts.join('');
      this._frames = null;
      this._onMessage(whole);
    }
  }

  _sendText(message) {
    const text = JSON.stringify(message);
    if (text.length <= MAX_FRAME_CHARS) {
      this._ws.send(text);
      return;
    }
    const parts = [];
    for (let at = 0; at < text.length;) {
      let end = Math.min(at + MAX_FRAME_CHARS, text.length);
      const code = text.charCodeAt(end - 1);
      if (end < text.length && code >= 0xd800 && code <= 0xdbff) end--; // never split a surrogate pair
      parts.push(text.slice(at, end));
      at = end;
    }
    this._ws.send(String(parts.length));
    for (const part of parts) this._ws.send(part);
  }

  // --- messages

  _onMessage(text) {
    let msg;
    try {
      msg = JSON.parse(text);
    } catch (e) {
      return;
    }
    if (msg.t === 'c') {
      this._onControl(msg.d ?? {});
    } else if (msg.t === 'd') {
      const d = msg.d ?? {};
      if (typeof d.r === 'number') {
        this._onReply(d.r, d.b ?? {});
      } else if (d.a) {
        this._onPush(d.a, d.b ?? {});
      }
    }
  }

  _onControl(c) {
    switch (c.t) {
      case 'h': {
        const hello = c.d ?? {};
        if (typeof hello.ts === 'number') this.serverTimeOffset = hello.ts - Date.now();
        this.sessionId = hello.s ?? null;
        this._onReady();
        break;
      }
      case 'o':
        if (this._pingSentAt) this.lastPingMs = Date.now() - this._pingSentAt;
        for (const resolve of this._pongWaiters.splice(0)) resolve(this.lastPingMs);
        break;
      case 's': // the server shuts this connection down for good (e.g. an invalid namespace)
        this._closed = true;
        this._failQueued(new CanopyError('shutdown', typeof c.d === 'string' ? c.d : 'the server closed the connection'));
        if (this._ws) this._ws.close(1000, 'shutdown');
        break;
      case 'r': // reconnect elsewhere
        if (typeof c.d === 'string') {
          this.url = this.url.replace(/^(wss?:\/\/)[^/]+/, `$1${c.d}`);
          if (this._ws) this._ws.close(1000, 'redirect');
        }
        break;
      case 'e':
        console.warn('canopy: server error notice:', c.d);
        break;
      default:
        break;
    }
  }

  _onReady() {
    this.connected = true;
    this._attempt = 0;
    this._armPing();
    // Order: auth first (so listens and writes are judged as the user), then listens, then queued requests.
    if (this._auth != null) {
      this._sendAuth().catch(e => console.warn('canopy: authentication failed:', e.message));
    }
    for (const listen of this._listens.values()) {
      this._sendListen(listen);
    }
    const queued = this._queue;
    this._queue = [];
    for (const q of queued) {
      this._sendRequest(q.action, q.body, q.resolve, q.reject);
    }
    this._emitConnection(true);
  }

  _sendAuth() {
    const token = this._auth;
    const looksLikeJwt = typeof token === 'string' && token.split('.').length === 3;
    return new Promise((resolve, reject) => {
      this._sendRequest(looksLikeJwt ? 'auth' : 'gauth', { cred: token }, d => {
        this._authResult = d;
        resolve(d);
      }, reject);
    });
  }

  _request(action, body) {
    return new Promise((resolve, reject) => {
      if (this._closed) {
        reject(new CanopyError('disconnected', 'the database was closed'));
      } else if (this.connected) {
        this._sendRequest(action, body, resolve, reject);
      } else {
        this._queue.push({ action, body, resolve, reject });
      }
    });
  }

  _sendRequest(action, body, resolve, reject) {
    const r = this._nextId++;
    this._pending.set(r, { action, resolve, reject });
    this._sendText({ t: 'd', d: { r, a: action, b: body } });
  }

  _failQueued(error) {
    for (const q of this._queue) q.reject(error);
    this._queue = [];
    for (const [, p] of this._pending) p.reject(error);
    this._pending.clear();
  }

  _onReply(r, b) {
    const p = this._pending.get(r);
    if (!p) return;
    this._pending.delete(r);
    if (b.s === 'ok') {
      p.resolve(b.d);
    } else {
      p.reject(new CanopyError(String(b.s ?? 'unknown'), typeof b.d === 'string' ? b.d : ''));
    }
  }

  _onPush(action, b) {
    if (action === 'd' || action === 'm') {
      const keys = pathKeys(b.p);
      const writes = action === 'd'
        ? [[keys, b.d]]
        : Object.entries(b.d ?? {}).map(([rel, v]) => [[...keys, ...pathKeys(rel)], v]);
      const targets = b.t !== undefined && b.t !== null
        ? [this._byTag.get(b.t)].filter(Boolean)
        : [...this._listens.values()].filter(l => l.tag === null);
      for (const listen of targets) {
        this._apply(listen, writes);
      }
    } else if (action === 'c') {
      const keys = pathKeys(b.p);
      for (const listen of [...this._listens.values()]) {
        const sameQuery = b.q ? JSON.stringify(sortedObject(b.q)) === JSON.stringify(sortedObject(listen.query._params))
          : listen.tag === null;
        if (joinPath(listen.keys) === joinPath(keys) && sameQuery) {
          this._cancel(listen, new CanopyError('permission_denied', `permission_denied at ${joinPath(keys)}`));
        }
      }
    } else if (action === 'ac') {
      console.warn('canopy: credential revoked:', b.s, b.d);
    }
  }

  _apply(listen, writes) {
    let value = listen.value;
    let touched = false;
    for (const [keys, data] of writes) {
      const L = listen.keys;
      if (keys.length >= L.length && L.every((k, i) => keys[i] === k)) {
        value = setAt(value, keys.slice(L.length), clean(data)); // at or below the listen
        touched = true;
      } else if (keys.every((k, i) => L[i] === k)) {
        value = clean(childAt(data, L.slice(keys.length))); // above the listen
        touched = true;
      }
    }
    if (!touched) return;
    const previous = listen.value;
    listen.value = value;
    if (listen.complete && !deepEqual(previous, value)) {
      this._fire(listen, previous, [...listen.callbacks]);
    }
  }

  _fire(listen, previous, callbacks) {
    const snap = listen.snapshot();
    for (const cb of callbacks) {
      try {
        if (cb.value) cb.value(snap);
        if (cb.added || cb.changed || cb.removed) this._fireChildren(listen, cb, previous, snap);
      } catch (e) {
        reportError(e);
      }
    }
  }

  _fireChildren(listen, cb, previous, snap) {
    const before = previous !== null && typeof previous === 'object' ? previous : {};
    const prevSnap = new DataSnapshot(listen.query.ref, previous, listen.order);
    if (cb.removed) {
      for (const key of prevSnap.keys()) {
        if (!snap.hasChildren() || !(key in snap.val())) cb.removed(prevSnap.child(key));
      }
    }
    let prevKey = null;
    for (const key of snap.keys()) {
      if (!(key in before)) {
        if (cb.added) cb.added(snap.child(key), prevKey);
      } else if (cb.changed && !deepEqual(before[key], snap.val()[key])) {
        cb.changed(snap.child(key), prevKey);
      }
      prevKey = key;
    }
  }

  _listen(query, callback) {
    const id = query._id();
    let listen = this._listens.get(id);
    if (!listen) {
      listen = new Listen(query, query._loadsAll ? null : this._nextTag++);
      this._listens.set(id, listen);
      if (listen.tag !== null) this._byTag.set(listen.tag, listen);
      if (this.connected) this._sendListen(listen);
    }
    listen.callbacks.add(callback);
    if (listen.complete) {
      // a later callback on an existing listen gets the cached value at once, asynchronously like the first
      queueMicrotask(() => {
        if (listen.callbacks.has(callback)) this._fire(listen, null, [callback]);
      });
    }
    return () => {
      if (!listen.callbacks.delete(callback) || listen.callbacks.size > 0) return;
      this._listens.delete(id);
      if (listen.tag !== null) this._byTag.delete(listen.tag);
      listen.cancelled = true;
      if (this.connected && listen.sent) {
        const body = { p: query.path };
        if (listen.tag !== null) Object.assign(body, { q: query._wire(), t: listen.tag });
        this._request('n', body).catch(() => {});
      }
    };
  }

  _sendListen(listen) {
    const query = listen.query;
    const body = { p: query.path, h: '' };
    if (listen.tag !== null) Object.assign(body, { q: query._wire(), t: listen.tag });
    listen.sent = true;
    this._sendRequest('q', body, () => {
      if (listen.cancelled) return;
      const first = !listen.complete;
      listen.complete = true;
      if (first) this._fire(listen, null, [...listen.callbacks]);
    }, error => this._cancel(listen, error));
  }

  _cancel(listen, error) {
    const id = listen.query._id();
    if (this._listens.get(id) === listen) this._listens.delete(id);
    if (listen.tag !== null) this._byTag.delete(listen.tag);
    listen.cancelled = true;
    for (const cb of listen.callbacks) {
      if (cb.cancel) {
        try {
          cb.cancel(error);
        } catch (e) {
          reportError(e);
        }
      }
    }
    listen.callbacks.clear();
  }
}

function websocketUrl(url, ns) {
  const base = url ?? (typeof location !== 'undefined' ? location.origin : null);
  if (!base) throw new CanopyError('invalid_url', 'no server URL');
  const u = new URL(base);
  if (u.protocol === 'http:') u.protocol = 'ws:';
  if (u.protocol === 'https:') u.protocol = 'wss:';
  const namespace = ns ?? u.searchParams.get('ns');
  u.pathname = '/.ws';
  u.search = '';
  u.hash = '';
  // Same parameter order as the official JS SDK.
  return `${u.toString()}?v=5${namespace ? '&ns=' + encodeURIComponent(namespace) : ''}`;
}

function reportError(e) {
  setTimeout(() => { throw e; });
}
