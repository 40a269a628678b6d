import test from 'ava';
import { EvalMetricsSchema } from '../shared/contract.js';
import {
  computeMetrics,
  maxDrawdownPct,
  sharpeRatio,
  simpleReturns,
  sortinoRatio,
  tradeReturns,
} from './metrics.js';

const close = (
  t: { true: (v: boolean, m?: string) => void },
  actual: number | null,
  expected: number,
  eps = 1e-9,
) =>
  t.true(
    actual !== null && Math.abs(actual - expected) <= eps * Math.max(1, Math.abs(expected)),
    `${actual} ≉ ${expected}`,
  );

// The worked example used by every test below (no fees, to keep the arithmetic by hand):
//   values    100 → 110 → 99 → 99 → 108.9
//   positions   1     1     0    1          (long, long, flat, long)
//   returns   +0.1, −0.1, 0, +0.1
const values = [100, 110, 99, 99, 108.9];
const positions = [1, 1, 0, 1];
const SQRT_8760 = Math.sqrt(8760); // 93.59487165…

test('simple returns of the equity curve', (t) => {
  const r = simpleReturns(values);
  t.is(r.length, 4);
  close(t, r[0]!, 0.1);
  close(t, r[1]!, -0.1);
  close(t, r[2]!, 0);
  close(t, r[3]!, 0.1);
});

test('P/L in % and on the nominal 10,000 USD', (t) => {
  const m = computeMetrics(values, positions, 10_000);
  // 108.9 / 100 − 1 = 0.089 → 8.9 %, 890 USD, final value 10,890 USD.
  close(t, m.pnlPct, 8.9);
  close(t, m.pnlUsd, 890);
  close(t, m.finalValue, 10_890);
});

test('win rate and trades count round trips; the open position is closed at the last close', (t) => {
  // Trade 1: in at decision 0 (value 100), out at decision 2 (value after it 99) → 99/100 − 1 = −1 % (a loss).
  // Trade 2: in at decision 3 (value 99), still open, closed at the last value 108.9 → +10 % (a win).
  const trades = tradeReturns(values, positions);
  t.is(trades.length, 2);
  close(t, trades[0]!, -0.01);
  close(t, trades[1]!, 0.1);
  const m = computeMetrics(values, positions);
  t.is(m.trades, 2);
  t.is(m.winRate, 0.5); // 1 win of 2
});

test('Sharpe: mean / sample std · √8760', (t) => {
  // mean = (0.1 − 0.1 + 0 + 0.1) / 4 = 0.025
  // deviations 0.075, −0.125, −0.025, 0.075 → squares 0.005625 + 0.015625 + 0.000625 + 0.005625 = 0.0275
  // sample variance 0.0275 / 3 = 0.0091666…, std 0.0957427…; 0.025 / 0.0957427 = 0.2611165 · 93.594872 = 24.439164
  const expected = (0.025 / Math.sqrt(0.0275 / 3)) * SQRT_8760;
  close(t, expected, 24.439164, 1e-6);
  close(t, sharpeRatio(simpleReturns(values)), expected);
  close(t, computeMetrics(values, positions).sharpe, expected);
  // No variance → null (a flat agent), fewer than two returns → null.
  t.is(sharpeRatio([0, 0, 0]), null);
  t.is(sharpeRatio([0.01]), null);
});

test('Sortino: mean / downside deviation over all returns · √8760', (t) => {
  // downside: only −0.1 → Σ min(r,0)² = 0.01, over all 4 returns 0.0025, √ = 0.05
  // 0.025 / 0.05 = 0.5 · 93.5949 = 46.7974…
  close(t, sortinoRatio(simpleReturns(values)), 0.5 * SQRT_8760);
  close(t, computeMetrics(values, positions).sortino, 46.79744, 1e-6);
  // No negative return → null, even with a positive mean.
  t.is(sortinoRatio([0.01, 0, 0.02]), null);
  // −0.02 only: mean (0.01 − 0.02) / 2 = −0.005; dd √(0.0004 / 2) = 0.0141421 → −0.353553 · √8760
  close(t, sortinoRatio([0.01, -0.02]), (-0.005 / Math.sqrt(0.0002)) * SQRT_8760);
});

test('maximum drawdown is the largest peak-to-trough fall in % of the peak', (t) => {
  // peak 110 → trough 99: (110 − 99) / 110 = 10 %
  close(t, maxDrawdownPct(values), 10);
  // peak 120 → 60 = 50 %, larger than the earlier 100 → 90 = 10 %
  close(t, maxDrawdownPct([100, 90, 120, 60, 200]), 50);
  t.is(maxDrawdownPct([1, 2, 3]), 0);
});

test('exposure is the share of hours long', (t) => {
  t.is(computeMetrics(values, positions).exposure, 0.75); // 3 of 4 hours
});

test('a flat agent: zero P/L, no trades, null ratios, schema-valid', (t) => {
  const m = computeMetrics([10_000, 10_000, 10_000], [0, 0]);
  t.deepEqual(m, {
    pnlPct: 0,
    pnlUsd: 0,
    finalValue: 10_000,
    winRate: null,
    trades: 0,
    sharpe: null,
    sortino: null,
    maxDrawdownPct: 0,
    exposure: 0,
  });
  t.true(EvalMetricsSchema.safeParse(computeMetrics(values, positions)).success);
});

test('P/L is scaled to the nominal cash whatever the curve starts at', (t) => {
  // 50 → 55 is +10 %: on 10,000 USD that is 1,000 USD.
  const m = computeMetrics([50, 55], [1], 10_000);
  close(t, m.pnlUsd, 1000);
  close(t, m.finalValue, 11_000);
});

test('bad inputs name the array and index', (t) => {
  t.throws(() => computeMetrics([1, 2], [1, 1]), {
    message: /values has 2 points, need positions.length \+ 1 = 3/,
  });
  t.throws(() => computeMetrics([1], []), { message: /at least one step/ });
  t.throws(() => computeMetrics([1, Number.NaN], [1]), { message: /values\[1\] is NaN/ });
  t.throws(() => computeMetrics([1, 0], [1]), { message: /values\[1\] is 0/ });
  t.throws(() => computeMetrics([1, 1], [2]), { message: /positions\[0\] is 2, need 0 or 1/ });
});
