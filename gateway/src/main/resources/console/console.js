// The Canopy data console. Plain ES modules, no build step: it talks to the gateway like any client does,
// through /sdk/canopy.js (the realtime tree), REST (import, export, rules) and /.metrics.json (the server panel).
import { connect, compareKeys } from '/sdk/canopy.js';

const PAGE = 50; // children shown per page of a node
const CRED_KEY = 'canopy.console.credential';
const $ = id => document.getElementById(id);

const state = {
  db: null,
  ns: null,
  credential: '',
  root: null,
  selected: '/',
};

// --------------------------------------------------------------------------------------------------------------
// Helpers

function pathOf(keys) {
  return '/' + keys.join('/');
}

function restUrl(path, params = {}) {
  const keys = path.split('/').filter(Boolean);
  const query = new URLSearchParams({ ns: state.ns, ...params });
  return `/${keys.map(encodeURIComponent).join('/')}.json?${query}`;
}

function authHeaders(extra = {}) {
  return state.credential ? { ...extra, Authorization: `Bearer ${state.credential}` } : extra;
}

async function rest(method, path, { body, params, headers } = {}) {
  const response = await fetch(restUrl(path, params), { method, body, headers: authHeaders(headers) });
  const text = await response.text();
  if (!response.ok) {
    let message = text;
    try {
      message = JSON.parse(text).error ?? text;
    } catch (e) {
      // not JSON: keep the text
    }
    throw new Error(`${response.status}: ${message}`);
  }
  return text;
}

/** Editor text → value: JSON if it parses, else the text as a string (like typing into Firebase's console). */
function parseInput(text) {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  try {
    return JSON.parse(trimmed);
  } catch (e) {
    return text;
  }
}

function isObject(v) {
  return v !== null && typeof v === 'object';
}

function sameValue(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function flash(el) {
  el.classList.remove('flash');
  void el.offsetWidth; // restart the animation
  el.classList.add('flash');
}

let toastTimer = null;
function toast(message, kind = 'error') {
  const el = $('toast');
  el.textContent = message;
  el.className = `toast ${kind}`;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 6000);
}

function button(cls, label, title) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = cls;
  b.textContent = label;
  b.title = title;
  b.setAttribute('aria-label', title);
  return b;
}

// --------------------------------------------------------------------------------------------------------------
// The tree: one TreeNode per shown location; an expanded node holds one listen (its first `limit` children by key)

class TreeNode {
  constructor(keys, parent) {
    this.keys = keys;
    this.path = pathOf(keys);
    this.parent = parent;
    this.value = undefined; // as last seen in the parent's data (the root: its own)
    this.expanded = false;
    this.limit = PAGE;
    this.off = null;
    this.children = new Map(); // key → TreeNode
    this.loaded = false;

    const li = document.createElement('li');
    li.className = 'node';
    li.dataset.path = this.path;
    li.dataset.key = keys.length ? keys[keys.length - 1] : '';
    li.setAttribute('role', 'treeitem');
    const row = document.createElement('div');
    row.className = 'row';
    this.toggle = button('toggle', '▸', 'Expand');
    this.toggle.addEventListener('click', () => (this.expanded ? this.collapse() : this.expand()));
    this.keyEl = document.createElement('span');
    this.keyEl.className = 'key';
    this.keyEl.textContent = keys.length ? keys[keys.length - 1] : `${state.ns} /`;
    this.keyEl.title = this.path;
    this.keyEl.addEventListener('click', () => select(this));
    this.valueEl = document.createElement('span');
    this.valueEl.className = 'value';
    this.valueEl.addEventListener('dblclick', () => this.edit());
    const actions = document.createElement('span');
    actions.className = 'actions';
    const add = button('add', '+', 'Add child');
    add.addEventListener('click', () => this.showAddForm());
    actions.append(add);
    if (keys.length) {
      const edit = button('edit', '✎', 'Edit value');
      edit.addEventListener('click', () => this.edit());
      const del = button('delete', '✕', 'Delete');
      del.addEventListener('click', () => this.remove());
      actions.append(edit, del);
    }
    row.append(this.toggle, this.keyEl, this.valueEl, actions);
    this.row = row;
    this.list = document.createElement('ul');
    this.list.className = 'children';
    this.list.setAttribute('role', 'group');
    this.more = button('more', '', 'Show more children');
    this.more.hidden = true;
    this.more.addEventListener('click', () => this.showMore());
    li.append(row, this.list, this.more);
    this.el = li;
  }

