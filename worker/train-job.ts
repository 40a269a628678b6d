import path from 'node:path';
import {
  type EnvironmentSettings,
  type EpisodeStat,
  encodeReturns,
  type JobResult,
  type JobSpec,
} from '../shared/index.js';
import { type EngineKind, saveModel } from './dqn/index.js';
import { clearEpisodeCheckpoint } from './episode-checkpoint.js';
import { evaluateJob } from './evaluate-job.js';
import { FEATURE_VERSION } from './features.js';
import type { PreparedFold, PreparedPair } from './prepare-pair.js';
import { writeRunExports } from './run-exports.js';
import { assessSignificance } from './significance.js';
import { EMBARGO_HOURS } from './split.js';
import { JobStopped, trainUnit, type UnitKey, type UnitOutcome, unitId } from './train-unit.js';
import { loadUnitResult, saveUnitResult, unitFolderName } from './unit-result-file.js';

export { JobStopped };

/** Progress over the whole job: episodes count every unit's (folds × seeds × episodes). */
export interface TrainProgress {
  episode: number;
  episodes: number;
  step: number;
  stepsPerEpisode: number;
  stepsPerSecond: number;
  /** With several folds or seeds: the unit in progress. */
  unit?: { fold: number; folds: number; seed: number; seeds: number };
}

export interface TrainJobOptions {
  spec: JobSpec;
  prepared: PreparedPair;
  /** Episodes per unit (each seed on each fold trains this many). */
  episodes: number;
  environment: EnvironmentSettings;
  engine: EngineKind;
  /** Description of what trained (engine and tfjs backend), recorded in the result. */
  backend: string;
  /** Where the job's models are saved: here with one seed, in `seed-N/` below it with several. */
  modelDir: string;
  /**
   * Episode checkpoints and finished units, for resuming after a restart; null disables them. The
   * caller removes the folder once the job's result is safely written.
   */
  checkpointDir: string | null;
  /** Checked between chunks of steps; true makes the job stop at the next chunk. */
  shouldStop?: () => boolean;
  onProgress?: (progress: TrainProgress) => void;
  onEpisode?: (stat: EpisodeStat, progress: TrainProgress) => void;
  onPhase?: (phase: 'training' | 'evaluating' | 'saving') => void;
  warn?: (message: string) => void;
  now?: () => number;
}

/** The seeds a job's spec carries; a config from an older version has none and is refused. */
export function jobSeedsOf(
  spec: JobSpec,
  environment: EnvironmentSettings,
): { seed: number; seeds: number[]; evaluationSeed: number } {
  const { seed, seeds, evaluationSeed } = spec;
  if (seed === undefined || seeds === undefined || evaluationSeed === undefined) {
    throw new Error(
      `${spec.jobId}: the worker config has no seed, seeds or evaluationSeed for this job (written by an older version); start the run again to re-plan it`,
    );
  }
  if (seeds.length !== environment.seeds) {
    throw new Error(
      `${spec.jobId}: jobs[].seeds has ${seeds.length} seeds, environment.seeds says ${environment.seeds}`,
    );
  }
  return { seed, seeds, evaluationSeed };
}

/** The folder of seed `s`'s last-fold model: the job folder itself when the job has one seed. */
export function seedModelDir(modelDir: string, seedIndex: number, seeds: number): string {
  return seeds === 1 ? modelDir : path.join(modelDir, `seed-${seedIndex}`);
}

/**
 * Trains one job (pair × variant): for every walk-forward fold and every seed, one DQN agent on the
 * fold's training slice with early stopping on its validation slice (a unit; finished units and
 * the unit in progress are checkpointed, so a restart resumes bit for bit); saves the last fold's
 * models; then evaluates the seeds' majority vote over the pooled test windows against
 * buy-and-hold and matched random policies, with its significance and cost sensitivity.
 */
