import { readdirSync } from 'node:fs';
import test from 'ava';
import { loadRealCandles, SHARED_DATA_DIR } from '../test/helpers/real-candles.js';
import {
  computeFeatures,
  FEATURE_LOOKBACK,
  FEATURE_VERSION,
  featureNames,
  fitFeatureSettings,
  type PriceSeries,
  parseFeatureSettings,
} from './features.js';
import { Rng } from './rng.js';
import { splitIndex } from './split.js';

const near = (actual: number, expected: number, rel = 1e-5) =>
  Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected));

test('layout: window of returns, then the indicators; rows before the warm-up are zero', (t) => {
  const candles = loadRealCandles('BTC_USD');
  const settings = fitFeatureSettings(candles, { windowSize: 24, trainEnd: splitIndex(8760, 0.2) });
  const f = computeFeatures(candles, settings);
  t.is(settings.version, FEATURE_VERSION);
  t.is(f.width, 24 + 8);
  t.deepEqual(f.names, featureNames(24));
  t.is(f.names[0], 'logret_lag0');
  t.is(f.names.at(-1), 'volume_z_168');
  t.is(f.rows, 8760);
  t.is(f.data.length, 8760 * f.width);
  t.is(f.firstValidIndex, FEATURE_LOOKBACK);
  t.true(f.data.subarray(0, f.firstValidIndex * f.width).every((x) => x === 0));
  t.true(f.data.every(Number.isFinite));
  // A window longer than the lookback moves the warm-up.
  t.is(computeFeatures(candles, { ...settings, windowSize: 200 }).firstValidIndex, 200);
});

test('values at one hour match a direct computation from the BTC candles', (t) => {
  const c = loadRealCandles('BTC_USD');
  const settings = fitFeatureSettings(c, { windowSize: 24, trainEnd: 7008 });
  const s = settings.returnScale;
  const f = computeFeatures(c, settings);
  const at = 5000;
  const row = (name: string) => f.data[at * f.width + f.names.indexOf(name)]!;
  const lr = (k: number) => Math.log(c.close[k]! / c.close[k - 1]!);
  t.true(near(row('logret_lag0'), lr(at) * s));
  t.true(near(row('logret_lag5'), lr(at - 5) * s));
  let up = 0;
  let down = 0;
  for (let k = at - 13; k <= at; k++)
    (lr(k) > 0 ? (v: number) => (up += v) : (v: number) => (down -= v))(lr(k));
  t.true(near(row('rsi_14'), (up - down) / (up + down)));
  let sma = 0;
  for (let k = at - 23; k <= at; k++) sma += c.close[k]! / 24;
  t.true(near(row('sma_24_gap'), (Math.log(c.close[at]! / sma) * s) / Math.sqrt((23 * 47) / 144)));
  const logVol = Array.from(c.volume.subarray(at - 167, at + 1), Math.log1p);
  const mean = logVol.reduce((a, b) => a + b) / 168;
  const sd = Math.sqrt(logVol.reduce((a, b) => a + (b - mean) ** 2, 0) / 167);
  t.true(near(row('volume_z_168'), (Math.log1p(c.volume[at]!) - mean) / sd));
  t.true(near(row('range_1h'), (Math.log(c.high[at]! / c.low[at]!) / Math.sqrt(4 * Math.LN2)) * s));
});

test('features of every real pair are finite and bounded', (t) => {
  const stems = readdirSync(SHARED_DATA_DIR)
    .filter((name) => name.endsWith('_data.csv'))
    .map((name) => name.replace(/_data\.csv$/, ''));
  t.is(stems.length, 15);
  for (const stem of stems) {
    const c = loadRealCandles(stem);
    const f = computeFeatures(
      c,
      fitFeatureSettings(c, { windowSize: 24, trainEnd: splitIndex(c.close.length, 0.2) }),
    );
    t.true(
      f.data.every((x) => Number.isFinite(x) && Math.abs(x) <= 10),
      stem,
    );
  }
});

/** A geometric random walk with hourly σ, so every normalised feature should have std ≈ 1. */
function randomWalk(n: number, sigma: number, seed: number): PriceSeries {
  const rng = new Rng(seed);
  const close = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const volume = new Float64Array(n);
  let price = 100;
  for (let i = 0; i < n; i++) {
    const open = price;
    price *= Math.exp(sigma * rng.normal());
    close[i] = price;
    high[i] = Math.max(open, price);
    low[i] = Math.min(open, price);
    volume[i] = Math.exp(5 + rng.normal());
  }
  return { times: Float64Array.from({ length: n }, (_, i) => i * 3_600_000), close, high, low, volume };
}

