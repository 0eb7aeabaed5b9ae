// The official JS SDK in headless Chromium when its WebSocket failed before: it connects with long-polling
// (/.lp), then switches to WebSocket; and with no WebSocket at all, it keeps working over long-polling alone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBrowser, uniqueNs } from '../lib/harness.mjs';

describe('browser SDK after a WebSocket failure (long-polling)', () => {
  let browser;
  before(async () => {
    browser = await startBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it('falls back to long-polling when the first WebSocket fails, then switches back to WebSocket', async () => {
    const ns = uniqueNs('lp-fallback');
    const a = await browser.client('lp-fallback-a', ns, { failFirstWebSocket: true });
    const b = await browser.client('lp-fallback-b', ns);
    await b.call('listen', 'msgs', 'msgs');
    await a.within('connect', 'waitConnected');
    assert.equal(a.blockedWebSockets(), 1, 'the first WebSocket was failed by the test');
    await a.within('write', 'set', 'msgs/m1', { text: 'first', by: 'a' });
    await b.waitEvents('msgs', (seen) => seen.at(-1)?.value?.m1?.text === 'first', 'a\'s write');
    // the SDK's long-polling transport was used, and upgraded to a WebSocket it then marks healthy
    await a.within('upgrade', 'waitForValue', 'msgs/m1/text', 'first');
    await waitFor(async () => (await a.call('transports')).upgraded, a, 'the switch to WebSocket');
    const t = await a.call('transports');
    assert.equal(t.longPolling, true, JSON.stringify(t));
    assert.equal(await a.page.evaluate(() => localStorage.getItem('firebase:previous_websocket_failure')), null);
    // it all keeps working after the switch, both ways
    await a.call('listen', 'seen-by-a', 'msgs');
    await b.within('write from b', 'set', 'msgs/m2', { text: 'second', by: 'b' });
    await a.waitEvents('seen-by-a', (seen) => seen.at(-1)?.value?.m2?.text === 'second', 'b\'s write on a');
    await a.within('write after switch', 'set', 'msgs/m3', { text: 'third', by: 'a' });
    await b.waitEvents('msgs', (seen) => seen.at(-1)?.value?.m3?.text === 'third', 'a\'s write after the switch');
    assert.deepEqual(await a.within('tx', 'increment', 'count', 2), { committed: true, value: 2 });
    await a.within('onDisconnect', 'onDisconnectSet', 'presence/a', 'gone');
    await a.close();
    await b.within('a\'s onDisconnect after the switch', 'waitForValue', 'presence/a', 'gone');
    await b.close();
  });

  it('starts with long-polling when localStorage remembers a WebSocket failure', async () => {
    const ns = uniqueNs('lp-flag');
    const a = await browser.client('lp-flag-a', ns, { previousWebSocketFailure: true });
    const b = await browser.client('lp-flag-b', ns);
    // a listen made over long-polling keeps delivering across the switch
    await a.call('listenChildAdded', 'feed', 'feed');
    await a.within('connect', 'waitConnected');
    await b.within('write 1', 'push', 'feed', { n: 1 });
    await a.waitEvents('feed', (seen) => seen.length === 1, 'the first child');
    await waitFor(async () => (await a.call('transports')).upgraded, a, 'the switch to WebSocket');
    const t = await a.call('transports');
    assert.equal(t.longPolling, true, JSON.stringify(t));
    for (let i = 2; i <= 5; i++) {
      await b.within(`write ${i}`, 'push', 'feed', { n: i });
    }
    await a.waitEvents('feed', (seen) => seen.length === 5, 'five children');
    assert.deepEqual((await a.call('events', 'feed')).map((e) => e.value.n), [1, 2, 3, 4, 5]);
    await a.within('write', 'set', 'x', 1);
    assert.equal(await a.within('read', 'get', 'x'), 1);
    await a.close();
    await b.close();
  });

  it('keeps working over long-polling alone: writes, listens, queries, transactions, onDisconnect', async () => {
    const ns = uniqueNs('lp-only');
    const a = await browser.client('lp-only-a', ns, { noWebSocket: true });
    const b = await browser.client('lp-only-b', ns, { noWebSocket: true });
    await Promise.all([a.within('connect a', 'waitConnected'), b.within('connect b', 'waitConnected')]);
    for (const c of [a, b]) {
      const t = await c.call('transports');
      assert.deepEqual([t.longPolling, t.webSocket, t.upgraded], [true, false, false], JSON.stringify(t));
    }
    // listens and writes both ways
    await b.call('listen', 'chat', 'chat');
    await a.call('listen', 'chat', 'chat');
    await a.within('write a', 'set', 'chat/1', { text: 'from a' });
    await b.waitEvents('chat', (seen) => seen.at(-1)?.value?.['1']?.text === 'from a', 'a\'s message on b');
    await b.within('write b', 'set', 'chat/2', { text: 'from b' });
    await a.waitEvents('chat', (seen) => seen.at(-1)?.value?.['2']?.text === 'from b', 'b\'s message on a');
    // a message longer than one long-polling request (several base64 segments)
    const big = 'x'.repeat(20_000) + '€ü✓';
    await a.within('big write', 'set', 'big', { text: big });
    assert.equal((await b.within('big read', 'waitForValue', 'big', { text: big })).text.length, big.length);
    // queries
    await a.within('seed', 'set', 'scores', { ann: { s: 1 }, bob: { s: 3 }, cat: { s: 2 } });
    assert.deepEqual(await b.within('query', 'get', 'scores', { orderByChild: 's', limitToLast: 1 }), { bob: { s: 3 } });
    // transactions racing from both pages
    const runs = [];
    for (let i = 0; i < 3; i++) {
      runs.push(a.within('tx a', 'increment', 'n', 1), b.within('tx b', 'increment', 'n', 100));
    }
    assert.ok((await Promise.all(runs)).every((r) => r.committed));
    assert.equal(await a.within('read n', 'waitForValue', 'n', 303), 303);
    // onDisconnect when the page closes
    await a.within('online', 'set', 'presence/a', 'online');
    await a.within('onDisconnect', 'onDisconnectSet', 'presence/a', 'offline');
    await b.within('a online', 'waitForValue', 'presence/a', 'online');
    await a.close();
    await b.within('a offline', 'waitForValue', 'presence/a', 'offline');
    await b.close();
  });

  it('ends a long-polling session at once when the SDK goes offline (its disconnect frame)', async () => {
    const ns = uniqueNs('lp-offline');
    const a = await browser.client('lp-offline-a', ns, { noWebSocket: true });
    const b = await browser.client('lp-offline-b', ns);
    await a.within('online', 'set', 'status', 'online');
    await a.within('onDisconnect', 'onDisconnectSet', 'status', 'offline');
    await b.within('see online', 'waitForValue', 'status', 'online');
    const started = Date.now();
    await a.call('goOffline');
    await b.within('see offline', 'waitForValue', 'status', 'offline');
    // the beacon, not the server's timeout for a silent session (60 s), ended it
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    await a.close();
    await b.close();
  });
});

/** Re-checks an async condition in the page's time until it holds (TIMEOUT_MS at most). */
async function waitFor(condition, client, what) {
  const deadline = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached in 20 s\n${await client.dump()}`);
    await client.page.waitForTimeout(50);
  }
}
