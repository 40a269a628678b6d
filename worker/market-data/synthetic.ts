import type { SyntheticKind } from '../../shared/index.js';
import { Rng } from '../rng.js';
import { type Candle, type CandleSeries, HOUR_MS, seriesFromCandles } from './candles.js';

export interface SyntheticOptions {
  hours: number;
  seed: number;
  /** The series ends with the last whole hour before `end`. */
  end: Date;
  /** What to generate (see SyntheticKindSchema); `market` unless told otherwise. */
  kind?: SyntheticKind;
  startPrice?: number;
  /** Long-run daily volatility of log returns (0.04 = 4 %, typical of large crypto pairs); `market` only. */
  dailyVol?: number;
}

// GARCH(1,1) on hourly returns: α + β = 0.98 gives volatility clusters lasting days, as in crypto.
const ALPHA = 0.06;
const BETA = 0.92;
// Student-t with 4 degrees of freedom: fat tails (excess kurtosis) like real hourly returns.
const NU = 4;
// Drift regimes (bull / bear / flat) switch about once every three weeks, so trends exist to learn.
const REGIME_SWITCH = 1 / 500;
const REGIME_DRIFT = [0.6 / 8760, -0.6 / 8760, 0];

/** FNV-1a, so that one seed gives each pair its own market. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Student-t(ν) scaled to unit variance. */
function studentT(rng: Rng): number {
  let chi2 = 0;
  for (let i = 0; i < NU; i++) chi2 += rng.normal() ** 2;
  return (rng.normal() / Math.sqrt(chi2 / NU)) * Math.sqrt((NU - 2) / NU);
}

const DESCRIPTIONS: Record<SyntheticKind, string> = {
  market: 'synthetic market',
  planted: 'synthetic PLANTED-SIGNAL market (a momentum rule the oracle knows)',
  'random-walk': 'synthetic driftless RANDOM WALK (nothing to learn)',
};

/**
 * Seeded synthetic hourly candles, of the kind asked for (`market` by default): see
 * generateMarket, generatePlanted and generateRandomWalk. Same (kind, pair, seed, hours, end) →
 * same candles; every series says in its warnings that it is generated, not real.
 */
export function generateSyntheticCandles(pair: string, options: SyntheticOptions): CandleSeries {
  const kind = options.kind ?? 'market';
  const rng = new Rng((options.seed ^ hashString(kind === 'market' ? pair : `${kind}:${pair}`)) >>> 0);
  const last = Math.floor(options.end.getTime() / HOUR_MS) * HOUR_MS - HOUR_MS;
  const candles =
    kind === 'market'
      ? generateMarket(rng, options, last)
      : generateDriftOnly(rng, options, last, kind === 'planted');
  return seriesFromCandles(pair, candles, {
    source: 'synthetic',
    file: null,
    warnings: [`${DESCRIPTIONS[kind]} (seed ${options.seed}): generated candles, not real data`],
  });
}

/**
 * The demo market: GARCH(1,1) volatility with Student-t shocks and switching drift regimes;
 * open = previous close, intrahour high/low and a volume that rises with the size of the move.
 */
function generateMarket(rng: Rng, options: SyntheticOptions, last: number): Candle[] {
  const { hours, startPrice = 100, dailyVol = 0.04 } = options;
  const longRunVar = dailyVol ** 2 / 24;
  const omega = longRunVar * (1 - ALPHA - BETA);
  let variance = longRunVar;
  let shock = 0;
  let regime = 2;
  let price = startPrice;
  const candles: Candle[] = [];
  for (let i = 0; i < hours; i++) {
    variance = Math.min(omega + ALPHA * shock ** 2 + BETA * variance, 50 * longRunVar);
    if (rng.next() < REGIME_SWITCH) regime = rng.int(3);
    const sigma = Math.sqrt(variance);
    shock = sigma * studentT(rng);
    const open = price;
    const close = open * Math.exp(REGIME_DRIFT[regime]! - variance / 2 + shock);
    const high = Math.max(open, close) * Math.exp(0.5 * sigma * Math.abs(rng.normal()));
    const low = Math.min(open, close) * Math.exp(-0.5 * sigma * Math.abs(rng.normal()));
    const volume = 1000 * Math.exp(0.4 * rng.normal()) * (1 + Math.abs(shock) / sigma);
    candles.push({ time: last - (hours - 1 - i) * HOUR_MS, open, high, low, close, volume });
    price = close;
  }
  return candles;
}

