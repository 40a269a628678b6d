import os from 'node:os';
import path from 'node:path';
import {
  type DataSettings,
  DEFAULT_ENVIRONMENT,
  type EnvironmentSettings,
  evaluationSeed,
  type JobResult,
  jobSeeds,
  pairFileStem,
  VARIANTS,
} from '../shared/index.js';
import { describeEngine, type EngineKind, selectBackend } from './dqn/index.js';
import { episodeLine } from './episode-line.js';
import { formatJobResult } from './format-job-result.js';
import { preparePair } from './prepare-pair.js';
import { JobStopped, trainJob } from './train-job.js';

export interface TrainPairOptions {
  pair: string;
  variant: string;
  episodes: number;
  data: DataSettings;
  /** Folds, seeds and annualization (the rest of the environment is the default). */
  environment?: Partial<Pick<EnvironmentSettings, 'folds' | 'seeds' | 'annualization'>>;
  seed: number;
  outDir: string;
  engine: EngineKind;
  json: boolean;
  /** Where progress lines go (stderr), and the final table or JSON (stdout). */
  progress?: (line: string) => void;
  print?: (text: string) => void;
  fetch?: typeof fetch;
}

/**
 * `trading-workers train-pair PAIR`: one job in this process, the worker's job loop without the
 * supervisor. Returns the exit code: 0 trained, 1 failed (one line naming the symbol), 130 stopped.
 */
export async function runTrainPairCommand(options: TrainPairOptions): Promise<number> {
  const progress = options.progress ?? ((line) => process.stderr.write(`${line}\n`));
  const print = options.print ?? ((text) => process.stdout.write(`${text}\n`));
  const variant = VARIANTS.find((v) => v.name === options.variant);
  if (!variant) {
    throw new Error(
      `unknown variant "${options.variant}" (expected ${VARIANTS.map((v) => v.name).join(', ')})`,
    );
  }
  let stop = false;
  const onSigint = () => {
    stop = true;
  };
  process.once('SIGINT', onSigint);
  const environment: EnvironmentSettings = { ...DEFAULT_ENVIRONMENT, ...options.environment };
  try {
    const backend = describeEngine(options.engine, await selectBackend());
    let prepared: Awaited<ReturnType<typeof preparePair>>;
    try {
      prepared = await preparePair(options.pair, options.data, environment, {
        log: progress,
        seed: options.seed,
        fetch: options.fetch,
      });
    } catch (error) {
      process.stderr.write(`trading-workers: ${(error as Error).message}\n`);
      return 1;
    }
    const s = prepared.summary;
    progress(
      `${options.pair}: ${s.rows} candles ${s.from.slice(0, 16)} → ${s.to.slice(0, 16)} (${s.source}), ` +
        `train ${s.trainRows}, held out ${s.testRows} from ${s.testFrom.slice(0, 16)}; ${backend}`,
    );
    for (const warning of s.warnings) progress(`warning: ${warning}`);
    const jobId = `${options.pair}/${variant.name}`;
    const modelDir = path.join(options.outDir, `${pairFileStem(options.pair)}_${variant.name}_model`);
    // The same seeds as this job gets in `train --seed N`: they derive from the seed and the job only.
    const seeds = jobSeeds(options.seed, jobId, environment.seeds);
    const result = await trainJob({
      spec: {
        jobId,
        pair: options.pair,
        variant: variant.name,
        hyperparameters: variant.hyperparameters,
        seed: seeds[0]!,
        seeds,
        evaluationSeed: evaluationSeed(options.seed, options.pair),
      },
      prepared,
      episodes: options.episodes,
      environment,
      engine: options.engine,
      backend,
      modelDir,
      checkpointDir: null,
      shouldStop: () => stop,
      onEpisode: (e) =>
        progress(`${episodeLine(e, options.episodes)}, loss ${e.loss?.toExponential(2) ?? '—'}`),
      onPhase: (phase) => phase !== 'training' && progress(`${phase}…`),
    });
    print(options.json ? JSON.stringify(summarise(result)) : formatJobResult(result));
    return 0;
  } catch (error) {
    if (error instanceof JobStopped) {
      process.stderr.write('trading-workers: stopped\n');
      return 130;
    }
    throw error;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/**
 * The JSON `--json` prints: the result without the bulky equity curve: out-of-sample metrics
 * (pooled over folds), baselines with the matched random distribution, significance, cost
 * sensitivity, per-fold and per-seed results, and where the model is.
 */
function summarise(result: JobResult) {
  return {
    pair: result.pair,
    variant: result.variant,
    jobId: result.jobId,
    metrics: result.metrics,
    baselines: result.baselines,
    significance: result.significance ?? null,
    costSensitivity: result.costSensitivity ?? null,
    annualization: result.annualization ?? null,
    embargoHours: result.embargoHours ?? null,
    folds: result.folds ?? null,
    seeds: result.seeds ?? null,
    seedSpread: result.seedSpread ?? null,
    representativeSeed: result.representativeSeed ?? null,
    trials: result.trials ?? null,
    modelPath: result.modelPath,
    exports: result.exports ?? null,
    backend: result.backend,
    seed: result.seed,
    seconds: result.seconds,
    data: result.data,
    episodes: result.episodes,
    selectedEpisode: result.selectedEpisode ?? null,
    validation: result.validation ?? null,
    hyperparameters: result.hyperparameters,
    node: process.version,
    host: os.hostname(),
  };
}
