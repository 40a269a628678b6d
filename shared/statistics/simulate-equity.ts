import { STATISTICS_DEFAULTS } from './defaults.js';
import { sharpe } from './sharpe.js';
import { checkFeeRate, checkFiniteSeries, checkPositive, checkSameLength } from './validate.js';

/**
 * A decision series to replay: the price moves of the decision hours, the positions taken, and
 * where the episodes (walk-forward folds) restart.
 */
export interface DecisionSeries {
  /** moves[k] = close[t + 1] / close[t] for the k-th decision hour t: what a long position earns. */
  moves: ArrayLike<number>;
  /** positions[k] = 0 (flat) or 1 (long), held from decision k to k + 1. */
  positions: ArrayLike<number>;
  /**
   * Indices into moves where an episode starts flat with fresh cash (the folds of a pooled
   * walk-forward series); must begin with 0 and increase. Default [0]: one episode.
   */
  segmentStarts?: ArrayLike<number>;
}

/** The replayed equity of a decision series: what worker/environment.ts and computeMetrics give. */
export interface SimulatedEquity {
  /** Hourly simple returns, bit-for-bit the environment's values[k + 1] / values[k] − 1, fold by fold. */
  returns: Float64Array;
  /**
   * The pooled equity curve (length moves.length + 1) from initialCash: each fold restarts flat and
   * its growth compounds on the cash the previous fold ended with. Within the first fold it equals
   * the environment's values exactly.
   */
  values: Float64Array;
  /** P/L of the pooled curve, in %. */
  pnlPct: number;
  /** Annualised Sharpe of `returns`; null when they have no variance. */
  sharpe: number | null;
  /** Largest peak-to-trough fall of the pooled curve, in % of the peak. */
  maxDrawdownPct: number;
  /** Round trips: entries into a long position (a position open at a fold's end counts). */
  trades: number;
  /** Share of hours held long. */
  exposure: number;
  /** Share of decisions that change the position (each fold starts flat). */
  switchRate: number;
}

/** The figures of one replay that the statistics summarise (no arrays). */
export interface EquitySummary {
  pnlPct: number;
  maxDrawdownPct: number;
  trades: number;
  longHours: number;
  switches: number;
}

/**
 * Checks a decision series and returns its segment starts with a sentinel (moves.length) appended.
 * Throws one line naming the argument at fault.
 */
export function checkDecisionSeries(fn: string, series: DecisionSeries): Int32Array {
  const { moves, positions, segmentStarts = [0] } = series;
  checkFiniteSeries(fn, 'moves', moves, 1);
  for (let k = 0; k < moves.length; k++) {
    if (!(moves[k]! > 0)) throw new Error(`${fn}: moves[${k}] is ${moves[k]}, need a positive price ratio`);
  }
  if (positions === null || typeof positions !== 'object' || typeof positions.length !== 'number') {
    throw new Error(`${fn}: positions must be an array of 0 and 1`);
  }
  checkSameLength(fn, 'moves', moves, 'positions', positions);
  for (let k = 0; k < positions.length; k++) {
    const p = positions[k];
    if (p !== 0 && p !== 1)
      throw new Error(`${fn}: positions[${k}] is ${String(p)}, need 0 (flat) or 1 (long)`);
  }
  if (segmentStarts === null || typeof segmentStarts !== 'object' || segmentStarts.length < 1) {
    throw new Error(`${fn}: segmentStarts must be a non-empty array starting with 0`);
  }
  const starts = new Int32Array(segmentStarts.length + 1);
  for (let s = 0; s < segmentStarts.length; s++) {
    const start = segmentStarts[s]!;
    const previous = s === 0 ? -1 : segmentStarts[s - 1]!;
    if (!Number.isInteger(start) || start <= previous || start >= moves.length || (s === 0 && start !== 0)) {
      throw new Error(
        `${fn}: segmentStarts[${s}] is ${String(start)}, need increasing integers from 0 below moves.length ${moves.length}`,
      );
    }
    starts[s] = start;
  }
  starts[segmentStarts.length] = moves.length;
  return starts;
}

/**
 * Replays positions over moves with the environment's arithmetic, in the same order of floating
 * point operations (V ← V·(1 − fee) on a change, then V ← V·move when long, each fold from
 * `initialCash`), writing the hourly returns into `returnsOut` and, when given, the pooled curve
 * into `valuesOut`. Unchecked and allocation-free: the random baseline calls it per draw.
 */
export function replayInto(
  moves: ArrayLike<number>,
  positions: ArrayLike<number>,
  starts: Int32Array,
  feeRate: number,
  initialCash: number,
  returnsOut: Float64Array,
  valuesOut: Float64Array | null,
): EquitySummary {
  const keep = 1 - feeRate;
  let pooled = initialCash;
  let peak = pooled;
  let worstFall = 0;
  let trades = 0;
  let longHours = 0;
  let switches = 0;
  if (valuesOut) valuesOut[0] = pooled;
  for (let s = 0; s + 1 < starts.length; s++) {
    // Scale of this fold's fresh-cash values onto the pooled curve: exactly 1 in the first fold.
    const scale = pooled / initialCash;
    let value = initialCash;
    let held = 0;
    for (let k = starts[s]!; k < starts[s + 1]!; k++) {
      const action = positions[k]!;
      let next = value;
      if (action !== held) {
        next *= keep;
        switches += 1;
        if (action === 1) trades += 1;
      }
      if (action === 1) {
        next *= moves[k]!;
        longHours += 1;
      }
      returnsOut[k] = next / value - 1;
      value = next;
      held = action;
      pooled = scale * value;
      if (valuesOut) valuesOut[k + 1] = pooled;
      if (pooled >= peak) peak = pooled;
      else {
        const fall = (peak - pooled) / peak;
        if (fall > worstFall) worstFall = fall;
      }
    }
  }
  return {
    pnlPct: (pooled / initialCash - 1) * 100,
    maxDrawdownPct: worstFall * 100,
    trades,
    longHours,
    switches,
  };
}

/**
 * Replays a decision series (one episode, or the folds of a pooled walk-forward series) at a fee
 * per side and returns its hourly returns, pooled equity and metrics, as the environment would.
 */
export function simulateEquity(
  options: DecisionSeries & { feeRate: number; initialCash?: number; periodsPerYear?: number },
): SimulatedEquity {
  const fn = 'simulateEquity';
  const starts = checkDecisionSeries(fn, options);
  const {
    moves,
    positions,
    feeRate,
    initialCash = STATISTICS_DEFAULTS.initialCash,
    periodsPerYear = STATISTICS_DEFAULTS.periodsPerYear,
  } = options;
  checkFeeRate(fn, 'feeRate', feeRate);
  checkPositive(fn, 'initialCash', initialCash);
  checkPositive(fn, 'periodsPerYear', periodsPerYear);
  const n = moves.length;
  const returns = new Float64Array(n);
  const values = new Float64Array(n + 1);
  const summary = replayInto(moves, positions, starts, feeRate, initialCash, returns, values);
  return {
    returns,
    values,
    pnlPct: summary.pnlPct,
    sharpe: sharpe(returns, periodsPerYear),
    maxDrawdownPct: summary.maxDrawdownPct,
    trades: summary.trades,
    exposure: summary.longHours / n,
    switchRate: summary.switches / n,
  };
}