  get ref() {
    return state.db.ref(this.path);
  }

  /** The value at this node as the parent's data has it; `isNew`: the child appeared after the first load. */
  update(value, isNew) {
    const first = this.value === undefined;
    const changed = !first && !sameValue(this.value, value);
    this.value = value;
    if (isObject(value)) {
      const n = Object.keys(value).length;
      this.valueEl.textContent = `{${n}}`;
      this.valueEl.className = 'value object';
      this.valueEl.title = `${n} ${n === 1 ? 'child' : 'children'}`;
      delete this.valueEl.dataset.json;
      this.toggle.classList.remove('leaf');
    } else {
      this.valueEl.textContent = JSON.stringify(value);
      this.valueEl.className = `value ${value === null ? 'null' : typeof value}`;
      this.valueEl.title = 'Double-click to edit';
      this.valueEl.dataset.json = JSON.stringify(value);
      this.toggle.classList.add('leaf');
      if (this.expanded && this.keys.length) this.collapse();
    }
    if (this.keys.length && (changed || isNew)) flash(this.row);
  }

  expand() {
    if (this.expanded) return;
    this.expanded = true;
    this.el.classList.add('expanded');
    this.toggle.textContent = '▾';
    this.toggle.title = 'Collapse';
    this.toggle.setAttribute('aria-label', 'Collapse');
    this.el.setAttribute('aria-expanded', 'true');
    this.listen();
  }

  collapse() {
    this.expanded = false;
    this.el.classList.remove('expanded');
    this.toggle.textContent = '▸';
    this.toggle.title = 'Expand';
    this.toggle.setAttribute('aria-label', 'Expand');
    this.el.setAttribute('aria-expanded', 'false');
    this.stop();
    for (const child of this.children.values()) child.dispose();
    this.children.clear();
    this.list.replaceChildren();
    this.more.hidden = true;
    this.loaded = false;
    this.limit = PAGE;
  }

  listen() {
    const previous = this.off;
    // One more than the page shows, to know whether there are more.
    this.off = this.ref.orderByKey().limitToFirst(this.limit + 1)
      .onValue(snap => this.render(snap), error => {
        toast(`Listening at ${this.path} failed: ${error.message}`);
        this.collapse();
      });
    if (previous) previous(); // after the new listen is in place, so the view never empties meanwhile
  }

  stop() {
    if (this.off) this.off();
    this.off = null;
  }

  dispose() {
    this.stop();
    for (const child of this.children.values()) child.dispose();
  }

  showMore() {
    this.limit += PAGE;
    this.listen();
  }

  render(snap) {
    const value = snap.val();
    if (!this.keys.length) this.update(value, false);
    const keys = isObject(value) ? Object.keys(value).sort(compareKeys) : [];
    const shown = keys.slice(0, this.limit);
    const keep = new Set(shown);
    for (const [key, child] of this.children) {
      if (!keep.has(key)) {
        child.dispose();
        child.el.remove();
        this.children.delete(key);
      }
    }
    let before = this.list.firstChild;
    for (const key of shown) {
      let child = this.children.get(key);
      const isNew = !child;
      if (isNew) {
        child = new TreeNode([...this.keys, key], this);
        this.children.set(key, child);
      }
      if (child.el !== before) {
        this.list.insertBefore(child.el, before);
      } else {
        before = before.nextSibling;
      }
      child.update(value[key], isNew && this.loaded);
    }
    this.more.hidden = keys.length <= this.limit;
    this.more.textContent = `Show ${PAGE} more…`;
    this.el.classList.toggle('empty', keys.length === 0);
    if (!this.keys.length && keys.length === 0) {
      this.list.replaceChildren(emptyNote());
    } else {
      this.list.querySelector(':scope > .empty-note')?.remove();
    }
    this.loaded = true;
    this.el.dataset.loaded = 'true';
  }

