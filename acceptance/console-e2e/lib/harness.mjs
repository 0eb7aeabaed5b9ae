// Shared set-up of the console end-to-end tests: the server under test (CANOPY_URL), Chromium through
// playwright-core (the system's chromium binary; playwright never downloads a browser here), REST helpers,
// unique namespaces and screenshots.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));

/** The server under test, e.g. http://127.0.0.1:9000 (set by ConsoleIT). */
export const BASE = (process.env.CANOPY_URL ?? 'http://127.0.0.1:9000').replace(/\/$/, '');

/** Where screenshots go: acceptance/target/console-screenshots unless CANOPY_SCREENSHOT_DIR says otherwise. */
export const SHOTS = resolve(process.env.CANOPY_SCREENSHOT_DIR ?? join(HERE, '..', '..', 'target', 'console-screenshots'));

/** The chromium binary (Debian's package); CHROMIUM overrides it. */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Bounds every wait in these tests. */
export const TIMEOUT = 15000;

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A fresh page (own context: own sessionStorage) with the timeouts of these tests. Uncaught page errors are
 * collected in `page.errors` so a test can assert there were none; confirm() dialogs are accepted.
 */
export async function newPage(browser, { width = 1280, height = 800 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.errors = [];
  page.on('pageerror', e => page.errors.push(e));
  page.on('dialog', dialog => dialog.accept());
  return page;
}

let counter = 0;
/** A namespace of its own per test, so tests never see each other's data. */
export function namespace(prefix) {
  counter++;
  return `e2e-${prefix}-${Date.now().toString(36)}-${counter}`.toLowerCase().slice(0, 50);
}

/** A REST request as an admin (auth=owner) unless `auth` says otherwise; resolves to {status, body (parsed)}. */
export async function rest(method, path, ns, body, { auth = 'owner', params = {} } = {}) {
  const query = new URLSearchParams({ ns, ...params });
  if (auth) query.set('auth', auth);
  const keys = path.split('/').filter(Boolean).map(encodeURIComponent);
  const response = await fetch(`${BASE}/${keys.join('/')}.json?${query}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT),
  });
  const text = await response.text();
  let parsed = text;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch (e) {
    // not JSON
  }
  return { status: response.status, body: parsed };
}

/** The value at `path` over REST (as an admin). */
export async function read(path, ns) {
  const { status, body } = await rest('GET', path, ns);
  if (status !== 200) throw new Error(`GET ${path} in ${ns}: ${status} ${JSON.stringify(body)}`);
  return body;
}

/** Polls `check` until it returns a truthy value (then returns it) or TIMEOUT passes (then throws). */
export async function eventually(check, what = 'condition', timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${last})`);
    await new Promise(r => setTimeout(r, 50));
  }
}

export async function screenshot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  const file = join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Opens the console on `ns` and waits until the root's data arrived. */
export async function openConsole(page, ns) {
  await page.goto(`${BASE}/?ns=${ns}`);
  await page.locator('li.node[data-path="/"][data-loaded="true"]').waitFor();
  await page.locator('#status.online').waitFor();
}

/** The tree row of a path (an `li.node`). */
export function node(page, path) {
  return page.locator(`li.node[data-path="${path}"]`);
}

/** The shown value of a leaf (its JSON text). */
export function valueOf(page, path) {
  return node(page, path).locator(':scope > .row > .value');
}

/** Waits until the leaf at `path` shows `json` (JSON text). */
export async function waitForValue(page, path, json) {
  await page.waitForFunction(([p, v]) => {
    const el = document.querySelector(`li.node[data-path="${p}"] > .row > .value`);
    return el !== null && el.textContent === v;
  }, [path, json]);
}

/** Expands the node at `path` (if it is not yet) and waits for its children. */
export async function expand(page, path) {
  const li = node(page, path);
  if (!(await li.evaluate(el => el.classList.contains('expanded')))) {
    await li.locator(':scope > .row > .toggle').click();
  }
  await page.locator(`li.node[data-path="${path}"][data-loaded="true"]`).waitFor();
}
