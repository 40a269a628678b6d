import { type EquityCurve, type EvalMetrics, HOURS_PER_YEAR } from '../shared/index.js';
import { Action, TradingEnvironment } from './environment.js';
import type { FeatureMatrix } from './features.js';
import { computeMetrics } from './metrics.js';

/** Maps an observation (feature row + position) to an action, 0 flat or 1 long. It must not keep the buffer. */
export type Policy = (observation: Float32Array) => number;

/** One pass of a policy: its metrics, equity curve and positions, aligned with candle times. */
export interface EpisodeRun {
  metrics: EvalMetrics;
  /** Portfolio value at each candle of the range (values[k] at times[k], before that hour's trade). */
  values: Float64Array;
  /** Position held from candle k to k + 1 (length values.length − 1). */
  positions: Uint8Array;
  /** Candle open times (epoch ms) of the range. */
  times: Float64Array;
}

/** The range and costs of an evaluation, usually the held-out test slice. */
export interface EvaluationOptions {
  start: number;
  end: number;
  feeRate?: number;
  initialCash?: number;
  /** Periods per year annualising Sharpe and Sortino (default 8760, hourly crypto). */
  annualization?: number;
}

interface Candles {
  times: Float64Array;
  close: Float64Array;
}

/** Runs `policy` once over the environment's whole range, from reset. */
export function runEpisode(
  env: TradingEnvironment,
  policy: Policy,
  times: Float64Array,
  annualization = HOURS_PER_YEAR,
): EpisodeRun {
  const values = new Float64Array(env.steps + 1);
  const positions = new Uint8Array(env.steps);
  let observation = env.reset();
  values[0] = env.value;
  for (let k = 0; k < env.steps; k++) {
    const action = policy(observation);
    const result = env.step(action);
    positions[k] = action;
    values[k + 1] = result.value;
    observation = result.observation;
  }
  return {
    metrics: computeMetrics(values, positions, env.initialCash, annualization),
    values,
    positions,
    times: times.slice(env.start, env.end),
  };
}

function environment(
  series: Candles,
  features: FeatureMatrix,
  options: EvaluationOptions,
): TradingEnvironment {
  if (series.times.length !== series.close.length) {
    throw new Error(
      `evaluate: series.times has ${series.times.length} values, series.close has ${series.close.length}`,
    );
  }
  return new TradingEnvironment(series, features, options);
}

/** Runs a greedy policy over [start, end) with the training environment's rules and fees. */
export function evaluatePolicy(
  policy: Policy,
  series: Candles,
  features: FeatureMatrix,
  options: EvaluationOptions,
): EpisodeRun {
  return runEpisode(environment(series, features, options), policy, series.times, options.annualization);
}

/**
 * Baseline: buy at the first hour's close (paying the fee once) and hold to the last close, so
 * its P/L is close[end − 1] / close[start] · (1 − feeRate) − 1 (no exit fee, like every curve here).
 */
export function buyAndHold(series: Candles, features: FeatureMatrix, options: EvaluationOptions): EpisodeRun {
  return evaluatePolicy(() => Action.long, series, features, options);
}

/**
 * At most `maxPoints` evenly spaced points of two aligned equity curves, always keeping the first
 * and the last, with ISO candle times.
 */
export function downsampleEquity(
  times: ArrayLike<number>,
  agent: ArrayLike<number>,
  buyAndHold: ArrayLike<number>,
  maxPoints = 200,
): EquityCurve {
  const n = times.length;
  if (agent.length !== n || buyAndHold.length !== n) {
    throw new Error(
      `downsampleEquity: times (${n}), agent (${agent.length}) and buyAndHold (${buyAndHold.length}) differ in length`,
    );
  }
  if (!Number.isInteger(maxPoints) || maxPoints < 2)
    throw new Error(`downsampleEquity: maxPoints ${maxPoints} must be an integer ≥ 2`);
  const curve: EquityCurve = { times: [], agent: [], buyAndHold: [] };
  const m = Math.min(n, maxPoints);
  for (let i = 0; i < m; i++) {
    const k = m === 1 ? 0 : Math.round((i * (n - 1)) / (m - 1));
    curve.times.push(new Date(times[k]!).toISOString());
    curve.agent.push(agent[k]!);
    curve.buyAndHold.push(buyAndHold[k]!);
  }
  return curve;
}