  edit() {
    if (!this.keys.length || this.row.querySelector('.editor')) return;
    const input = document.createElement('textarea');
    input.className = 'editor';
    input.rows = isObject(this.value) ? 4 : 1;
    input.value = isObject(this.value) ? JSON.stringify(this.value, null, 2) : JSON.stringify(this.value);
    input.setAttribute('aria-label', `New value of ${this.path}`);
    const save = button('save', 'Save', 'Save value');
    const cancel = button('cancel', 'Cancel', 'Cancel editing');
    const box = document.createElement('span');
    box.className = 'edit-box';
    box.append(input, save, cancel);
    this.valueEl.hidden = true;
    this.valueEl.after(box);
    input.focus();
    input.select();
    const close = () => {
      box.remove();
      this.valueEl.hidden = false;
    };
    const commit = async () => {
      const value = parseInput(input.value);
      close();
      try {
        await this.ref.set(value);
      } catch (e) {
        toast(`Writing ${this.path} failed: ${e.message}`);
      }
    };
    save.addEventListener('click', commit);
    cancel.addEventListener('click', close);
    input.addEventListener('keydown', e => {
      if (e.key === 'Enter' && !e.shiftKey) {
        e.preventDefault();
        commit();
      } else if (e.key === 'Escape') {
        close();
      }
    });
  }

  showAddForm() {
    if (this.el.querySelector(':scope > .add-form')) return;
    const form = document.createElement('form');
    form.className = 'add-form';
    const key = document.createElement('input');
    key.className = 'new-key';
    key.placeholder = 'key (empty: push id)';
    key.setAttribute('aria-label', `New child key under ${this.path}`);
    const value = document.createElement('input');
    value.className = 'new-value';
    value.placeholder = 'value (JSON or text)';
    value.setAttribute('aria-label', `New child value under ${this.path}`);
    const add = document.createElement('button');
    add.type = 'submit';
    add.textContent = 'Add';
    const cancel = button('cancel', 'Cancel', 'Cancel adding');
    form.append(key, value, add, cancel);
    cancel.addEventListener('click', () => form.remove());
    form.addEventListener('submit', async e => {
      e.preventDefault();
      const v = parseInput(value.value);
      if (v === null) {
        toast('A new child needs a value');
        return;
      }
      form.remove();
      try {
        if (key.value.trim()) await this.ref.child(key.value.trim()).set(v);
        else await this.ref.push(v);
        this.expand();
      } catch (err) {
        toast(`Adding under ${this.path} failed: ${err.message}`);
      }
    });
    this.row.after(form);
    key.focus();
  }

  async remove() {
    if (!confirm(`Delete ${this.path} and everything below it?`)) return;
    try {
      await this.ref.remove();
    } catch (e) {
      toast(`Deleting ${this.path} failed: ${e.message}`);
    }
  }
}

function emptyNote() {
  const li = document.createElement('li');
  li.className = 'empty-note';
  li.textContent = 'No data yet. Add a child with +, or import JSON.';
  return li;
}

function select(node) {
  document.querySelectorAll('.node.selected').forEach(el => el.classList.remove('selected'));
  node.el.classList.add('selected');
  state.selected = node.path;
  $('io-path').value = node.path;
  updateRestLink();
}

function updateRestLink() {
  const link = $('rest-link');
  link.href = restUrl(state.selected, { print: 'pretty' });
  link.textContent = `${state.selected}.json?ns=${state.ns}`;
}

// --------------------------------------------------------------------------------------------------------------
// Connection and namespace

function open(ns, credential) {
  if (state.db) state.db.close();
  if (state.root) state.root.dispose();
  state.ns = ns;
  state.credential = credential;
  state.selected = '/';
  sessionStorage.setItem(CRED_KEY, credential);
  const url = new URL(location.href);
  url.searchParams.set('ns', ns);
  history.replaceState(null, '', url);
  document.title = `${ns} · Canopy console`;

  state.db = connect(location.origin, { ns, auth: credential || null });
  state.db.onConnectionChange(up => {
    const status = $('status');
    status.textContent = up ? `connected · ${ns}` : 'reconnecting…';
    status.className = `status ${up ? 'online' : 'offline'}`;
  });
  const tree = $('tree');
  tree.replaceChildren();
  state.root = new TreeNode([], null);
  tree.append(state.root.el);
  state.root.expand();
  $('io-path').value = '/';
  updateRestLink();
  metrics.reset();
  loadRules();
}