export async function trainJob(options: TrainJobOptions): Promise<JobResult> {
  const { spec, prepared, environment, episodes } = options;
  const now = options.now ?? Date.now;
  const warn = options.warn ?? (() => {});
  const startedAt = now();
  const { seed, seeds, evaluationSeed } = jobSeedsOf(spec, environment);
  const folds = prepared.folds;
  const total = folds.length * seeds.length * episodes;
  const units: UnitOutcome[][] = [];
  let base = 0;
  let resumedFromEpisode = 0;
  for (const fold of folds) {
    const row: UnitOutcome[] = [];
    for (const [s, unitSeed] of seeds.entries()) {
      const unit: UnitKey = {
        fold: fold.index,
        folds: folds.length,
        seedIndex: s + 1,
        seeds: seeds.length,
        seed: unitSeed,
      };
      const outcome = await finishedOrTrained(options, fold, unit, base, total, warn, now);
      resumedFromEpisode += outcome.resumedFromEpisode;
      row.push(outcome);
      base += episodes;
    }
    units.push(row);
  }

  options.onPhase?.('evaluating');
  const evaluation = evaluateJob(prepared, units, environment);
  const assessed = assessSignificance({
    close: prepared.series.close,
    range: prepared.outOfSample,
    agent: evaluation.vote.run,
    buyAndHold: evaluation.buyAndHold.run,
    feeRate: environment.feeRate,
    annualization: environment.annualization,
    seed: evaluationSeed,
    trials: evaluation.trials,
  });
  const seedModels = seeds.map((_, s) => seedModelDir(options.modelDir, s + 1, seeds.length));
  // The hours the job's metrics and significance are computed on (the vote over the pooled test
  // windows of every fold) as files anyone can open: the same rows `backtest` writes.
  const range = prepared.outOfSample;
  const exports = await writeRunExports(
    options.modelDir,
    {
      times: evaluation.vote.run.times,
      close: prepared.series.close.slice(range.start, range.end),
      values: evaluation.vote.run.values,
      positions: evaluation.vote.run.positions,
    },
    evaluation.buyAndHold.run.values,
    environment.feeRate,
  );
  const finishedAt = now();
  return {
    jobId: spec.jobId,
    pair: spec.pair,
    variant: spec.variant,
    hyperparameters: spec.hyperparameters,
    status: 'done',
    error: null,
    episodes: units.flat().flatMap((u) => u.episodes),
    metrics: evaluation.vote.run.metrics,
    baselines: { buyAndHold: evaluation.buyAndHold.run.metrics, matchedRandom: assessed.matchedRandom },
    equityCurve: evaluation.equityCurve,
    data: prepared.summary,
    modelPath: seedModels[evaluation.representativeSeed - 1]!,
    backend: options.backend,
    seed,
    seconds: (finishedAt - startedAt) / 1000,
    startedAt: new Date(startedAt).toISOString(),
    finishedAt: new Date(finishedAt).toISOString(),
    resumedFromEpisode,
    selectedEpisode: units.at(-1)![evaluation.representativeSeed - 1]!.selectedEpisode,
    validation: evaluation.validation,
    annualization: environment.annualization,
    embargoHours: EMBARGO_HOURS,
    folds: evaluation.folds,
    seeds: evaluation.seeds.map((r, s) => ({
      seedIndex: s + 1,
      seed: seeds[s]!,
      metrics: r.run.metrics,
      modelPath: seedModels[s]!,
    })),
    seedSpread: evaluation.seedSpread,
    significance: assessed.significance,
    costSensitivity: assessed.costSensitivity,
    trials: evaluation.trials,
    pooledReturns: encodeReturns(assessed.returns),
    representativeSeed: evaluation.representativeSeed,
    exports,
  };
}

