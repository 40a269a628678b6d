import test from 'ava';
import { quantileSorted, summariseInPlace } from './quantile.js';

test('linear interpolation between order statistics at (n − 1)·q, as numpy.quantile', (t) => {
  // n = 5: q = 0.05 → h = 0.2, 1 + 0.2 · (2 − 1) = 1.2; q = 0.95 → h = 3.8, 4 + 0.8 · (10 − 4) = 8.8.
  const sorted = [1, 2, 3, 4, 10];
  t.is(quantileSorted(sorted, 0), 1);
  t.true(Math.abs(quantileSorted(sorted, 0.05) - 1.2) < 1e-12);
  t.is(quantileSorted(sorted, 0.5), 3);
  t.true(Math.abs(quantileSorted(sorted, 0.95) - 8.8) < 1e-12);
  t.is(quantileSorted(sorted, 1), 10);
  t.is(quantileSorted([7], 0.3), 7);
  // Equal infinite neighbours stay infinite instead of ∞ − ∞ = NaN.
  t.is(
    quantileSorted([1, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY], 0.75),
    Number.POSITIVE_INFINITY,
  );
});

test('summary of draws: median, 5th and 95th percentiles, sorted in place', (t) => {
  const draws = Float64Array.from({ length: 101 }, (_, i) => 100 - i);
  t.deepEqual(summariseInPlace(draws), { median: 50, p5: 5, p95: 95 });
  t.is(draws[0], 0);
});

test('bad arguments name what is wrong', (t) => {
  t.throws(() => quantileSorted([], 0.5), { message: 'quantileSorted: sorted is empty' });
  t.throws(() => quantileSorted([1, 2], 1.5), {
    message: /quantileSorted: q is 1.5, need a number in \[0, 1\]/,
  });
});
