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

const seedField = z.number().int().nonnegative();

export const JobSpecSchema = z.object({
  /** `PAIR/variant`, unique in a run. */
  jobId: z.string().min(1),
  pair: z.string().min(1),
  variant: z.string().min(1),
  hyperparameters: DqnHyperparametersSchema,
  /**
   * The job's seed, from the run's seed and the job id only (shared/seeds.ts), so the job trains the
   * same agents whichever worker runs it. Equals `seeds[0]`. The three seed fields are absent in
   * configs of older versions; a worker refuses such a config (the plan writes a new one).
   */
  seed: seedField.optional(),
  /** One seed per agent (`--seeds S`): seeds[s − 1] trains seed s on every fold. */
  seeds: z.array(seedField).min(1).optional(),
  /**
   * Seed of the evaluation's random streams (matched random policies, bootstrap resamples), one per
   * pair, so every variant of a pair is judged against the same draws.
   */
  evaluationSeed: seedField.optional(),
});
export type JobSpec = z.infer<typeof JobSpecSchema>;

export const DataSourceSchema = z.enum(['yahoo', 'offline', 'data-dir', 'synthetic']);
export type DataSource = z.infer<typeof DataSourceSchema>;

/**
 * What the `synthetic` source generates: `market` (GARCH volatility, fat tails, drift regimes: a
 * demo market), `planted` (a momentum rule the oracle policy knows: proves the agent can learn),
 * `random-walk` (driftless, no structure: nothing to learn, the evaluation's false-positive check).
 */
export const SYNTHETIC_KINDS = ['market', 'planted', 'random-walk'] as const;
export const SyntheticKindSchema = z.enum(SYNTHETIC_KINDS);
export type SyntheticKind = z.infer<typeof SyntheticKindSchema>;

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
  /** With source `synthetic`: which kind; absent means `market` (as in older files). */
  syntheticKind: SyntheticKindSchema.optional(),
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
  /** The worker's own seed (reserved; a job's figures never depend on it, see JobSpec.seed). */
  seed: z.number().int().nonnegative(),
  /** The run's seed (`--seed`): seeds the synthetic candles of every pair (absent in older files). */
  runSeed: seedField.optional(),
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
  /** 1-based episode of its unit (fold × seed). */
  episode: z.number().int().positive(),
  /** With several folds or seeds: the unit's fold and seed (1-based); absent for a single unit. */
  fold: z.number().int().positive().optional(),
  seed: z.number().int().positive().optional(),
  /** Sum of the episode's hourly log rewards on the training slice (in-sample). */
  reward: z.number(),
  /** P/L % of the exploring policy over the training slice: in-sample, never a result. */
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

/** A finished episode as a worker's status reports it: its statistics and its job. */
export const FinishedEpisodeSchema = EpisodeStatSchema.extend({ jobId: z.string() });
export type FinishedEpisode = z.infer<typeof FinishedEpisodeSchema>;