/** Hours of the momentum the planted rule reads: log(close[t] / close[t − 12]), the sum of the last 12 returns. */
export const PLANTED_LOOKBACK = 12;
/** Hourly σ of the planted and random-walk kinds' log returns (≈ 0.5 %, BTC-like). */
export const PLANTED_SIGMA = 0.005;
/**
 * The planted drift per hour: +μ after a rising 12 hours, −μ after a falling one. With σ = 0.5 %
 * the hour's direction is right 66 % of the time; a regime lasts about a day, so the oracle's edge
 * (μ per long hour) is many times its fees.
 */
export const PLANTED_DRIFT = 0.002;
/**
 * Pull of the log price back to its starting level, per hour (a 50-hour time scale). Without it the
 * momentum rule makes long trends and buy-and-hold's result swings with the seed; with it the series
 * has no trend over weeks, so the agent is compared with a buy-and-hold that earns nothing on
 * average. Simulated on 8 seeds of a year: the oracle's Sharpe on the test slice 19–22, buy-and-hold's
 * within ±1. Chosen, with the drift, so that the default agent learns the rule within 10 episodes
 * on 5 of 5 seeds (bench/learnability.ts); a weaker one (drift 0.0012, pull 0.01) reached half the
 * oracle on only 5 of 7.
 */
export const PLANTED_PULL = 0.02;

/**
 * `planted`: log returns r[t+1] = ±μ − pull · (log close[t] − log start) + σ·ε (Gaussian, constant
 * σ), where the sign of μ is that of the last 12 hours' move, log(close[t] / close[t − 12]): a rule
 * read from past returns, which the agent's 12 lagged returns contain. `random-walk` is i.i.d.
 * Gaussian log returns with mean 0 and no pull: no structure at all. High, low and volume carry no
 * information in either.
 */
function generateDriftOnly(rng: Rng, options: SyntheticOptions, last: number, planted: boolean): Candle[] {
  const { hours, startPrice = 100 } = options;
  const level = Math.log(startPrice);
  const logClose = new Float64Array(hours);
  const candles: Candle[] = [];
  let price = startPrice;
  for (let i = 0; i < hours; i++) {
    let mean = 0;
    if (planted && i > PLANTED_LOOKBACK) {
      const momentum = logClose[i - 1]! - logClose[i - 1 - PLANTED_LOOKBACK]!;
      mean = Math.sign(momentum) * PLANTED_DRIFT - PLANTED_PULL * (logClose[i - 1]! - level);
    }
    const open = price;
    const close = open * Math.exp(mean + PLANTED_SIGMA * rng.normal());
    const high = Math.max(open, close) * Math.exp(0.5 * PLANTED_SIGMA * Math.abs(rng.normal()));
    const low = Math.min(open, close) * Math.exp(-0.5 * PLANTED_SIGMA * Math.abs(rng.normal()));
    const volume = 1000 * Math.exp(0.4 * rng.normal());
    candles.push({ time: last - (hours - 1 - i) * HOUR_MS, open, high, low, close, volume });
    logClose[i] = Math.log(close);
    price = close;
  }
  return candles;
}

/** The oracle's decisions and result on a slice of a `planted` series. */
export interface OracleRun {
  /** Position held from candle start + k to start + k + 1 (1 long, 0 flat). */
  positions: Uint8Array;
  /** Log of the portfolio's growth over the slice, after `feeRate` per change of position. */
  logReturn: number;
  trades: number;
}

/**
 * The planted rule's oracle on candles [start, end) in the environment's convention (decisions at
 * start … end − 2, starting flat): long from hour t exactly when close[t] > close[t − 12], so it
 * holds during every rising-drift hour and never during a falling one. Its log return is the sum
 * of the hours it holds plus log(1 − fee) per change of position, as the environment counts it.
 */
export function plantedOracle(
  close: ArrayLike<number>,
  range: { start: number; end: number },
  feeRate: number,
): OracleRun {
  const { start, end } = range;
  if (!(start >= PLANTED_LOOKBACK && end <= close.length && end - start >= 2)) {
    throw new Error(
      `plantedOracle: range [${start}, ${end}) must lie within [${PLANTED_LOOKBACK}, ${close.length}) and hold 2 candles`,
    );
  }
  const positions = new Uint8Array(end - start - 1);
  let held = 0;
  let logReturn = 0;
  let trades = 0;
  for (let t = start; t < end - 1; t++) {
    const action = close[t]! > close[t - PLANTED_LOOKBACK]! ? 1 : 0;
    if (action !== held) {
      logReturn += Math.log1p(-feeRate);
      if (action === 1) trades++;
    }
    if (action === 1) logReturn += Math.log(close[t + 1]! / close[t]!);
    positions[t - start] = action;
    held = action;
  }
  return { positions, logReturn, trades };
}