/** A unit finished by an earlier start of the job, or trained now (its last-fold model saved). */
async function finishedOrTrained(
  options: TrainJobOptions,
  fold: PreparedFold,
  unit: UnitKey,
  base: number,
  total: number,
  warn: (message: string) => void,
  now: () => number,
): Promise<UnitOutcome> {
  const { spec, prepared, environment } = options;
  const id = unitId(spec.jobId, unit);
  const checkpoints = options.checkpointDir;
  if (checkpoints) {
    const finished = await loadUnitResult(checkpoints, id, unit, fold, warn);
    if (finished) return { ...finished, resumedFromEpisode: finished.episodes.length };
  }
  const tag =
    unit.folds > 1 || unit.seeds > 1
      ? { unit: { fold: unit.fold, folds: unit.folds, seed: unit.seedIndex, seeds: unit.seeds } }
      : {};
  const progress = (p: {
    episode: number;
    step: number;
    stepsPerEpisode: number;
    stepsPerSecond: number;
  }) => ({
    ...p,
    episode: base + p.episode,
    episodes: total,
    ...tag,
  });
  options.onPhase?.('training');
  const unitDir = checkpoints ? path.join(checkpoints, unitFolderName(unit)) : null;
  const outcome = await trainUnit({
    spec,
    unit,
    series: prepared.series,
    fold,
    episodes: options.episodes,
    environment,
    engine: options.engine,
    checkpointDir: unitDir,
    shouldStop: options.shouldStop,
    onProgress: (p) => options.onProgress?.(progress(p)),
    onEpisode: (stat, p) => options.onEpisode?.(stat, progress(p)),
    warn,
    now,
  });
  if (fold.index === unit.folds) {
    options.onPhase?.('saving');
    await saveModel(seedModelDir(options.modelDir, unit.seedIndex, unit.seeds), outcome.params, {
      schema: 1,
      featureSettings: { ...fold.features.settings, names: fold.features.names },
      featureVersion: FEATURE_VERSION,
      inputSize: fold.features.width + 1,
      hiddenLayers: spec.hyperparameters.hiddenLayers,
      actionMeanings: ['flat', 'long'],
      extra: {
        pair: spec.pair,
        variant: spec.variant,
        jobId: spec.jobId,
        seed: unit.seed,
        evaluationSeed: spec.evaluationSeed,
        seedIndex: unit.seedIndex,
        seeds: unit.seeds,
        decision:
          unit.seeds > 1
            ? `one of ${unit.seeds} seeds; the job decides by their majority vote (ties: flat)`
            : 'the greedy action (argmax of the two outputs)',
        fold: { index: fold.index, folds: unit.folds },
        backend: options.backend,
        observation: 'feature row (names) followed by the position held (0 flat, 1 long)',
        trainedOn: {
          from: iso(prepared, fold.train.start),
          trainUntil: iso(prepared, fold.train.end - 1),
          validationFrom: iso(prepared, fold.validation.start),
          testFrom: iso(prepared, fold.test.start),
        },
        selectedEpisode: outcome.selectedEpisode,
      },
    });
  }
  if (checkpoints && unitDir) {
    await saveUnitResult(checkpoints, id, outcome);
    await clearEpisodeCheckpoint(unitDir);
  }
  return outcome;
}

const iso = (prepared: PreparedPair, index: number) => new Date(prepared.series.times[index]!).toISOString();

/** The result recorded for a job that could not run (bad data, a crash inside the job). */
export function failedJobResult(
  spec: JobSpec,
  error: unknown,
  context: { backend: string; startedAt: number; finishedAt: number },
): JobResult {
  return {
    jobId: spec.jobId,
    pair: spec.pair,
    variant: spec.variant,
    hyperparameters: spec.hyperparameters,
    status: 'failed',
    error: error instanceof Error ? error.message : String(error),
    episodes: [],
    metrics: null,
    baselines: null,
    equityCurve: null,
    data: null,
    modelPath: null,
    backend: context.backend,
    seed: spec.seed ?? 0,
    seconds: Math.max(0, (context.finishedAt - context.startedAt) / 1000),
    startedAt: new Date(context.startedAt).toISOString(),
    finishedAt: new Date(context.finishedAt).toISOString(),
    resumedFromEpisode: 0,
  };
}
