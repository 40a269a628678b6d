import test from 'ava';
import { checkCandles } from './candle-checks.js';
import { HOUR_MS } from './candles.js';
import { generateSyntheticCandles } from './synthetic.js';

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
