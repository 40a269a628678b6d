import { EvalMetricsSchema } from '../../shared/index.js';
import { tabulatePolicy } from '../../worker/decision-table.js';
import { Action } from '../../worker/environment.js';
import type { Policy } from '../../worker/evaluate.js';
import type { PreparedPair } from '../../worker/prepare-pair.js';
import type { UnitOutcome } from '../../worker/train-unit.js';

// Trained units without training: seeds whose greedy policies come from fixed Q-value functions,
// so the vote, the pooled evaluation and the significance can be checked on real candles exactly.

/** A greedy policy over fixed Q-values [flat, long] computed from the observation (ties: flat). */
export const fromQ =
  (q: (observation: Float32Array) => [number, number]): Policy =>
  (observation) => {
    const [flat, long] = q(observation);
    return long > flat ? Action.long : Action.flat;
  };

const zeroMetrics = EvalMetricsSchema.parse({
  pnlPct: 0,
  pnlUsd: 0,
  finalValue: 10_000,
  winRate: null,
  trades: 0,
  sharpe: null,
  sortino: null,
  maxDrawdownPct: 0,
  exposure: 0,
});

/**
 * units[fold][seed] for `seeds` policies on every fold of `pair`: two episodes each, with validation
 * Sharpe 0.5·fold + seed − episode (0-based seed), and a kept-weights validation Sharpe per seed
 * from `validationSharpes` (default 0.2, 1.5, 0.7, …).
 */
export function fixedPolicyUnits(
  pair: PreparedPair,
  seeds: readonly Policy[],
  validationSharpes: readonly number[] = [0.2, 1.5, 0.7],
): UnitOutcome[][] {
  return pair.folds.map((fold) =>
    seeds.map((policy, s) => ({
      unit: { fold: fold.index, folds: pair.folds.length, seedIndex: s + 1, seeds: seeds.length, seed: s },
      episodes: [1, 2].map((episode) => ({
        episode,
        reward: 0,
        pnlPct: 0,
        epsilon: 0.05,
        loss: null,
        stepsPerSecond: 1,
        updates: 0,
        seconds: 1,
        validationSharpe: fold.index * 0.5 + s - episode,
      })),
      resumedFromEpisode: 0,
      selectedEpisode: 1,
      validation: { ...zeroMetrics, sharpe: validationSharpes[s] ?? 0 },
      params: new Float32Array(0),
      table: tabulatePolicy(policy, pair.series, fold.features, fold.test),
      validationTable: tabulatePolicy(policy, pair.series, fold.features, fold.validation),
    })),
  );
}
