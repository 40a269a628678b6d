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
  /** A paper trader acting on closed candles (paper runs only). */
  'trading',
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
  /** Paper runs: one entry per trader of this worker (absent in training runs and older files). */
  // Lazy: the paper schemas live with the rest of the paper contract at the end of this file.
  paper: z.array(z.lazy(() => PaperTraderStatusSchema)).optional(),
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

/** A run's out-of-sample trade list and hourly equity, written beside its model (worker/run-exports.ts). */
export const RunExportsSchema = z.object({ trades: z.string(), equity: z.string() });
export type RunExports = z.infer<typeof RunExportsSchema>;

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
  /** trades.csv and equity.csv of the out-of-sample hours, beside the model (absent in older results). */
  exports: RunExportsSchema.nullable().optional(),
});
export type JobResult = z.infer<typeof JobResultSchema>;

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

// ---------------------------------------------------------------- ensemble_results.json (end of a run, `ensemble` command)

/** A pair's ensemble of the run's models, evaluated on the same out-of-sample hours as its jobs. */
export const PairEnsembleSchema = z.object({
  pair: z.string(),
  /** Its ensemble.json. */
  manifest: z.string(),
  members: z.array(z.object({ jobId: z.string(), variant: z.string(), modelPath: z.string() })),
  chosenBy: z.string(),
  from: isoTime,
  to: isoTime,
  hours: z.number().int().positive(),
  metrics: EvalMetricsSchema,
  buyAndHold: EvalMetricsSchema,
  random: EvalMetricsSchema.optional(),
  equityCurve: EquityCurveSchema.nullable(),
  /** trades.csv and equity.csv of those hours, beside the manifest (absent in older files). */
  exports: RunExportsSchema.optional(),
});
export type PairEnsemble = z.infer<typeof PairEnsembleSchema>;

export const EnsembleResultsSchema = z.object({
  schema: schemaField,
  runId: z.string(),
  updatedAt: isoTime,
  ensembles: z.array(PairEnsembleSchema),
  /** Pairs without an ensemble and why (one model only, a model that would not load …). */
  skipped: z.array(z.object({ pair: z.string(), reason: z.string() })),
});
export type EnsembleResults = z.infer<typeof EnsembleResultsSchema>;

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
  /** Each pair's ensemble of the run's models (absent in older reports or with --no-ensemble). */
  ensembles: EnsembleResultsSchema.optional(),
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

/** What a viewer may ask of the supervisor: the dashboard's keys and `trading-workers restart N`. */
export const SupervisorCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('restart'), workerId: z.number().int().positive() }),
  z.object({ type: z.literal('restart-failed') }),
  z.object({ type: z.literal('stop') }),
]);
export type SupervisorCommand = z.infer<typeof SupervisorCommandSchema>;

export const CommandFileSchema = z.object({
  schema: schemaField,
  id: z.string().min(1),
  issuedAt: isoTime,
  issuedBy: z.string(),
  command: SupervisorCommandSchema,
});
export type CommandFile = z.infer<typeof CommandFileSchema>;

/** The supervisor's answer to a command file (`commands/replies/<id>.json`), read by the sender. */
export const CommandReplySchema = z.object({
  schema: schemaField,
  id: z.string().min(1),
  at: isoTime,
  message: z.string(),
});
export type CommandReply = z.infer<typeof CommandReplySchema>;

// ---------------------------------------------------------------- ensemble.json (ensemble command, end of a run)

export const EnsembleMemberSchema = z.object({
  /** The member's model folder, relative to the folder of the manifest. */
  path: z.string().min(1),
  jobId: z.string().optional(),
  variant: z.string().optional(),
  seed: z.number().int().optional(),
});
export type EnsembleMember = z.infer<typeof EnsembleMemberSchema>;

/** An ensemble of saved models that `backtest`, `predict` and `paper` accept like a model folder. */
export const EnsembleManifestSchema = z.object({
  schema: schemaField,
  kind: z.literal('ensemble'),
  pair: z.string().min(1),
  /** Each member votes its greedy action for the position the ensemble holds; the majority wins. */
  vote: z.literal('majority'),
  /** What an even split of the votes does: hold cash. */
  tie: z.literal('flat'),
  members: z.array(EnsembleMemberSchema).min(1),
  /** How the members were chosen, in words. */
  chosenBy: z.string().min(1),
  /** Seed of the random baseline it is evaluated against (the run's per-pair convention). */
  seed: z.number().int().nonnegative().optional(),
  runId: z.string().optional(),
  createdAt: isoTime,
});
export type EnsembleManifest = z.infer<typeof EnsembleManifestSchema>;

