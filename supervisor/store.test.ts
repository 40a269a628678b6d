import test from 'ava';
import { initialState } from './reducer.js';
import { createStore } from './store.js';

/** A hand-driven clock: timers fire only when the test advances time. */
function fakeTimers() {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; cb: () => void }>();
  return {
    setTimeout: (cb: () => void, ms: number) => {
      const id = nextId++;
      timers.set(id, { at: now + ms, cb });
      return id;
    },
    clearTimeout: (h: unknown) => {
      timers.delete(h as number);
    },
    advance(ms: number) {
      now += ms;
      for (const [id, t] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
        if (t.at <= now) {
          timers.delete(id);
          t.cb();
        }
      }
    },
    pending: () => timers.size,
  };
}

const T0 = 1_700_000_000_000;

test('reduces synchronously and notifies once per batch however many events arrive', (t) => {
  const clock = fakeTimers();
  const store = createStore(initialState({ mode: 'run', resultsDir: 'r', now: T0 }), clock);
  let calls = 0;
  store.subscribe(() => calls++);
  for (let i = 1; i <= 50; i++) store.dispatch({ type: 'tick', now: T0 + i });
  t.is(store.getSnapshot().now, T0 + 50, 'the snapshot is current at once');
  t.is(calls, 0);
  t.is(clock.pending(), 1);
  clock.advance(99);
  t.is(calls, 0);
  clock.advance(1);
  t.is(calls, 1);
  // 1,000 events over one simulated second: at most 10 notifications.
  for (let ms = 0; ms < 1_000; ms++) {
    store.dispatch({ type: 'tick', now: T0 + 100 + ms });
    clock.advance(1);
  }
  clock.advance(100);
  t.true(calls <= 1 + 11, `${calls}`);
  t.true(calls >= 10);
});

test('no notification and no timer when an event changes nothing', (t) => {
  const clock = fakeTimers();
  const store = createStore(initialState({ mode: 'run', resultsDir: 'r', now: T0 }), clock);
  let calls = 0;
  store.subscribe(() => calls++);
  const before = store.getSnapshot();
  store.dispatch({ type: 'tick', now: T0 });
  store.dispatch({ type: 'log-lines', workerId: 1, lines: [] });
  t.is(store.getSnapshot(), before);
  t.is(clock.pending(), 0);
  clock.advance(1_000);
  t.is(calls, 0);
});

test('flush notifies at once; unsubscribe and close stop notifications; a throwing listener is contained', (t) => {
  const clock = fakeTimers();
  const errors: unknown[] = [];
  const store = createStore(initialState({ mode: 'run', resultsDir: 'r', now: T0 }), {
    ...clock,
    batchMs: 250,
    onListenerError: (e) => errors.push(e),
  });
  let a = 0;
  let b = 0;
  store.subscribe(() => {
    throw new Error('boom');
  });
  const unsubscribeA = store.subscribe(() => a++);
  store.subscribe(() => b++);
  store.dispatch({ type: 'file-problem', message: 'x' });
  store.flush();
  t.deepEqual([a, b, clock.pending()], [1, 1, 0]);
  t.is(errors.length, 1);
  store.flush();
  t.deepEqual([a, b], [1, 1], 'flush without a change is silent');
  unsubscribeA();
  store.dispatch({ type: 'file-problem', message: 'y' });
  clock.advance(250);
  t.deepEqual([a, b], [1, 2]);
  store.close();
  store.dispatch({ type: 'file-problem', message: 'z' });
  clock.advance(1_000);
  store.flush();
  t.is(b, 2);
  t.deepEqual(store.getSnapshot().problems, ['x', 'y', 'z'], 'dispatch still reduces after close');
});

test('works with real timers by default', async (t) => {
  const store = createStore(initialState({ mode: 'run', resultsDir: 'r', now: T0 }), { batchMs: 10 });
  const notified = new Promise<void>((resolve) => store.subscribe(resolve));
  store.dispatch({ type: 'tick', now: T0 + 1 });
  await notified;
  t.is(store.getSnapshot().now, T0 + 1);
  store.close();
});
