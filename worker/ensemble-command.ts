import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  type EnsembleResults,
  ensembleResultsFile,
  type JobResult,
  parseWorkerFileName,
  readJsonTolerant,
  TrainingReportSchema,
  trainingReportFile,
  type WorkerConfig,
  WorkerConfigSchema,
  WorkerResultsSchema,
  workerResultsFile,
  writeJsonAtomic,
} from '../shared/index.js';
import { commandFailure } from './agent-command.js';
import { bestJobOfPair } from './best-model.js';
import { buildRunEnsembles } from './run-ensembles.js';

export interface EnsembleCommandOptions {
  resultsDir: string;
  json: boolean;
  progress?: (line: string) => void;
  print?: (text: string) => void;
}

/** The training run a results folder holds: its worker configs and every job they finished. */
async function readRun(resultsDir: string): Promise<{ config: WorkerConfig; jobs: JobResult[] }> {
  const names = await fs.readdir(resultsDir).catch(() => {
    throw new Error(`--results ${resultsDir}: no such folder`);
  });
  const ids = names
    .map((n) => parseWorkerFileName(n))
    .filter((f) => f?.kind === 'config')
    .map((f) => f!.workerId);
  if (ids.length === 0) throw new Error(`--results ${resultsDir}: no worker_N_config.json of a training run`);
  let config: WorkerConfig | null = null;
  const jobs: JobResult[] = [];
  for (const id of ids.sort((a, b) => a - b)) {
    const file = path.join(resultsDir, `worker_${id}_config.json`);
    const read = await readJsonTolerant(file, WorkerConfigSchema);
    if (!read.ok)
      throw new Error(
        read.reason === 'invalid-schema' ? `${read.message} (not a training run?)` : read.message,
      );
    config ??= read.value;
    const results = await readJsonTolerant(workerResultsFile(resultsDir, id), WorkerResultsSchema);
    if (results.ok && results.value.runId === read.value.runId) jobs.push(...results.value.jobs);
  }
  return { config: config!, jobs };
}

/**
 * `trading-workers ensemble --results DIR`: each pair's ensemble of a finished run's models,
 * saved as models/ensembles/PAIR/ensemble.json and evaluated out-of-sample; writes
 * ensemble_results.json (and adds them to training_report.json). Exit 2 when DIR holds no run.
 */
export async function runEnsembleCommand(options: EnsembleCommandOptions): Promise<number> {
  const progress = options.progress ?? ((line) => process.stderr.write(`${line}\n`));
  const print = options.print ?? ((text) => process.stdout.write(`${text}\n`));
  let run: Awaited<ReturnType<typeof readRun>>;
  try {
    run = await readRun(options.resultsDir);
  } catch (error) {
    return commandFailure((error as Error).message, 2);
  }
  const { config, jobs } = run;
  if (!jobs.some((j) => j.status === 'done')) {
    return commandFailure(`${options.resultsDir}: run ${config.runId} has no finished job yet`, 1);
  }
  const ensembles = await buildRunEnsembles({
    runId: config.runId,
    jobs,
    modelsDir: config.modelsDir,
    data: config.data,
    environment: config.environment,
    log: progress,
  });
  await writeJsonAtomic(ensembleResultsFile(options.resultsDir), ensembles);
  const report = await readJsonTolerant(trainingReportFile(options.resultsDir), TrainingReportSchema);
  if (report.ok && report.value.runId === config.runId) {
    await writeJsonAtomic(trainingReportFile(options.resultsDir), { ...report.value, ensembles });
  }
  print(options.json ? JSON.stringify(ensembles) : formatEnsembles(ensembles, jobs));
  return 0;
}

const pValue = (p: number | null | undefined) =>
  p === null || p === undefined ? '—' : p < 0.001 ? '< 0.001' : p.toFixed(3);
const pct = (v: number) => `${v > 0 ? '+' : ''}${v.toFixed(2)}%`;

/**
 * One row per pair: the ensemble with its paired p-value against buy-and-hold (the training's
 * significance), beside the best single variant (chosen on validation) and buy-and-hold.
 */
export function formatEnsembles(results: EnsembleResults, jobs: readonly JobResult[]): string {
  const rows = [
    [
      'pair',
      'members',
      'P/L %',
      'Sharpe',
      'max DD',
      'trades',
      'p vs B&H',
      'best variant',
      'its P/L %',
      'B&H P/L %',
    ],
    ...results.ensembles.map((e) => {
      const best = bestJobOfPair([...jobs], e.pair);
      return [
        e.pair,
        String(e.members.length),
        pct(e.metrics.pnlPct),
        e.metrics.sharpe?.toFixed(2) ?? '—',
        `${e.metrics.maxDrawdownPct.toFixed(2)}%`,
        String(e.metrics.trades),
        pValue(e.significance?.pVsBuyAndHold),
        best?.variant ?? '—',
        best?.metrics ? pct(best.metrics.pnlPct) : '—',
        pct(e.buyAndHold.pnlPct),
      ];
    }),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) =>
    r.map((c, i) => (i === 0 || i === 7 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '),
  );
  const first = results.ensembles[0];
  const head = first
    ? `Ensembles of run ${results.runId} (majority vote, a tie holds cash), out-of-sample ${first.from.slice(0, 16)} → ${first.to.slice(0, 16)}:`
    : `Run ${results.runId}: no ensemble`;
  return [
    head,
    ...(results.ensembles.length > 0 ? lines : []),
    ...results.skipped.map((s) => `${s.pair}: no ensemble: ${s.reason}`),
    ...results.ensembles.map((e) => `${e.pair}: ${e.manifest}`),
  ].join('\n');
}
