import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { EnvironmentSettings, EpisodeStat, JobResult, JobSpec } from '../shared/index.js';
import { DqnAgent, type EngineKind, saveModel } from './dqn/index.js';
import { TradingEnvironment } from './environment.js';
import {
  type BestSnapshot,
  clearEpisodeCheckpoint,
  loadEpisodeCheckpoint,
  saveEpisodeCheckpoint,
} from './episode-checkpoint.js';
import { evaluatePolicy, evaluateWithBaselines } from './evaluate.js';
import { FEATURE_VERSION } from './features.js';
import type { PreparedPair } from './prepare-pair.js';
import { writeRunExports } from './run-exports.js';

/** Thrown when a stop was requested mid-job; the last episode checkpoint stays for the resume. */
export class JobStopped extends Error {
  constructor(readonly jobId: string) {
    super(`${jobId}: stopped`);
    this.name = 'JobStopped';
  }
}

export interface TrainProgress {
  episode: number;
  episodes: number;
  step: number;
  stepsPerEpisode: number;
  stepsPerSecond: number;
}

export interface TrainJobOptions {
  spec: JobSpec;
  prepared: PreparedPair;
  episodes: number;
  environment: EnvironmentSettings;
  seed: number;
  engine: EngineKind;
  /** Description of what trained (engine and tfjs backend), recorded in the result. */
  backend: string;
  /** Where the job's model is saved (TensorFlow.js layers format). */
  modelDir: string;
  /** Episode checkpoints for resuming after a restart; null disables them. */
  checkpointDir: string | null;
  /** Checked between chunks of steps; true makes the job stop at the next chunk. */
  shouldStop?: () => boolean;
  onProgress?: (progress: TrainProgress) => void;
  onEpisode?: (stat: EpisodeStat, progress: TrainProgress) => void;
  onPhase?: (phase: 'training' | 'evaluating' | 'saving') => void;
  warn?: (message: string) => void;
  now?: () => number;
}

// Steps between progress reports and event-loop yields: small enough for heartbeats and SIGTERM to
// be handled within a few milliseconds, large enough that yielding costs nothing measurable.
const CHUNK_STEPS = 512;

/**
 * Trains one job (pair × variant): DQN over the training slice for `episodes` passes, resuming from
 * the last episode checkpoint when there is one; evaluates the greedy policy on the held-out slice
 * against buy-and-hold and a seeded random policy; saves the model.
 */
