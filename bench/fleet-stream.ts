import {
  DEFAULT_ENVIRONMENT,
  DEFAULT_PAIRS,
  type EvalMetrics,
  type JobResult,
  type JobSpec,
  SCHEMA_VERSION,
  VARIANTS,
  type WorkerConfig,
  type WorkerResults,
  type WorkerStatus,
} from '../shared/index.js';
import { aggregateResults } from '../supervisor/aggregate.js';
import type { SupervisorEvent } from '../supervisor/events.js';

// A synthetic but realistic fleet for the views' bench: W workers sharing J jobs of P pairs × variants ×
// folds, each worker writing its status file as workers do (a few times a second while training, an
// episode every few seconds, a results file after each job), and the supervisor aggregating as results
// arrive. Everything is seeded, so two runs feed the reducer the same events.

export interface FleetShape {
  workers: number;
  jobs: number;
  episodes: number;
  stepsPerEpisode: number;
  /** Status files each worker writes per second of simulated time. */
  statusPerSecond: number;
}

export const FLEET_DEFAULTS: FleetShape = {
  workers: 256,
  jobs: 2_000,
  episodes: 10,
  stepsPerEpisode: 5_813,
  statusPerSecond: 4,
};

const RUN_ID = 'run-fleet-bench';
const T0 = Date.parse('2026-01-01T00:00:00.000Z');

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

function metrics(pnlPct: number, sharpe: number): EvalMetrics {
  return {
    pnlPct,
    pnlUsd: pnlPct * 100,
    finalValue: 10_000 * (1 + pnlPct / 100),
    winRate: 0.5,
    trades: 40,
    sharpe,
    sortino: sharpe * 1.3,
    maxDrawdownPct: 6,
    exposure: 0.5,
  };
}

interface SimWorker {
  workerId: number;
  config: WorkerConfig;
  /** Steps per second this worker trains at (workers differ a little, as real ones do). */
  speed: number;
  seq: number;
  recentRewards: number[];
  lastEpisode: WorkerStatus['lastEpisode'];
  jobsDone: number;
  results: JobResult[];
  /** Whole episodes finished so far over all its jobs. */
  episodesDone: number;
  /** When it writes its status next, when it last did, and time a dropped write left to carry. */
  nextWriteAt: number;
  lastWriteAt: number;
  carriedMs: number;
}

/** The plan: jobs spread over workers in order (as supervisor/plan.ts spreads pairs). */
function planJobs(shape: FleetShape): JobSpec[][] {
  const jobs: JobSpec[] = [];
  for (let i = 0; jobs.length < shape.jobs; i++) {
    const pair = DEFAULT_PAIRS[i % DEFAULT_PAIRS.length]!;
    const variant = VARIANTS[Math.floor(i / DEFAULT_PAIRS.length) % VARIANTS.length]!;
    const fold = Math.floor(i / (DEFAULT_PAIRS.length * VARIANTS.length));
    jobs.push({
      jobId: `${pair}/${variant.name}/f${fold}`,
      pair,
      variant: variant.name,
      hyperparameters: variant.hyperparameters,
    });
  }
  const perWorker: JobSpec[][] = Array.from({ length: shape.workers }, () => []);
  const base = Math.floor(shape.jobs / shape.workers);
  const extra = shape.jobs % shape.workers;
  let next = 0;
  for (let w = 0; w < shape.workers; w++) {
    const count = base + (w < extra ? 1 : 0);
    perWorker[w] = jobs.slice(next, next + count);
    next += count;
  }
  return perWorker;
}

/** A seeded fleet whose `events(seconds)` yields what the supervisor would reduce over that time. */
export class FleetStream {
  readonly shape: FleetShape;
  private readonly workers: SimWorker[];
  private readonly rnd = seeded(12);
  private clock = T0;
  private nextTickAt = T0 + 1000;
  private jobsFinished = 0;

