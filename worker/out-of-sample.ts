import type { EvalMetrics } from '../shared/index.js';
import { TradingEnvironment } from './environment.js';
import type { EpisodeRun } from './evaluate.js';
import type { FeatureMatrix } from './features.js';
import { computeMetrics } from './metrics.js';
import type { IndexRange } from './split.js';

/** Decides at candle `t` holding `held` (0 flat, 1 long); returns the action. */
export type Decide = (t: number, held: number) => number;

export interface OutOfSampleOptions {
  /** The whole out-of-sample part, [first test start, n). */
  range: IndexRange;
  /** The folds' test windows in order; they must tile `range` (see walkForwardFolds). */
  folds: readonly IndexRange[];
  feeRate: number;
  initialCash: number;
  annualization: number;
}

/** The pooled run and each fold's share of it. */
export interface OutOfSampleRun {
  run: EpisodeRun;
  /** Per fold: the metrics of its decision hours, measured from the value at its first hour. */
  folds: EvalMetrics[];
}

/**
 * Runs a decision rule over the out-of-sample part as one account: the environment's fills and
 * fees, hour after hour, the position carried across fold boundaries (in production the model is
 * replaced at a boundary; the holdings are not). The pooled series is what significance is
 * computed on; with one fold it is the single test slice's run.
 */
export function runOutOfSample(
  series: { close: Float64Array; times: Float64Array },
  features: FeatureMatrix,
  decide: Decide,
  options: OutOfSampleOptions,
): OutOfSampleRun {
  const { range } = options;
  checkTiling(options.folds, range);
  const env = new TradingEnvironment(series, features, {
    start: range.start,
    end: range.end,
    feeRate: options.feeRate,
    initialCash: options.initialCash,
  });
  const values = new Float64Array(env.steps + 1);
  const positions = new Uint8Array(env.steps);
  env.reset();
  values[0] = env.value;
  for (let k = 0; k < env.steps; k++) {
    const action = decide(env.time, env.position);
    const result = env.step(action);
    positions[k] = action;
    values[k + 1] = result.value;
  }
  const run: EpisodeRun = {
    metrics: computeMetrics(values, positions, options.initialCash, options.annualization),
    values,
    positions,
    times: series.times.slice(range.start, range.end),
  };
  const folds = options.folds.map((fold) => {
    const from = fold.start - range.start;
    const to = fold.end - 1 - range.start;
    return computeMetrics(
      values.subarray(from, to + 1),
      positions.subarray(from, to),
      options.initialCash,
      options.annualization,
    );
  });
  return { run, folds };
}

function checkTiling(folds: readonly IndexRange[], range: IndexRange): void {
  if (folds.length === 0) throw new Error('runOutOfSample: no folds');
  let expected = range.start;
  for (const [i, fold] of folds.entries()) {
    if (fold.start !== expected || fold.end - fold.start < 2) {
      throw new Error(
        `runOutOfSample: fold ${i + 1} test window [${fold.start}, ${fold.end}) does not continue at ${expected}`,
      );
    }
    // The next window's first decision is at this one's settling close.
    expected = fold.end - 1;
  }
  if (expected !== range.end - 1) {
    throw new Error(`runOutOfSample: the test windows end at ${expected + 1}, the range at ${range.end}`);
  }
}
