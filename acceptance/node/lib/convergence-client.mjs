// N official-SDK clients for ConvergenceIT (started by it as a child process; not a test file itself).
//
//   CANOPY_URL=http://127.0.0.1:PORT node lib/convergence-client.mjs --ns NS --clients 3 --prefix js --seed 42
//
// Line protocol, one JSON object per line. stdout: {"type":"ready"} once every client has its first root value;
// {"type":"done","clients":[...]} when the op loops end; {"type":"report","clients":[...]} per report command.
// stdin: {"cmd":"start","durationMs":30000} | {"cmd":"report"} | {"cmd":"exit"}.
// Every write carries seq "<clientId>-<n>"; each client logs the distinct seq values it observes at /hot.
import { createInterface } from 'node:readline';
import { onValue, ref, remove, runTransaction, set, update } from 'firebase/database';
import { closeAll, newDb, within, wireLog } from './canopy.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) => {
  if (a.startsWith('--')) pairs.push([a.slice(2), all[i + 1]]);
  return pairs;
}, []));
const ns = args.ns;
const count = Number(args.clients ?? 3);
const prefix = args.prefix ?? 'js';
let seed = Number(args.seed ?? Date.now()) >>> 0;

if (process.env.CANOPY_WIRE_LOG_DIR) wireLog(new URL('file:///convergence-client.mjs'));

function random() { // mulberry32: reproducible with --seed
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (n) => Math.floor(random() * n);
const OPS = [['setItem', 25], ['updateMulti', 20], ['setHot', 15], ['removeItem', 10], ['txCounter', 15],
  ['txHot', 13], ['removeItems', 2]];
const TOTAL = OPS.reduce((s, [, w]) => s + w, 0);
function pickOp() {
  let r = pick(TOTAL);
  for (const [op, w] of OPS) {
    if (r < w) return op;
    r -= w;
  }
  return OPS[0][0];
}

const out = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');

const clients = [];
for (let i = 0; i < count; i++) {
  const id = `${prefix}${i}`;
  const db = newDb(ns);
  const c = { id, db, tree: null, hotSeqs: [], ops: 0, committedCounter: 0, errors: [], n: 0, hasRoot: false };
  onValue(ref(db), (snap) => {
    c.tree = snap.val();
    c.hasRoot = true;
    maybeReady();
  }, (e) => c.errors.push(`root listener cancelled: ${e.message}`));
  onValue(ref(db, 'hot'), (snap) => {
    const seq = snap.val()?.seq;
    if (seq != null && c.hotSeqs[c.hotSeqs.length - 1] !== seq) c.hotSeqs.push(seq);
  }, (e) => c.errors.push(`hot listener cancelled: ${e.message}`));
  clients.push(c);
}

let readySent = false;
function maybeReady() {
  if (!readySent && clients.every((c) => c.hasRoot)) {
    readySent = true;
    out({ type: 'ready' });
  }
}

async function runOp(c) {
  const seq = `${c.id}-${++c.n}`;
  const k = `k${pick(8)}`;
  const op = pickOp();
  const v = pick(1000);
  switch (op) {
    case 'setItem':
      return within(set(ref(c.db, `items/${k}`), { seq, v, by: c.id }), `${seq} set items/${k}`, 30_000);
    case 'updateMulti': {
      const k2 = `k${pick(8)}`;
      const upd = { [`items/${k}/seq`]: seq, [`items/${k}/v`]: v, 'hot/seq': seq, 'hot/by': c.id };
      if (k2 !== k) upd[`items/${k2}/v`] = v + 1;
      return within(update(ref(c.db), upd), `${seq} update /`, 30_000);
    }
    case 'setHot':
      return within(set(ref(c.db, 'hot'), { seq, by: c.id, n: v }), `${seq} set hot`, 30_000);
    case 'removeItem':
      return within(remove(ref(c.db, `items/${k}`)), `${seq} remove items/${k}`, 30_000);
    case 'removeItems':
      return within(remove(ref(c.db, 'items')), `${seq} remove items`, 30_000);
    case 'txCounter':
    case 'txHot': {
      const path = op === 'txCounter' ? 'counter' : 'hot';
      const fn = op === 'txCounter'
        ? (n) => (typeof n === 'number' ? n : 0) + 1
        : (h) => ({ seq, by: c.id, n: ((h && typeof h.n === 'number') ? h.n : 0) + 1 });
      try {
        const r = await within(runTransaction(ref(c.db, path), fn, { applyLocally: false }), `${seq} transaction ${path}`, 30_000);
        if (r.committed && op === 'txCounter') c.committedCounter++;
      } catch (e) {
        if (!String(e.message).includes('maxretry')) throw e;
        c.maxretries = (c.maxretries ?? 0) + 1;
      }
      return undefined;
    }
    default:
      throw new Error(op);
  }
}

async function loop(c, deadline) {
  while (Date.now() < deadline) {
    try {
      await runOp(c);
      c.ops++;
    } catch (e) {
      c.errors.push(String(e.message ?? e));
      if (c.errors.length > 20) return;
    }
  }
}

const summary = (withTrees) => clients.map((c) => ({
  id: c.id,
  ops: c.ops,
  committedCounter: c.committedCounter,
  maxretries: c.maxretries ?? 0,
  errors: c.errors,
  ...(withTrees ? { tree: c.tree, hotSeqs: c.hotSeqs } : {}),
}));

const rl = createInterface({ input: process.stdin });
rl.on('line', async (line) => {
  const cmd = JSON.parse(line);
  if (cmd.cmd === 'start') {
    const deadline = Date.now() + Number(cmd.durationMs);
    await Promise.all(clients.map((c) => loop(c, deadline)));
    out({ type: 'done', clients: summary(false) });
  } else if (cmd.cmd === 'report') {
    out({ type: 'report', clients: summary(true) });
  } else if (cmd.cmd === 'exit') {
    rl.close();
    await closeAll();
    process.exit(0);
  }
});
rl.on('close', () => {
  closeAll().finally(() => process.exit(0));
});
