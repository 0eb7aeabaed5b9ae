// Shared helpers for the browser tests: the test page (bundled by esbuild in memory, served from a tiny local
// HTTP server), headless Debian Chromium through playwright-core, and one browser context per client (its own
// localStorage and sockets). Waits are on conditions, never sleeps.
//
// Environment: CANOPY_URL=http://127.0.0.1:PORT (required; BrowserSdkIT sets it), CHROMIUM (default
// /usr/bin/chromium), CANOPY_BROWSER_LOG_DIR (optional: each client's SDK log is written there when a test fails
// or the client closes).
import { createServer } from 'node:http';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

if (!process.env.CANOPY_URL) {
  throw new Error('CANOPY_URL is not set: run these tests through BrowserSdkIT (mvn verify), or set it to a running server');
}
export const CANOPY_URL = process.env.CANOPY_URL.replace(/\/$/, '');
const gateway = new URL(CANOPY_URL);
export const HOST = gateway.hostname;
export const PORT = Number(gateway.port);
export const TIMEOUT_MS = 20_000;
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const LOG_DIR = process.env.CANOPY_BROWSER_LOG_DIR;

let counter = 0;

/** A unique namespace per test. */
export function uniqueNs(prefix) {
  return `${prefix}-${process.pid}-${Date.now() % 1_000_000}-${++counter}`.toLowerCase();
}

/** Bundles src/page.mjs (the SDK included) in memory. */
async function bundle() {
  const result = await build({
    entryPoints: [join(ROOT, 'src', 'page.mjs')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'error',
  });
  return result.outputFiles[0].text;
}

const PAGE = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>canopy browser test</title></head>
<body><script type="module" src="/page.js"></script></body></html>
`;

/**
 * Starts the page server and Chromium. Returns { client(name, options), close() }; call close() in after().
 */
export async function startBrowser() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (.ci/run does), or set CHROMIUM`);
  }
  const script = await bundle();
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://localhost').pathname;
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(PAGE);
    } else if (path === '/page.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(script);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const pageUrl = `http://127.0.0.1:${server.address().port}/index.html`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    timeout: 60_000,
  });
  const clients = [];

  /**
   * A new client: its own browser context and page, with the SDK started on namespace ns.
   * options.previousWebSocketFailure: the SDK finds firebase:previous_websocket_failure in localStorage, as after
   *   a failed WebSocket, so it starts with long-polling.
   * options.failFirstWebSocket: the first WebSocket the page opens to the gateway is closed at once (Playwright
   *   routing); later ones go through.
   * options.noWebSocket: the page has no WebSocket at all (long-polling only, never upgraded).
   */
  async function client(name, ns, options = {}) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const consoleLines = [];
    page.on('console', (m) => consoleLines.push(`[console.${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.stack || e}`));
    if (options.noWebSocket) {
      await page.addInitScript(() => {
        if (window === window.top) {
          delete window.WebSocket;
          window.WebSocket = undefined;
        }
      });
    }
    let blocked = 0;
    if (options.failFirstWebSocket) {
      await page.routeWebSocket(
        (url) => url.pathname === '/.ws' && blocked === 0,
        (ws) => {
          blocked++;
          ws.close({ code: 1011, reason: 'blocked by the test' });
        },
      );
    }
    await page.goto(pageUrl);
    await page.waitForFunction(() => window.canopy !== undefined);
    if (options.previousWebSocketFailure) {
      await page.evaluate(() => localStorage.setItem('firebase:previous_websocket_failure', 'true'));
    }
    await page.evaluate(({ host, port, ns }) => window.canopy.start({ host, port, ns }), { host: HOST, port: PORT, ns });
    const c = {
      name,
      page,
      context,
      blockedWebSockets: () => blocked,
      /** Calls window.canopy[method](...args) in the page. */
      call: (method, ...args) =>
        page.evaluate(({ method, args }) => window.canopy[method](...args), { method, args }),
      /** Like call, failing after TIMEOUT_MS with the client's SDK log in the message. */
      async within(what, method, ...args) {
        let timer;
        const timeout = new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`${name}: ${what} timed out after ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
        });
        try {
          return await Promise.race([c.call(method, ...args), timeout]);
        } catch (e) {
          e.message += `\n${await c.dump().catch(() => '(no log)')}`;
          throw e;
        } finally {
          clearTimeout(timer);
        }
      },
      /** Polls fn(events of id) until it returns a truthy value. */
      async waitEvents(id, predicate, what = `events of ${id}`) {
        const deadline = Date.now() + TIMEOUT_MS;
        for (;;) {
          const seen = await c.call('events', id);
          const result = predicate(seen);
          if (result) return result;
          if (Date.now() > deadline) {
            throw new Error(`${name}: ${what}: not seen in ${TIMEOUT_MS} ms; saw ${JSON.stringify(seen)}\n${await c.dump()}`);
          }
          await page.waitForTimeout(25); // a poll interval of the condition check, not a wait for an event
        }
      },
      async dump() {
        const log = page.isClosed() ? [] : await c.call('log');
        const text = [...consoleLines, ...log].join('\n');
        if (LOG_DIR) {
          mkdirSync(LOG_DIR, { recursive: true });
          writeFileSync(join(LOG_DIR, `${name}.log`), text);
        }
        return `SDK log of ${name} (last 40 lines):\n${[...consoleLines, ...log].slice(-40).join('\n')}`;
      },
      /** Closes the page (as a user closing the tab: unload handlers run) and its context. */
      async close() {
        if (!page.isClosed()) {
          await c.dump().catch(() => {});
          await page.close({ runBeforeUnload: false });
        }
        await context.close();
      },
    };
    clients.push(c);
    return c;
  }

  async function close() {
    for (const c of clients.splice(0)) {
      await c.close().catch(() => {});
    }
    await browser.close().catch(() => {});
    await new Promise((resolve) => server.close(resolve));
  }

  return { client, close, pageUrl };
}
