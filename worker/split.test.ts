import test from 'ava';
import { chronologicalSplit, splitIndex } from './split.js';

test('splitIndex holds out the last testFraction of candles', (t) => {
  // 8760 · 0.2 = 1752 test candles → the test slice starts at 8760 − 1752 = 7008.
  t.is(splitIndex(8760, 0.2), 7008);
  // 10 · 0.25 = 2.5 → rounds to 3 test candles (Math.round), so the split is at 7.
  t.is(splitIndex(10, 0.25), 7);
  t.is(splitIndex(4, 0.5), 2);
});

test('splitIndex rejects inputs that leave a side without a settled step', (t) => {
  t.throws(() => splitIndex(8760, 0), { message: /testFraction must be in \(0, 1\), got 0/ });
  t.throws(() => splitIndex(8760, 1), { message: /testFraction/ });
  t.throws(() => splitIndex(8760, Number.NaN), { message: /testFraction/ });
  t.throws(() => splitIndex(3, 0.5), { message: /n must be an integer ≥ 4, got 3/ });
  t.throws(() => splitIndex(10.5, 0.5), { message: /n must be an integer/ });
  t.throws(() => splitIndex(10, 0.01), { message: /fewer than 2/ });
  t.throws(() => splitIndex(10, 0.95), { message: /fewer than 2/ });
});

test('chronologicalSplit: training ends where the test slice begins, after the feature warm-up', (t) => {
  const { train, test: held } = chronologicalSplit(8760, 0.2, 168);
  t.deepEqual(train, { start: 168, end: 7008 });
  t.deepEqual(held, { start: 7008, end: 8760 });
  t.throws(() => chronologicalSplit(200, 0.2, 168), {
    message: /leave -8 training candles after the 168-candle/,
  });
  t.throws(() => chronologicalSplit(200, 0.2, -1), { message: /firstValidIndex/ });
});
