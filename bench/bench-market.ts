import path from 'node:path';
import type { DataSettings } from '../shared/contract.js';
import { DEFAULT_ENVIRONMENT } from '../shared/hyperparameters.js';
import { TradingEnvironment } from '../worker/environment.js';
import { type PreparedPair, preparePair } from '../worker/prepare-pair.js';

/** The environment interface the bench drives (the project's TradingEnvironment has exactly this shape). */
export interface BenchEnvironment {
  readonly observationSize: number;
  /** Decisions per episode. */
  readonly steps: number;
  reset(): Float32Array;
  step(action: number): { observation: Float32Array; reward: number; done: boolean };
}

export interface BenchMarket {
  /** Builds a fresh environment over the training slice, or over its first `maxSteps` decisions. */
  create(maxSteps?: number): BenchEnvironment;
  /** Where the observations come from, for the report. */
  source: string;
  /** The pair as preparePair gave it, for whole jobs (bench/job-loop.ts). */
  prepared: PreparedPair;
}

/**
 * The project's own pipeline (preparePair: candles, features fitted on the training part, the
 * chronological split) and environment over the training slice of a real CSV. No fallback: a bench
 * that quietly measured something else would report a figure about the wrong code.
 */
export async function loadBenchMarket(file: string, pair: string): Promise<BenchMarket> {
  const data: DataSettings = {
    source: 'data-dir',
    days: 730,
    interval: '1h',
    cacheDir: path.dirname(file),
    dataDir: path.dirname(file),
    refresh: false,
  };
  const prepared = await preparePair(pair, data, DEFAULT_ENVIRONMENT);
  const { series, features, train } = prepared;
  return {
    prepared,
    source: `worker/prepare-pair.ts + worker/environment.ts over the training slice of ${path.basename(file)} (${train.end - train.start} candles, ${features.width + 1} inputs)`,
    create: (maxSteps) =>
      new TradingEnvironment(series, features, {
        start: train.start,
        end: maxSteps === undefined ? train.end : Math.min(train.end, train.start + maxSteps + 1),
        feeRate: DEFAULT_ENVIRONMENT.feeRate,
      }),
  };
}
