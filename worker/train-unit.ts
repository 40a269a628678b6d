import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { EnvironmentSettings, EpisodeStat, EvalMetrics, JobSpec } from '../shared/index.js';
import { type DecisionTable, tabulatePolicy } from './decision-table.js';
import { DqnAgent, type EngineKind } from './dqn/index.js';
import { TradingEnvironment } from './environment.js';
import { type BestSnapshot, loadEpisodeCheckpoint, saveEpisodeCheckpoint } from './episode-checkpoint.js';
import { evaluatePolicy } from './evaluate.js';
import type { CandleSeries } from './market-data/index.js';
import type { PreparedFold } from './prepare-pair.js';

/** Thrown when a stop was requested mid-job; the last episode checkpoint stays for the resume. */
export class JobStopped extends Error {
  constructor(readonly jobId: string) {
    super(`${jobId}: stopped`);
    this.name = 'JobStopped';
  }
}

/** Which agent of a job a unit trains: fold k of K, seed s of S (both 1-based). */
export interface UnitKey {
  fold: number;
  folds: number;
  seedIndex: number;
  seeds: number;
  /** The agent's seed (JobSpec.seeds[seedIndex − 1]). */
  seed: number;
}

/** Progress within a unit (episode of the unit's own episodes). */
export interface UnitProgress {
  episode: number;
  step: number;
  stepsPerEpisode: number;
  stepsPerSecond: number;
}

export interface TrainUnitOptions {
  spec: JobSpec;
  unit: UnitKey;
  series: CandleSeries;
  fold: PreparedFold;
  episodes: number;
  environment: EnvironmentSettings;
  engine: EngineKind;
  /** The unit's episode checkpoints (resume after a restart); null disables them. */
  checkpointDir: string | null;
  shouldStop?: () => boolean;
  onProgress?: (progress: UnitProgress) => void;
  onEpisode?: (stat: EpisodeStat, progress: UnitProgress) => void;
  warn?: (message: string) => void;
  now?: () => number;
}

/** What a trained unit leaves: its curve, the kept (best-validation) weights and their decisions. */
export interface UnitOutcome {
  unit: UnitKey;
  episodes: EpisodeStat[];
  /** Episodes already done when this start of the unit began (0: trained in one go). */
  resumedFromEpisode: number;
  /** The episode whose weights were kept, by greedy Sharpe on the validation slice. */
  selectedEpisode: number | null;
  /** The kept weights' greedy metrics on the validation slice. */
  validation: EvalMetrics;
  /** The kept weights (flat mlp.ts layout). */
  params: Float32Array;
  /** The kept weights' greedy decisions over the fold's test window … */
  table: DecisionTable;
  /** … and over its validation slice (for the vote's validation metrics). */
  validationTable: DecisionTable;
}

// Steps between progress reports and event-loop yields: small enough for heartbeats and SIGTERM to
// be handled within a few milliseconds, large enough that yielding costs nothing measurable.
const CHUNK_STEPS = 512;

/** The checkpoint id of a unit, e.g. `BTC-USD/base fold 2/3 seed 1/2` (one unit: the job id). */
export function unitId(jobId: string, unit: UnitKey): string {
  if (unit.folds === 1 && unit.seeds === 1) return jobId;
  return `${jobId} fold ${unit.fold}/${unit.folds} seed ${unit.seedIndex}/${unit.seeds}`;
}

/**
 * Trains one agent of a job on one fold: DQN over the fold's training slice for `episodes` passes,
 * resuming from the unit's last episode checkpoint when there is one; after each episode the greedy
 * policy runs on the fold's validation slice and the best episode's weights are kept (early
 * stopping). Returns those weights with their validation metrics and test-window decisions.
 */
export async function trainUnit(options: TrainUnitOptions): Promise<UnitOutcome> {
  const { spec, unit, series, fold, environment, episodes } = options;
  const now = options.now ?? Date.now;
  const warn = options.warn ?? (() => {});
  const id = unitId(spec.jobId, unit);
  const env = new TradingEnvironment(series, fold.features, {
    start: fold.train.start,
    end: fold.train.end,
    feeRate: environment.feeRate,
    initialCash: environment.initialCash,
  });
  const resumed = options.checkpointDir
    ? await loadEpisodeCheckpoint(options.checkpointDir, id, options.engine, warn)
    : null;
  const agent =
    resumed?.agent ??
    new DqnAgent({
      inputSize: env.observationSize,
      hyperparameters: spec.hyperparameters,
      seed: unit.seed,
      totalSteps: episodes * env.steps,
      engine: options.engine,
    });
  try {
    if (agent.inputSize !== env.observationSize) {
      throw new Error(
        `${id}: checkpoint expects ${agent.inputSize} inputs, the data gives ${env.observationSize}`,
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
      evaluatePolicy(greedy, series, fold.features, {
        start: fold.validation.start,
        end: fold.validation.end,
        feeRate: environment.feeRate,
        initialCash: environment.initialCash,
        annualization: environment.annualization,
      }).metrics;
    const tagged = unit.folds > 1 || unit.seeds > 1 ? { fold: unit.fold, seed: unit.seedIndex } : {};
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
        ...tagged,
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
        await saveEpisodeCheckpoint(options.checkpointDir, id, agent, stats, best);
      }
      options.onEpisode?.(stat, {
        episode,
        step: env.steps,
        stepsPerEpisode: env.steps,
        stepsPerSecond: stat.stepsPerSecond,
      });
      if (options.shouldStop?.() && episode < episodes) throw new JobStopped(spec.jobId);
    }

    if (best) agent.setOnlineParameters(best.params);
    return {
      unit,
      episodes: stats,
      resumedFromEpisode,
      selectedEpisode: best?.episode ?? null,
      validation: validate(),
      params: agent.onlineParameters(),
      table: tabulatePolicy(greedy, series, fold.features, fold.test),
      validationTable: tabulatePolicy(greedy, series, fold.features, fold.validation),
    };
  } finally {
    agent.dispose();
  }
}
