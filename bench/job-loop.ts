import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_ENVIRONMENT, type DqnHyperparameters } from '../shared/hyperparameters.js';
import { evaluationSeed, jobSeeds } from '../shared/seeds.js';
import type { EngineKind } from '../worker/dqn/index.js';
import type { PreparedPair } from '../worker/prepare-pair.js';
import { trainJob } from '../worker/train-job.js';

/** One episode of a whole job as the bench saw it. */
export interface JobEpisode {
  episode: number;
  /** The episode's environment steps (act, environment, replay, updates), as the job timed them. */
  trainingSeconds: number;
  /** Everything else up to the next episode: the validation pass and the episode checkpoint. */
  overheadSeconds: number;
  /** Resident set size of this process after the episode. */
  rssMiB: number;
  /**
   * The same after a full garbage collection (null without `--expose-gc`): live memory only, so a
   * leak shows as growth while garbage V8 has not collected yet (a checkpoint's copies) does not.
   */
  rssAfterGcMiB: number | null;
  /** tf.memory().numTensors after the episode. */
  numTensors: number;
}

/** A whole job, timed from the first step to the saved model. */
export interface JobLoopMeasurement {
  engine: EngineKind;
  episodes: number;
  stepsPerEpisode: number;
  /** Training steps of the whole job over its wall time (everything included). */
  stepsPerSecond: number;
  /** Training steps over the time spent in the episodes' step loops only. */
  trainingStepsPerSecond: number;
  seconds: number;
  /** Steps per second of this process's CPU time (user + system) over the whole job. */
  stepsPerCpuSecond: number;
  /** After the last episode: evaluation on validation and test, baselines, model save. */
  finishSeconds: number;
  perEpisode: JobEpisode[];
}

export interface JobLoopOptions {
  prepared: PreparedPair;
  hyperparameters: DqnHyperparameters;
  episodes: number;
  engine: EngineKind;
  seed: number;
  /** tf.memory().numTensors, read after every episode. */
  tensors: () => number;
  /** Shortens every slice to its first `maxSteps` decisions (a quick memory check of the tfjs engine). */
  maxSteps?: number;
}

const rssMiB = () => Math.round(process.memoryUsage().rss / 2 ** 20);
const cpuSecondsNow = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** The pair with every slice cut to its first `steps` decisions. */
function shortened(prepared: PreparedPair, steps: number): PreparedPair {
  const cut = (range: { start: number; end: number }) => ({
    start: range.start,
    end: Math.min(range.end, range.start + steps + 1),
  });
  // The bench runs one fold (DEFAULT_ENVIRONMENT): its test window is the whole out-of-sample part.
  const folds = prepared.folds.map((fold) => ({
    ...fold,
    train: cut(fold.train),
    validation: cut(fold.validation),
    test: cut(fold.test),
  }));
  return {
    ...prepared,
    folds,
    outOfSample: cut(prepared.outOfSample),
    train: cut(prepared.train),
    validation: cut(prepared.validation),
    test: cut(prepared.test),
  };
}

/**
 * Runs one whole job as a worker runs it (worker/train-job.ts: episodes, the validation pass after
 * each, episode checkpoints, the final evaluation and the model save) in a temporary folder, and
 * times every part of it.
 */
export async function measureJobLoop(options: JobLoopOptions): Promise<JobLoopMeasurement> {
  const prepared =
    options.maxSteps === undefined ? options.prepared : shortened(options.prepared, options.maxSteps);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-job-'));
  let cpu: NodeJS.CpuUsage = { user: 0, system: 0 };
  const gc = (globalThis as { gc?: () => void }).gc;
  let pausedSeconds = 0;
  let pausedCpuSeconds = 0;
  const perEpisode: JobEpisode[] = [];
  const started = performance.now();
  let mark = started;
  let finishStarted = started;
  let finished = started;
  const cpuBefore = process.cpuUsage();
  try {
    const jobId = `${prepared.pair}/bench`;
    const seeds = jobSeeds(options.seed, jobId, DEFAULT_ENVIRONMENT.seeds);
    await trainJob({
      spec: {
        jobId,
        pair: prepared.pair,
        variant: 'bench',
        hyperparameters: options.hyperparameters,
        seed: seeds[0],
        seeds,
        evaluationSeed: evaluationSeed(options.seed, prepared.pair),
      },
      prepared,
      episodes: options.episodes,
      environment: DEFAULT_ENVIRONMENT,
      engine: options.engine,
      backend: `bench ${options.engine}`,
      modelDir: path.join(dir, 'model'),
      checkpointDir: path.join(dir, 'checkpoints'),
      onEpisode: (stat) => {
        const now = performance.now();
        const rss = rssMiB();
        // The bench's own collection is left out of every time it reports.
        const cpuBeforeGc = cpuSecondsNow();
        gc?.();
        perEpisode.push({
          episode: stat.episode,
          trainingSeconds: stat.seconds,
          overheadSeconds: Math.max(0, (now - mark) / 1000 - stat.seconds),
          rssMiB: rss,
          rssAfterGcMiB: gc ? rssMiB() : null,
          numTensors: options.tensors(),
        });
        mark = performance.now();
        pausedSeconds += (mark - now) / 1000;
        pausedCpuSeconds += cpuSecondsNow() - cpuBeforeGc;
      },
      onPhase: (phase) => {
        if (phase === 'evaluating') finishStarted = performance.now();
      },
    });
    finished = performance.now();
  } finally {
    cpu = process.cpuUsage(cpuBefore);
    await rm(dir, { recursive: true, force: true });
  }
  const seconds = (finished - started) / 1000 - pausedSeconds;
  const stepsPerEpisode = prepared.train.end - prepared.train.start - 1;
  const steps = stepsPerEpisode * options.episodes;
  const trainingSeconds = perEpisode.reduce((sum, e) => sum + e.trainingSeconds, 0);
  return {
    engine: options.engine,
    episodes: options.episodes,
    stepsPerEpisode,
    stepsPerSecond: steps / seconds,
    trainingStepsPerSecond: steps / trainingSeconds,
    seconds,
    stepsPerCpuSecond: steps / ((cpu.user + cpu.system) / 1e6 - pausedCpuSeconds),
    finishSeconds: (finished - finishStarted) / 1000,
    perEpisode,
  };
}
