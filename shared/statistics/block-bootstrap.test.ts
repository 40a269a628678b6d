import test from 'ava';
import { assertClose } from '../../test/helpers/approx.js';
import { realMoves, switchingPositions } from '../../test/helpers/real-moves.js';
import { Rng } from '../rng.js';
import {
  BlockResampler,
  blockBootstrapSharpeInterval,
  bootstrapSharpeDistribution,
  PrefixSums,
} from './block-bootstrap.js';
import { comparableSharpe } from './sharpe.js';
import { simulateEquity } from './simulate-equity.js';

// Exhaustive enumeration (test/reference/statistics_reference.py, "circular_n4_L2"): a circular
// bootstrap of 4 returns in blocks of 2 has 16 equally likely resamples. Their annualised Sharpes'
// exact quantiles; each lies at least 1.25 % of probability away from a jump of the distribution.
const X = [0.012, -0.008, 0.02, -0.015];
const EXACT = {
  sharpe: 12.79430529273535,
  q025: -9.006170724070863,
  q975: 34.73808707855905,
  q20: 2.5722197027850835,
  q80: 21.6070023892676,
};

test('circular blocks: the 16 resamples of 4 returns in blocks of 2 are equally likely', (t) => {
  const resampler = new BlockResampler(4, 2, 'circular', 3);
  const indices = new Int32Array(4);
  const counts = new Map<string, number>();
  const draws = 32_000;
  for (let i = 0; i < draws; i++) {
    resampler.draw();
    resampler.indicesInto(indices);
    const key = indices.join(',');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  t.is(counts.size, 16);
  for (const [key, count] of counts) {
    const [a, b, c, d] = key.split(',').map(Number);
    t.true(b === (a! + 1) % 4 && d === (c! + 1) % 4, `blocks of 2 wrap around: ${key}`);
    // 2,000 expected; binomial sd ≈ 43, so ±250 is more than 5 sd.
    t.true(Math.abs(count - draws / 16) < 250, `${key} drawn ${count} times`);
  }
});

test('the percentile interval equals the exact bootstrap quantiles found by enumeration', (t) => {
  const options = { seed: 5, method: 'circular' as const, blockLength: 2, resamples: 50_000 };
  const wide = blockBootstrapSharpeInterval(X, options);
  assertClose(t, wide.estimate, EXACT.sharpe, 1e-12, 'estimate');
  assertClose(t, wide.low, EXACT.q025, 1e-9, 'low at 95 %');
  assertClose(t, wide.high, EXACT.q975, 1e-9, 'high at 95 %');
  const narrow = blockBootstrapSharpeInterval(X, { ...options, level: 0.6 });
  assertClose(t, narrow.low, EXACT.q20, 1e-9, 'low at 60 %');
  assertClose(t, narrow.high, EXACT.q80, 1e-9, 'high at 60 %');
  t.like(wide, { level: 0.95, method: 'circular', blockLength: 2, resamples: 50_000 });
});

test('block sums give the same resampled Sharpe as gathering the resample and computing it directly', (t) => {
  const { returns } = realMoves('BTC_USD', 1750);
  const rng = new Rng(2);
  const positions = switchingPositions(1750, 0.03, () => rng.next());
  const { moves } = realMoves('BTC_USD', 1750);
  const agent = simulateEquity({ moves, positions, feeRate: 0.001 }).returns;
  for (const series of [returns, agent]) {
    const sums = new PrefixSums(series);
    for (const method of ['stationary', 'circular'] as const) {
      const resampler = new BlockResampler(series.length, 24, method, 9);
      const indices = new Int32Array(series.length);
      const sample = new Float64Array(series.length);
      for (let b = 0; b < 300; b++) {
        resampler.draw();
        resampler.indicesInto(indices);
        for (let i = 0; i < indices.length; i++) sample[i] = series[indices[i]!]!;
        assertClose(
          t,
          sums.resampledSharpe(resampler),
          comparableSharpe(sample),
          1e-9,
          `${method} resample ${b}`,
        );
      }
    }
  }
});

test('stationary blocks have geometric lengths with the requested mean and continue across the end', (t) => {
  const n = 1000;
  const resampler = new BlockResampler(n, 24, 'stationary', 4);
  let blocks = 0;
  let total = 0;
  let ones = 0;
  for (let r = 0; r < 400; r++) {
    const count = resampler.draw();
    // The last block is cut to fit n: leave it out of the length statistics.
    for (let b = 0; b < count - 1; b++) {
      const length = resampler.lengths[b]!;
      blocks += 1;
      total += length;
      if (length === 1) ones += 1;
    }
    let sum = 0;
    for (let b = 0; b < count; b++) sum += resampler.lengths[b]!;
    t.is(sum, n);
  }
  // Geometric with p = 1/24: mean 24 (sd of the mean over ~16,000 blocks ≈ 0.18), P(length 1) = 1/24.
  assertClose(t, total / blocks, 24, 0.04, 'mean block length');
  assertClose(t, ones / blocks, 1 / 24, 0.25, 'share of blocks of one hour');
  const indices = new Int32Array(n);
  resampler.draw();
  resampler.indicesInto(indices);
  let continued = 0;
  for (let i = 1; i < n; i++) if (indices[i] === (indices[i - 1]! + 1) % n) continued += 1;
  t.true(continued > 0.9 * n, `${continued} of ${n} hours continue their block`);
});

test('on real BTC returns the interval covers the estimate and narrows as the series grows', (t) => {
  const widths: number[] = [];
  for (const hours of [1000, 4000]) {
    const { returns } = realMoves('BTC_USD', hours);
    for (const method of ['stationary', 'circular'] as const) {
      const interval = blockBootstrapSharpeInterval(returns, { seed: 1, method });
      t.true(
        interval.low! < interval.estimate! && interval.estimate! < interval.high!,
        JSON.stringify(interval),
      );
      if (method === 'stationary') widths.push(interval.high! - interval.low!);
    }
  }
  // 4× the hours: about half the width (√4); allow for the different stretches of the market.
  t.true(widths[1]! < 0.7 * widths[0]!, `widths ${widths.join(', ')}`);
});

test('the same seed gives the same figures; another seed other draws', (t) => {
  const { returns } = realMoves('ETH_USD', 1750);
  const a = blockBootstrapSharpeInterval(returns, { seed: 42 });
  t.deepEqual(blockBootstrapSharpeInterval(returns, { seed: 42 }), a);
  t.notDeepEqual(blockBootstrapSharpeInterval(returns, { seed: 43 }), a);
  t.deepEqual(
    bootstrapSharpeDistribution(returns, { seed: 42 }),
    bootstrapSharpeDistribution(Array.from(returns), { seed: 42 }),
  );
});

test('a series without variance (a policy that never trades) has no Sharpe and no interval', (t) => {
  const interval = blockBootstrapSharpeInterval(new Float64Array(100), { seed: 1 });
  t.deepEqual(interval, {
    estimate: null,
    low: null,
    high: null,
    level: 0.95,
    method: 'stationary',
    blockLength: 24,
    resamples: 2000,
  });
});

test('a sparse trader: resamples that miss its trades count as Sharpe 0, not as undefined', (t) => {
  const returns = new Float64Array(200);
  returns[50] = 0.02;
  returns[51] = -0.01;
  const draws = bootstrapSharpeDistribution(returns, { seed: 3, blockLength: 5 });
  t.true(draws.every((d) => Number.isFinite(d)));
  t.true(draws.some((d) => d === 0));
});

test('bad inputs and options name the argument', (t) => {
  const returns = [0.01, -0.02, 0.03, 0.0, 0.01];
  const fn = (r: ArrayLike<number>, o: object) =>
    blockBootstrapSharpeInterval(r, { seed: 1, blockLength: 2, ...o } as { seed: number });
  const cases: [ArrayLike<number>, object, RegExp][] = [
    [[], {}, /blockBootstrapSharpeInterval: returns has 0 values, need at least 2/],
    [[0.01, Number.NaN, 0.02], {}, /blockBootstrapSharpeInterval: returns\[1\] is NaN, need a finite number/],
    [returns, { resamples: 1999 }, /blockBootstrapSharpeInterval: resamples is 1999, need an integer ≥ 2000/],
    [returns, { resamples: 2500.5 }, /resamples is 2500.5, need an integer ≥ 2000/],
    [returns, { blockLength: 0 }, /blockBootstrapSharpeInterval: blockLength is 0, need an integer ≥ 1/],
    [returns, { blockLength: 6 }, /blockBootstrapSharpeInterval: blockLength 6 is longer than the 5 returns/],
    [
      returns,
      { method: 'moving' },
      /blockBootstrapSharpeInterval: method is moving, need 'stationary' or 'circular'/,
    ],
    [
      returns,
      { level: 1 },
      /blockBootstrapSharpeInterval: level is 1, need a number strictly between 0 and 1/,
    ],
    [returns, { seed: undefined }, /blockBootstrapSharpeInterval: seed is undefined, need an integer/],
    [returns, { seed: 1.5 }, /seed is 1.5, need an integer/],
    [returns, { periodsPerYear: -1 }, /blockBootstrapSharpeInterval: periodsPerYear is -1/],
  ];
  for (const [r, o, message] of cases) t.throws(() => fn(r, o), { message });
  t.throws(() => bootstrapSharpeDistribution([0.01], { seed: 1 }), {
    message: /bootstrapSharpeDistribution: returns has 1 value, need at least 2/,
  });
});