export const CurrentJobSchema = z.object({
  jobId: z.string(),
  pair: z.string(),
  variant: z.string(),
  /** 0-based position of the job in the worker's config. */
  jobIndex: z.number().int().nonnegative(),
  /**
   * 1-based episode in progress (or last finished when evaluating), counted over the whole job:
   * with F folds and S seeds a job trains F × S units of E episodes, and `episodes` is F × S × E.
   */
  episode: z.number().int().nonnegative(),
  episodes: z.number().int().positive(),
  /** With several folds or seeds: the unit in progress (1-based), and how many there are. */
  unit: z
    .object({
      fold: z.number().int().positive(),
      folds: z.number().int().positive(),
      seed: z.number().int().positive(),
      seeds: z.number().int().positive(),
    })
    .optional(),
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
  /** The last finished episode. */
  lastEpisode: FinishedEpisodeSchema.nullable(),
  /**
   * The episodes finished since the write before this one (at most 8), oldest first, ending with
   * `lastEpisode`: so views can print one line per episode. Episode ends wait for the next write (at
   * most a second), so one status can bring several, and a reader that missed a write still sees its
   * episodes. Absent in files of older workers, which wrote every episode's end at once.
   */
  recentEpisodes: z.array(FinishedEpisodeSchema).optional(),
  jobsDone: z.number().int().nonnegative(),
  jobsFailed: z.number().int().nonnegative(),
  jobsTotal: z.number().int().nonnegative(),
  /** P/L % of the last finished job, out-of-sample (pooled over its folds). */
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
  /**
   * Hourly returns, annualised by √annualization (8760 unless the run says otherwise), risk-free 0;
   * null when returns have no variance.
   */
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
  /** Training rows (with walk-forward folds: the last fold's; every fold's are in JobResult.folds). */
  trainRows: z.number().int(),
  /** Candles of the out-of-sample part: every fold's test window together (the last testFraction). */
  testRows: z.number().int(),
  from: z.string(),
  to: z.string(),
  /** Time of the first out-of-sample candle (the first fold's first decision). */
  testFrom: z.string(),
  /** The validation slice (with folds: the last fold's). */
  validationRows: z.number().int().optional(),
  validationFrom: z.string().optional(),
  gaps: z.number().int(),
  warnings: z.array(z.string()),
});
export type DataSummary = z.infer<typeof DataSummarySchema>;

/** A run's out-of-sample trade list and hourly equity, written beside its model (worker/run-exports.ts). */
export const RunExportsSchema = z.object({ trades: z.string(), equity: z.string() });
export type RunExports = z.infer<typeof RunExportsSchema>;
/** A slice of candles: indices in the environment's convention (decisions at start … end − 2). */
export const WindowSchema = z.object({
  start: z.number().int().nonnegative(),
  end: z.number().int().positive(),
  /** Open time (ISO) of the first decision candle. */
  from: isoTime,
  /** Open time (ISO) of the candle whose close settles the last decision. */
  to: isoTime,
  /** Decision hours (end − start − 1). */
  hours: z.number().int().nonnegative(),
});
export type Window = z.infer<typeof WindowSchema>;

/** One seed's kept agent on one fold. */
export const SeedFoldResultSchema = z.object({
  /** 1-based seed index, and the agent's seed (JobSpec.seeds[seedIndex − 1]). */
  seedIndex: z.number().int().positive(),
  seed: z.number().int(),
  /** The episode whose weights were kept (best greedy Sharpe on this fold's validation slice). */
  selectedEpisode: z.number().int().positive().nullable(),
  /** The kept weights' greedy metrics on the fold's validation slice. */
  validation: EvalMetricsSchema,
  /** This seed's own policy on the fold's test window (its share of the seed's pooled run). */
  test: EvalMetricsSchema,
});
export type SeedFoldResult = z.infer<typeof SeedFoldResultSchema>;

/** One walk-forward fold of a job. */
export const FoldResultSchema = z.object({
  /** 1-based, in time order. */
  fold: z.number().int().positive(),
  /** Training rows (expanding: from the feature warm-up up to the embargo before validation). */
  train: WindowSchema,
  validation: WindowSchema,
  test: WindowSchema,
  /** The feature scale fitted on this fold's training rows only. */
  featureSettings: z.object({
    version: z.number().int(),
    windowSize: z.number().int(),
    returnScale: z.number().positive(),
  }),
  seeds: z.array(SeedFoldResultSchema),
  /** The job's decisions (the seeds' majority vote) on this fold's test window. */
  vote: EvalMetricsSchema,
  /** Buy-and-hold's share of the pooled run on this fold's test window. */
  buyAndHold: EvalMetricsSchema,
});
export type FoldResult = z.infer<typeof FoldResultSchema>;

/** One seed's own policy over the pooled out-of-sample series (its fold agents in turn). */
export const SeedResultSchema = z.object({
  seedIndex: z.number().int().positive(),
  seed: z.number().int(),
  metrics: EvalMetricsSchema,
  /** This seed's model of the last fold. */
  modelPath: z.string().nullable(),
});
export type SeedResult = z.infer<typeof SeedResultSchema>;

