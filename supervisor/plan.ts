import { createHash } from 'node:crypto';
import {
  type DataSettings,
  DataSettingsSchema,
  type EnvironmentSettings,
  EnvironmentSettingsSchema,
  evaluationSeed,
  InputError,
  isPairSymbol,
  jobSeeds,
  MAX_DAYS,
  MAX_FOLDS,
  MAX_SEEDS,
  SCHEMA_VERSION,
  VARIANTS,
  type Variant,
  type WorkerConfig,
  WorkerConfigSchema,
} from '../shared/index.js';

export interface PlanOptions {
  workers: number;
  pairs: string[];
  /** How many of VARIANTS to train per pair, first ones first (1..VARIANTS.length). */
  variants: number;
  episodes: number;
  data: DataSettings;
  environment: EnvironmentSettings;
  seed: number;
  resultsDir: string;
  modelsDir: string;
  /** Reuse an existing run's id (resume); otherwise one is made from the start time. */
  runId?: string;
}

export interface WorkerPlan {
  workerId: number;
  pairs: string[];
  config: WorkerConfig;
}

export interface RunPlan {
  runId: string;
  workers: WorkerPlan[];
  variants: Variant[];
  jobsTotal: number;
  episodesTotal: number;
  options: PlanOptions;
  /** Adjustments made to the options, for the user (`--workers 6 capped to 3: only 3 pairs`). */
  notes: string[];
}

/** Splits items into `parts` contiguous runs, sizes differing by at most one, earlier runs larger. */
export function splitContiguous<T>(items: readonly T[], parts: number): T[][] {
  if (!Number.isInteger(parts) || parts < 1) {
    throw new Error(`splitContiguous: parts must be a positive integer, got ${parts}`);
  }
  const base = Math.floor(items.length / parts);
  const extra = items.length % parts;
  const out: T[][] = [];
  let start = 0;
  for (let i = 0; i < parts; i++) {
    const size = base + (i < extra ? 1 : 0);
    out.push(items.slice(start, start + size));
    start += size;
  }
  return out;
}