  constructor(shape: Partial<FleetShape> = {}) {
    this.shape = { ...FLEET_DEFAULTS, ...shape };
    const plan = planJobs(this.shape);
    this.workers = plan.map((jobs, i) => ({
      workerId: i + 1,
      config: {
        schema: SCHEMA_VERSION,
        runId: RUN_ID,
        workerId: i + 1,
        jobs,
        episodes: this.shape.episodes,
        data: {
          source: 'data-dir',
          days: 365,
          interval: '1h',
          cacheDir: '/data',
          dataDir: '/shared/data',
          refresh: false,
        },
        environment: DEFAULT_ENVIRONMENT,
        seed: 7,
        resultsDir: '/results',
        modelsDir: '/models',
        createdAt: new Date(T0).toISOString(),
      },
      speed: 600 + this.rnd() * 400,
      seq: 0,
      recentRewards: [],
      lastEpisode: null,
      jobsDone: 0,
      results: [],
      episodesDone: 0,
      // Workers write out of step with each other, as real ones do.
      nextWriteAt: T0 + this.rnd() * (1000 / this.shape.statusPerSecond),
      lastWriteAt: T0,
      carriedMs: 0,
    }));
  }

  get now(): number {
    return this.clock;
  }

  /**
   * The run's start: run-started, every worker's config and process start. With `midRun` each worker
   * has already trained part of its share (0–60%, seeded), as when the dashboard is opened on a long run,
   * so the leaderboard and the trials hold real rows from the first frame.
   */
  start(midRun = true): SupervisorEvent[] {
    const events: SupervisorEvent[] = [
      {
        type: 'run-started',
        runId: RUN_ID,
        runtime: 'local',
        at: T0,
        workerIds: this.workers.map((w) => w.workerId),
      },
    ];
    for (const w of this.workers) {
      events.push({ type: 'config', workerId: w.workerId, config: w.config });
      events.push({ type: 'process-started', workerId: w.workerId, pid: 10_000 + w.workerId, at: T0 });
    }
    if (!midRun) return events;
    for (const w of this.workers) {
      const total = w.config.jobs.length * this.shape.episodes;
      w.episodesDone = Math.floor(this.rnd() * 0.6 * total) + this.rnd() * 0.9;
      const jobsDone = Math.floor(w.episodesDone / this.shape.episodes);
      for (const job of w.config.jobs.slice(0, jobsDone)) this.recordJob(w, job);
      if (jobsDone > 0) events.push(this.resultsEvent(w));
    }
    events.push(this.aggregatedEvent());
    return events;
  }

  /** Every event of the next `seconds` of simulated time, in the order the files would change. */
  advance(seconds: number): SupervisorEvent[] {
    const interval = 1000 / this.shape.statusPerSecond;
    const end = this.clock + seconds * 1000;
    const writes: { at: number; w: SimWorker }[] = [];
    for (const w of this.workers) {
      for (; w.nextWriteAt <= end; w.nextWriteAt += interval) writes.push({ at: w.nextWriteAt, w });
    }
    writes.sort((a, b) => a.at - b.at);
    const events: SupervisorEvent[] = [];
    for (const { at, w } of writes) {
      // The supervisor's clock ticks once a second between the files.
      for (; this.nextTickAt <= at; this.nextTickAt += 1000)
        events.push({ type: 'tick', now: this.nextTickAt });
      this.clock = at;
      const dt = at - w.lastWriteAt;
      w.lastWriteAt = at;
      // A write coalesced by a throttle or missed by the watcher: the next one carries its progress.
      if (this.rnd() > 0.95) {
        w.carriedMs += dt;
        continue;
      }
      events.push(...this.step(w, dt + w.carriedMs));
      w.carriedMs = 0;
    }
    this.clock = end;
    return events;
  }

