// /sdk/canopy.js, the browser client, run inside Chromium (Node 20 has no global WebSocket) against the server.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BASE, TIMEOUT, launch, namespace, newPage, read, rest } from '../lib/harness.mjs';

let browser;
let page;
const frames = { sent: [], received: [] };

before(async () => {
  browser = await launch();
  page = await newPage(browser);
  page.on('websocket', ws => {
    ws.on('framesent', f => frames.sent.push(String(f.payload)));
    ws.on('framereceived', f => frames.received.push(String(f.payload)));
  });
  await page.goto(`${BASE}/health`);
  await page.evaluate(async () => {
    window.canopy = await import('/sdk/canopy.js');
    // Collects what callbacks see, for the Node side to poll.
    window.seen = {};
    window.record = (name, value) => (window.seen[name] ??= []).push(value);
    window.until = (check, what, timeout) => new Promise((resolve, reject) => {
      const deadline = Date.now() + timeout;
      const tick = () => {
        let v;
        try {
          v = check();
        } catch (e) {
          v = false;
        }
        if (v) resolve(v);
        else if (Date.now() > deadline) reject(new Error(`timed out waiting for ${what}: ${JSON.stringify(window.seen)}`));
        else setTimeout(tick, 20);
      };
      tick();
    });
  });
});

after(async () => {
  await page?.evaluate(() => Object.values(window.dbs ?? {}).forEach(db => db.close())).catch(() => {});
  await browser?.close();
});

/** Runs `fn(ns, timeout)` in the page; it may use window.canopy, window.record, window.seen and window.until. */
function inPage(ns, fn) {
  return page.evaluate(`(${fn})(${JSON.stringify(ns)}, ${TIMEOUT})`);
}