/** Mean and sample standard deviation across seeds; sd null with one seed, both null with no value. */
export const MeanSdSchema = z.object({ mean: z.number().nullable(), sd: z.number().nullable() });
export type MeanSd = z.infer<typeof MeanSdSchema>;

/** Mean ± sd across seeds of each seed's pooled out-of-sample metrics. */
export const SeedSpreadSchema = z.object({
  seeds: z.number().int().positive(),
  pnlPct: MeanSdSchema,
  sharpe: MeanSdSchema,
  sortino: MeanSdSchema,
  maxDrawdownPct: MeanSdSchema,
  winRate: MeanSdSchema,
  trades: MeanSdSchema,
  exposure: MeanSdSchema,
});
export type SeedSpread = z.infer<typeof SeedSpreadSchema>;

/** 5th percentile, median and 95th percentile of a distribution. */
export const QuantilesSchema = z.object({ p5: z.number(), median: z.number(), p95: z.number() });
export type Quantiles = z.infer<typeof QuantilesSchema>;

/**
 * The random baseline: random policies matched to the job's decisions (a two-state Markov chain
 * with the agent's flat→long and long→flat frequencies, so the same exposure and switch rate), on
 * the same pooled hours with the same fee. Replaces the coin flip of older files.
 */
export const RandomDistributionSchema = z.object({
  /** Number of random policies simulated. */
  policies: z.number().int().positive(),
  /** Seed of the draws (the pair's evaluation seed: the same for every variant of a pair). */
  seed: z.number().int(),
  /** The matched chain: P(flat → long) and P(long → flat) per hour, starting flat. */
  enterProbability: z.number().min(0).max(1),
  exitProbability: z.number().min(0).max(1),
  /** The agent's share of hours long, and share of hours with a change of position, it was matched on. */
  exposure: z.number().min(0).max(1),
  switchRate: z.number().min(0).max(1),
  /** Median, 5th and 95th percentile over the random policies. */
  pnlPct: QuantilesSchema,
  /** Annualised; a policy that never holds counts as 0. */
  sharpe: QuantilesSchema,
  maxDrawdownPct: QuantilesSchema,
  trades: QuantilesSchema,
  /** (1 + #{random Sharpe ≥ the agent's}) / (1 + policies): never exactly 0. */
  pValue: z.number().min(0).max(1),
  /**
   * `never-long` / `always-long` when the agent held one position throughout: the chain then copies
   * it exactly, every random policy ties and pValue is 1 (no skill beyond its exposure). Else null.
   */
  degenerate: z.enum(['never-long', 'always-long']).nullable(),
});
export type RandomDistribution = z.infer<typeof RandomDistributionSchema>;

/** A bootstrap confidence interval of the annualised Sharpe ratio. */
export const SharpeIntervalSchema = z.object({
  /** The Sharpe of the series itself. */
  estimate: z.number().nullable(),
  low: z.number().nullable(),
  high: z.number().nullable(),
  /** Confidence level, 0.95. */
  level: z.number().gt(0).lt(1),
  /**
   * `stationary` (Politis–Romano: blocks of geometric length, the default) or `circular` (fixed
   * length) block bootstrap, percentile interval: blocks keep hourly serial dependence.
   */
  method: z.string(),
  /** Hours per resampled block (the mean length for `stationary`). */
  blockLength: z.number().int().positive(),
  resamples: z.number().int().positive(),
});
export type SharpeIntervalFigure = z.infer<typeof SharpeIntervalSchema>;

/**
 * The Deflated Sharpe Ratio (Bailey & López de Prado, 2014): the probability that the true Sharpe
 * exceeds the Sharpe expected from the best of `configurations` unskilled trials, given the series'
 * length, skewness and kurtosis.
 */
