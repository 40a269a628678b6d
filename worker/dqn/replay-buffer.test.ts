import test from 'ava';
import { Rng } from '../rng.js';
import { ReplayBuffer } from './replay-buffer.js';

const obs = (v: number) => Float32Array.of(v, v + 0.5);

test('the ring buffer overwrites the oldest transition and samples only stored ones', (t) => {
  const buffer = new ReplayBuffer(3, 2);
  for (let i = 0; i < 5; i++) buffer.add(obs(i), i % 2, i * 10, obs(i + 1), i === 4);
  t.is(buffer.size, 3);
  const state = buffer.getState();
  t.is(state.cursor, 2);
  // Slots hold transitions 3, 4, 2 (slot = i mod 3).
  t.deepEqual(Array.from(state.rewards), [30, 40, 20]);
  t.deepEqual(Array.from(state.dones), [0, 1, 0]);
  const batch = buffer.createBatch(50);
  buffer.sample(new Rng(1), 50, batch);
  const seen = new Set(Array.from(batch.rewards));
  t.deepEqual(
    [...seen].sort((a, b) => a - b),
    [20, 30, 40],
  );
  for (let b = 0; b < 50; b++) {
    const i = batch.rewards[b]! / 10;
    t.deepEqual(Array.from(batch.obs.subarray(b * 2, b * 2 + 2)), Array.from(obs(i)));
    t.deepEqual(Array.from(batch.nextObs.subarray(b * 2, b * 2 + 2)), Array.from(obs(i + 1)));
    t.is(batch.actions[b], i % 2);
  }
});

test('sampling is seeded, and a restored buffer samples identically', (t) => {
  const buffer = new ReplayBuffer(100, 2);
  for (let i = 0; i < 40; i++) buffer.add(obs(i), i % 2, i, obs(i + 1), false);
  const a = buffer.sample(new Rng(9), 16, buffer.createBatch(16));
  const restored = ReplayBuffer.fromState(buffer.getState());
  const b = restored.sample(new Rng(9), 16, restored.createBatch(16));
  t.deepEqual(a, b);
  t.notDeepEqual(
    Array.from(a.rewards),
    Array.from(buffer.sample(new Rng(10), 16, buffer.createBatch(16)).rewards),
  );
});

test('bad inputs are clear errors', (t) => {
  t.throws(() => new ReplayBuffer(0, 2), { message: /capacity must be a positive integer/ });
  const buffer = new ReplayBuffer(4, 2);
  t.throws(() => buffer.sample(new Rng(1), 1, buffer.createBatch(1)), { message: /empty/ });
  t.throws(() => buffer.add(new Float32Array(3), 0, 0, obs(1), false), {
    message: /must have 2 values, got 3/,
  });
  buffer.add(obs(1), 0, 0, obs(2), false);
  const state = buffer.getState();
  t.throws(() => ReplayBuffer.fromState({ ...state, cursor: 9 }), { message: /cursor 9 is outside/ });
  t.throws(() => ReplayBuffer.fromState({ ...state, rewards: new Float32Array(3) }), {
    message: /rewards has 3 values, expected 1/,
  });
});
