import test from 'ava';
import { chronologicalSplit, EMBARGO_HOURS, splitIndex, walkForwardFolds } from './split.js';

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

const YEAR = { testFraction: 0.2, validationFraction: 0.15, firstValidIndex: 168 };

/** The decision hours of a range in the environment's convention: start … end − 2. */
const decisionHours = (r: { start: number; end: number }) =>
  Array.from({ length: r.end - r.start - 1 }, (_, k) => r.start + k);

test('one fold is the single split: test the last 20 %, validation the last 15 % before it', (t) => {
  const [only, ...rest] = walkForwardFolds(8760, { ...YEAR, folds: 1 });
  t.deepEqual(rest, []);
  // 7008 − 168 = 6840 candles before the test slice; 15 % of them (1026) validate.
  t.deepEqual(only, {
    index: 1,
    train: { start: 168, end: 5982 },
    validation: { start: 5982, end: 7008 },
    test: { start: 7008, end: 8760 },
  });
  t.deepEqual(only!.test, chronologicalSplit(8760, 0.2, 168).test);
  t.is(EMBARGO_HOURS, 1);
});

test('three folds: contiguous test windows that trade every test hour once, expanding training', (t) => {
  const folds = walkForwardFolds(8760, { ...YEAR, folds: 3 });
  // 1751 decision hours from 7008 to 8758, cut at 7008 + round(1751 k / 3): 7592, 8175.
  t.deepEqual(
    folds.map((f) => f.test),
    [
      { start: 7008, end: 7593 },
      { start: 7592, end: 8176 },
      { start: 8175, end: 8760 },
    ],
  );
  const traded = folds.flatMap((f) => decisionHours(f.test));
  t.deepEqual(traded, decisionHours({ start: 7008, end: 8760 }), 'no hour twice, none missing');
  for (const [i, f] of folds.entries()) {
    t.is(f.index, i + 1);
    t.is(f.train.start, 168, 'every fold trains from the feature warm-up on');
    t.is(f.validation.end, f.test.start, 'one untraded move before the test window');
    t.is(f.train.end, f.validation.start, 'one untraded move before the validation slice');
    t.is(f.validation.end - f.validation.start, Math.round((f.test.start - 168) * 0.15));
    if (i > 0) {
      t.true(f.train.end > folds[i - 1]!.train.end, 'the training window expands');
      t.true(f.validation.start > folds[i - 1]!.validation.start);
    }
    // Nothing a fold trains or validates on lies in its own test window or later.
    t.true(f.train.end <= f.validation.start && f.validation.end <= f.test.start);
  }
});

test('a longer embargo leaves that many untraded hourly moves at both boundaries', (t) => {
  for (const embargoHours of [2, 24]) {
    for (const f of walkForwardFolds(8760, { ...YEAR, folds: 2, embargoHours })) {
      // The last settled close of a slice is end − 1; the next slice first trades from its start.
      const untraded = (before: { end: number }, after: { start: number }) => after.start - (before.end - 1);
      t.is(untraded(f.validation, f.test), embargoHours);
      t.is(untraded(f.train, f.validation), embargoHours);
    }
  }
});

test('folds that leave too little data are refused, naming the option and the pair', (t) => {
  t.throws(() => walkForwardFolds(8760, { ...YEAR, folds: 80, label: 'BTC-USD' }), {
    message: /^BTC-USD: --folds 80 splits 1751 test hours into windows of 21; each needs ≥ 24/,
  });
  t.throws(() => walkForwardFolds(1200, { ...YEAR, validationFraction: 0.01, folds: 2 }), {
    message: /fold 1 of 2: .* too few for a validation slice of 0\.01/,
  });
  t.throws(() => walkForwardFolds(8760, { ...YEAR, folds: 0 }), {
    message: /folds must be a positive integer/,
  });
  t.throws(() => walkForwardFolds(8760, { ...YEAR, folds: 2, embargoHours: 0 }), { message: /embargo/ });
});
