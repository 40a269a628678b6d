import {
  isPairSymbol,
  type PaperConfig,
  PaperConfigSchema,
  type PaperFeed,
  SCHEMA_VERSION,
} from '../shared/index.js';
import { splitContiguous } from './plan.js';

export interface PaperPlanOptions {
  workers: number;
  pairs: string[];
  /** The model (folder or ensemble manifest) each pair trades with, absolute paths. */
  models: Record<string, string>;
  feed: PaperFeed;
  feeRate: number;
  initialCash: number;
  resultsDir: string;
  runId?: string;
}

export interface PaperPlan {
  runId: string;
  workers: { workerId: number; pairs: string[]; config: PaperConfig }[];
  jobsTotal: number;
  options: PaperPlanOptions;
  /** Adjustments made to the options, for the user. */
  notes: string[];
}

/**
 * One paper job per pair (`PAIR/paper`), the pairs split over the workers in order, contiguous
 * and balanced, as a training plan splits them; each worker's config says where its candles come
 * from, the fee and the starting cash.
 */
export function planPaper(options: PaperPlanOptions, now: Date): PaperPlan {
  const notes: string[] = [];
  if (!Number.isInteger(options.workers) || options.workers < 1 || options.workers > 64) {
    throw new Error(`--workers must be an integer from 1 to 64, got ${options.workers}`);
  }
  if (options.pairs.length === 0) throw new Error('--pairs must name at least one pair, e.g. BTC-USD');
  for (const pair of options.pairs) {
    if (!isPairSymbol(pair)) throw new Error(`--pairs: invalid pair symbol "${pair}": expected like BTC-USD`);
    if (!options.models[pair]) throw new Error(`${pair}: no model to trade with`);
  }
  let workers = options.workers;
  if (workers > options.pairs.length) {
    notes.push(`--workers ${workers} capped to ${options.pairs.length}: one trader per pair`);
    workers = options.pairs.length;
  }
  const runId =
    options.runId ??
    `paper-${now
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z')}`;
  const plans = splitContiguous(options.pairs, workers).map((pairs, index) => {
    const workerId = index + 1;
    const config: PaperConfig = {
      schema: SCHEMA_VERSION,
      kind: 'paper',
      runId,
      workerId,
      jobs: pairs.map((pair) => ({ jobId: `${pair}/paper`, pair, model: options.models[pair]! })),
      feed: options.feed,
      feeRate: options.feeRate,
      initialCash: options.initialCash,
      resultsDir: options.resultsDir,
      createdAt: now.toISOString(),
    };
    // Guards the contract: the worker validates the same schema when it reads the file.
    PaperConfigSchema.parse(config);
    return { workerId, pairs: [...pairs], config };
  });
  return { runId, workers: plans, jobsTotal: options.pairs.length, options: { ...options, workers }, notes };
}
