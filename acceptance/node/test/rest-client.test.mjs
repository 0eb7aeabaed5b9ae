// A third-party Firebase REST client, used as its README says, against Canopy's REST API: `firebase-rest` 1.0.0
// (github.com/fny/node-firebase-rest, node-fetch 1.x underneath). Chosen over `rest-firebase` 0.4.0 (CRUD only,
// on the deprecated `request`) and `firebase-rest-api` 1.0.5 (Firestore through firebase-admin; its Realtime
// Database part is "soon"): it JSON-encodes orderBy/startAt/endAt/equalTo itself as Firebase's REST docs require,
// passes any other parameter through, and hands back the raw response (status, headers). None of the three has
// streaming (EventSource) or ETags, and this one cannot send request headers, so `X-Firebase-ETag`, `if-match` and
// `text/event-stream` are not reachable through it; those stay with RestConformanceIT. On the wire it sends no
// Content-Type, `Accept: */*`, `Accept-Encoding: gzip,deflate` and `Connection: close`.
//
// The namespace goes in the client's default params (`{ ns }`), the Database Emulator's URL form. Every value the
// client reads back is also checked with a plain fetch (restGet), the server's own view.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import FirebaseRESTModule from 'firebase-rest';
import { CANOPY_URL, canonical, restGet, uniqueNs, within } from '../lib/canopy.mjs';

// The package is CommonJS compiled from TypeScript: `require('firebase-rest').default`, as its README says.
const FirebaseREST = FirebaseRESTModule.default;

const namespaces = [];

/** The README's JSONClient (parsed body in `.body`) and Client (raw fetch response) on a fresh namespace. */
function clients(prefix) {
  const ns = uniqueNs(prefix);
  namespaces.push(ns);
  return {
    ns,
    json: new FirebaseREST.JSONClient(CANOPY_URL, { ns }),
    raw: new FirebaseREST.Client(CANOPY_URL, { ns }),
  };
}

/** Resolves to the client's JSONResponse; fails with the exchange if the status is not the expected one. */
async function call(what, promise, status = 200) {
  const res = await within(promise, what);
  assert.equal(res.status, status, `${what}: ${res.status} ${JSON.stringify(res.body)} (${res.url})`);
  return res;
}

after(async () => {
  // Remove what each test wrote (DELETE of the namespace root, through the client).
  for (const ns of namespaces.splice(0)) {
    await new FirebaseREST.Client(CANOPY_URL, { ns }).delete('/').catch(() => {});
  }
});

test('firebase-rest: set, get, push, multi-path update and remove', { timeout: 60_000 }, async () => {
  const { ns, json } = clients('rest-client-crud');

  let res = await call('put /doc', json.put('/doc', { a: 1, b: { c: 'x' }, n: 1.5, s: 'é ☃' }));
  assert.deepEqual(res.body, { a: 1, b: { c: 'x' }, n: 1.5, s: 'é ☃' }, 'PUT echoes the data written');
  assert.match(res.headers.get('content-type'), /^application\/json/);
  res = await call('get /doc', json.get('/doc'));
  assert.deepEqual(res.body, { a: 1, b: { c: 'x' }, n: 1.5, s: 'é ☃' });
  res = await call('get /doc/b/c', json.get('doc/b/c'));
  assert.equal(res.body, 'x');
  res = await call('get /missing', json.get('/missing'));
  assert.equal(res.body, null, 'an absent path reads as null');

  // push (POST): {"name": <push id>}, 20 characters, chronological.
  const first = (await call('post /doc/list p1', json.push('/doc/list', 'p1'))).body.name;
  const second = (await call('post /doc/list p2', json.post('/doc/list', { v: 'p2' }))).body.name;
  assert.equal(typeof first, 'string');
  assert.equal(first.length, 20);
  assert.ok(first < second, `push ids are chronological: ${first} < ${second}`);
  res = await call('get /doc/list', json.get('/doc/list'));
  assert.deepEqual(res.body, { [first]: 'p1', [second]: { v: 'p2' } });

  // update (PATCH): multi-path, a null removes; the response echoes the patch.
  const patch = { a: 2, 'b/d': true, n: null, [`list/${first}`]: null };
  res = await call('patch /doc', json.update('/doc', patch));
  assert.deepEqual(res.body, patch);
  const expected = { a: 2, b: { c: 'x', d: true }, s: 'é ☃', list: { [second]: { v: 'p2' } } };
  assert.deepEqual((await call('get /doc after patch', json.get('/doc'))).body, expected);
  assert.equal(canonical(await restGet(ns, 'doc')), canonical(expected), 'plain fetch sees the same tree');

  // remove (DELETE): null, and the path reads as null.
  res = await call('delete /doc/b', json.remove('/doc/b'));
  assert.equal(res.body, null);
  res = await call('delete /doc', json.delete('/doc'));
  assert.equal(res.body, null);
  assert.equal((await call('get /doc after delete', json.get('/doc'))).body, null);
  assert.equal(await restGet(ns, 'doc'), null);
});

