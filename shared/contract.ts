import { z } from 'zod';
import { DqnHyperparametersSchema, EnvironmentSettingsSchema } from './hyperparameters.js';

/** Version of every JSON file of the contract; bump on an incompatible change. */
export const SCHEMA_VERSION = 1;
const schemaField = z.literal(SCHEMA_VERSION);
const isoTime = z.string().min(1);

/** Where the workers run: child processes, Docker Compose services, Docker Swarm services. */
export const RuntimeKindSchema = z.enum(['local', 'docker', 'swarm']);
export type RuntimeKind = z.infer<typeof RuntimeKindSchema>;

// ---------------------------------------------------------------- worker_N_config.json (supervisor)

export const JobSpecSchema = z.object({
  /** `PAIR/variant`, unique in a run. */
  jobId: z.string().min(1),
  pair: z.string().min(1),
  variant: z.string().min(1),
  hyperparameters: DqnHyperparametersSchema,
});
export type JobSpec = z.infer<typeof JobSpecSchema>;

export const DataSourceSchema = z.enum(['yahoo', 'offline', 'data-dir', 'synthetic']);
export type DataSource = z.infer<typeof DataSourceSchema>;

/** Yahoo serves hourly candles for the last 730 days at most. */
export const MAX_DAYS = 730;

export const DataSettingsSchema = z.object({
  source: DataSourceSchema,
  days: z.number().int().positive().max(MAX_DAYS),
  interval: z.literal('1h'),
  /** Cache folder of `PAIR_data.csv` files (`data/`). */
  cacheDir: z.string().min(1),
  /** With source `data-dir`: where `PAIR_data.csv` files are read from. */
  dataDir: z.string().nullable(),
  refresh: z.boolean(),
});
export type DataSettings = z.infer<typeof DataSettingsSchema>;

export const WorkerConfigSchema = z.object({
  schema: schemaField,
  runId: z.string().min(1),
  workerId: z.number().int().positive(),
  jobs: z.array(JobSpecSchema),
  episodes: z.number().int().positive(),
  data: DataSettingsSchema,
  environment: EnvironmentSettingsSchema,
  seed: z.number().int().nonnegative(),
  resultsDir: z.string().min(1),
  modelsDir: z.string().min(1),
  createdAt: isoTime,
});
export type WorkerConfig = z.infer<typeof WorkerConfigSchema>;

// ---------------------------------------------------------------- worker_N_status.json (worker)

export const WORKER_STATES = [
  'starting',
  'loading-data',
  'training',
  'evaluating',
  'saving',
  'done',
  'failed',
  'stopped',
] as const;
export const WorkerStateSchema = z.enum(WORKER_STATES);
export type WorkerState = z.infer<typeof WorkerStateSchema>;

export const EpisodeStatSchema = z.object({
  episode: z.number().int().positive(),
  reward: z.number(),
  pnlPct: z.number(),
  epsilon: z.number(),
  /** Mean Huber loss of the episode's updates; null before the first update. */
  loss: z.number().nullable(),
  stepsPerSecond: z.number().nonnegative(),
  updates: z.number().int().nonnegative(),
  seconds: z.number().nonnegative(),
  /** Greedy policy on the validation slice after this episode (absent in files of older workers). */
  validationPnlPct: z.number().nullable().optional(),
  validationSharpe: z.number().nullable().optional(),
});
export type EpisodeStat = z.infer<typeof EpisodeStatSchema>;

export const CurrentJobSchema = z.object({
  jobId: z.string(),
  pair: z.string(),
  variant: z.string(),
  /** 0-based position of the job in the worker's config. */
  jobIndex: z.number().int().nonnegative(),
  /** 1-based episode in progress (or last finished when evaluating). */
  episode: z.number().int().nonnegative(),
  episodes: z.number().int().positive(),
  step: z.number().int().nonnegative(),
  stepsPerEpisode: z.number().int().nonnegative(),
});
export type CurrentJob = z.infer<typeof CurrentJobSchema>;

