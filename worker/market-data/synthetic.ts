import { Rng } from '../rng.js';
import { type Candle, type CandleSeries, HOUR_MS, seriesFromCandles } from './candles.js';

export interface SyntheticOptions {
  hours: number;
  seed: number;
  /** The series ends with the last whole hour before `end`. */
  end: Date;
  startPrice?: number;
  /** Long-run daily volatility of log returns (0.04 = 4 %, typical of large crypto pairs). */
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

/**
 * A seeded synthetic hourly market for demos without network: GARCH(1,1) volatility with
 * Student-t shocks and switching drift regimes; open = previous close, intrahour high/low and a
 * volume that rises with the size of the move. Same (pair, seed, hours, end) → same candles.
 */
export function generateSyntheticCandles(pair: string, options: SyntheticOptions): CandleSeries {
  const { hours, seed, end, startPrice = 100, dailyVol = 0.04 } = options;
  const rng = new Rng((seed ^ hashString(pair)) >>> 0);
  const longRunVar = dailyVol ** 2 / 24;
  const omega = longRunVar * (1 - ALPHA - BETA);
  const last = Math.floor(end.getTime() / HOUR_MS) * HOUR_MS - HOUR_MS;
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
  return seriesFromCandles(pair, candles, {
    source: 'synthetic',
    file: null,
    warnings: [`synthetic market (seed ${seed}): generated candles, not real data`],
  });
}