export const DeflatedSharpeSchema = z.object({
  /** DSR, a probability in [0, 1]; ≥ 0.95 reads as significant after the search. */
  probability: z.number().min(0).max(1),
  /** Configurations counted: variants × seeds × episodes considered by early stopping. */
  configurations: z.number().int().positive(),
  /** Variance across those trials of their (annualised) validation Sharpe ratios. */
  sharpeVariance: z.number().nonnegative(),
  /** The annualised Sharpe the best unskilled trial is expected to reach (the deflation's bar). */
  expectedMaxSharpe: z.number(),
  /** `job`: this job's trials only (seeds × episodes); `pair`: every variant of the pair. */
  scope: z.enum(['job', 'pair']),
});
export type DeflatedSharpeFigure = z.infer<typeof DeflatedSharpeSchema>;

/** The job's significance on its pooled out-of-sample series (evaluation only; seeded, reproducible). */
export const SignificanceSchema = z.object({
  /** 95 % interval of the annualised Sharpe of the job's decisions. */
  sharpe: SharpeIntervalSchema,
  /**
   * One-sided p-value that the agent's Sharpe exceeds buy-and-hold's on the same hours (paired: the
   * same resampled blocks for both series); null when a Sharpe is undefined (no variance).
   */
  pVsBuyAndHold: z.number().min(0).max(1).nullable(),
  /** p-value against the matched random policies (see RandomDistribution.pValue). */
  pVsRandom: z.number().min(0).max(1).nullable(),
  /** With the job's own trials; the leaderboard row recomputes it with the pair's (BestModel). */
  deflatedSharpe: DeflatedSharpeSchema.nullable(),
  /** Configurations counted for the deflated Sharpe (= deflatedSharpe.configurations). */
  configurations: z.number().int().nonnegative(),
  /** Hours the figures were computed on (the pooled out-of-sample decisions). */
  observations: z.number().int().nonnegative(),
  /** The evaluation seed the resamples and random policies were drawn from. */
  seed: z.number().int(),
});
export type Significance = z.infer<typeof SignificanceSchema>;

/** The job's decisions re-priced at another fee per side (the decisions themselves unchanged). */
export const CostPointSchema = z.object({
  /** Fee per side as a fraction (0.001 = 0.1 %). */
  feeRate: z.number().min(0),
  pnlPct: z.number(),
  sharpe: z.number().nullable(),
});
export type CostSensitivityPoint = z.infer<typeof CostPointSchema>;

/** What the job tried, for the deflated Sharpe across a pair (see supervisor/aggregate.ts). */
export const TrialsSchema = z.object({
  seeds: z.number().int().positive(),
  /** Episodes early stopping chose among, per seed (per fold). */
  episodes: z.number().int().positive(),
  /** seeds × episodes. */
  configurations: z.number().int().positive(),
  /**
   * Annualised validation Sharpe of every trial (seed × episode), averaged over folds; a trial
   * whose greedy policy never traded counts as 0.
   */
  validationSharpes: z.array(z.number()),
});
export type Trials = z.infer<typeof TrialsSchema>;