export const WorkerStatusSchema = z.object({
  schema: schemaField,
  runId: z.string(),
  workerId: z.number().int().positive(),
  pid: z.number().int(),
  /** Increases with every write, so readers can drop stale or repeated files. */
  seq: z.number().int().nonnegative(),
  state: WorkerStateSchema,
  startedAt: isoTime,
  heartbeatAt: isoTime,
  current: CurrentJobSchema.nullable(),
  stepsPerSecond: z.number().nonnegative(),
  /** Rewards of the current job's finished episodes, most recent last (at most 50). */
  recentRewards: z.array(z.number()),
  /** The last finished episode, so views can print one line per episode. */
  lastEpisode: EpisodeStatSchema.extend({ jobId: z.string() }).nullable(),
  jobsDone: z.number().int().nonnegative(),
  jobsFailed: z.number().int().nonnegative(),
  jobsTotal: z.number().int().nonnegative(),
  /** P/L % of the last finished job, out-of-sample. */
  lastJobPnlPct: z.number().nullable(),
  backend: z.string(),
  memory: z.object({ rssMb: z.number(), heapUsedMb: z.number(), numTensors: z.number().int().nullable() }),
  /**
   * CPU the worker process used since its previous status, in % of one core (100 = one full core),
   * from process.cpuUsage() deltas: the same inside a container. Absent in files of older workers.
   */
  cpuPct: z.number().nonnegative().nullable().optional(),
  lastError: z.string().nullable(),
  message: z.string().nullable(),
});
export type WorkerStatus = z.infer<typeof WorkerStatusSchema>;

// ---------------------------------------------------------------- worker_N_results.json (worker)

export const EvalMetricsSchema = z.object({
  pnlPct: z.number(),
  pnlUsd: z.number(),
  finalValue: z.number(),
  /** Share of closed trades with positive P/L; null when no trade closed. */
  winRate: z.number().nullable(),
  trades: z.number().int().nonnegative(),
  /** Hourly returns, annualised by √8760, risk-free 0; null when returns have no variance. */
  sharpe: z.number().nullable(),
  sortino: z.number().nullable(),
  /** Largest peak-to-trough fall of portfolio value, in % (positive number). */
  maxDrawdownPct: z.number(),
  /** Share of hours holding a position. */
  exposure: z.number(),
});
export type EvalMetrics = z.infer<typeof EvalMetricsSchema>;

export const EquityCurveSchema = z.object({
  /** Candle times (ISO) of the sampled points. */
  times: z.array(z.string()),
  agent: z.array(z.number()),
  buyAndHold: z.array(z.number()),
});
export type EquityCurve = z.infer<typeof EquityCurveSchema>;

export const DataSummarySchema = z.object({
  source: z.string(),
  file: z.string().nullable(),
  rows: z.number().int(),
  trainRows: z.number().int(),
  testRows: z.number().int(),
  from: z.string(),
  to: z.string(),
  testFrom: z.string(),
  validationRows: z.number().int().optional(),
  validationFrom: z.string().optional(),
  gaps: z.number().int(),
  warnings: z.array(z.string()),
});
export type DataSummary = z.infer<typeof DataSummarySchema>;

export const JobResultSchema = z.object({
  jobId: z.string(),
  pair: z.string(),
  variant: z.string(),
  hyperparameters: DqnHyperparametersSchema,
  status: z.enum(['done', 'failed']),
  error: z.string().nullable(),
  episodes: z.array(EpisodeStatSchema),
  metrics: EvalMetricsSchema.nullable(),
  baselines: z.object({ buyAndHold: EvalMetricsSchema, random: EvalMetricsSchema }).nullable(),
  equityCurve: EquityCurveSchema.nullable(),
  data: DataSummarySchema.nullable(),
  /** This job's saved model folder (TensorFlow.js layers format). */
  modelPath: z.string().nullable(),
  backend: z.string(),
  seed: z.number().int(),
  seconds: z.number().nonnegative(),
  startedAt: isoTime,
  finishedAt: isoTime,
  /** The episode the job continued from after a restart (0: it ran in one go). */
  resumedFromEpisode: z.number().int().nonnegative(),
  /** The episode whose weights were kept: the best greedy Sharpe on the validation slice. */
  selectedEpisode: z.number().int().positive().nullable().optional(),
  /** The kept weights' greedy metrics on the validation slice: what variants are compared on. */
  validation: EvalMetricsSchema.nullable().optional(),
});
export type JobResult = z.infer<typeof JobResultSchema>;

/**
 * `results/job-results/worker_N/<job>.json`: one finished job, written before the worker's results
 * file, so a damaged results file is rebuilt from these and no finished job is trained again.
 */
