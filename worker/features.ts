import { z } from 'zod';

/**
 * Bumped whenever a feature's definition changes, so a saved model refuses features it was not
 * trained on. Version 1 is the list in `featureNames`.
 */
export const FEATURE_VERSION = 1;

/** Every feature at hour t reads only candles [t − FEATURE_LOOKBACK, t]. */
export const FEATURE_LOOKBACK = 168;

/** The candle columns the features read; worker/market-data's CandleSeries satisfies it. */
export interface PriceSeries {
  times: Float64Array;
  close: Float64Array;
  high: Float64Array;
  low: Float64Array;
  volume: Float64Array;
}

/** What a saved model records to rebuild its inputs exactly. */
export const FeatureSettingsSchema = z.object({
  version: z.literal(FEATURE_VERSION),
  /** Number of past hourly log returns in each row. */
  windowSize: z.number().int().min(2).max(256),
  /**
   * Multiplier that brings an hourly log return to unit scale: 1 / robust σ of the training
   * slice's returns (see fitFeatureSettings). Fitted once on training candles only.
   */
  returnScale: z.number().positive(),
});
export type FeatureSettings = z.infer<typeof FeatureSettingsSchema>;

/** Row-major n × width matrix of features, one row per candle; rows before firstValidIndex are 0. */
export interface FeatureMatrix {
  data: Float32Array;
  rows: number;
  width: number;
  firstValidIndex: number;
  names: string[];
  settings: FeatureSettings;
}

// Return-like inputs are clipped so a crash candle cannot saturate the network.
const RETURN_CLIP = 10;
const VOLUME_Z_CLIP = 5;
const EMA_FAST = 2 / 13;
const EMA_SLOW = 2 / 27;

/** Standard deviation of x_t − mean(x_{t−n+1..t}) for a unit-step random walk. */
function smaGapScale(n: number): number {
  return Math.sqrt(((n - 1) * (2 * n - 1)) / (6 * n));
}

/** Standard deviation of EMA_fast − EMA_slow of a unit-step random walk (infinite history). */
function macdScale(): number {
  const a = 1 - EMA_FAST;
  const b = 1 - EMA_SLOW;
  return Math.sqrt((b * b) / (1 - b * b) - (2 * a * b) / (1 - a * b) + (a * a) / (1 - a * a));
}

const SMA24_SCALE = smaGapScale(24);
const SMA168_SCALE = smaGapScale(168);
const MACD_SCALE = macdScale();
// Parkinson: σ ≈ ln(high/low) / √(4 ln 2) for one candle.
const RANGE_SCALE = Math.sqrt(4 * Math.LN2);

/** Names of the columns of a feature row, in order (the position is appended by the environment). */
export function featureNames(windowSize: number): string[] {
  const names: string[] = [];
  for (let lag = 0; lag < windowSize; lag++) names.push(`logret_lag${lag}`);
  names.push(
    'vol_24h',
    'vol_168h',
    'range_1h',
    'rsi_14',
    'sma_24_gap',
    'sma_168_gap',
    'macd_12_26',
    'volume_z_168',
  );
  return names;
}

/** The first candle index whose features have their full history. */
export function firstValidIndex(windowSize: number): number {
  return Math.max(windowSize, FEATURE_LOOKBACK);
}

function checkSeries(series: PriceSeries, where: string): number {
  const n = series.close.length;
  for (const key of ['times', 'high', 'low', 'volume'] as const) {
    if (series[key].length !== n) {
      throw new Error(`${where}: series.${key} has ${series[key].length} values, series.close has ${n}`);
    }
  }
  for (let i = 0; i < n; i++) {
    const c = series.close[i]!;
    const h = series.high[i]!;
    const l = series.low[i]!;
    const v = series.volume[i]!;
    if (!(c > 0 && Number.isFinite(c)))
      throw new Error(`${where}: series.close[${i}] is ${c}, need a positive number`);
    if (!(l > 0 && h >= l && Number.isFinite(h))) {
      throw new Error(`${where}: candle ${i} has high ${h} and low ${l}, need high ≥ low > 0`);
    }
    if (!(v >= 0 && Number.isFinite(v))) throw new Error(`${where}: series.volume[${i}] is ${v}, need ≥ 0`);
  }
  return n;
}

/**
 * Settings for a pair: `returnScale` = 1 / (1.4826 · median absolute deviation) of the hourly log
 * returns among candles [0, trainEnd) — the training slice only, never the held-out test candles.
 * A robust σ, because a single crash hour would inflate a plain standard deviation.
 */
export function fitFeatureSettings(
  series: PriceSeries,
  options: { windowSize: number; trainEnd: number },
): FeatureSettings {
  const { windowSize, trainEnd } = options;
  checkSeries(series, 'fitFeatureSettings');
  if (!Number.isInteger(trainEnd) || trainEnd < 3 || trainEnd > series.close.length) {
    throw new Error(
      `fitFeatureSettings: trainEnd ${trainEnd} must be an integer in [3, ${series.close.length}]`,
    );
  }
  const returns = new Float64Array(trainEnd - 1);
  for (let i = 1; i < trainEnd; i++) returns[i - 1] = Math.log(series.close[i]! / series.close[i - 1]!);
  const median = (xs: Float64Array) => {
    const s = xs.slice().sort();
    const m = s.length >> 1;
    return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  };
  const center = median(returns);
  let sigma = 1.4826 * median(returns.map((r) => Math.abs(r - center)));
  if (!(sigma > 0)) {
    // Coarse ticks can make most returns exactly 0; fall back to the plain standard deviation.
    let sum = 0;
    for (const r of returns) sum += r * r;
    sigma = Math.sqrt(sum / Math.max(1, returns.length - 1));
  }
  if (!(sigma > 0))
    throw new Error(`fitFeatureSettings: close is constant over the ${trainEnd} training candles`);
  return FeatureSettingsSchema.parse({ version: FEATURE_VERSION, windowSize, returnScale: 1 / sigma });
}

