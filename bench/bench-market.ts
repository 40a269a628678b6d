import path from 'node:path';
import { DEFAULT_ENVIRONMENT } from '../shared/hyperparameters.js';
import { InlineMarket, readCloses } from '../worker/dqn/test-market.js';
import { TradingEnvironment } from '../worker/environment.js';
import { computeFeatures, firstValidIndex, fitFeatureSettings } from '../worker/features.js';
import { readCandleCsv } from '../worker/market-data/csv.js';
import { chronologicalSplit } from '../worker/split.js';

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
}

/** The project's environment and features over the training slice of a real CSV. */
async function projectMarket(file: string, pair: string): Promise<BenchMarket> {
  const series = await readCandleCsv(file, pair);
  const window = DEFAULT_ENVIRONMENT.windowSize;
  const { train } = chronologicalSplit(
    series.close.length,
    DEFAULT_ENVIRONMENT.testFraction,
    firstValidIndex(window),
  );
  const settings = fitFeatureSettings(series, { windowSize: window, trainEnd: train.end });
  const features = computeFeatures(series, settings);
  return {
    source: `worker/environment.ts + worker/features.ts over the training slice of ${path.basename(file)} (${train.end - train.start} candles, ${features.width + 1} inputs)`,
    create: (maxSteps) =>
      new TradingEnvironment(series, features, {
        start: train.start,
        end: maxSteps === undefined ? train.end : Math.min(train.end, train.start + maxSteps + 1),
        feeRate: DEFAULT_ENVIRONMENT.feeRate,
      }),
  };
}

/** Fallback: window of 24 log returns + position straight from the CSV (worker/dqn/test-market.ts). */
function inlineMarket(file: string): BenchMarket {
  const closes = readCloses(file);
  const trainEnd = Math.round(closes.length * (1 - DEFAULT_ENVIRONMENT.testFraction));
  return {
    source: `inline observations (24 log returns + position) from ${path.basename(file)}: the project environment failed to load`,
    create: (maxSteps) => {
      const end = maxSteps === undefined ? trainEnd : Math.min(trainEnd, maxSteps + 25);
      const market = new InlineMarket(closes.subarray(0, end));
      const obs = new Float32Array(market.observationSize);
      const result = { observation: obs, reward: 0, done: false };
      return {
        observationSize: market.observationSize,
        steps: market.steps,
        reset: () => market.reset(obs),
        step: (action) => Object.assign(result, market.step(action, obs)),
      };
    },
  };
}

/** The real market the bench trains on: the project's environment when it loads, else the inline fallback. */
export async function loadBenchMarket(file: string, pair: string): Promise<BenchMarket> {
  try {
    const market = await projectMarket(file, pair);
    market.create(10).reset();
    return market;
  } catch (error) {
    const fallback = inlineMarket(file);
    fallback.source += ` (${(error as Error).message})`;
    return fallback;
  }
}