/** A worker's seed: distinct per worker, reproducible from the run seed (splitmix32 finaliser). */
export function workerSeed(seed: number, workerId: number): number {
  let z = (seed + Math.imul(workerId, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  // 31 bits: stays a non-negative int in every consumer (JSON, zod, tfjs seeds).
  return (z ^ (z >>> 16)) >>> 1;
}

/**
 * The plan's limits: the one place they are set (the CLI's help and checks read them here). 64 workers
 * is far past what one machine's cores use; 10,000 episodes is months of training per job; Yahoo
 * serves 730 days of hourly candles; seeds are 31-bit so every consumer keeps them exact.
 */
export const PLAN_LIMITS = {
  workers: { min: 1, max: 64 },
  variants: { min: 1, max: VARIANTS.length },
  episodes: { min: 1, max: 10_000 },
  days: { min: 1, max: MAX_DAYS },
  seed: { min: 0, max: 2 ** 31 - 1 },
  folds: { min: 1, max: MAX_FOLDS },
  seeds: { min: 1, max: MAX_SEEDS },
} as const;

export type PlanNumber = keyof typeof PLAN_LIMITS;

/** Checks `--name value` against the plan's limits; a bad value is an InputError naming the flag. */
export function checkPlanNumber(name: PlanNumber, value: number): number {
  const { min, max } = PLAN_LIMITS[name];
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InputError(`--${name} must be a whole number from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

function zodMessage(option: string, error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? `.${issue.path.map(String).join('.')}` : '';
  return `${option}${where}: ${issue?.message ?? 'invalid'}`;
}

function compactTime(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** Turns validated options into one config per worker: each worker's contiguous share of pairs × variants. */
export function planRun(options: PlanOptions, now: Date): RunPlan {
  const notes: string[] = [];
  checkPlanNumber('workers', options.workers);
  checkPlanNumber('variants', options.variants);
  checkPlanNumber('episodes', options.episodes);
  checkPlanNumber('seed', options.seed);
  checkPlanNumber('days', options.data.days);
  if (!Array.isArray(options.pairs) || options.pairs.length === 0) {
    throw new InputError('--pairs must name at least one pair, e.g. BTC-USD,ETH-USD');
  }
  const seen = new Set<string>();
  for (const pair of options.pairs) {
    if (!isPairSymbol(pair))
      throw new InputError(`--pairs: invalid pair symbol "${pair}": expected like BTC-USD`);
    if (seen.has(pair)) throw new InputError(`--pairs: ${pair} is listed twice`);
    seen.add(pair);
  }
  const data = DataSettingsSchema.safeParse(options.data);
  if (!data.success) throw new InputError(zodMessage('data settings', data.error));
  if (options.data.source === 'data-dir' && !options.data.dataDir) {
    throw new InputError('--data-dir: data source "data-dir" needs a folder');
  }
  const environment = EnvironmentSettingsSchema.safeParse(options.environment);
  if (!environment.success) throw new InputError(zodMessage('environment settings', environment.error));
  if (!options.resultsDir) throw new InputError('--results must name a folder');
  if (!options.modelsDir) throw new InputError('--models must name a folder');
  if (options.runId !== undefined && !/^[A-Za-z0-9_.:-]{1,80}$/.test(options.runId)) {
    throw new InputError(`runId "${options.runId}" must be 1-80 letters, digits or _.:-`);
  }

  let workers = options.workers;
  if (workers > options.pairs.length) {
    notes.push(
      `--workers ${workers} capped to ${options.pairs.length}: a worker trains whole pairs and there are only ${options.pairs.length}`,
    );
    workers = options.pairs.length;
  }
  const variants = VARIANTS.slice(0, options.variants);
  const runId = options.runId ?? `run-${compactTime(now)}`;
  const createdAt = now.toISOString();

  const workerPlans = splitContiguous(options.pairs, workers).map((pairs, index): WorkerPlan => {
    const workerId = index + 1;
    const config: WorkerConfig = {
      schema: SCHEMA_VERSION,
      runId,
      workerId,
      jobs: pairs.flatMap((pair) =>
        variants.map((v) => {
          const jobId = `${pair}/${v.name}`;
          // Seeds follow the run seed and the job (or the pair), never the worker: a job gets the
          // same figures whichever worker runs it.
          const seeds = jobSeeds(options.seed, jobId, environment.data.seeds);
          return {
            jobId,
            pair,
            variant: v.name,
            hyperparameters: v.hyperparameters,
            seed: seeds[0]!,
            seeds,
            evaluationSeed: evaluationSeed(options.seed, pair),
          };
        }),
      ),
      episodes: options.episodes,
      data: data.data,
      environment: environment.data,
      seed: workerSeed(options.seed, workerId),
      runSeed: options.seed,
      resultsDir: options.resultsDir,
      modelsDir: options.modelsDir,
      createdAt,
    };
    // Guards the contract: the worker validates the same schema when it reads the file.
    WorkerConfigSchema.parse(config);
    return { workerId, pairs: [...pairs], config };
  });

  const jobsTotal = options.pairs.length * variants.length;
  const unitsPerJob = environment.data.folds * environment.data.seeds;
  return {
    runId,
    workers: workerPlans,
    variants: [...variants],
    jobsTotal,
    episodesTotal: jobsTotal * unitsPerJob * options.episodes,
    options: { ...options, workers },
    notes,
  };
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

/**
 * A stable hash of what determines the results: the split of pairs over workers, the variants and
 * their hyperparameters, episodes, data period and source, environment (with folds, seeds and
 * annualization) and seed. Folders, run id and times are left out so a rerun with the same plan
 * matches and resumes.
 */
export function planFingerprint(plan: RunPlan): string {
  const first = plan.workers[0]?.config;
  const data = first?.data ?? plan.options.data;
  const material = {
    assignments: plan.workers.map((w) => ({ workerId: w.workerId, pairs: w.pairs, seed: w.config.seed })),
    variants: plan.variants.map((v) => ({ name: v.name, hyperparameters: v.hyperparameters })),
    episodes: plan.options.episodes,
    data: {
      source: data.source,
      days: data.days,
      interval: data.interval,
      dataDir: data.dataDir,
      syntheticKind: data.syntheticKind ?? 'market',
    },
    environment: first?.environment ?? plan.options.environment,
    seed: plan.options.seed,
  };
  return createHash('sha256')
    .update(JSON.stringify(canonical(material)))
    .digest('hex')
    .slice(0, 16);
}