export const JobResultSchema = z.object({
  jobId: z.string(),
  pair: z.string(),
  variant: z.string(),
  hyperparameters: DqnHyperparametersSchema,
  status: z.enum(['done', 'failed']),
  error: z.string().nullable(),
  /** Every training episode of every unit (fold × seed, in that order): the in-sample curve. */
  episodes: z.array(EpisodeStatSchema),
  /**
   * The job's out-of-sample metrics: its decisions (the seeds' majority vote, ties flat; with one
   * seed, that seed's greedy policy) over the pooled test windows of all folds, as one account.
   */
  metrics: EvalMetricsSchema.nullable(),
  baselines: z
    .object({
      /** Buy-and-hold over the same pooled hours. */
      buyAndHold: EvalMetricsSchema,
      /** The coin-flip policy of older files; newer files have `matchedRandom` instead. */
      random: EvalMetricsSchema.optional(),
      matchedRandom: RandomDistributionSchema.optional(),
    })
    .nullable(),
  /** The job's decisions and buy-and-hold over the pooled out-of-sample hours, ≤ 200 points. */
  equityCurve: EquityCurveSchema.nullable(),
  data: DataSummarySchema.nullable(),
  /**
   * This job's saved model folder (TensorFlow.js layers format): the last fold's model, of the
   * representative seed when there are several (every seed's is in `seeds[].modelPath`).
   */
  modelPath: z.string().nullable(),
  backend: z.string(),
  /** The job's seed (seed 1's; see JobSpec.seed). */
  seed: z.number().int(),
  seconds: z.number().nonnegative(),
  startedAt: isoTime,
  finishedAt: isoTime,
  /** The episode the job continued from after a restart (0: it ran in one go). */
  resumedFromEpisode: z.number().int().nonnegative(),
  /**
   * The episode whose weights were kept: the best greedy Sharpe on the validation slice (with
   * several folds or seeds: the last fold's, of the representative seed; every unit's is in `folds`).
   */
  selectedEpisode: z.number().int().positive().nullable().optional(),
  /**
   * The kept weights' greedy metrics on the validation slice: what variants are compared on. With
   * several folds or seeds: the last fold's vote on its validation slice.
   */
  validation: EvalMetricsSchema.nullable().optional(),
  /** trades.csv and equity.csv of the out-of-sample hours, beside the model (absent in older results). */
  exports: RunExportsSchema.nullable().optional(),
  // The fields below are absent in files written before walk-forward evaluation existed.
  /** Periods per year the ratios were annualised with (√annualization). */
  annualization: z.number().positive().optional(),
  /** Untraded hourly moves at each slice boundary (see worker/split.ts). */
  embargoHours: z.number().int().positive().optional(),
  /** Per walk-forward fold: ranges, per-seed metrics, the vote's and buy-and-hold's metrics. */
  folds: z.array(FoldResultSchema).optional(),
  /** Per seed: its own policy over the pooled series, and its last-fold model. */
  seeds: z.array(SeedResultSchema).optional(),
  /** Mean ± sd across seeds of the per-seed pooled metrics. */
  seedSpread: SeedSpreadSchema.optional(),
  significance: SignificanceSchema.nullable().optional(),
  /** The job's decisions re-priced at fees of 0, 0.05 %, 0.1 %, 0.2 % and 0.5 % per side. */
  costSensitivity: z.array(CostPointSchema).optional(),
  trials: TrialsSchema.optional(),
  /**
   * Hourly simple returns of the job's decisions over the pooled out-of-sample hours (float64,
   * little-endian, base64): what the significance was computed on; the aggregate recomputes the
   * pair's deflated Sharpe from it. Left out of rankings and the report.
   */
  pooledReturns: z.string().optional(),
  /** The seed whose last-fold model is `modelPath` (best validation Sharpe on the last fold). */
  representativeSeed: z.number().int().positive().optional(),
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
  /** The coin-flip baseline of older files; newer files have `matchedRandom`. */
  random: EvalMetricsSchema.optional(),
  equityCurve: EquityCurveSchema.nullable(),
  /** trades.csv and equity.csv of those hours, beside the manifest (absent in older files). */
  exports: RunExportsSchema.optional(),
  // Absent in files written before the ensembles carried the training's significance figures.
  /** Periods per year the ratios were annualised with. */
  annualization: z.number().positive().optional(),
  matchedRandom: RandomDistributionSchema.optional(),
  /** The same figures as a job's (worker/significance.ts), with the pair's evaluation seed and trials. */
  significance: SignificanceSchema.nullable().optional(),
  costSensitivity: z.array(CostPointSchema).optional(),
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

export const RankedJobSchema = JobResultSchema.omit({
  episodes: true,
  equityCurve: true,
  pooledReturns: true,
}).extend({
  workerId: z.number().int().positive(),
});
export type RankedJob = z.infer<typeof RankedJobSchema>;

/** A leaderboard row: the pair's variant chosen on validation, with its out-of-sample evidence. */
export const BestModelSchema = z.object({
  pair: z.string(),
  workerId: z.number().int().positive(),
  jobId: z.string(),
  variant: z.string(),
  /** Out-of-sample metrics of the job's decisions, pooled over folds (JobResult.metrics). */
  metrics: EvalMetricsSchema,
  buyAndHold: EvalMetricsSchema,
  /** The coin-flip baseline of older files; newer rows have `matchedRandom`. */
  random: EvalMetricsSchema.optional(),
  modelPath: z.string().nullable(),
  equityCurve: EquityCurveSchema.nullable(),
  // The fields below are absent in files written before walk-forward evaluation existed.
  matchedRandom: RandomDistributionSchema.optional(),
  /** The job's significance (its Sharpe interval, p-values; its deflated Sharpe with its own trials). */
  significance: SignificanceSchema.nullable().optional(),
  /**
   * The deflated Sharpe with the pair's trials: every variant's seeds × episodes, and the variance
   * of all those trials' validation Sharpes (the variant was chosen among them).
   */
  deflatedSharpe: DeflatedSharpeSchema.nullable().optional(),
  /** Benjamini–Hochberg adjusted p-value vs buy-and-hold across the leaderboard's rows. */
  adjustedPValue: z.number().min(0).max(1).nullable().optional(),
  /** Beats buy-and-hold at 5 % after the Benjamini–Hochberg correction across rows. */
  significant: z.boolean().optional(),
  costSensitivity: z.array(CostPointSchema).optional(),
  seedSpread: SeedSpreadSchema.optional(),
  /** Number of walk-forward folds and seeds behind the row. */
  folds: z.number().int().positive().optional(),
  seeds: z.number().int().positive().optional(),
  annualization: z.number().positive().optional(),
});
export type BestModel = z.infer<typeof BestModelSchema>;

/**
 * The correction for testing every leaderboard row at once: Benjamini–Hochberg at `alpha` over the
 * rows' one-sided p-values vs buy-and-hold, and how many rows chance alone would flag (alpha × m).
 */
export const MultipleTestingSchema = z.object({
  method: z.literal('benjamini-hochberg'),
  alpha: z.number().gt(0).lt(1),
  /** Which p-value is corrected: the paired test of the row's Sharpe against buy-and-hold's. */
  pValue: z.literal('vs-buy-and-hold'),
  /** Rows with a p-value (m). */
  tested: z.number().int().nonnegative(),
  significant: z.number().int().nonnegative(),
  /** alpha × m: rows expected to pass an uncorrected test at alpha by chance alone. */
  expectedByChance: z.number().nonnegative(),
});
export type MultipleTesting = z.infer<typeof MultipleTestingSchema>;

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
  /** Across the leaderboard's rows (absent in older files). */
  multipleTesting: MultipleTestingSchema.optional(),
  /** Periods per year of every ratio in the file (absent in older files: 8760). */
  annualization: z.number().positive().optional(),
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
  /** Every job in plan order (worker by worker, as configured). */
  jobs: z.array(RankedJobSchema),
  bestModels: z.array(BestModelSchema),
  /** Across the leaderboard's rows (absent in older files). */
  multipleTesting: MultipleTestingSchema.optional(),
  /** Periods per year of every ratio in the report (absent in older files: 8760). */
  annualization: z.number().positive().optional(),
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
  baselines: z.object({
    buyAndHold: EvalMetricsSchema,
    /** The coin-flip baseline of older files; newer files have `matchedRandom`. */
    random: EvalMetricsSchema.optional(),
    matchedRandom: RandomDistributionSchema.optional(),
  }),
  /** The evaluation seed of the bootstrap resamples and matched random policies. */
  randomSeed: z.number().int(),
  annualization: z.number().positive().optional(),
  /** The same figures as a training job's (worker/significance.ts) on these hours. */
  significance: SignificanceSchema.nullable().optional(),
  costSensitivity: z.array(CostPointSchema).optional(),
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
