import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  DEFAULT_ENVIRONMENT,
  DEFAULT_HYPERPARAMETERS,
  type DqnHyperparameters,
  evaluationSeed,
  type JobResult,
  jobSeeds,
  type SyntheticKind,
} from '../shared/index.js';
import { generateSyntheticCandles, plantedOracle } from '../worker/market-data/synthetic.js';
import { prepareFolds } from '../worker/prepare-pair.js';
import { trainJob } from '../worker/train-job.js';

// The learnability checks of issue 8: train one job with the default hyperparameters and the
// default 10 episodes on a synthetic pair, and hold its out-of-sample figures against the oracle.
// Shared by the CI test (test/integration/learnability.test.ts) and bench/learnability.ts.

/** Days of synthetic candles: ~3,300 training hours, enough to learn the planted rule in 10 episodes. */
export const LEARNABILITY_DAYS = 180;
export const PAIR = 'BTC-USD';

export interface LearnabilityRun {
  result: JobResult;
  /** The agent's log return over the pooled out-of-sample hours, after fees. */
  agentLogReturn: number;
  /** The planted oracle's on the same hours and fee (NaN for other kinds). */
  oracleLogReturn: number;
  pVsBuyAndHold: number;
  pVsRandom: number;
}

/** Trains `PAIR/base` on `kind` candles seeded by `runSeed`, as `train --synthetic KIND --seed runSeed` would. */
export async function runLearnability(
  kind: SyntheticKind,
  runSeed: number,
  hyperparameters: Partial<DqnHyperparameters> = {},
): Promise<LearnabilityRun> {
  const environment = DEFAULT_ENVIRONMENT;
  const series = generateSyntheticCandles(PAIR, {
    kind,
    hours: LEARNABILITY_DAYS * 24,
    seed: runSeed,
    end: new Date('2024-06-01T00:00:00Z'),
  });
  const prepared = prepareFolds(PAIR, series, environment);
  const jobId = `${PAIR}/base`;
  const seeds = jobSeeds(runSeed, jobId, environment.seeds);
  const modelDir = await mkdtemp(path.join(os.tmpdir(), 'tw-learnability-'));
  try {
    const result = await trainJob({
      spec: {
        jobId,
        pair: PAIR,
        variant: 'base',
        hyperparameters: { ...DEFAULT_HYPERPARAMETERS, ...hyperparameters },
        seed: seeds[0]!,
        seeds,
        evaluationSeed: evaluationSeed(runSeed, PAIR),
      },
      prepared,
      episodes: 10,
      environment,
      engine: 'js',
      backend: 'test',
      modelDir,
      checkpointDir: null,
    });
    const oracle =
      kind === 'planted'
        ? plantedOracle(series.close, prepared.outOfSample, environment.feeRate).logReturn
        : Number.NaN;
    return {
      result,
      agentLogReturn: Math.log(result.metrics!.finalValue / environment.initialCash),
      oracleLogReturn: oracle,
      pVsBuyAndHold: result.significance!.pVsBuyAndHold!,
      pVsRandom: result.significance!.pVsRandom!,
    };
  } finally {
    await rm(modelDir, { recursive: true, force: true });
  }
}

/** The planted check: ≥ 50 % of the oracle's log return after fees, and beats both baselines at p < 0.05. */
export function passesPlantedCheck(run: LearnabilityRun): boolean {
  return run.agentLogReturn >= 0.5 * run.oracleLogReturn && run.pVsBuyAndHold < 0.05 && run.pVsRandom < 0.05;
}

/** One line per run, for logs and the bench. */
export function describeRun(kind: string, seed: number, run: LearnabilityRun): string {
  const m = run.result.metrics!;
  const oracle = Number.isNaN(run.oracleLogReturn)
    ? ''
    : ` oracle ${run.oracleLogReturn.toFixed(3)} (${((100 * run.agentLogReturn) / run.oracleLogReturn).toFixed(0)} %)`;
  return (
    `${kind} seed ${seed}: log return ${run.agentLogReturn.toFixed(3)}${oracle}, Sharpe ${m.sharpe?.toFixed(2) ?? '—'}, ` +
    `buy-and-hold ${run.result.baselines!.buyAndHold.pnlPct.toFixed(1)} %, p vs B&H ${run.pVsBuyAndHold.toFixed(4)}, ` +
    `p vs random ${run.pVsRandom.toFixed(4)}, trades ${m.trades}`
  );
}