test('firebase-rest: put(null) sends no body at all, and is refused as invalid JSON', { timeout: 30_000 }, async () => {
  // The client drops the body when the payload is null (`if (payload !== null)`), so `set(path, null)` is a PUT
  // with Content-Length: 0, not a delete. An empty body is not JSON: 400 with {"error": ...}, nothing changes.
  // (With this client, remove() is the way to delete.)
  const { ns, json } = clients('rest-client-null');
  await call('put /k', json.put('/k', { v: 1 }));
  const res = await call('put /k null (empty body)', json.put('/k', null), 400);
  assert.equal(typeof res.body.error, 'string', JSON.stringify(res.body));
  assert.match(res.body.error, /couldn't parse JSON/);
  assert.deepEqual(await restGet(ns, 'k'), { v: 1 });
});

test('firebase-rest: queries, shallow, format=export and print=silent through its params', { timeout: 60_000 }, async () => {
  const { json, raw } = clients('rest-client-query');
  const scores = { alice: { s: 3 }, bob: { s: 1 }, carol: { s: 2 }, dave: { s: 5 }, erin: { s: 2 } };
  await call('put /scores', json.set('/scores', scores));

  // The client JSON-encodes orderBy/startAt/endAt/equalTo itself: the caller passes plain values.
  const query = async (params) => (await call(`get /scores ${JSON.stringify(params)}`, json.get('/scores', params))).body;
  assert.deepEqual(await query({ orderBy: 's', limitToFirst: 2 }), { bob: { s: 1 }, carol: { s: 2 } });
  assert.deepEqual(await query({ orderBy: 's', limitToLast: 2 }), { alice: { s: 3 }, dave: { s: 5 } });
  assert.deepEqual(await query({ orderBy: 's', equalTo: 2 }), { carol: { s: 2 }, erin: { s: 2 } });
  assert.deepEqual(await query({ orderBy: 's', startAt: 2, endAt: 3 }), { alice: { s: 3 }, carol: { s: 2 }, erin: { s: 2 } });
  assert.deepEqual(await query({ orderBy: '$key', startAt: 'b', endAt: 'c~' }), { bob: { s: 1 }, carol: { s: 2 } });
  assert.deepEqual(await query({ orderBy: '$key', limitToLast: 1 }), { erin: { s: 2 } });

  await call('put /values', json.put('/values', { x: 'pear', y: 'apple', z: 'fig' }));
  const values = await call('get /values by $value', json.get('/values', { orderBy: '$value', limitToFirst: 2 }));
  assert.deepEqual(values.body, { y: 'apple', z: 'fig' });
  assert.deepEqual(Object.keys(values.body), ['y', 'z'], 'results in query order');

  // Firebase's 400 for a query without orderBy comes back as {"error": ...}.
  const bad = await call('get /scores limitToFirst without orderBy', json.get('/scores', { limitToFirst: 1 }), 400);
  assert.deepEqual(bad.body, { error: 'orderBy must be defined when other query parameters are defined' });

  assert.deepEqual((await call('get / shallow', json.get('/', { shallow: true }))).body, { scores: true, values: true });

  await call('put /p with priority', json.put('/p', { '.value': 'v', '.priority': 5 }));
  assert.deepEqual((await call('get /p export', json.get('/p', { format: 'export' }))).body, { '.value': 'v', '.priority': 5 });
  assert.equal((await call('get /p', json.get('/p'))).body, 'v');

  // print=silent: 204 with no body (so through the raw Client: the JSONClient would try to parse the empty body).
  const silent = await within(raw.put('/quiet', 1, { print: 'silent' }), 'put /quiet print=silent');
  assert.equal(silent.status, 204);
  assert.equal(await silent.text(), '');
  assert.equal((await call('get /quiet', json.get('/quiet'))).body, 1);
});

test('firebase-rest: server values, and concurrent increments from many clients all count', { timeout: 60_000 }, async () => {
  // The client has no transactions (they need ETags); the REST way to count atomically is the increment server value.
  const { ns, json } = clients('rest-client-sv');
  const before = Date.now();
  const res = await call('put /t timestamp', json.put('/t', { '.sv': 'timestamp' }));
  const afterMs = Date.now();
  assert.equal(typeof res.body, 'number', `the response carries the resolved timestamp: ${JSON.stringify(res.body)}`);
  assert.ok(res.body >= before - 5_000 && res.body <= afterMs + 5_000, `timestamp ${res.body} near ${before}..${afterMs}`);
  assert.equal(await restGet(ns, 't'), res.body);

  const writers = Array.from({ length: 8 }, () => new FirebaseREST.JSONClient(CANOPY_URL, { ns }));
  const perWriter = 5;
  await Promise.all(writers.map(async (w, i) => {
    for (let k = 0; k < perWriter; k++) {
      await call(`writer ${i} increment ${k}`, w.update('/counter', { n: { '.sv': { increment: 1 } }, [`by/w${i}`]: k + 1 }));
    }
  }));
  const counter = (await call('get /counter', json.get('/counter'))).body;
  assert.equal(counter.n, writers.length * perWriter, `every increment counted: ${JSON.stringify(counter)}`);
  assert.deepEqual(counter.by, Object.fromEntries(writers.map((_, i) => [`w${i}`, perWriter])));
});

test('firebase-rest: array-like data reads back as a JSON array', { timeout: 30_000 }, async () => {
  // Firebase stores ['a','b','c'] as {0:'a',1:'b',2:'c'}, and "when you call .val() or use the REST api to read
  // data, if the data looks like an array" (all keys integers, more than half of 0..max present) "Firebase will
  // render it as an array" (Firebase blog, "Best Practices: Arrays in Firebase", 2014). The JS SDK does this in
  // val() on the client; over REST the server must do it, and a REST client gets what the server writes.
  const { ns, json } = clients('rest-client-array');
  await call('put /sparse', json.put('/sparse', { 2: 'c', 4: 'e' }));
  assert.deepEqual((await call('get /sparse', json.get('/sparse'))).body, { 2: 'c', 4: 'e' }, 'not array-like: an object');

  await call('put /arr', json.put('/arr', ['a', 'b', 'c']));
  const arr = await call('get /arr', json.get('/arr'));
  assert.ok(Array.isArray(arr.body), `GET /arr.json?ns=${ns} -> ${JSON.stringify(arr.body)}, Firebase: ["a","b","c"]`);
  assert.deepEqual(arr.body, ['a', 'b', 'c']);
  await call('put /holes', json.put('/holes', { 0: 'a', 2: 'c' }));
  assert.deepEqual((await call('get /holes', json.get('/holes'))).body, ['a', null, 'c'], '2 of 0..2 present: an array with a null');
});
