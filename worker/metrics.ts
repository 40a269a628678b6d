import { type EvalMetrics, HOURS_PER_YEAR, sharpe, sortino } from '../shared/index.js';

export { HOURS_PER_YEAR };

/** Hourly simple returns values[k+1] / values[k] − 1 of an equity curve. */
export function simpleReturns(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(Math.max(0, values.length - 1));
  for (let k = 0; k < out.length; k++) out[k] = values[k + 1]! / values[k]! - 1;
  return out;
}

/** Annualised Sharpe ratio: mean / sample std (n − 1) · √periodsPerYear, risk-free 0; null when std is 0 or n < 2. */
export function sharpeRatio(returns: ArrayLike<number>, periodsPerYear = HOURS_PER_YEAR): number | null {
  return sharpe(returns, periodsPerYear);
}

/**
 * Annualised Sortino ratio: mean / downside deviation · √periodsPerYear, where the downside deviation
 * is √(Σ min(r, 0)² / n) over all n returns (target 0); null when no return is negative.
 */
export function sortinoRatio(returns: ArrayLike<number>, periodsPerYear = HOURS_PER_YEAR): number | null {
  return sortino(returns, periodsPerYear);
}

/** Largest peak-to-trough fall of an equity curve, in % of the peak (a positive number, 0 if none). */
export function maxDrawdownPct(values: ArrayLike<number>): number {
  let peak = Number.NEGATIVE_INFINITY;
  let worst = 0;
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (v > peak) peak = v;
    const fall = (peak - v) / peak;
    if (fall > worst) worst = fall;
  }
  return worst * 100;
}

/**
 * A round trip: entered at decision `entry`, left at decision `exit` (flat again from there). A
 * position still open at the end has `open` set and `exit` = positions.length, the last candle.
 */
export interface RoundTrip {
  entry: number;
  exit: number;
  open: boolean;
}

/** The round trips of a position sequence (1 long, 0 flat), in order. */
export function roundTrips(positions: ArrayLike<number>): RoundTrip[] {
  const trips: RoundTrip[] = [];
  let entry = -1;
  for (let k = 0; k < positions.length; k++) {
    const long = positions[k] === 1;
    if (long && entry < 0) entry = k;
    else if (!long && entry >= 0) {
      trips.push({ entry, exit: k, open: false });
      entry = -1;
    }
  }
  if (entry >= 0) trips.push({ entry, exit: positions.length, open: true });
  return trips;
}

/**
 * The index into `values` where a round trip's result is read: after the exit fee (exit + 1), or
 * the last value for a position still open (marked to market, without an exit fee).
 */
export function roundTripEnd(trip: RoundTrip): number {
  return trip.open ? trip.exit : trip.exit + 1;
}

/**
 * Returns of each round trip, fees included: a trade entered at decision k (value before the entry
 * fee, values[k]) and exited at decision j (value after the exit fee, values[j + 1]) returns
 * values[j + 1] / values[k] − 1. A position still open at the end is closed at the last close for
 * this purpose, without an exit fee (matching finalValue, which marks the open position to market).
 */
export function tradeReturns(values: ArrayLike<number>, positions: ArrayLike<number>): number[] {
  return roundTrips(positions).map((trip) => values[roundTripEnd(trip)]! / values[trip.entry]! - 1);
}

/**
 * Out-of-sample metrics of an episode. `values[k]` is the portfolio value at decision k before
 * its trade (values[0] the starting value, values[S] the value after the last settled hour) and
 * `positions[k]` the position (0 flat, 1 long) held from decision k to k + 1, so
 * values.length = positions.length + 1. P/L is reported on a nominal `initialCash`; ratios are
 * annualised with `annualization` periods per year.
 */
export function computeMetrics(
  values: ArrayLike<number>,
  positions: ArrayLike<number>,
  initialCash = 10_000,
  annualization = HOURS_PER_YEAR,
): EvalMetrics {
  if (values.length !== positions.length + 1) {
    throw new Error(
      `computeMetrics: values has ${values.length} points, need positions.length + 1 = ${positions.length + 1}`,
    );
  }
  if (positions.length < 1) throw new Error('computeMetrics: need at least one step');
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (!(v > 0 && Number.isFinite(v)))
      throw new Error(`computeMetrics: values[${k}] is ${v}, need a positive number`);
  }
  let held = 0;
  for (let k = 0; k < positions.length; k++) {
    const p = positions[k];
    if (p !== 0 && p !== 1) throw new Error(`computeMetrics: positions[${k}] is ${p}, need 0 or 1`);
    held += p;
  }
  const growth = values[values.length - 1]! / values[0]!;
  const trades = tradeReturns(values, positions);
  const returns = simpleReturns(values);
  let wins = 0;
  for (const r of trades) if (r > 0) wins += 1;
  return {
    pnlPct: (growth - 1) * 100,
    pnlUsd: initialCash * (growth - 1),
    finalValue: initialCash * growth,
    winRate: trades.length > 0 ? wins / trades.length : null,
    trades: trades.length,
    sharpe: sharpeRatio(returns, annualization),
    sortino: sortinoRatio(returns, annualization),
    maxDrawdownPct: maxDrawdownPct(values),
    exposure: held / positions.length,
  };
}