  private step(w: SimWorker, dtMs: number): SupervisorEvent[] {
    const { episodes, stepsPerEpisode } = this.shape;
    const jobs = w.config.jobs;
    const events: SupervisorEvent[] = [];
    const totalEpisodes = jobs.length * episodes;
    const before = w.episodesDone;
    const progress = Math.min(totalEpisodes, before + (w.speed * dtMs) / 1000 / stepsPerEpisode);
    w.episodesDone = progress;
    const finishedEpisode = Math.floor(progress) > Math.floor(before);
    if (finishedEpisode) {
      const done = Math.floor(progress);
      const jobIndex = Math.floor((done - 1) / episodes);
      const episode = ((done - 1) % episodes) + 1;
      const job = jobs[jobIndex]!;
      const reward = -40 + episode * 6 + (this.rnd() - 0.5) * 30;
      w.recentRewards = episode === 1 ? [reward] : [...w.recentRewards, reward].slice(-50);
      w.lastEpisode = {
        jobId: job.jobId,
        episode,
        reward,
        pnlPct: (this.rnd() - 0.45) * 8,
        epsilon: Math.max(0.05, 1 - episode * 0.16),
        loss: 0.02,
        stepsPerSecond: w.speed,
        updates: Math.round(stepsPerEpisode / 4),
        seconds: stepsPerEpisode / w.speed,
      };
      if (episode === episodes) events.push(...this.finishJob(w, job));
    }
    const finished = w.episodesDone >= totalEpisodes;
    const jobIndex = Math.min(jobs.length - 1, Math.floor(progress / episodes));
    const job = jobs[jobIndex];
    const inEpisode = progress - Math.floor(progress);
    w.seq += 1;
    const at = new Date(Math.round(this.clock)).toISOString();
    const status: WorkerStatus = {
      schema: SCHEMA_VERSION,
      runId: RUN_ID,
      workerId: w.workerId,
      pid: 10_000 + w.workerId,
      seq: w.seq,
      state: finished ? 'done' : 'training',
      startedAt: new Date(T0).toISOString(),
      heartbeatAt: at,
      current:
        finished || !job
          ? null
          : {
              jobId: job.jobId,
              pair: job.pair,
              variant: job.variant,
              jobIndex,
              episode: (Math.floor(progress) % episodes) + 1,
              episodes,
              step: Math.floor(inEpisode * stepsPerEpisode),
              stepsPerEpisode,
            },
      stepsPerSecond: Math.round(w.speed * (0.9 + this.rnd() * 0.2)),
      recentRewards: w.recentRewards,
      lastEpisode: w.lastEpisode,
      jobsDone: w.jobsDone,
      jobsFailed: 0,
      jobsTotal: jobs.length,
      lastJobPnlPct: w.results.at(-1)?.metrics?.pnlPct ?? null,
      backend: 'js-kernel (wasm simd)',
      memory: { rssMb: 200 + Math.round(this.rnd() * 20), heapUsedMb: 90, numTensors: null },
      cpuPct: Math.round(950 + this.rnd() * 50) / 10,
      lastError: null,
      message: null,
    };
    events.push({ type: 'status', workerId: w.workerId, status });
    if (finished && before < totalEpisodes) {
      events.push({ type: 'process-exited', workerId: w.workerId, code: 0, signal: null, at: this.clock });
    }
    return events;
  }

  private finishJob(w: SimWorker, job: JobSpec): SupervisorEvent[] {
    this.recordJob(w, job);
    const events: SupervisorEvent[] = [this.resultsEvent(w)];
    // The supervisor aggregates as results arrive (it coalesces bursts; one in eight here).
    if (this.jobsFinished % 8 === 1) events.push(this.aggregatedEvent());
    return events;
  }

  private recordJob(w: SimWorker, job: JobSpec): void {
    const pnl = (this.rnd() - 0.4) * 12;
    const finishedAt = new Date(Math.round(this.clock)).toISOString();
    w.results.push({
      jobId: job.jobId,
      pair: job.pair,
      variant: job.variant,
      hyperparameters: job.hyperparameters,
      status: 'done',
      error: null,
      episodes: [],
      metrics: metrics(pnl, pnl / 5),
      baselines: { buyAndHold: metrics(-3, -0.2), random: metrics(-5, -0.4) },
      equityCurve: null,
      data: null,
      modelPath: `/models/${job.jobId}`,
      backend: 'js-kernel (wasm simd)',
      seed: 7,
      seconds: (this.shape.episodes * this.shape.stepsPerEpisode) / w.speed,
      startedAt: new Date(T0).toISOString(),
      finishedAt,
      resumedFromEpisode: 0,
      selectedEpisode: this.shape.episodes,
      validation: metrics(pnl * 0.8, pnl / 6),
    });
    w.jobsDone += 1;
    this.jobsFinished += 1;
  }

  private workerResults(w: SimWorker): WorkerResults {
    return {
      schema: SCHEMA_VERSION,
      runId: RUN_ID,
      workerId: w.workerId,
      updatedAt: new Date(Math.round(this.clock)).toISOString(),
      jobs: [...w.results],
      bestModels: [],
    };
  }

  private resultsEvent(w: SimWorker): SupervisorEvent {
    return { type: 'results', workerId: w.workerId, results: this.workerResults(w) };
  }

  private aggregatedEvent(): SupervisorEvent {
    const all = this.workers.map((w) => this.workerResults(w));
    return {
      type: 'aggregated',
      aggregated: aggregateResults(RUN_ID, this.shape.jobs, all, new Date(this.clock)),
    };
  }
}
