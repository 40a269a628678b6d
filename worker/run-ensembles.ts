import path from 'node:path';
import {
  type DataSettings,
  type EnsembleResults,
  type EnvironmentSettings,
  ensembleDir,
  type JobResult,
  type PairEnsemble,
  SCHEMA_VERSION,
  type Trials,
} from '../shared/index.js';
import { backtest } from './backtest.js';
import { loadCandles } from './market-data/index.js';
import { loadAgent, writeEnsembleManifest } from './model/index.js';
import { writeRunExports } from './run-exports.js';

export interface RunEnsemblesInput {
  runId: string;
  /** Every job of the run (failed ones are left out). */
  jobs: readonly JobResult[];
  modelsDir: string;
  /** Where the run read its candles (its workers' data settings). */
  data: DataSettings;
  environment: EnvironmentSettings;
  log?: (line: string) => void;
  now?: () => Date;
}

/**
 * The saved models of a pair's finished jobs: every variant of the run, and of a job with several
 * seeds each seed's last-fold model (the members of the job's own seed vote), so the ensemble
 * votes over the same models the jobs' decisions came from.
 */
function membersOf(jobs: readonly JobResult[], pair: string) {
  return jobs
    .filter((j) => j.pair === pair && j.status === 'done' && j.modelPath && j.data)
    .flatMap((j) => {
      const seeds = (j.seeds ?? []).filter((s) => s.modelPath);
      const models =
        seeds.length > 1
          ? seeds.map((s) => ({ modelPath: s.modelPath!, variant: `${j.variant} seed ${s.seedIndex}` }))
          : [{ modelPath: j.modelPath!, variant: j.variant }];
      return models.map((m) => ({ jobId: j.jobId, testFrom: j.data!.testFrom, ...m }));
    });
}

/**
 * The evaluation seed and trials the ensemble's significance uses: the pair's evaluation seed (the
 * same for every variant of a pair, so the same resamples and random policies as its jobs) and
 * every member job's trials (the ensemble is built from all of them).
 */
function evidenceOf(jobs: readonly JobResult[], pair: string): { seed: number | null; trials: Trials[] } {
  const done = jobs.filter((j) => j.pair === pair && j.status === 'done');
  return {
    seed: done.find((j) => j.significance)?.significance?.seed ?? null,
    trials: done.flatMap((j) => (j.trials ? [j.trials] : [])),
  };
}

/**
 * Per pair, the ensemble of the run's models by majority vote (ties: flat), saved as
 * models/ensembles/PAIR/ensemble.json and evaluated on the same out-of-sample hours as the pair's
 * jobs with the same functions (backtest → the training evaluation). A pair with one model, or
 * whose ensemble cannot be built, is listed as skipped with the reason; it never fails the run.
 */
export async function buildRunEnsembles(input: RunEnsemblesInput): Promise<EnsembleResults> {
  const log = input.log ?? (() => {});
  const pairs = [...new Set(input.jobs.map((j) => j.pair))];
  const ensembles: PairEnsemble[] = [];
  const skipped: EnsembleResults['skipped'] = [];
  for (const pair of pairs) {
    const members = membersOf(input.jobs, pair);
    if (members.length < 2) {
      skipped.push({
        pair,
        reason: `${members.length} finished model${members.length === 1 ? '' : 's'}: nothing to vote`,
      });
      continue;
    }
    const testFroms = new Set(members.map((m) => m.testFrom));
    if (testFroms.size > 1) {
      skipped.push({
        pair,
        reason: `its jobs were held out from different hours (${[...testFroms].join(', ')})`,
      });
      continue;
    }
    try {
      const chosenBy = `every finished variant of run ${input.runId}, each seed of a job with several (${members.map((m) => m.variant).join(', ')}): majority vote of greedy actions, a tie holds cash`;
      const evidence = evidenceOf(input.jobs, pair);
      const manifest = await writeEnsembleManifest(
        ensembleDir(input.modelsDir, pair),
        {
          pair,
          members: members.map((m) => ({ dir: m.modelPath, jobId: m.jobId, variant: m.variant })),
          chosenBy,
          runId: input.runId,
          ...(evidence.seed === null ? {} : { seed: evidence.seed }),
        },
        (input.now ?? (() => new Date()))(),
      );
      const agent = await loadAgent(manifest);
      try {
        const series = await loadCandles(pair, input.data, { log });
        // From the members' held-out start: the last fold's test window (its models saw every
        // earlier hour), which with one fold is all of the jobs' out-of-sample hours.
        const result = backtest(agent, series, {
          feeRate: input.environment.feeRate,
          initialCash: input.environment.initialCash,
          annualization: input.environment.annualization,
          randomSeed: evidence.seed,
          ...(evidence.trials.length > 0 ? { trials: evidence.trials } : {}),
        });
        const exports = await writeRunExports(
          path.dirname(manifest),
          result.run,
          result.buyAndHold.values,
          input.environment.feeRate,
        );
        ensembles.push({
          pair,
          manifest,
          members: members.map(({ jobId, variant, modelPath }) => ({ jobId, variant, modelPath })),
          chosenBy,
          from: new Date(series.times[result.start]!).toISOString(),
          to: new Date(series.times[result.end - 1]!).toISOString(),
          hours: result.end - result.start,
          metrics: result.agent.metrics,
          buyAndHold: result.buyAndHold.metrics,
          equityCurve: result.equityCurve,
          exports,
          annualization: result.annualization,
          matchedRandom: result.assessed.matchedRandom,
          significance: result.assessed.significance,
          costSensitivity: result.assessed.costSensitivity,
        });
        log(
          `${pair}: ensemble of ${members.length} models, out-of-sample P/L ${result.agent.metrics.pnlPct.toFixed(2)}%`,
        );
      } finally {
        agent.dispose();
      }
    } catch (error) {
      const reason = (error as Error).message;
      log(`${pair}: no ensemble: ${reason}`);
      skipped.push({ pair, reason });
    }
  }
  return {
    schema: SCHEMA_VERSION,
    runId: input.runId,
    updatedAt: (input.now ?? (() => new Date()))().toISOString(),
    ensembles,
    skipped,
  };
}