export const JobResultFileSchema = z.object({
  schema: schemaField,
  runId: z.string().min(1),
  workerId: z.number().int().positive(),
  job: JobResultSchema,
});
export type JobResultFile = z.infer<typeof JobResultFileSchema>;

export const WorkerResultsSchema = z.object({
  schema: schemaField,
  runId: z.string(),
  workerId: z.number().int().positive(),
  updatedAt: isoTime,
  jobs: z.array(JobResultSchema),
  /** Best variant per pair among this worker's finished jobs, and where it was saved. */
  bestModels: z.array(
    z.object({ pair: z.string(), jobId: z.string(), variant: z.string(), modelPath: z.string() }),
  ),
});
export type WorkerResults = z.infer<typeof WorkerResultsSchema>;

// ---------------------------------------------------------------- aggregated_results.json, training_report.json (supervisor)

export const RankedJobSchema = JobResultSchema.omit({ episodes: true, equityCurve: true }).extend({
  workerId: z.number().int().positive(),
});
export type RankedJob = z.infer<typeof RankedJobSchema>;

export const BestModelSchema = z.object({
  pair: z.string(),
  workerId: z.number().int().positive(),
  jobId: z.string(),
  variant: z.string(),
  metrics: EvalMetricsSchema,
  buyAndHold: EvalMetricsSchema,
  random: EvalMetricsSchema,
  modelPath: z.string().nullable(),
  equityCurve: EquityCurveSchema.nullable(),
});
export type BestModel = z.infer<typeof BestModelSchema>;

export const AggregatedResultsSchema = z.object({
  schema: schemaField,
  runId: z.string(),
  updatedAt: isoTime,
  jobsTotal: z.number().int().nonnegative(),
  jobsDone: z.number().int().nonnegative(),
  jobsFailed: z.number().int().nonnegative(),
  /** Every finished job, best Sharpe first (failed jobs last). */
  rankings: z.array(RankedJobSchema),
  bestByPair: z.array(BestModelSchema),
});
export type AggregatedResults = z.infer<typeof AggregatedResultsSchema>;

export const WorkerSummarySchema = z.object({
  workerId: z.number().int().positive(),
  pairs: z.array(z.string()),
  state: z.string(),
  jobsDone: z.number().int().nonnegative(),
  jobsFailed: z.number().int().nonnegative(),
  jobsTotal: z.number().int().nonnegative(),
  restarts: z.number().int().nonnegative(),
  exits: z.array(
    z.object({ at: isoTime, code: z.number().nullable(), signal: z.string().nullable(), reason: z.string() }),
  ),
  seconds: z.number().nonnegative(),
  logFile: z.string().nullable(),
});
export type WorkerSummary = z.infer<typeof WorkerSummarySchema>;

export const TrainingReportSchema = z.object({
  schema: schemaField,
  runId: z.string(),
  startedAt: isoTime,
  finishedAt: isoTime,
  seconds: z.number().nonnegative(),
  outcome: z.enum(['completed', 'completed-with-failures', 'stopped']),
  plan: z.object({
    workers: z.number().int().positive(),
    pairs: z.array(z.string()),
    variants: z.array(
      z.object({ name: z.string(), rationale: z.string(), hyperparameters: DqnHyperparametersSchema }),
    ),
    episodes: z.number().int().positive(),
    data: DataSettingsSchema,
    environment: EnvironmentSettingsSchema,
    seed: z.number().int(),
    assignments: z.array(z.object({ workerId: z.number().int().positive(), pairs: z.array(z.string()) })),
  }),
  workers: z.array(WorkerSummarySchema),
  jobs: z.array(RankedJobSchema),
  bestModels: z.array(BestModelSchema),
  failures: z.array(
    z.object({
      workerId: z.number().int().positive(),
      jobId: z.string().nullable(),
      pair: z.string().nullable(),
      reason: z.string(),
    }),
  ),
  environment: z.object({
    backend: z.string().nullable(),
    node: z.string(),
    platform: z.string(),
    cpus: z.number().int(),
    runtime: RuntimeKindSchema,
  }),
});
export type TrainingReport = z.infer<typeof TrainingReportSchema>;

// ---------------------------------------------------------------- supervisor_status.json, commands/ (supervisor ⇄ attached viewers)