export async function trainJob(options: TrainJobOptions): Promise<JobResult> {
  const { spec, prepared, environment, episodes } = options;
  const now = options.now ?? Date.now;
  const warn = options.warn ?? (() => {});
  const startedAt = now();
  const env = new TradingEnvironment(prepared.series, prepared.features, {
    start: prepared.train.start,
    end: prepared.train.end,
    feeRate: environment.feeRate,
    initialCash: environment.initialCash,
  });
  const resumed = options.checkpointDir
    ? await loadEpisodeCheckpoint(options.checkpointDir, spec.jobId, options.engine, warn)
    : null;
  const agent =
    resumed?.agent ??
    new DqnAgent({
      inputSize: env.observationSize,
      hyperparameters: spec.hyperparameters,
      seed: options.seed,
      totalSteps: episodes * env.steps,
      engine: options.engine,
    });
  if (agent.inputSize !== env.observationSize) {
    throw new Error(
      `${spec.jobId}: checkpoint expects ${agent.inputSize} inputs, the data gives ${env.observationSize}`,
    );
  }
  const stats: EpisodeStat[] = resumed ? [...resumed.episodes] : [];
  let best: BestSnapshot | null = resumed?.best ?? null;
  const resumedFromEpisode = stats.length;
  const obs = new Float32Array(env.observationSize);
  const rewardScale = spec.hyperparameters.rewardScale;
  const turnoverCost = spec.hyperparameters.turnoverPenalty * environment.feeRate;
  const greedy = (o: Float32Array) => agent.greedy(o);
  const validate = () =>
    evaluatePolicy(greedy, prepared.series, prepared.features, {
      start: prepared.validation.start,
      end: prepared.validation.end,
      feeRate: environment.feeRate,
      initialCash: environment.initialCash,
    }).metrics;
  try {
    options.onPhase?.('training');
    for (let episode = stats.length + 1; episode <= episodes; episode++) {
      obs.set(env.reset());
      const episodeStart = now();
      let chunkStart = episodeStart;
      let rewardSum = 0;
      let lossSum = 0;
      let lossCount = 0;
      const updatesBefore = agent.updates;
      for (let step = 1; step <= env.steps; step++) {
        const action = agent.act(obs);
        const held = obs[obs.length - 1];
        const result = env.step(action);
        // Training-only turnover penalty on top of the real fee (already in result.reward).
        const penalty = action !== held ? turnoverCost : 0;
        const { loss } = agent.observe(
          obs,
          action,
          (result.reward - penalty) * rewardScale,
          result.observation,
          result.done,
        );
        if (loss !== null) {
          lossSum += loss;
          lossCount++;
        }
        rewardSum += result.reward;
        obs.set(result.observation);
        if (step % CHUNK_STEPS === 0) {
          const t = now();
          options.onProgress?.({
            episode,
            episodes,
            step,
            stepsPerEpisode: env.steps,
            stepsPerSecond: (CHUNK_STEPS * 1000) / Math.max(1, t - chunkStart),
          });
          chunkStart = t;
          await yieldToEventLoop();
          if (options.shouldStop?.()) throw new JobStopped(spec.jobId);
        }
      }
      const seconds = (now() - episodeStart) / 1000;
      const validation = validate();
      // Early stopping: keep the weights of the episode whose greedy policy does best on the
      // validation slice (Sharpe; a policy that never trades scores 0, like holding cash).
      const score = validation.sharpe ?? 0;
      if (best === null || score > best.score) best = { episode, score, params: agent.onlineParameters() };
      const stat: EpisodeStat = {
        episode,
        reward: rewardSum,
        pnlPct: (env.value / environment.initialCash - 1) * 100,
        epsilon: agent.epsilon,
        loss: lossCount > 0 ? lossSum / lossCount : null,
        stepsPerSecond: env.steps / Math.max(seconds, 1e-3),
        updates: agent.updates - updatesBefore,
        seconds,
        validationPnlPct: validation.pnlPct,
        validationSharpe: validation.sharpe,
      };
      stats.push(stat);
      // The last episode is checkpointed too: a kill during evaluation resumes straight to it.
      if (options.checkpointDir) {
        await saveEpisodeCheckpoint(options.checkpointDir, spec.jobId, agent, stats, best);
      }
      options.onEpisode?.(stat, {
        episode,
        episodes,
        step: env.steps,
        stepsPerEpisode: env.steps,
        stepsPerSecond: stat.stepsPerSecond,
      });
      if (options.shouldStop?.() && episode < episodes) throw new JobStopped(spec.jobId);
    }

    options.onPhase?.('evaluating');
    if (best) agent.setOnlineParameters(best.params);
    const validation = validate();
    const evaluation = evaluateWithBaselines(greedy, prepared.series, prepared.features, {
      start: prepared.test.start,
      end: prepared.test.end,
      feeRate: environment.feeRate,
      initialCash: environment.initialCash,
      // The random baseline gets its own stream, fixed per job so every variant faces the same one.
      seed: options.seed ^ 0x5eed,
    });

    options.onPhase?.('saving');
    await saveModel(options.modelDir, agent.onlineParameters(), {
      schema: 1,
      featureSettings: { ...prepared.features.settings, names: prepared.features.names },
      featureVersion: FEATURE_VERSION,
      inputSize: env.observationSize,
      hiddenLayers: spec.hyperparameters.hiddenLayers,
      actionMeanings: ['flat', 'long'],
      extra: {
        pair: spec.pair,
        variant: spec.variant,
        jobId: spec.jobId,
        seed: options.seed,
        backend: options.backend,
        observation: 'feature row (names) followed by the position held (0 flat, 1 long)',
        trainedOn: { from: prepared.summary.from, testFrom: prepared.summary.testFrom },
      },
    });
    // The out-of-sample hours as files anyone can open: the same rows `backtest` writes for them.
    const exports = await writeRunExports(
      options.modelDir,
      {
        times: evaluation.agent.times,
        close: prepared.series.close.slice(prepared.test.start, prepared.test.end),
        values: evaluation.agent.values,
        positions: evaluation.agent.positions,
      },
      evaluation.buyAndHold.values,
      environment.feeRate,
    );
    if (options.checkpointDir) await clearEpisodeCheckpoint(options.checkpointDir);
    const finishedAt = now();
    return {
      jobId: spec.jobId,
      pair: spec.pair,
      variant: spec.variant,
      hyperparameters: spec.hyperparameters,
      status: 'done',
      error: null,
      episodes: stats,
      metrics: evaluation.agent.metrics,
      baselines: { buyAndHold: evaluation.buyAndHold.metrics, random: evaluation.random.metrics },
      equityCurve: evaluation.equityCurve,
      data: prepared.summary,
      modelPath: options.modelDir,
      backend: options.backend,
      seed: options.seed,
      seconds: (finishedAt - startedAt) / 1000,
      startedAt: new Date(startedAt).toISOString(),
      finishedAt: new Date(finishedAt).toISOString(),
      resumedFromEpisode,
      selectedEpisode: best?.episode ?? null,
      validation,
      exports,
    };
  } finally {
    agent.dispose();
  }
}

/** The result recorded for a job that could not run (bad data, a crash inside the job). */
export function failedJobResult(
  spec: JobSpec,
  error: unknown,
  context: { backend: string; seed: number; startedAt: number; finishedAt: number },
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
    seed: context.seed,
    seconds: Math.max(0, (context.finishedAt - context.startedAt) / 1000),
    startedAt: new Date(context.startedAt).toISOString(),
    finishedAt: new Date(context.finishedAt).toISOString(),
    resumedFromEpisode: 0,
  };
}
