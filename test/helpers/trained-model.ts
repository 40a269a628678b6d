import path from 'node:path';
import {
  type DataSettings,
  DEFAULT_ENVIRONMENT,
  type EnvironmentSettings,
  evaluationSeed,
  type JobResult,
  jobSeeds,
  VARIANTS,
} from '../../shared/index.js';
import { selectBackend } from '../../worker/dqn/index.js';
import { type PreparedPair, preparePair } from '../../worker/prepare-pair.js';
import { trainJob } from '../../worker/train-job.js';
import { SHARED_DATA_DIR } from './real-candles.js';

export interface TrainedModel {
  result: JobResult;
  prepared: PreparedPair;
  modelDir: string;
  data: DataSettings;
}

/**
 * Trains one job on real candles from ../shared/data with the worker's own code (preparePair,
 * trainJob) and saves its model under `dir`: a freshly trained model, as a run leaves it.
 */
export async function trainSmallModel(
  dir: string,
  options: {
    pair?: string;
    days?: number;
    episodes?: number;
    seed?: number;
    variant?: string;
    /** Seeds per job (the job decides by their vote); default 1. */
    seeds?: number;
  } = {},
): Promise<TrainedModel> {
  const { pair = 'BTC-USD', days = 120, episodes = 1, seed = 42, variant = 'base' } = options;
  const environment: EnvironmentSettings = { ...DEFAULT_ENVIRONMENT, seeds: options.seeds ?? 1 };
  const v = VARIANTS.find((x) => x.name === variant)!;
  await selectBackend();
  const data: DataSettings = {
    source: 'data-dir',
    days,
    interval: '1h',
    cacheDir: path.join(dir, 'cache'),
    dataDir: SHARED_DATA_DIR,
    refresh: false,
  };
  const prepared = await preparePair(pair, data, environment);
  const jobId = `${pair}/${variant}`;
  const modelDir = path.join(dir, `${pair}__${variant}`);
  const result = await trainJob({
    spec: {
      jobId,
      pair,
      variant,
      hyperparameters: v.hyperparameters,
      // The seeds `train --seed N` gives this job: they derive from the seed and the job only.
      ...(() => {
        const seeds = jobSeeds(seed, jobId, environment.seeds);
        return { seed: seeds[0]!, seeds, evaluationSeed: evaluationSeed(seed, pair) };
      })(),
    },
    prepared,
    episodes,
    environment,
    engine: 'js',
    backend: 'test',
    modelDir,
    checkpointDir: null,
  });
  return { result, prepared, modelDir, data };
}
