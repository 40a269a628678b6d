import test from 'ava';
import { TradingEnvironment } from '../environment.js';
import { computeFeatures, fitFeatureSettings } from '../features.js';
import { checkCandles } from './candle-checks.js';
import { HOUR_MS } from './candles.js';
import {
  generateSyntheticCandles,
  PLANTED_DRIFT,
  PLANTED_LOOKBACK,
  PLANTED_SIGMA,
  plantedOracle,
} from './synthetic.js';

const end = new Date('2024-06-01T10:25:00Z');
const year = (seed: number, pair = 'BTC-USD') => generateSyntheticCandles(pair, { hours: 8760, seed, end });

function logReturns(close: Float64Array): number[] {
  const r: number[] = [];
  for (let i = 1; i < close.length; i++) r.push(Math.log(close[i]! / close[i - 1]!));
  return r;
}

test('same seed and pair give the same candles; another seed or pair does not', (t) => {
  const a = year(7);
  const b = year(7);
  for (const k of ['times', 'open', 'high', 'low', 'close', 'volume'] as const) t.deepEqual(a[k], b[k]);
  t.notDeepEqual(a.close, year(8).close);
  t.notDeepEqual(a.close, year(7, 'ETH-USD').close);
  t.is(a.source, 'synthetic');
  t.is(a.file, null);
  t.regex(a.warnings[0] ?? '', /not real data/);
});

test('hourly, gap-free, ending on the last whole hour, with consistent positive OHLCV', (t) => {
  const s = year(1);
  t.is(s.times.length, 8760);
  t.is(s.times[8759], Date.parse('2024-06-01T09:00:00Z'));
  for (let i = 1; i < s.times.length; i++) {
    if (s.times[i]! - s.times[i - 1]! !== HOUR_MS) return t.fail(`step at ${i}`);
  }
  t.is(s.gaps, 0);
  const rows = Array.from(s.times, (time, i) => ({
    line: i + 1,
    time,
    open: s.open[i]!,
    high: s.high[i]!,
    low: s.low[i]!,
    close: s.close[i]!,
    volume: s.volume[i]!,
  }));
  t.deepEqual(checkCandles(rows, 'synthetic'), []);
  t.true(s.volume.every((v) => v > 0));
});

test('annualised volatility and tails look like crypto across seeds', (t) => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const r = logReturns(year(seed).close);
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    const variance = r.reduce((a, b) => a + (b - mean) ** 2, 0) / r.length;
    const annualVol = Math.sqrt(variance * 8760);
    const kurtosis = r.reduce((a, b) => a + (b - mean) ** 4, 0) / r.length / variance ** 2;
    // 4 % daily ≈ 76 % a year; GARCH clusters move a single year around that.
    t.true(annualVol > 0.5 && annualVol < 1.1, `seed ${seed}: annualised vol ${annualVol.toFixed(2)}`);
    t.true(kurtosis > 4, `seed ${seed}: kurtosis ${kurtosis.toFixed(1)} (fat tails)`);
    t.log(`seed ${seed}: annualised vol ${annualVol.toFixed(3)}, kurtosis ${kurtosis.toFixed(1)}`);
  }
});

const kindYear = (kind: 'planted' | 'random-walk', seed: number) =>
  generateSyntheticCandles('BTC-USD', { hours: 8760, seed, end, kind });

/** Mean next-hour log return after a rising and after a falling 12 hours. */
function momentumSplit(close: Float64Array): { up: number; down: number } {
  let up = 0;
  let nUp = 0;
  let down = 0;
  let nDown = 0;
  for (let t = PLANTED_LOOKBACK; t + 1 < close.length; t++) {
    const next = Math.log(close[t + 1]! / close[t]!);
    if (close[t]! > close[t - PLANTED_LOOKBACK]!) {
      up += next;
      nUp++;
    } else {
      down += next;
      nDown++;
    }
  }
  return { up: up / nUp, down: down / nDown };
}

test('planted and random-walk kinds are seeded, differ from the market and say what they are', (t) => {
  t.deepEqual(kindYear('planted', 7).close, kindYear('planted', 7).close);
  t.notDeepEqual(kindYear('planted', 7).close, kindYear('planted', 8).close);
  t.notDeepEqual(kindYear('planted', 7).close, year(7).close);
  t.notDeepEqual(kindYear('random-walk', 7).close, kindYear('planted', 7).close);
  t.regex(kindYear('planted', 1).warnings[0]!, /PLANTED-SIGNAL .* not real data/);
  t.regex(kindYear('random-walk', 1).warnings[0]!, /RANDOM WALK .* not real data/);
  const rows = (s: ReturnType<typeof year>) =>
    Array.from(s.times, (time, i) => ({
      line: i + 1,
      time,
      open: s.open[i]!,
      high: s.high[i]!,
      low: s.low[i]!,
      close: s.close[i]!,
      volume: s.volume[i]!,
    }));
  t.deepEqual(checkCandles(rows(kindYear('planted', 3)), 'planted'), []);
  t.deepEqual(checkCandles(rows(kindYear('random-walk', 3)), 'random-walk'), []);
});

test('planted: the next hour drifts with the last 12 hours; the random walk has no such structure', (t) => {
  for (const seed of [1, 2, 3]) {
    const planted = momentumSplit(kindYear('planted', seed).close);
    // +μ after a rise, −μ after a fall (the pull to the level averages out): a gap of about 2μ.
    t.true(
      Math.abs(planted.up - planted.down - 2 * PLANTED_DRIFT) < 0.0008,
      `seed ${seed}: ${JSON.stringify(planted)}`,
    );
    const walk = momentumSplit(kindYear('random-walk', seed).close);
    t.true(Math.abs(walk.up - walk.down) < 0.0004, `seed ${seed}: ${JSON.stringify(walk)}`);
    const r = logReturns(kindYear('random-walk', seed).close);
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / r.length);
    t.true(Math.abs(mean) < 0.0002 && Math.abs(sd - PLANTED_SIGMA) < 0.0002, `seed ${seed}: ${mean}, ${sd}`);
  }
});

test('plantedOracle: its decisions and log return are what the environment gives for the same decisions', (t) => {
  const s = kindYear('planted', 5);
  const range = { start: 7008, end: 8760 };
  const oracle = plantedOracle(s.close, range, 0.001);
  const features = computeFeatures(s, fitFeatureSettings(s, { windowSize: 12, trainEnd: 5000 }));
  const env = new TradingEnvironment(s, features, { ...range, feeRate: 0.001, initialCash: 10_000 });
  env.reset();
  for (let k = 0; k < env.steps; k++) {
    const t0 = range.start + k;
    t.is(oracle.positions[k], s.close[t0]! > s.close[t0 - PLANTED_LOOKBACK]! ? 1 : 0);
    env.step(oracle.positions[k]!);
  }
  t.true(Math.abs(Math.log(env.value / 10_000) - oracle.logReturn) < 1e-9);
  t.true(oracle.logReturn > 0.3, `the oracle earns on the held-out part (${oracle.logReturn})`);
  t.true(oracle.trades > 10);
  t.throws(() => plantedOracle(s.close, { start: 5, end: 100 }, 0.001), { message: /must lie within \[12,/ });
});