describe('canopy.js', () => {
  test('set, update, get and remove; onValue sees each committed state once, in order', async () => {
    const ns = namespace('sdk-basic');
    const result = await inPage(ns, async (ns, timeout) => {
      const db = window.canopy.connect(location.origin, { ns, auth: 'owner' });
      (window.dbs ??= {}).basic = db;
      const ref = db.ref('items');
      const values = [];
      const off = ref.onValue(snap => values.push(snap.val()));
      await window.until(() => values.length === 1, 'the first value', timeout);
      await ref.set({ a: 1, b: { c: 'x' } });
      await ref.update({ a: 2, 'b/d': true, e: null });
      await ref.child('b/c').remove();
      const got = (await ref.get()).val();
      const keyed = [];
      (await db.ref('items').get()).forEach(child => { keyed.push(child.key); });
      const pushed = await db.ref('log').push('entry');
      off();
      return { values, got, keyed, pushedKey: pushed.key, offset: typeof db.serverTimeOffset };
    });
    assert.deepEqual(result.values, [null, { a: 1, b: { c: 'x' } }, { a: 2, b: { c: 'x', d: true } }, { a: 2, b: { d: true } }]);
    assert.deepEqual(result.got, { a: 2, b: { d: true } });
    assert.deepEqual(result.keyed, ['a', 'b']);
    assert.equal(result.offset, 'number');
    assert.match(result.pushedKey, /^[-0-9A-Za-z_]{20}$/);
    assert.deepEqual(await read('/log', ns), { [result.pushedKey]: 'entry' });
  });

  test('a query listen keeps its window as data changes; child events follow', async () => {
    const ns = namespace('sdk-query');
    await rest('PUT', '/scores', ns, { ada: { pts: 5 }, alan: { pts: 9 }, grace: { pts: 7 }, linus: { pts: 1 } });
    const result = await inPage(ns, async (ns, timeout) => {
      const db = window.canopy.connect(location.origin, { ns, auth: 'owner' });
      (window.dbs ??= {}).query = db;
      const top = db.ref('scores').orderByChild('pts').limitToLast(2);
      const windows = [];
      const offValue = top.onValue(snap => windows.push(snap.keys()));
      const events = [];
      const offAdded = db.ref('scores').onChildAdded(s => events.push(`added ${s.key}`));
      const offChanged = db.ref('scores').onChildChanged(s => events.push(`changed ${s.key}=${s.val().pts}`));
      const offRemoved = db.ref('scores').onChildRemoved(s => events.push(`removed ${s.key}`));
      await window.until(() => windows.length === 1 && events.length === 4, 'initial data', timeout);
      await db.ref('scores/linus/pts').set(10);
      await window.until(() => JSON.stringify(windows.at(-1)) === '["alan","linus"]', 'linus on top', timeout);
      await db.ref('scores/alan').remove();
      await window.until(() => JSON.stringify(windows.at(-1)) === '["grace","linus"]', 'grace back in', timeout);
      const firstTwo = (await db.ref('scores').orderByKey().limitToFirst(2).get()).keys();
      offValue(); offAdded(); offChanged(); offRemoved();
      return { windows, events, firstTwo };
    });
    assert.deepEqual(result.windows[0], ['grace', 'alan']);
    assert.deepEqual(result.windows.at(-1), ['grace', 'linus']);
    assert.deepEqual(result.events, ['added ada', 'added alan', 'added grace', 'added linus', 'changed linus=10',
      'removed alan']);
    assert.deepEqual(result.firstTwo, ['ada', 'grace']);
  });

  test('messages over 16384 characters travel as counted frames both ways', async () => {
    const ns = namespace('sdk-large');
    const big = 'x'.repeat(50000) + '\u{1F333}'.repeat(5000); // astral characters across frame boundaries
    frames.sent.length = 0;
    frames.received.length = 0;
    const result = await inPage({ ns, big }, async ({ ns, big }, timeout) => {
      const db = window.canopy.connect(location.origin, { ns, auth: 'owner' });
      (window.dbs ??= {}).large = db;
      const seen = [];
      const off = db.ref('big').onValue(s => seen.push(s.val()));
      await db.ref('big').set(big);
      await window.until(() => seen.at(-1) === big, 'the large value pushed back', timeout);
      off();
      return { ok: (await db.ref('big').get()).val() === big };
    });
    assert.ok(result.ok);
    assert.equal(await read('/big', ns), big);
    assert.ok(frames.sent.some(f => /^\d{1,6}$/.test(f) && Number(f) > 1), 'a count frame was sent');
    assert.ok(frames.received.some(f => /^\d{1,6}$/.test(f) && Number(f) > 1), 'a count frame was received');
    assert.ok(frames.sent.every(f => f.length <= 16384), 'no frame over 16384 characters');
  });

  test('after the connection drops it reconnects, listens again and catches up', async () => {
    const ns = namespace('sdk-reconnect');
    await inPage(ns, async (ns, timeout) => {
      const db = window.canopy.connect(location.origin, { ns, auth: 'owner', reconnectDelayMs: 50 });
      (window.dbs ??= {}).reconnect = db;
      window.states = [];
      db.onConnectionChange(up => window.states.push(up));
      window.values = [];
      db.ref('status').onValue(s => window.values.push(s.val()));
      await window.until(() => window.values.length === 1, 'first value', timeout);
      db.goOffline();
      await window.until(() => window.states.at(-1) === false, 'offline', timeout);
    });
    await rest('PUT', '/status', ns, 'changed while offline');
    const result = await inPage(ns, async (ns, timeout) => {
      const db = window.dbs.reconnect;
      const queued = db.ref('queued').set('sent after reconnecting'); // waits for the connection
      db.goOnline();
      await window.until(() => window.values.at(-1) === 'changed while offline', 'the missed change', timeout);
      await queued;
      const rtt = await db.ping();
      return { states: window.states, values: window.values, rtt };
    });
    assert.deepEqual(result.states, [false, true, false, true]);
    assert.deepEqual(result.values, [null, 'changed while offline']);
    assert.equal(typeof result.rtt, 'number');
    assert.equal(await read('/queued', ns), 'sent after reconnecting');
  });

  test('the rules refuse listens and writes (permission_denied) and revoke listens they no longer allow', async () => {
    const ns = namespace('sdk-rules');
    const put = async rules => {
      const response = await fetch(`${BASE}/.settings/rules.json?ns=${ns}&auth=owner`, { method: 'PUT', body: JSON.stringify(rules) });
      assert.equal(response.status, 200, await response.text());
    };
    await put({ rules: { public: { '.read': true, '.write': true } } });
    await rest('PUT', '/secret', ns, 'hidden');
    const result = await inPage(ns, async (ns, timeout) => {
      const anon = window.canopy.connect(location.origin, { ns });
      const admin = window.canopy.connect(location.origin, { ns, auth: 'owner' });
      Object.assign((window.dbs ??= {}), { anon, admin });
      const out = {};
      anon.ref('secret').onValue(() => { out.secretValue = true; }, e => { out.listenError = e.code; });
      out.writeError = await anon.ref('secret').set(1).then(() => 'accepted', e => e.code);
      await anon.ref('public/x').set(1);
      out.adminRead = (await admin.ref('secret').get()).val();
      window.publicValues = [];
      anon.ref('public').onValue(s => window.publicValues.push(s.val()), e => { window.revoked = e.code; });
      await window.until(() => out.listenError && window.publicValues.length === 1, 'listen outcomes', timeout);
      return out;
    });
    assert.deepEqual(result, { listenError: 'permission_denied', writeError: 'permission_denied', adminRead: 'hidden' });
    await put({ rules: { public: { '.read': false, '.write': true } } });
    const revoked = await page.evaluate(`window.until(() => window.revoked, 'revocation', ${TIMEOUT})`);
    assert.equal(revoked, 'permission_denied');
  });
});
