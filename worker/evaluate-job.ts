import type {
  EnvironmentSettings,
  EquityCurve,
  EvalMetrics,
  FoldResult,
  MeanSd,
  SeedSpread,
  Trials,
  Window,
} from '../shared/index.js';
import { type DecisionTable, tableAction } from './decision-table.js';
import { Action } from './environment.js';
import { downsampleEquity } from './evaluate.js';
import { type OutOfSampleRun, runOutOfSample } from './out-of-sample.js';
import type { PreparedPair } from './prepare-pair.js';
import type { IndexRange } from './split.js';
import type { UnitOutcome } from './train-unit.js';
import { majorityVote } from './vote.js';

/** Everything a job reports out of sample, from its trained units (no training, no randomness). */
export interface JobEvaluation {
  /** The job's decisions (the seeds' vote) over the pooled test windows. */
  vote: OutOfSampleRun;
  buyAndHold: OutOfSampleRun;
  /** Each seed's own policy over the pooled test windows, seed 1 first. */
  seeds: OutOfSampleRun[];
  /** The vote on the last fold's validation slice: what variants of a pair are compared on. */
  validation: EvalMetrics;
  folds: FoldResult[];
  seedSpread: SeedSpread;
  equityCurve: EquityCurve;
  trials: Trials;
  /** 1-based seed whose last-fold agent did best on the last fold's validation slice. */
  representativeSeed: number;
}

/** A decision rule over several tables in time order: the table whose range holds `t` decides. */
function voteOver(tablesPerFold: readonly (readonly DecisionTable[])[]) {
  const votes = new Uint8Array(tablesPerFold[0]?.length ?? 0);
  let fold = 0;
  return (t: number, held: number) => {
    // Decisions come in time order, so the fold only moves forward (back to 0 for a new run).
    if (t < tablesPerFold[fold]![0]!.start) fold = 0;
    while (t >= tablesPerFold[fold]![0]!.end - 1) fold++;
    const tables = tablesPerFold[fold]!;
    for (let s = 0; s < tables.length; s++) votes[s] = tableAction(tables[s]!, t, held);
    return majorityVote(votes);
  };
}

/**
 * Evaluates a job from its units (units[fold][seed], every fold with the same seeds): the vote and
 * every seed over the pooled test windows as one account, buy-and-hold on the same hours, per-fold
 * shares, the spread across seeds, and what the deflated Sharpe needs to count the trials.
 */
export function evaluateJob(
  prepared: PreparedPair,
  units: readonly (readonly UnitOutcome[])[],
  environment: EnvironmentSettings,
): JobEvaluation {
  const { series, folds } = prepared;
  if (units.length !== folds.length || units.some((row) => row.length !== units[0]!.length)) {
    throw new Error(`evaluateJob: need the same number of seeds for each of ${folds.length} folds`);
  }
  const seedCount = units[0]!.length;
  if (seedCount === 0) throw new Error('evaluateJob: no seeds');
  const last = folds.at(-1)!;
  const options = {
    range: prepared.outOfSample,
    folds: folds.map((f) => f.test),
    feeRate: environment.feeRate,
    initialCash: environment.initialCash,
    annualization: environment.annualization,
  };
  const run = (decide: (t: number, held: number) => number) =>
    runOutOfSample(series, last.features, decide, options);

  const vote = run(voteOver(units.map((row) => row.map((u) => u.table))));
  const buyAndHold = run(() => Action.long);
  const seeds = Array.from({ length: seedCount }, (_, s) =>
    run(voteOver(units.map((row) => [row[s]!.table]))),
  );
  const lastUnits = units.at(-1)!;
  const validation = runOutOfSample(
    series,
    last.features,
    voteOver([lastUnits.map((u) => u.validationTable)]),
    { ...options, range: last.validation, folds: [last.validation] },
  ).run.metrics;

  const window = (range: IndexRange): Window => ({
    start: range.start,
    end: range.end,
    from: new Date(series.times[range.start]!).toISOString(),
    to: new Date(series.times[range.end - 1]!).toISOString(),
    hours: range.end - range.start - 1,
  });
  const foldResults = folds.map(
    (fold, f): FoldResult => ({
      fold: fold.index,
      train: window(fold.train),
      validation: window(fold.validation),
      test: window(fold.test),
      featureSettings: {
        version: fold.features.settings.version,
        windowSize: fold.features.settings.windowSize,
        returnScale: fold.features.settings.returnScale,
      },
      seeds: units[f]!.map((u, s) => ({
        seedIndex: u.unit.seedIndex,
        seed: u.unit.seed,
        selectedEpisode: u.selectedEpisode,
        validation: u.validation,
        test: seeds[s]!.folds[f]!,
      })),
      vote: vote.folds[f]!,
      buyAndHold: buyAndHold.folds[f]!,
    }),
  );

  let representative = 0;
  for (let s = 1; s < seedCount; s++) {
    if ((lastUnits[s]!.validation.sharpe ?? 0) > (lastUnits[representative]!.validation.sharpe ?? 0)) {
      representative = s;
    }
  }

  return {
    vote,
    buyAndHold,
    seeds,
    validation,
    folds: foldResults,
    seedSpread: seedSpread(seeds.map((r) => r.run.metrics)),
    equityCurve: downsampleEquity(vote.run.times, vote.run.values, buyAndHold.run.values),
    trials: countTrials(units),
    representativeSeed: representative + 1,
  };
}

/** Mean and sample standard deviation of the values that exist; sd needs two of them. */
export function meanSd(values: readonly (number | null)[]): MeanSd {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (xs.length === 0) return { mean: null, sd: null };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (xs.length < 2) return { mean, sd: null };
  const ss = xs.reduce((a, b) => a + (b - mean) ** 2, 0);
  return { mean, sd: Math.sqrt(ss / (xs.length - 1)) };
}

/** Mean ± sd across seeds of each pooled metric. */
export function seedSpread(metrics: readonly EvalMetrics[]): SeedSpread {
  const of = (pick: (m: EvalMetrics) => number | null) => meanSd(metrics.map(pick));
  return {
    seeds: metrics.length,
    pnlPct: of((m) => m.pnlPct),
    sharpe: of((m) => m.sharpe),
    sortino: of((m) => m.sortino),
    maxDrawdownPct: of((m) => m.maxDrawdownPct),
    winRate: of((m) => m.winRate),
    trades: of((m) => m.trades),
    exposure: of((m) => m.exposure),
  };
}

/**
 * The job's trials for the deflated Sharpe: every (seed, episode) early stopping could have kept,
 * each with its validation Sharpe averaged over the folds (a policy that never traded scores 0).
 */
function countTrials(units: readonly (readonly UnitOutcome[])[]): Trials {
  const seeds = units[0]!.length;
  const episodes = Math.min(...units.flat().map((u) => u.episodes.length));
  const validationSharpes: number[] = [];
  for (let s = 0; s < seeds; s++) {
    for (let e = 0; e < episodes; e++) {
      let sum = 0;
      for (const row of units) sum += row[s]!.episodes[e]!.validationSharpe ?? 0;
      validationSharpes.push(sum / units.length);
    }
  }
  return { seeds, episodes, configurations: seeds * episodes, validationSharpes };
}
