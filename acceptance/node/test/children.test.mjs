// Child events with previous keys on refs and queries: limit windows, ranges, moves, startAfter/endBefore.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  endBefore, get, limitToFirst, limitToLast, onChildAdded, onChildChanged, onChildMoved, onChildRemoved,
  onValue, orderByChild, orderByKey, query, ref, remove, set, startAfter, startAt, endAt,
} from 'firebase/database';
import {
  EventLog, canonical, childEvents, closeAll, newDb, uniqueNs, valueEvent, within, wireLog,
} from '../lib/canopy.mjs';

const listeners = { onChildAdded, onChildChanged, onChildMoved, onChildRemoved };

before(() => wireLog(import.meta.url));
after(closeAll);

test('child events on a plain ref carry previous keys', { timeout: 60_000 }, async () => {
  const ns = uniqueNs('js-child');
  const writer = newDb(ns);
  const reader = newDb(ns);
  const seen = new EventLog('child events of /items');
  childEvents(seen, ref(reader, 'items'), listeners);
  const ready = new EventLog('value of /items');
  onValue(ref(reader, 'items'), ready.value());
  await ready.exactly(valueEvent(null));

  const want = [];
  const step = async (what, write, ...events) => {
    await within(write(), what);
    want.push(...events);
    await seen.exactly(...want);
  };
  await step('set b', () => set(ref(writer, 'items/b'), 2), 'added b prev=null');
  await step('set a', () => set(ref(writer, 'items/a'), 1), 'added a prev=null');
  await step('set c', () => set(ref(writer, 'items/c'), 3), 'added c prev=b');
  await step('change b', () => set(ref(writer, 'items/b'), 20), 'changed b prev=a');
  await step('remove a', () => remove(ref(writer, 'items/a')), 'removed a');
});

test('orderByChild + limitToLast(3): the window moves as children enter and leave', { timeout: 60_000 }, async () => {
  const ns = uniqueNs('js-window');
  const writer = newDb(ns);
  await within(set(ref(writer, 'board'), { a: { score: 10 }, b: { score: 20 }, c: { score: 30 }, d: { score: 40 } }), 'set /board');
  const reader = newDb(ns);
  const top3 = query(ref(reader, 'board'), orderByChild('score'), limitToLast(3));
  const seen = new EventLog('board top 3');
  const values = new EventLog('board top 3 (value)');
  childEvents(seen, top3, listeners);
  onValue(top3, values.value());
  const want = ['added b prev=null', 'added c prev=b', 'added d prev=c'];
  await seen.exactly(...want);
  await values.last(valueEvent({ b: { score: 20 }, c: { score: 30 }, d: { score: 40 } }));

  const step = async (what, write, ...events) => {
    await within(write(), what);
    want.push(...events);
    await seen.exactly(...want);
  };
  await step('a enters at the top', () => set(ref(writer, 'board/a/score'), 50), 'removed b', 'added a prev=d');
  await step('c drops out, b comes back', () => set(ref(writer, 'board/c/score'), 5), 'removed c', 'added b prev=null');
  await step('d moves above a', () => set(ref(writer, 'board/d/score'), 60), 'moved d prev=a', 'changed d prev=a');
  await step('a removed, c comes back', () => remove(ref(writer, 'board/a')), 'removed a', 'added c prev=null');
  await values.last(valueEvent({ b: { score: 20 }, c: { score: 5 }, d: { score: 60 } }));
});

test('orderByChild range query follows children in and out', { timeout: 60_000 }, async () => {
  const ns = uniqueNs('js-range');
  const writer = newDb(ns);
  await within(set(ref(writer, 'people'), { ann: { age: 17 }, bob: { age: 25 }, cid: { age: 40 } }), 'set /people');
  const reader = newDb(ns);
  const seen = new EventLog('adults under 40');
  childEvents(seen, query(ref(reader, 'people'), orderByChild('age'), startAt(18), endAt(39)), listeners);
  const want = ['added bob prev=null'];
  await seen.exactly(...want);
  const step = async (what, write, ...events) => {
    await within(write(), what);
    want.push(...events);
    await seen.exactly(...want);
  };
  await step('ann turns 18', () => set(ref(writer, 'people/ann/age'), 18), 'added ann prev=null');
  await step('bob leaves', () => set(ref(writer, 'people/bob/age'), 40), 'removed bob');
  await step('dan joins', () => set(ref(writer, 'people/dan'), { age: 30 }), 'added dan prev=ann');
});

test('orderByChild without a limit reports moves', { timeout: 30_000 }, async () => {
  const ns = uniqueNs('js-moves');
  const writer = newDb(ns);
  await within(set(ref(writer, 'race'), { x: { t: 3 }, y: { t: 1 }, z: { t: 2 } }), 'set /race');
  const reader = newDb(ns);
  const seen = new EventLog('race by t');
  childEvents(seen, query(ref(reader, 'race'), orderByChild('t')), listeners);
  await seen.exactly('added y prev=null', 'added z prev=y', 'added x prev=z');
  await within(set(ref(writer, 'race/y/t'), 9), 'y to the end');
  await seen.exactly('added y prev=null', 'added z prev=y', 'added x prev=z', 'moved y prev=x', 'changed y prev=x');
});

test('startAfter / endBefore: listeners and get() (filtered by the server)', { timeout: 60_000 }, async () => {
  const ns = uniqueNs('js-after');
  const writer = newDb(ns);
  const data = { a: { n: 1 }, b: { n: 2 }, c: { n: 3 }, d: { n: 4 } };
  await within(set(ref(writer, 'list'), data), 'set /list');

  const fresh = newDb(ns);
  const afterB = await within(get(query(ref(fresh, 'list'), orderByKey(), startAfter('b'))), 'get startAfter(b)');
  assert.equal(canonical(afterB.val()), canonical({ c: { n: 3 }, d: { n: 4 } }));
  const below3 = await within(get(query(ref(fresh, 'list'), orderByChild('n'), endBefore(3))), 'get endBefore(3)');
  assert.equal(canonical(below3.val()), canonical({ a: { n: 1 }, b: { n: 2 } }));
  const firstAfter1 = await within(get(query(ref(fresh, 'list'), orderByChild('n'), startAfter(1), limitToFirst(1))),
    'get startAfter(1).limitToFirst(1)');
  assert.equal(canonical(firstAfter1.val()), canonical({ b: { n: 2 } }));

  const reader = newDb(ns);
  const seen = new EventLog('n > 2');
  childEvents(seen, query(ref(reader, 'list'), orderByChild('n'), startAfter(2)), listeners);
  const want = ['added c prev=null', 'added d prev=c'];
  await seen.exactly(...want);
  await within(set(ref(writer, 'list/a/n'), 5), 'a rises above 2');
  want.push('added a prev=d');
  await seen.exactly(...want);
  await within(set(ref(writer, 'list/c/n'), 2), 'c falls to 2 (excluded)');
  want.push('removed c');
  await seen.exactly(...want);

  const ends = new EventLog('key < c');
  childEvents(ends, query(ref(reader, 'list'), orderByKey(), endBefore('c')), listeners);
  await ends.exactly('added a prev=null', 'added b prev=a');
});