test('normalisation: on a random walk with σ = 1 %, returnScale ≈ 100 and features have unit scale', (t) => {
  const series = randomWalk(20_000, 0.01, 7);
  const settings = fitFeatureSettings(series, { windowSize: 4, trainEnd: 16_000 });
  // The MAD estimator · 1.4826 is σ for normal returns.
  t.true(Math.abs(settings.returnScale - 100) < 3, `returnScale ${settings.returnScale}`);
  const f = computeFeatures(series, settings);
  const std = (name: string) => {
    const j = f.names.indexOf(name);
    let sum = 0;
    let sq = 0;
    const count = f.rows - f.firstValidIndex;
    for (let r = f.firstValidIndex; r < f.rows; r++) {
      const x = f.data[r * f.width + j]!;
      sum += x;
      sq += x * x;
    }
    return Math.sqrt(sq / count - (sum / count) ** 2);
  };
  t.true(Math.abs(std('logret_lag0') - 1) < 0.05, `logret ${std('logret_lag0')}`);
  t.true(Math.abs(std('sma_24_gap') - 1) < 0.1, `sma24 ${std('sma_24_gap')}`);
  t.true(Math.abs(std('sma_168_gap') - 1) < 0.25, `sma168 ${std('sma_168_gap')}`);
  t.true(Math.abs(std('macd_12_26') - 1) < 0.2, `macd ${std('macd_12_26')}`);
  t.true(Math.abs(std('volume_z_168') - 1) < 0.1, `volume z ${std('volume_z_168')}`);
});

test('returnScale is fitted on the training slice only', (t) => {
  const c = loadRealCandles('ETH_USD');
  const before = fitFeatureSettings(c, { windowSize: 24, trainEnd: 7008 });
  for (let i = 7008; i < c.close.length; i++) c.close[i]! *= 1 + (i % 2 ? 0.2 : -0.2);
  t.deepEqual(fitFeatureSettings(c, { windowSize: 24, trainEnd: 7008 }), before);
  c.close[100]! *= 1.5;
  c.close[200]! *= 0.5;
  for (let i = 1000; i < 3000; i++) c.close[i]! *= 1 + (i % 2 ? 0.01 : -0.01);
  t.not(fitFeatureSettings(c, { windowSize: 24, trainEnd: 7008 }).returnScale, before.returnScale);
});

test('row t reads only candles [t − lookback, t]', (t) => {
  const c = loadRealCandles('BTC_USD');
  const settings = fitFeatureSettings(c, { windowSize: 24, trainEnd: 7008 });
  const at = 4000;
  const before = computeFeatures(c, settings).data.slice(at * 32, at * 32 + 32);
  for (let i = 0; i < at - FEATURE_LOOKBACK; i++) {
    c.close[i]! *= 2;
    c.high[i]! *= 2;
    c.low[i]! *= 2;
    c.volume[i]! *= 7;
  }
  t.deepEqual(computeFeatures(c, settings).data.slice(at * 32, at * 32 + 32), before);
});

test('bad candles and settings name the field and index', (t) => {
  const c = loadRealCandles('BTC_USD');
  const settings = fitFeatureSettings(c, { windowSize: 24, trainEnd: 7008 });
  c.close[42] = Number.NaN;
  t.throws(() => computeFeatures(c, settings), { message: /computeFeatures: series.close\[42\] is NaN/ });
  const d = loadRealCandles('BTC_USD');
  d.low[7] = d.high[7]! + 1;
  t.throws(() => computeFeatures(d, settings), { message: /candle 7 has high .* need high ≥ low > 0/ });
  const e = loadRealCandles('BTC_USD');
  t.throws(() => computeFeatures({ ...e, volume: e.volume.subarray(1) }, settings), {
    message: /series.volume has 8759 values, series.close has 8760/,
  });
  t.throws(() => parseFeatureSettings({ ...settings, version: 99 }, 'models/x/features.json'), {
    message: /models\/x\/features.json: feature settings field "version"/,
  });
  t.throws(() => parseFeatureSettings({ ...settings, returnScale: -1 }, 'f.json'), {
    message: /"returnScale"/,
  });
  t.deepEqual(parseFeatureSettings(JSON.parse(JSON.stringify(settings)), 'f.json'), settings);
  const flat = { ...e, close: new Float64Array(e.close.length).fill(5) };
  t.throws(() => fitFeatureSettings(flat, { windowSize: 24, trainEnd: 100 }), {
    message: /close is constant/,
  });
  t.throws(() => fitFeatureSettings(e, { windowSize: 24, trainEnd: 9000 }), { message: /trainEnd 9000/ });
});
