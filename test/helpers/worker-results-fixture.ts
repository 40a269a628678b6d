import {
  DEFAULT_HYPERPARAMETERS,
  deflatedSharpeOfTrials,
  type EvalMetrics,
  encodeReturns,
  type JobResult,
  SCHEMA_VERSION,
  VARIANTS,
  type WorkerResults,
} from '../../shared/index.js';

// Worker results shaped like a real run's (numbers in the ranges a 10-episode DQN on hourly
// candles produces); tests validate them with the contract's zod schemas before use.

/** Out-of-sample metrics with sensible defaults. */
export function metrics(overrides: Partial<EvalMetrics> = {}): EvalMetrics {
  const pnlPct = overrides.pnlPct ?? 2.5;
  return {
    pnlPct,
    pnlUsd: pnlPct * 100,
    finalValue: 10_000 * (1 + pnlPct / 100),
    winRate: 0.52,
    trades: 41,
    sharpe: 0.8,
    sortino: 1.1,
    maxDrawdownPct: 6.4,
    exposure: 0.47,
    ...overrides,
  };
}

export interface JobFixture {
  pair: string;
  variant?: string;
  status?: 'done' | 'failed';
  error?: string | null;
  sharpe?: number | null;
  pnlPct?: number;
  buyAndHoldPnlPct?: number;
  episodes?: number;
  secondsPerEpisode?: number;
  modelsDir?: string;
  /** With a p-value vs buy-and-hold, the job carries the walk-forward evidence of newer files. */
  pVsBuyAndHold?: number;
  /** Validation Sharpes of its trials (default three: one seed × three episodes). */
  validationSharpes?: number[];
  /** Its pooled out-of-sample hourly returns (default: a fixed 400-hour series). */
  returns?: Float64Array;
}

/** A fixed hourly return series with a small positive mean, for the deflated Sharpe. */
export function fixedReturns(hours = 400, drift = 0.0004): Float64Array {
  return Float64Array.from(
    { length: hours },
    (_, k) => drift + 0.01 * Math.sin(k * 1.7) * Math.cos(k * 0.31),
  );
}

/** The evidence fields of a job result in newer files (see JobFixture.pVsBuyAndHold). */
function evidence(f: JobFixture, evaluationSeed: number): Partial<JobResult> {
  if (f.pVsBuyAndHold === undefined) return {};
  const validationSharpes = f.validationSharpes ?? [0.4, 1.1, -0.2];
  const returns = f.returns ?? fixedReturns();
  const trials = {
    seeds: 1,
    episodes: validationSharpes.length,
    configurations: validationSharpes.length,
    validationSharpes,
  };
  return {
    annualization: 8760,
    embargoHours: 1,
    significance: {
      sharpe: {
        estimate: 1.2,
        low: -0.8,
        high: 3.1,
        level: 0.95,
        method: 'stationary',
        blockLength: 24,
        resamples: 2000,
      },
      pVsBuyAndHold: f.pVsBuyAndHold,
      pVsRandom: 0.2,
      deflatedSharpe: deflatedSharpeOfTrials(returns, [trials], 8760, 'job'),
      configurations: trials.configurations,
      observations: returns.length,
      seed: evaluationSeed,
    },
    costSensitivity: [0, 0.0005, 0.001, 0.002, 0.005].map((feeRate) => ({
      feeRate,
      pnlPct: 3 - feeRate * 1000,
      sharpe: 1,
    })),
    trials,
    pooledReturns: encodeReturns(returns),
  };
}

/** One job's result; a failed job has no metrics, baselines or model. */
export function jobResult(f: JobFixture): JobResult {
  const variant = f.variant ?? 'base';
  const hyperparameters =
    VARIANTS.find((v) => v.name === variant)?.hyperparameters ?? DEFAULT_HYPERPARAMETERS;
  const status = f.status ?? 'done';
  const n = f.episodes ?? 10;
  const sps = f.secondsPerEpisode ?? 9;
  const stem = `${f.pair.replace(/-/g, '_')}__${variant}`;
  const episodes = Array.from({ length: status === 'done' ? n : Math.min(2, n) }, (_, i) => ({
    episode: i + 1,
    reward: -30 + i * 5.5,
    pnlPct: -4 + i * 0.9,
    epsilon: Math.max(0.05, 1 - (i + 1) * 0.16),
    loss: i === 0 ? null : 0.03 - i * 0.001,
    stepsPerSecond: 780,
    updates: 1_740,
    seconds: sps,
  }));
  const done = status === 'done';
  return {
    jobId: `${f.pair}/${variant}`,
    pair: f.pair,
    variant,
    hyperparameters,
    status,
    error: done ? null : (f.error ?? `no data for ${f.pair}`),
    episodes,
    metrics: done
      ? metrics({ pnlPct: f.pnlPct ?? 2.5, sharpe: f.sharpe === undefined ? 0.8 : f.sharpe })
      : null,
    baselines: done
      ? {
          buyAndHold: metrics({ pnlPct: f.buyAndHoldPnlPct ?? -3.2, trades: 1, winRate: null, exposure: 1 }),
          random: metrics({ pnlPct: -5.1, sharpe: -0.4, trades: 870 }),
        }
      : null,
    equityCurve: done
      ? {
          times: ['2025-03-18T00:00:00Z', '2025-04-18T00:00:00Z', '2025-05-18T00:00:00Z'],
          agent: [10_000, 10_120, 10_000 * (1 + (f.pnlPct ?? 2.5) / 100)],
          buyAndHold: [10_000, 9_800, 9_680],
        }
      : null,
    data: {
      source: 'data-dir',
      file: `../shared/data/${f.pair.replace(/-/g, '_')}_data.csv`,
      rows: 8_760,
      trainRows: 7_008,
      testRows: 1_752,
      from: '2024-06-01T00:00:00Z',
      to: '2025-06-01T00:00:00Z',
      testFrom: '2025-03-18T00:00:00Z',
      gaps: 0,
      warnings: [],
    },
    modelPath: done ? `${f.modelsDir ?? 'models'}/jobs/${stem}` : null,
    backend: 'wasm',
    seed: 1234,
    seconds: done ? n * sps + 3 : 1.5,
    startedAt: '2025-06-01T11:00:00.000Z',
    finishedAt: '2025-06-01T11:01:33.000Z',
    resumedFromEpisode: 0,
    ...(done ? evidence(f, 99) : {}),
  };
}

/** A worker's results file; bestModels points at the best-model folder of each pair it finished. */
export function workerResults(
  workerId: number,
  jobs: JobResult[],
  best: { pair: string; jobId: string; variant: string }[] = [],
  runId = 'run-test',
): WorkerResults {
  return {
    schema: SCHEMA_VERSION,
    runId,
    workerId,
    updatedAt: '2025-06-01T11:30:00.000Z',
    jobs,
    bestModels: best.map((b) => ({
      ...b,
      modelPath: `models/worker_${workerId}_${b.pair.replace(/-/g, '_')}_model`,
    })),
  };
}