export const ProcessStateSchema = z.enum([
  'pending',
  'running',
  'backoff',
  'exited',
  'failed',
  'stopped',
  'done',
]);
export type ProcessState = z.infer<typeof ProcessStateSchema>;

export const SupervisorStatusSchema = z.object({
  schema: schemaField,
  runId: z.string(),
  pid: z.number().int(),
  runtime: RuntimeKindSchema,
  startedAt: isoTime,
  heartbeatAt: isoTime,
  finished: z.boolean(),
  workers: z.array(
    z.object({
      workerId: z.number().int().positive(),
      process: ProcessStateSchema,
      pid: z.number().int().nullable(),
      restarts: z.number().int().nonnegative(),
      /** When a restart is scheduled (backoff), its time. */
      nextRestartAt: isoTime.nullable(),
      stalled: z.boolean(),
      lastExit: z
        .object({ code: z.number().nullable(), signal: z.string().nullable(), at: isoTime })
        .nullable(),
      logFile: z.string().nullable(),
    }),
  ),
});
export type SupervisorStatus = z.infer<typeof SupervisorStatusSchema>;

// ---------------------------------------------------------------- run.json (supervisor)

/** What a run writes, relative to its folders (`/`-separated): all `--fresh` may remove. */
export const RunManifestSchema = z.object({
  /** The models folder the run wrote into (absolute). */
  modelsDir: z.string().min(1),
  /** Files and folders of the run in the results folder (a folder: everything in it). */
  results: z.array(z.string().min(1)),
  /** Files and folders of the run in the models folder. */
  models: z.array(z.string().min(1)),
});
export type RunManifest = z.infer<typeof RunManifestSchema>;

/** `results/run.json` (and its copy): which plan the folder holds, so a rerun resumes only the same plan. */
export const RunFileSchema = z.object({
  schema: schemaField,
  runId: z.string().min(1),
  fingerprint: z.string().min(1),
  createdAt: z.string(),
  pairs: z.array(z.string()),
  workers: z.number().int().positive(),
  /** What the run writes (absent in files of older versions: derived from the plan then). */
  owns: RunManifestSchema.optional(),
});
export type RunFile = z.infer<typeof RunFileSchema>;

/**
 * `results/run.lock`: the supervisor that owns the folder (one at a time). Created whole with a hard
 * link (fails if one exists), its heartbeat renewed while the run lasts, removed at the end.
 */
export const RunLockSchema = z.object({
  schema: schemaField,
  /** Random, per owner: a renewal first checks that the lock is still its own. */
  token: z.string().min(8),
  pid: z.number().int().positive(),
  host: z.string().min(1),
  /** The process's start time as the OS counts it (Linux), so a reused pid is told apart. */
  processStart: z.string().nullable().optional(),
  startedAt: isoTime,
  heartbeatAt: isoTime,
  /** The command line that took it, for the message a second supervisor prints. */
  command: z.string().optional(),
});
export type RunLock = z.infer<typeof RunLockSchema>;

/** What a viewer may ask of the supervisor: the dashboard's keys and `trading-workers restart N`. */
export const SupervisorCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('restart'), workerId: z.number().int().positive() }),
  z.object({ type: z.literal('restart-failed') }),
  z.object({ type: z.literal('stop') }),
]);
export type SupervisorCommand = z.infer<typeof SupervisorCommandSchema>;

/** A command id: also its file's name, so a short safe alphabet (no dots, no separators). */
export const COMMAND_ID = /^[A-Za-z0-9_-]{1,64}$/;

export const CommandFileSchema = z.object({
  schema: schemaField,
  /** Equals the file's name without `.json`; the reply is `<id>.reply` beside it. */
  id: z.string().regex(COMMAND_ID, 'must be 1-64 letters, digits, _ or -'),
  issuedAt: isoTime,
  issuedBy: z.string(),
  command: SupervisorCommandSchema,
});
export type CommandFile = z.infer<typeof CommandFileSchema>;

/** The supervisor's answer to a command file (`commands/<id>.reply`), read by the sender. */
export const CommandReplySchema = z.object({
  schema: schemaField,
  id: z.string().min(1),
  at: isoTime,
  message: z.string(),
  /** false: the command could not be carried out (no such worker, the run is ending). */
  ok: z.boolean().optional(),
});
export type CommandReply = z.infer<typeof CommandReplySchema>;