// ---------------------------------------------------------------- backtest.json (backtest command)

export const BacktestReportSchema = z.object({
  schema: schemaField,
  model: z.string(),
  kind: z.enum(['model', 'ensemble']),
  pair: z.string(),
  from: isoTime,
  to: isoTime,
  hours: z.number().int().positive(),
  feeRate: z.number(),
  initialCash: z.number(),
  /**
   * Hours of the range the model was trained or validated on (0: the whole range is out-of-sample;
   * null: the model does not record its training period).
   */
  inSampleHours: z.number().int().nonnegative().nullable(),
  data: z.object({ source: z.string(), file: z.string().nullable(), rows: z.number().int() }),
  metrics: EvalMetricsSchema,
  baselines: z.object({ buyAndHold: EvalMetricsSchema, random: EvalMetricsSchema }),
  randomSeed: z.number().int(),
  files: z.object({ trades: z.string().nullable(), equity: z.string().nullable() }),
  createdAt: isoTime,
});
export type BacktestReport = z.infer<typeof BacktestReportSchema>;

// ---------------------------------------------------------------- paper trading: worker_N_config.json, status, ledger

/** Where a paper trader's candles come from: Yahoo as they close, or stored candles at N× real time. */
export const PaperFeedSchema = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('live'),
    /** Seconds between polls while a closed candle is due but not on Yahoo yet. */
    pollSeconds: z.number().positive(),
  }),
  z.object({
    mode: z.literal('replay'),
    /** Folder of `PAIR_data.csv` files. */
    dir: z.string().min(1),
    /** Replay speed: one hour of candles every 3600 / speed seconds. */
    speed: z.number().positive(),
    /** First candle to act on (ISO); null: the model's held-out start, else the first with full features. */
    from: isoTime.nullable(),
    /** Last candle of the replay (ISO, settled only); null: the end of the file. */
    to: isoTime.nullable(),
  }),
]);
export type PaperFeed = z.infer<typeof PaperFeedSchema>;

export const PaperJobSchema = z.object({
  /** `PAIR/paper`, unique in a run. */
  jobId: z.string().min(1),
  pair: z.string().min(1),
  /** A model folder or an ensemble manifest (absolute path). */
  model: z.string().min(1),
});
export type PaperJob = z.infer<typeof PaperJobSchema>;

export const PaperConfigSchema = z.object({
  schema: schemaField,
  kind: z.literal('paper'),
  runId: z.string().min(1),
  workerId: z.number().int().positive(),
  jobs: z.array(PaperJobSchema).min(1),
  feed: PaperFeedSchema,
  /** Fee per side as a fraction of the traded value (0.001 = 0.1%). */
  feeRate: z.number().min(0).max(0.1),
  initialCash: z.number().positive(),
  resultsDir: z.string().min(1),
  createdAt: isoTime,
});
export type PaperConfig = z.infer<typeof PaperConfigSchema>;

export const PositionNameSchema = z.enum(['flat', 'long']);
export type PositionName = z.infer<typeof PositionNameSchema>;

/** One decision and its fill at a candle's close, as the ledger records it and the views show it. */
export const PaperDecisionSchema = z.object({
  /** Open time of the candle (ISO); the decision is taken at its close. */
  candleTime: isoTime,
  action: PositionNameSchema,
  price: z.number(),
  /** Fee paid on this candle's fill, USD (0 when the position did not change). */
  fee: z.number().nonnegative(),
  position: PositionNameSchema,
  cash: z.number(),
  equity: z.number(),
});
export type PaperDecision = z.infer<typeof PaperDecisionSchema>;

export const PaperTraderStatusSchema = z.object({
  jobId: z.string(),
  pair: z.string(),
  model: z.string(),
  mode: z.enum(['live', 'replay']),
  /** `starting`, `trading`, `done` (replay finished), `failed`, `stopped`. */
  state: z.enum(['starting', 'trading', 'done', 'failed', 'stopped']),
  position: PositionNameSchema,
  /** Portfolio value at the last close, after its fill. */
  equity: z.number(),
  /** Buying at the first candle and holding, marked at the same close. */
  buyAndHoldEquity: z.number(),
  initialCash: z.number(),
  /** Open time of the first candle acted on (ISO). */
  since: isoTime.nullable(),
  /** Candles decided so far. */
  candles: z.number().int().nonnegative(),
  /** Replay: candles it will decide in all; live: null. */
  candlesTotal: z.number().int().nonnegative().nullable(),
  trades: z.number().int().nonnegative(),
  fees: z.number().nonnegative(),
  lastDecision: PaperDecisionSchema.nullable(),
  /** Equity and buy-and-hold since start, at most 200 evenly spaced points, for the charts. */
  curve: EquityCurveSchema,
  ledger: z.string(),
  error: z.string().nullable(),
});
export type PaperTraderStatus = z.infer<typeof PaperTraderStatusSchema>;