function start() {
  const params = new URLSearchParams(location.search);
  const ns = params.get('ns') || 'default';
  const stored = sessionStorage.getItem(CRED_KEY);
  const credential = params.get('auth') ?? stored ?? 'owner';
  $('ns').value = ns;
  $('cred').value = credential;
  $('ns-form').addEventListener('submit', e => {
    e.preventDefault();
    open($('ns').value.trim(), $('cred').value.trim());
  });
  $('import-btn').addEventListener('click', importJson);
  $('export-btn').addEventListener('click', exportJson);
  $('import-file').addEventListener('change', async () => {
    const file = $('import-file').files[0];
    if (file) $('import-text').value = await file.text();
  });
  $('rules-load').addEventListener('click', loadRules);
  $('rules-save').addEventListener('click', saveRules);
  open(ns, credential);
  setInterval(() => metrics.poll(), 1000);
  metrics.poll();
}

// --------------------------------------------------------------------------------------------------------------
// Import and export (REST)

function ioPath() {
  return '/' + $('io-path').value.split('/').filter(Boolean).join('/');
}

async function importJson() {
  const result = $('io-result');
  const text = $('import-text').value;
  const path = ioPath();
  try {
    JSON.parse(text);
  } catch (e) {
    result.textContent = `Not valid JSON: ${e.message}`;
    result.className = 'result error';
    return;
  }
  result.textContent = `Importing into ${path}…`;
  result.className = 'result';
  try {
    await rest('PUT', path, { body: text, params: { print: 'silent' }, headers: { 'Content-Type': 'application/json' } });
    result.textContent = `Imported ${text.length.toLocaleString()} characters into ${path}`;
    result.className = 'result ok';
  } catch (e) {
    result.textContent = `Import failed: ${e.message}`;
    result.className = 'result error';
  }
}

async function exportJson() {
  const result = $('io-result');
  const path = ioPath();
  try {
    const text = await rest('GET', path, { params: { format: 'export' } });
    const name = `${state.ns}${path === '/' ? '' : path.replace(/\//g, '-')}.json`;
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    result.textContent = `Exported ${path} (${text.length.toLocaleString()} characters) as ${name}`;
    result.className = 'result ok';
  } catch (e) {
    result.textContent = `Export failed: ${e.message}`;
    result.className = 'result error';
  }
}

// --------------------------------------------------------------------------------------------------------------
// Rules editor

function rulesUrl() {
  return `/.settings/rules.json?${new URLSearchParams({ ns: state.ns })}`;
}

async function loadRules() {
  const result = $('rules-result');
  try {
    const response = await fetch(rulesUrl(), { headers: authHeaders() });
    const text = await response.text();
    if (!response.ok) throw new Error(`${response.status}: ${errorOf(text)}`);
    $('rules-text').value = text;
    result.textContent = `Rules of ${state.ns}`;
    result.className = 'result';
  } catch (e) {
    $('rules-text').value = '';
    result.textContent = `Cannot read the rules (admin credential needed): ${e.message}`;
    result.className = 'result error';
  }
}

async function saveRules() {
  const result = $('rules-result');
  const text = $('rules-text').value;
  result.textContent = 'Saving…';
  result.className = 'result';
  try {
    const response = await fetch(rulesUrl(), { method: 'PUT', body: text, headers: authHeaders() });
    const body = await response.text();
    if (!response.ok) throw new Error(errorOf(body));
    result.textContent = `Saved the rules of ${state.ns}`;
    result.className = 'result ok';
  } catch (e) {
    result.textContent = `Not saved: ${e.message}`;
    result.className = 'result error';
    showErrorPosition(e.message);
  }
}

function errorOf(text) {
  try {
    return JSON.parse(text).error ?? text;
  } catch (e) {
    return text;
  }
}