/** Validates feature settings read from a file (e.g. beside a saved model), naming the source. */
export function parseFeatureSettings(value: unknown, source: string): FeatureSettings {
  const parsed = FeatureSettingsSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || '(root)';
    throw new Error(`${source}: feature settings field "${field}": ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

const clip = (x: number, limit: number) => Math.min(limit, Math.max(-limit, x));

/** Sample standard deviation (n − 1) of xs[from..to]. */
function windowStd(xs: Float64Array, from: number, to: number): number {
  const count = to - from + 1;
  let mean = 0;
  for (let k = from; k <= to; k++) mean += xs[k]!;
  mean /= count;
  let ss = 0;
  for (let k = from; k <= to; k++) {
    const d = xs[k]! - mean;
    ss += d * d;
  }
  return Math.sqrt(ss / (count - 1));
}

/**
 * Computes every feature of a pair once, from the past only: row t reads candles
 * [t − FEATURE_LOOKBACK, t] and nothing later. Columns (all roughly unit-scale under a random walk
 * whose hourly σ is 1 / returnScale):
 * - `logret_lagK`: log(close[t−K] / close[t−K−1]) · returnScale, clipped to ±10;
 * - `vol_24h`, `vol_168h`: sample std of the last 24 / 168 log returns · returnScale;
 * - `range_1h`: Parkinson σ of candle t, ln(high/low) / √(4 ln 2) · returnScale;
 * - `rsi_14`: Cutler's RSI over 14 returns mapped to [−1, 1] ((gains − losses) / (gains + losses));
 * - `sma_24_gap`, `sma_168_gap`: log(close / SMA_n) · returnScale over its random-walk std;
 * - `macd_12_26`: EMA12 − EMA26 of log close, EMAs seeded at t − 168 (weight left there < 3e-6),
 *   · returnScale over its random-walk std;
 * - `volume_z_168`: z-score of log(1 + volume) against the last 168 hours, clipped to ±5.
 * Gaps in the series are not filled: a missing hour makes one 2-hour return.
 */
export function computeFeatures(series: PriceSeries, settings: FeatureSettings): FeatureMatrix {
  const checked = parseFeatureSettings(settings, 'computeFeatures');
  const n = checkSeries(series, 'computeFeatures');
  const { windowSize, returnScale: s } = checked;
  const names = featureNames(windowSize);
  const width = names.length;
  const first = firstValidIndex(windowSize);
  const data = new Float32Array(n * width);
  if (n <= first) {
    return { data, rows: n, width, firstValidIndex: Math.min(first, n), names, settings: checked };
  }

  const close = series.close;
  const logClose = new Float64Array(n);
  const logReturn = new Float64Array(n);
  const logVolume = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    logClose[i] = Math.log(close[i]!);
    logVolume[i] = Math.log1p(series.volume[i]!);
    if (i > 0) logReturn[i] = logClose[i]! - logClose[i - 1]!;
  }

  for (let t = first; t < n; t++) {
    let o = t * width;
    for (let lag = 0; lag < windowSize; lag++) data[o++] = clip(logReturn[t - lag]! * s, RETURN_CLIP);
    data[o++] = clip(windowStd(logReturn, t - 23, t) * s, RETURN_CLIP);
    data[o++] = clip(windowStd(logReturn, t - 167, t) * s, RETURN_CLIP);
    data[o++] = clip((Math.log(series.high[t]! / series.low[t]!) / RANGE_SCALE) * s, RETURN_CLIP);

    let gains = 0;
    let losses = 0;
    for (let k = t - 13; k <= t; k++) {
      const r = logReturn[k]!;
      if (r > 0) gains += r;
      else losses -= r;
    }
    data[o++] = gains + losses > 0 ? (gains - losses) / (gains + losses) : 0;

    let sum24 = 0;
    let sum168 = 0;
    for (let k = t - 167; k <= t; k++) {
      sum168 += close[k]!;
      if (k > t - 24) sum24 += close[k]!;
    }
    data[o++] = clip((Math.log((close[t]! * 24) / sum24) * s) / SMA24_SCALE, RETURN_CLIP);
    data[o++] = clip((Math.log((close[t]! * 168) / sum168) * s) / SMA168_SCALE, RETURN_CLIP);

    let fast = logClose[t - FEATURE_LOOKBACK]!;
    let slow = fast;
    for (let k = t - FEATURE_LOOKBACK + 1; k <= t; k++) {
      fast += EMA_FAST * (logClose[k]! - fast);
      slow += EMA_SLOW * (logClose[k]! - slow);
    }
    data[o++] = clip(((fast - slow) * s) / MACD_SCALE, RETURN_CLIP);

    let mean = 0;
    for (let k = t - 167; k <= t; k++) mean += logVolume[k]!;
    mean /= 168;
    const std = windowStd(logVolume, t - 167, t);
    data[o++] = std > 0 ? clip((logVolume[t]! - mean) / std, VOLUME_Z_CLIP) : 0;
  }
  return { data, rows: n, width, firstValidIndex: first, names, settings: checked };
}
