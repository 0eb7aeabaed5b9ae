// The data console served at / by the gateway, driven in Chromium against canopy-server.jar.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  BASE, eventually, expand, launch, namespace, newPage, node, openConsole, read, rest, screenshot, valueOf,
  waitForValue,
} from '../lib/harness.mjs';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

async function withPage(fn, options) {
  const page = await newPage(browser, options);
  try {
    await fn(page);
    assert.deepEqual(page.errors.map(String), [], 'uncaught errors in the page');
  } finally {
    await page.context().close();
  }
}

describe('console', () => {
  test('serves the page, its files and the SDK with their content types', async () => {
    for (const [path, type] of [['/', 'text/html'], ['/console/console.js', 'text/javascript'],
      ['/console/console.css', 'text/css'], ['/sdk/canopy.js', 'text/javascript']]) {
      const response = await fetch(BASE + path);
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get('content-type'), new RegExp(`^${type}`), path);
    }
  });

  test('a value written over REST appears live in the tree and updates in place', async () => {
    const ns = namespace('live');
    await withPage(async page => {
      await openConsole(page, ns);
      await rest('PUT', '/greeting', ns, 'hello');
      await waitForValue(page, '/greeting', '"hello"');
      const row = node(page, '/greeting');
      const before = await row.elementHandle();

      await rest('PUT', '/greeting', ns, 'world');
      await waitForValue(page, '/greeting', '"world"');
      assert.ok(await before.evaluate(el => el.isConnected), 'the row is updated in place, not re-created');
      assert.ok(await row.locator(':scope > .row').evaluate(el => el.classList.contains('flash')),
        'a changed value is highlighted');

      await rest('PATCH', '/', ns, { counter: 1, 'nested/deep': true });
      await waitForValue(page, '/counter', '1');
      await expand(page, '/nested');
      await waitForValue(page, '/nested/deep', 'true');
      await rest('PUT', '/nested/deep', ns, false);
      await waitForValue(page, '/nested/deep', 'false');
      await rest('DELETE', '/greeting', ns);
      await node(page, '/greeting').waitFor({ state: 'detached' });
      await screenshot(page, 'live-updates');
    });
  });

  test('a value edited in the console is read back over REST', async () => {
    const ns = namespace('edit');
    await rest('PUT', '/users', ns, { ada: { name: 'Ada Lovelace', born: 1815 } });
    await withPage(async page => {
      await openConsole(page, ns);
      await expand(page, '/users');
      await expand(page, '/users/ada');
      await waitForValue(page, '/users/ada/born', '1815');

      await valueOf(page, '/users/ada/born').dblclick();
      const editor = node(page, '/users/ada/born').locator('textarea.editor');
      await editor.fill('1816');
      await editor.press('Enter');
      await waitForValue(page, '/users/ada/born', '1816');
      assert.equal(await read('/users/ada/born', ns), 1816);

      // an object edited as JSON, through the edit button
      await node(page, '/users/ada').locator(':scope > .row .edit').click();
      const objectEditor = node(page, '/users/ada').locator(':scope > .row textarea.editor');
      await objectEditor.fill('{"name": "Ada", "langs": ["en", "fr"]}');
      await node(page, '/users/ada').locator(':scope > .row .save').click();
      await eventually(async () => JSON.stringify(await read('/users/ada', ns)) === '{"langs":["en","fr"],"name":"Ada"}',
        'the edited object over REST');
      await waitForValue(page, '/users/ada/name', '"Ada"');

      // plain text that is not JSON is stored as a string
      await valueOf(page, '/users/ada/name').dblclick();
      await node(page, '/users/ada/name').locator('textarea.editor').fill('Countess of Lovelace');
      await node(page, '/users/ada/name').locator('textarea.editor').press('Enter');
      await eventually(async () => (await read('/users/ada/name', ns)) === 'Countess of Lovelace', 'the string');
    });
  });

  test('children are added and deleted in the console', async () => {
    const ns = namespace('add');
    await withPage(async page => {
      await openConsole(page, ns);
      await page.locator('li.node[data-path="/"] > .row .add').click();
      await page.locator('.add-form .new-key').fill('todo');
      await page.locator('.add-form .new-value').fill('{"title": "write tests", "done": false}');
      await page.locator('.add-form button[type="submit"]').click();
      await waitForValue(page, '/todo', '{2}'); // an object shows its number of children
      assert.deepEqual(await read('/todo', ns), { done: false, title: 'write tests' });

      // an empty key makes a push id
      await node(page, '/todo').locator(':scope > .row .add').click();
      await node(page, '/todo').locator('.add-form .new-value').fill('"a pushed child"');
      await node(page, '/todo').locator('.add-form button[type="submit"]').click();
      const pushed = await eventually(async () => {
        const todo = await read('/todo', ns);
        return Object.keys(todo).find(k => k.length === 20 && k.startsWith('-'));
      }, 'a push id child');
      await waitForValue(page, `/todo/${pushed}`, '"a pushed child"');

      await node(page, '/todo').locator(':scope > .row .delete').click(); // confirm() is accepted
      await node(page, '/todo').waitFor({ state: 'detached' });
      assert.equal(await read('/todo', ns), null);
    });
  });

  test('long child lists are paged', async () => {
    const ns = namespace('paging');
    const items = {};
    for (let i = 0; i < 120; i++) items[`item${String(i).padStart(3, '0')}`] = i;
    await rest('PUT', '/list', ns, items);
    await withPage(async page => {
      await openConsole(page, ns);
      await expand(page, '/list');
      const rows = page.locator('li.node[data-path="/list"] > .children > li.node');
      const more = page.locator('li.node[data-path="/list"] > .more');
      await eventually(async () => (await rows.count()) === 50, '50 rows');
      assert.ok(await more.isVisible());
      await more.click();
      await eventually(async () => (await rows.count()) === 100, '100 rows');
      await more.click();
      await eventually(async () => (await rows.count()) === 120, '120 rows');
      assert.ok(await more.isHidden());
      // rows are in key order, and a live change inside the list still shows
      assert.equal(await rows.first().getAttribute('data-key'), 'item000');
      assert.equal(await rows.last().getAttribute('data-key'), 'item119');
      await rest('PUT', '/list/item119', ns, 'last');
      await waitForValue(page, '/list/item119', '"last"');
    });
  });

  test('JSON is imported at a path and exported as a download', async () => {
    const ns = namespace('io');
    const data = { rooms: { lobby: { topic: 'hi', members: { ada: true, alan: true } } }, version: 3 };
    await withPage(async page => {
      await openConsole(page, ns);
      await page.locator('#io-path').fill('/imported');
      await page.locator('#import-text').fill(JSON.stringify(data));
      await page.locator('#import-btn').click();
      await page.locator('#io-result.ok').waitFor();
      assert.deepEqual(await read('/imported', ns), data);
      await waitForValue(page, '/imported', '{2}');

      await page.locator('#import-text').fill('{"not json');
      await page.locator('#import-btn').click();
      await page.locator('#io-result.error').waitFor();
      assert.deepEqual(await read('/imported', ns), data, 'a bad document changes nothing');

      // the file picker fills the text area
      await page.locator('#import-file').setInputFiles({ name: 'small.json', mimeType: 'application/json',
        buffer: Buffer.from('{"from":"file"}') });
      await eventually(async () => (await page.locator('#import-text').inputValue()) === '{"from":"file"}', 'file text');
      await page.locator('#io-path').fill('/fromfile');
      await page.locator('#import-btn').click();
      await eventually(async () => JSON.stringify(await read('/fromfile', ns)) === '{"from":"file"}', 'file import');

      await page.locator('#io-path').fill('/imported');
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-btn').click()]);
      assert.equal(download.suggestedFilename(), `${ns}-imported.json`);
      const file = await download.path();
      assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), data);
    });
  });

  test('the rules editor saves rules and shows the error of a bad document', async () => {
    const ns = namespace('rules');
    await withPage(async page => {
      await openConsole(page, ns);
      await eventually(async () => (await page.locator('#rules-text').inputValue()).includes('rules'), 'rules loaded');
      const rules = '{\n  "rules": {\n    ".read": true,\n    "open": { ".write": true }\n  }\n}';
      await page.locator('#rules-text').fill(rules);
      await page.locator('#rules-save').click();
      await page.locator('#rules-result.ok').waitFor();
      await eventually(async () => (await rest('PUT', '/locked', ns, 1, { auth: null })).status === 401,
        'the new rules refuse an unauthenticated write to /locked');
      assert.equal((await rest('PUT', '/open', ns, 1, { auth: null })).status, 200);

      await page.locator('#rules-text').fill('{\n  "rules": {\n    ".read": "auth != ",\n  }\n}');
      await page.locator('#rules-save').click();
      await page.locator('#rules-result.error').waitFor();
      const message = await page.locator('#rules-result').textContent();
      assert.match(message, /line \d+/i, message);
      await screenshot(page, 'rules-error');

      await page.locator('#rules-load').click();
      await eventually(async () => (await page.locator('#rules-text').inputValue()) === rules, 'the old rules stay');
    });
  });

  test('the server panel shows connected clients and writes per second', async () => {
    const ns = namespace('metrics');
    await withPage(async page => {
      await openConsole(page, ns);
      await eventually(async () => Number(await page.locator('#m-clients').textContent()) >= 1, 'clients ≥ 1');
      let i = 0;
      const seen = await eventually(async () => {
        await rest('PUT', `/tick/${i++ % 5}`, ns, i);
        return Number(await page.locator('#m-writes').textContent()) > 0;
      }, 'writes/s > 0');
      assert.ok(seen);
      await eventually(async () => /ms/.test(await page.locator('#m-rtt').textContent()), 'an RTT');
    });
  });

  test('screenshot of the console with sample data', async () => {
    const ns = 'demo'; // the whole tree is replaced below, so a re-run against the same server looks the same
    await rest('PUT', '/', ns, {
      rooms: {
        lobby: { topic: 'Welcome to Canopy', members: { ada: true, grace: true, alan: true }, created: 1732300000000 },
        random: { topic: 'anything goes', members: { linus: true } },
      },
      users: {
        ada: { name: 'Ada Lovelace', born: 1815, online: true },
        grace: { name: 'Grace Hopper', born: 1906, online: false },
        alan: { name: 'Alan Turing', born: 1912, online: true },
      },
      counters: { visits: 1024, likes: 42 },
    });
    await withPage(async page => {
      await openConsole(page, ns);
      await expand(page, '/rooms');
      await expand(page, '/rooms/lobby');
      await expand(page, '/users');
      await expand(page, '/users/ada');
      await expand(page, '/counters');
      // some traffic for the server panel, and one live change caught mid-highlight
      // (the chart needs a few one-second samples)
      let visits = 1024;
      await eventually(async () => {
        await rest('PUT', '/counters/visits', ns, ++visits);
        return (await page.evaluate(() => document.querySelectorAll('#m-chart').length)) === 1
          && Number(await page.locator('#m-writes').textContent()) > 0
          && visits > 1024 + 60;
      }, 'writes/s shown');
      await waitForValue(page, '/counters/visits', String(visits));
      await rest('PUT', '/users/ada/online', ns, false);
      await waitForValue(page, '/users/ada/online', 'false');
      const file = await screenshot(page, 'console');
      if (process.env.CANOPY_DOCS_IMAGE) {
        mkdirSync(dirname(process.env.CANOPY_DOCS_IMAGE), { recursive: true });
        copyFileSync(file, process.env.CANOPY_DOCS_IMAGE);
      }
    }, { width: 1280, height: 860 });
  });
});
