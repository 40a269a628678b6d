import test from 'ava';
import { assertClose } from '../../test/helpers/approx.js';
import { realMoves } from '../../test/helpers/real-moves.js';
import { Rng } from '../rng.js';
import { pairedSharpeTest } from './paired-sharpe-test.js';
import { simulateEquity } from './simulate-equity.js';

const normals = (rng: Rng, n: number, mean: number, sd: number) =>
  Float64Array.from({ length: n }, () => mean + sd * rng.normal());

test('the p-value equals the exact bootstrap p-value found by enumerating all 16 paired resamples', (t) => {
  // test/reference/statistics_reference.py, "circular_n4_L2": P*(d* − d̂ ≥ d̂) = 10/16 over the 16
  // resamples with the same blocks for both series. Monte Carlo sd at 50,000 resamples ≈ 0.002.
  const x = [0.012, -0.008, 0.02, -0.015];
  const y = [0.01, -0.011, 0.006, 0.004];
  const result = pairedSharpeTest(x, y, { seed: 8, method: 'circular', blockLength: 2, resamples: 50_000 });
  assertClose(t, result.pValue, 0.625, 0.015, 'pValue');
  t.true(result.difference < 0);
});

test('a planted positive mean is significant against a zero-mean benchmark', (t) => {
  const rng = new Rng(21);
  // Per-hour Sharpe 0.15 against 0 over 2,000 hours: about 4.7 standard errors.
  const agent = normals(rng, 2000, 0.0015, 0.01);
  const benchmark = normals(rng, 2000, 0, 0.01);
  const result = pairedSharpeTest(agent, benchmark, { seed: 1 });
  t.true(result.pValue < 0.01, `p = ${result.pValue}`);
  t.true(result.pValue >= 1 / 2001, 'never below (1 + 0) / (1 + B)');
  t.true(result.difference > 0);
});

test('iid noise pairs: p-values below 5 % about 5 % of the time, not more (the false-positive check)', (t) => {
  const rng = new Rng(99);
  const pairs = 200;
  let below = 0;
  let sum = 0;
  for (let i = 0; i < pairs; i++) {
    const result = pairedSharpeTest(normals(rng, 500, 0, 0.01), normals(rng, 500, 0, 0.01), {
      seed: i,
      blockLength: 12,
    });
    if (result.pValue < 0.05) below += 1;
    sum += result.pValue;
  }
  // Binomial(200, 0.05): mean 10, sd 3.1. Far above 20 would mean the null is too easy to reject.
  t.true(below <= 20, `${below} of ${pairs} below 5 %`);
  t.true(below >= 2, `${below} of ${pairs} below 5 %: the test never rejects?`);
  assertClose(t, sum / pairs, 0.5, 0.12, 'mean p-value under the null');
});

test('the same blocks for both series: an agent identical to its benchmark is never significant', (t) => {
  const { returns } = realMoves('BTC_USD', 1750);
  const result = pairedSharpeTest(returns, returns, { seed: 3 });
  t.is(result.difference, 0);
  t.is(result.pValue, 1);
});

test('on real BTC: an agent long 30 % of the time is not shown to beat buy-and-hold in a rally', (t) => {
  const { moves } = realMoves('BTC_USD', 1750);
  const rng = new Rng(5);
  const positions = Uint8Array.from({ length: 1750 }, (_, k) => (Math.floor(k / 100) % 3 === 0 ? 1 : 0));
  const agent = simulateEquity({ moves, positions, feeRate: 0.001 });
  const hold = simulateEquity({ moves, positions: new Uint8Array(1750).fill(1), feeRate: 0.001 });
  const result = pairedSharpeTest(agent.returns, hold.returns, { seed: rng.nextUint32() });
  t.true(result.pValue > 0.5, `p = ${result.pValue}`);
  t.is(result.agentSharpe, agent.sharpe);
  t.is(result.benchmarkSharpe, hold.sharpe);
});

test('a policy that never trades gets p = 1', (t) => {
  const { returns } = realMoves('BTC_USD', 500);
  const result = pairedSharpeTest(new Float64Array(500), returns, { seed: 1 });
  t.is(result.pValue, 1);
  t.is(result.agentSharpe, null);
});

test('seeded: the same seed gives the same p-value', (t) => {
  const rng = new Rng(4);
  const a = normals(rng, 800, 0.0005, 0.01);
  const b = normals(rng, 800, 0, 0.01);
  t.deepEqual(pairedSharpeTest(a, b, { seed: 17 }), pairedSharpeTest(a, b, { seed: 17 }));
  t.not(pairedSharpeTest(a, b, { seed: 17 }).pValue, pairedSharpeTest(a, b, { seed: 18 }).pValue);
});

test('bad inputs name the argument', (t) => {
  const ok = [0.01, -0.02, 0.03, 0.01];
  t.throws(() => pairedSharpeTest([], ok, { seed: 1 }), {
    message: /pairedSharpeTest: agentReturns has 0 values, need at least 2/,
  });
  t.throws(() => pairedSharpeTest(ok, [0.01, 0.02, Number.NaN, 0], { seed: 1 }), {
    message: /pairedSharpeTest: benchmarkReturns\[2\] is NaN/,
  });
  t.throws(() => pairedSharpeTest(ok, [0.01, 0.02, 0.03], { seed: 1 }), {
    message: /pairedSharpeTest: agentReturns has 4 values but benchmarkReturns has 3; they must be aligned/,
  });
  t.throws(() => pairedSharpeTest(ok, ok, { seed: 1, blockLength: 2, resamples: 100 }), {
    message: /pairedSharpeTest: resamples is 100, need an integer ≥ 2000/,
  });
});
