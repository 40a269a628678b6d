import test from 'ava';
import { loadRealCandles } from '../test/helpers/real-candles.js';
import { Action } from './environment.js';
import { buyAndHold, downsampleEquity, evaluatePolicy } from './evaluate.js';
import { computeFeatures, fitFeatureSettings } from './features.js';
import { chronologicalSplit } from './split.js';

const candles = loadRealCandles('BTC_USD');
const n = candles.close.length;
const features = computeFeatures(candles, fitFeatureSettings(candles, { windowSize: 24, trainEnd: 7008 }));
const { test: slice } = chronologicalSplit(n, 0.2, features.firstValidIndex);
const options = { ...slice, feeRate: 0.001, initialCash: 10_000 };

test('buy-and-hold on the real BTC test slice: one buy with its fee, held to the last close', (t) => {
  // Test slice: candles 7008 … 8759. close[7008] (2023-10-18T20:00Z) = 28,252.31, close[8759]
  // (2023-12-30T19:00Z) = 42,361.12. 42,361.12 / 28,252.31 = 1.49938607; · (1 − 0.001) = 1.49788668
  // → P/L +49.788668 %, 4,978.8668 USD on 10,000.
  t.deepEqual(slice, { start: 7008, end: 8760 });
  t.is(candles.close[7008], 28_252.31);
  t.is(candles.close[8759], 42_361.12);
  const run = buyAndHold(candles, features, options);
  t.true(Math.abs(run.metrics.pnlPct - 49.788668) < 1e-6, `${run.metrics.pnlPct}`);
  t.true(Math.abs(run.metrics.pnlUsd - 4978.8668) < 1e-4);
  t.true(Math.abs(run.metrics.pnlPct - ((42_361.12 / 28_252.31) * 0.999 - 1) * 100) < 1e-9);
  t.is(run.metrics.trades, 1);
  t.is(run.metrics.winRate, 1);
  t.is(run.metrics.exposure, 1);
  t.is(run.values.length, 1752);
  t.is(run.positions.length, 1751);
  t.is(run.times[0], Date.parse('2023-10-18T20:00:00.000Z'));
  t.is(run.values[0], 10_000);
  t.true(run.metrics.maxDrawdownPct > 0 && run.metrics.sharpe !== null && run.metrics.sortino !== null);
});

test('evaluatePolicy runs the greedy policy over the slice; a flat policy keeps the cash', (t) => {
  const flat = evaluatePolicy(() => Action.flat, candles, features, options);
  t.is(flat.metrics.pnlPct, 0);
  t.is(flat.metrics.trades, 0);
  t.is(flat.metrics.winRate, null);
  t.is(flat.metrics.sharpe, null);
  t.is(flat.metrics.exposure, 0);
  // The policy sees the observation of each decision hour: feature row, then the position.
  const seen: number[] = [];
  evaluatePolicy(
    (obs) => {
      seen.push(obs[0]!, obs[features.width]!);
      return seen.length / 2 < 3 ? Action.long : Action.flat;
    },
    candles,
    features,
    options,
  );
  t.is(seen.length, 2 * 1751);
  t.is(seen[0], features.data[7008 * features.width]);
  t.deepEqual(
    seen.slice(1, 8).filter((_, i) => i % 2 === 0),
    [0, 1, 1, 0],
  ); // positions held: flat, long, long, flat
  t.throws(() => evaluatePolicy(() => 3, candles, features, options), {
    message: /action must be 0 \(flat\) or 1 \(long\), got 3/,
  });
});

test('downsampleEquity keeps the ends, spaces points evenly and keeps short curves whole', (t) => {
  const hour = 3_600_000;
  const times = Array.from({ length: 11 }, (_, i) => Date.UTC(2023, 0, 1) + i * hour);
  const agent = times.map((_, i) => 100 + i);
  const hold = times.map((_, i) => 200 - i);
  // 11 points into 3: indices round(0 · 10/2) = 0, 5, 10.
  t.deepEqual(downsampleEquity(times, agent, hold, 3), {
    times: ['2023-01-01T00:00:00.000Z', '2023-01-01T05:00:00.000Z', '2023-01-01T10:00:00.000Z'],
    agent: [100, 105, 110],
    buyAndHold: [200, 195, 190],
  });
  // 11 points into 4: round(0), round(3.33) = 3, round(6.67) = 7, 10.
  t.deepEqual(downsampleEquity(times, agent, hold, 4).agent, [100, 103, 107, 110]);
  t.is(downsampleEquity(times, agent, hold).times.length, 11);
  t.throws(() => downsampleEquity(times, agent.slice(1), hold), { message: /agent \(10\)/ });
  t.throws(() => downsampleEquity(times, agent, hold, 1), { message: /maxPoints 1/ });
});