/** Puts the caret at "line L, column C" (or "line L:C") of a parse error. */
function showErrorPosition(message) {
  const m = /line\s+(\d+)(?:,?\s*(?:column|col)\s+|:)(\d+)/i.exec(message);
  if (!m) return;
  const area = $('rules-text');
  const lines = area.value.split('\n');
  const line = Math.min(Number(m[1]), lines.length);
  let at = 0;
  for (let i = 0; i < line - 1; i++) at += lines[i].length + 1;
  at += Math.max(0, Number(m[2]) - 1);
  area.focus();
  area.setSelectionRange(at, Math.min(at + 1, area.value.length));
}

// --------------------------------------------------------------------------------------------------------------
// Server metrics (/.metrics.json every second; rates from counter deltas)

const metrics = {
  last: null,
  history: [],
  reset() {
    this.history = [];
  },
  async poll() {
    let m;
    try {
      const response = await fetch('/.metrics.json', { cache: 'no-store' });
      m = await response.json();
      $('m-error').textContent = '';
    } catch (e) {
      $('m-error').textContent = `Metrics unavailable: ${e.message}`;
      return;
    }
    const now = performance.now();
    const gw = m.gateway ?? {};
    const pusher = m.pusher ?? {};
    const sample = {
      at: now,
      writes: m.processor?.writes ?? ((gw.writes?.accepted ?? 0) + (gw.writes?.rejected ?? 0)),
      pushes: pusher.pushes ?? 0,
      latencyCount: gw.writeLatencyMs?.count ?? 0,
      latencySum: (gw.writeLatencyMs?.mean ?? 0) * (gw.writeLatencyMs?.count ?? 0),
      // change → push latency, on servers whose pusher reports it ({count, mean, ...} in ms)
      pushCount: pusher.changeToPushMs?.count,
      pushSum: (pusher.changeToPushMs?.mean ?? 0) * (pusher.changeToPushMs?.count ?? 0),
    };
    $('m-clients').textContent = String(pusher.sessions ?? gw.webSocket?.open ?? '–');
    $('m-views').textContent = `${pusher.listeners ?? '–'} / ${pusher.views ?? '–'}`;
    if (this.last) {
      const dt = (sample.at - this.last.at) / 1000;
      const writes = Math.max(0, sample.writes - this.last.writes) / dt;
      const pushes = Math.max(0, sample.pushes - this.last.pushes) / dt;
      $('m-writes').textContent = writes.toFixed(writes < 10 ? 1 : 0);
      $('m-pushes').textContent = pushes.toFixed(pushes < 10 ? 1 : 0);
      const n = sample.latencyCount - this.last.latencyCount;
      const latency = n > 0 ? (sample.latencySum - this.last.latencySum) / n : null;
      $('m-latency').textContent = latency !== null ? `${latency.toFixed(1)} ms`
        : sample.latencyCount ? `${(sample.latencySum / sample.latencyCount).toFixed(1)} ms avg` : '–';
      $('m-push-latency').textContent = intervalMean(sample.pushCount, sample.pushSum,
        this.last.pushCount, this.last.pushSum);
      this.history.push(writes);
      if (this.history.length > 60) this.history.shift();
      drawChart(this.history);
    }
    this.last = sample;
    const rtt = state.db ? await state.db.ping() : null;
    $('m-rtt').textContent = rtt === null ? 'offline' : `${rtt} ms`;
  },
};

/** The mean over the last interval of a {count, mean} meter; its overall mean when idle; 'n/a' if not reported. */
function intervalMean(count, sum, lastCount, lastSum) {
  if (typeof count !== 'number') return 'n/a';
  const n = count - (lastCount ?? 0);
  if (n > 0 && typeof lastCount === 'number') return `${((sum - lastSum) / n).toFixed(1)} ms`;
  return count > 0 ? `${(sum / count).toFixed(1)} ms avg` : '–';
}

function drawChart(values) {
  const canvas = $('m-chart');
  const ctx = canvas.getContext('2d');
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  const max = Math.max(1, ...values);
  ctx.strokeStyle = '#2f855a';
  ctx.fillStyle = 'rgba(47, 133, 90, 0.15)';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  values.forEach((v, i) => {
    const x = (i / 59) * width;
    const y = height - 2 - (v / max) * (height - 6);
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  });
  ctx.stroke();
  if (values.length > 1) {
    ctx.lineTo(((values.length - 1) / 59) * width, height);
    ctx.lineTo(0, height);
    ctx.closePath();
    ctx.fill();
  }
}

start();
