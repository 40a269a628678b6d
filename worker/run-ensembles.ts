import path from 'node:path';
import {
  type DataSettings,
  type EnsembleResults,
  type EnvironmentSettings,
  ensembleDir,
  type JobResult,
  type PairEnsemble,
  SCHEMA_VERSION,
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

/** The saved models of a pair's finished jobs: every variant of the run. */
function membersOf(jobs: readonly JobResult[], pair: string) {
  return jobs
    .filter((j) => j.pair === pair && j.status === 'done' && j.modelPath && j.data)
    .map((j) => ({
      jobId: j.jobId,
      variant: j.variant,
      modelPath: j.modelPath!,
      testFrom: j.data!.testFrom,
    }));
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
      const chosenBy = `every finished variant of run ${input.runId} (${members.map((m) => m.variant).join(', ')}): majority vote of greedy actions, a tie holds cash`;
      const manifest = await writeEnsembleManifest(
        ensembleDir(input.modelsDir, pair),
        {
          pair,
          members: members.map((m) => ({ dir: m.modelPath, jobId: m.jobId, variant: m.variant })),
          chosenBy,
          runId: input.runId,
        },
        (input.now ?? (() => new Date()))(),
      );
      const agent = await loadAgent(manifest);
      try {
        const series = await loadCandles(pair, input.data, { log });
        const result = backtest(agent, series, {
          from: Date.parse(members[0]!.testFrom),
          feeRate: input.environment.feeRate,
          initialCash: input.environment.initialCash,
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
          random: result.random.metrics,
          equityCurve: result.equityCurve,
          exports,
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
