// The official JS SDK in headless Chromium over WebSocket (the default transport): writes, listens, queries,
// transactions and onDisconnect across two pages.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBrowser, uniqueNs } from '../lib/harness.mjs';

describe('browser SDK over WebSocket', () => {
  let browser;
  before(async () => {
    browser = await startBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it('writes and reads back, and a second page sees the write live', async () => {
    const ns = uniqueNs('ws-write');
    const a = await browser.client('ws-write-a', ns);
    const b = await browser.client('ws-write-b', ns);
    await a.within('connect', 'waitConnected');
    assert.equal((await a.call('transports')).webSocket, true);
    assert.equal((await a.call('transports')).longPolling, false);
    await b.call('listen', 'room', 'rooms/r1');
    await a.within('set', 'set', 'rooms/r1', { title: 'hello', n: 1, tags: { x: true } });
    assert.deepEqual(await a.within('get', 'get', 'rooms/r1'), { title: 'hello', n: 1, tags: { x: true } });
    await b.waitEvents('room', (seen) => seen.some((e) => e.value?.title === 'hello'), 'the write on page b');
    await a.within('update', 'update', 'rooms/r1', { n: 2, 'tags/y': true });
    await b.within('wait for the update', 'waitForValue', 'rooms/r1', { n: 2, tags: { x: true, y: true }, title: 'hello' });
    await a.close();
    await b.close();
  });

  it('answers an ordered, limited query and keeps it up to date', async () => {
    const ns = uniqueNs('ws-query');
    const a = await browser.client('ws-query', ns);
    await a.within('seed', 'set', 'scores', {
      ann: { score: 10 }, bob: { score: 40 }, cat: { score: 30 }, dan: { score: 20 },
    });
    assert.deepEqual(await a.within('get query', 'get', 'scores', { orderByChild: 'score', limitToLast: 2 }),
      { bob: { score: 40 }, cat: { score: 30 } });
    await a.call('listen', 'top2', 'scores', { orderByChild: 'score', limitToLast: 2 });
    await a.waitEvents('top2', (seen) => seen.at(-1)?.keys.join() === 'cat,bob');
    await a.within('raise ann', 'set', 'scores/ann/score', 50);
    await a.waitEvents('top2', (seen) => seen.at(-1)?.keys.join() === 'bob,ann', 'ann entering the top 2');
    await a.close();
  });

  it('runs concurrent transactions from two pages without losing an increment', async () => {
    const ns = uniqueNs('ws-tx');
    const a = await browser.client('ws-tx-a', ns);
    const b = await browser.client('ws-tx-b', ns);
    await Promise.all([a.within('connect a', 'waitConnected'), b.within('connect b', 'waitConnected')]);
    const runs = [];
    for (let i = 0; i < 5; i++) {
      runs.push(a.within('tx a', 'increment', 'counter', 1), b.within('tx b', 'increment', 'counter', 10));
    }
    const results = await Promise.all(runs);
    assert.ok(results.every((r) => r.committed), JSON.stringify(results));
    assert.equal(await a.within('read counter', 'waitForValue', 'counter', 55), 55);
    await a.close();
    await b.close();
  });

  it('runs a page\'s onDisconnect writes when the page closes', async () => {
    const ns = uniqueNs('ws-ondisc');
    const a = await browser.client('ws-ondisc-a', ns);
    const b = await browser.client('ws-ondisc-b', ns);
    await a.within('online', 'set', 'presence/a', 'online');
    await a.within('onDisconnect', 'onDisconnectSet', 'presence/a', 'offline');
    await b.within('see a online', 'waitForValue', 'presence/a', 'online');
    await a.close();
    await b.within('see a offline', 'waitForValue', 'presence/a', 'offline');
    await b.close();
  });
});