/** First line of a ledger: what the trader is, so a restart refuses a ledger of another setup. */
export const LedgerStartSchema = z.object({
  schema: schemaField,
  type: z.literal('start'),
  pair: z.string(),
  model: z.string(),
  mode: z.enum(['live', 'replay']),
  feeRate: z.number(),
  initialCash: z.number(),
  at: isoTime,
});
export type LedgerStart = z.infer<typeof LedgerStartSchema>;

/**
 * One closed candle: the portfolio marked at its close, the decision and its fill. The arithmetic
 * is the evaluation's (worker/environment.ts), so a replay ends where a backtest of the same hours
 * does. `action` null marks the last candle of a replay: settled, no decision (as in a backtest).
 */
export const LedgerCandleSchema = z.object({
  type: z.literal('candle'),
  seq: z.number().int().positive(),
  candleTime: isoTime,
  price: z.number().positive(),
  /** Value at this close before the fill (the evaluation's equity point). */
  markedEquity: z.number().positive(),
  action: PositionNameSchema.nullable(),
  fee: z.number().nonnegative(),
  position: PositionNameSchema,
  cash: z.number().nonnegative(),
  units: z.number().nonnegative(),
  /** Value after the fill. */
  equity: z.number().positive(),
  /** Buy-and-hold marked at this close (before its one fill at the first candle). */
  buyAndHoldMarked: z.number().positive(),
  /** Buy-and-hold after its fill. */
  buyAndHoldEquity: z.number().positive(),
  /** Q-values that decided: one row per model (one for a model, one per member for an ensemble). */
  qValues: z.array(z.array(z.number())),
  /** Acted on more than two hours after the candle closed (a restart caught up). */
  late: z.boolean(),
  at: isoTime,
});
export type LedgerCandle = z.infer<typeof LedgerCandleSchema>;

export const LedgerEndSchema = z.object({
  type: z.literal('end'),
  reason: z.string(),
  at: isoTime,
});
export type LedgerEnd = z.infer<typeof LedgerEndSchema>;

export const LedgerLineSchema = z.discriminatedUnion('type', [
  LedgerStartSchema,
  LedgerCandleSchema,
  LedgerEndSchema,
]);
export type LedgerLine = z.infer<typeof LedgerLineSchema>;

/** worker_N_config.json of either kind: a training worker's jobs, or a paper worker's traders. */
export const AnyWorkerConfigSchema = z.union([PaperConfigSchema, WorkerConfigSchema]);
export type AnyWorkerConfig = z.infer<typeof AnyWorkerConfigSchema>;

/** True for a paper worker's config. */
export function isPaperConfig(config: AnyWorkerConfig): config is PaperConfig {
  return (config as { kind?: unknown }).kind === 'paper';
}

// ---------------------------------------------------------------- paper_run.json, paper_report.json (supervisor of a paper run)

/** results/paper_run.json: the paper run a folder holds, so a rerun with the same setup resumes its ledgers. */
export const PaperRunFileSchema = z.object({
  schema: schemaField,
  runId: z.string().min(1),
  pairs: z.array(z.string()),
  models: z.record(z.string(), z.string()),
  feed: PaperFeedSchema,
  feeRate: z.number(),
  initialCash: z.number(),
  workers: z.number().int().positive(),
  createdAt: isoTime,
});
export type PaperRunFile = z.infer<typeof PaperRunFileSchema>;

export const PaperReportSchema = z.object({
  schema: schemaField,
  runId: z.string(),
  startedAt: isoTime,
  finishedAt: isoTime,
  seconds: z.number().nonnegative(),
  outcome: z.enum(['completed', 'completed-with-failures', 'stopped']),
  feed: PaperFeedSchema,
  feeRate: z.number(),
  initialCash: z.number(),
  traders: z.array(PaperTraderStatusSchema),
  workers: z.array(WorkerSummarySchema),
  failures: z.array(
    z.object({ workerId: z.number().int().positive(), pair: z.string().nullable(), reason: z.string() }),
  ),
  runtime: RuntimeKindSchema,
});
export type PaperReport = z.infer<typeof PaperReportSchema>;
