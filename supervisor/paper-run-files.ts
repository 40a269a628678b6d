import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  commandsDir,
  type PaperRunFile,
  PaperRunFileSchema,
  paperReportFile,
  paperRunFile,
  readJsonTolerant,
  runFile,
  SCHEMA_VERSION,
  supervisorStatusFile,
  TEMP_PREFIX,
  writeJsonAtomic,
} from '../shared/index.js';
import type { PaperPlan, PaperPlanOptions } from './paper-plan.js';
import { planPaper } from './paper-plan.js';
import { holdsWorkerFiles } from './run-files.js';

const WORKER_FILE = /^worker_\d+_(config|status|results)\.json$/;

/** What decides whether a rerun continues the same paper run (its ledgers) or is another one. */
function sameSetup(file: PaperRunFile, options: PaperPlanOptions, workers: number): boolean {
  return (
    JSON.stringify([file.pairs, file.models, file.feed, file.feeRate, file.initialCash, file.workers]) ===
    JSON.stringify([
      options.pairs,
      options.models,
      options.feed,
      options.feeRate,
      options.initialCash,
      workers,
    ])
  );
}

/**
 * `--fresh` for a paper run: removes what a paper run wrote in its results folder (worker files,
 * the ledgers and their CSVs under paper/, logs, commands, statuses, paper_run.json and its report).
 */
export async function clearPaperRun(resultsDir: string): Promise<void> {
  const own = new Set(
    [paperRunFile, paperReportFile, supervisorStatusFile].map((f) => path.basename(f(resultsDir))),
  );
  for (const name of await fs.readdir(resultsDir).catch(() => [] as string[])) {
    if (WORKER_FILE.test(name) || own.has(name) || name.startsWith(TEMP_PREFIX)) {
      await fs.rm(path.join(resultsDir, name), { force: true });
    }
  }
  for (const dir of ['paper', 'logs', path.basename(commandsDir(resultsDir))]) {
    await fs.rm(path.join(resultsDir, dir), { recursive: true, force: true });
  }
}

/**
 * Plans the paper run and settles it with the results folder: the same setup as the folder's
 * paper_run.json resumes it (same run id; each trader continues its ledger), anything else needs
 * `fresh`; a folder holding a training run is refused.
 */
export async function preparePaperRun(
  options: PaperPlanOptions,
  fresh: boolean,
  now: Date,
): Promise<{ plan: PaperPlan; resumed: boolean }> {
  const { resultsDir } = options;
  const training = await fs.access(runFile(resultsDir)).then(
    () => true,
    () => false,
  );
  if (training) {
    throw new Error(
      `${resultsDir} holds a training run (run.json); paper trade into another folder with --results`,
    );
  }
  let plan = planPaper(options, now);
  if (fresh) {
    await clearPaperRun(resultsDir);
  } else {
    const read = await readJsonTolerant(paperRunFile(resultsDir), PaperRunFileSchema);
    if (read.ok) {
      if (!sameSetup(read.value, options, plan.workers.length)) {
        throw new Error(
          `${resultsDir} holds another paper run (${read.value.runId}: ${read.value.pairs.join(',')}, ${read.value.feed.mode}); pass --fresh to start over there (its ledgers are removed), or choose another --results folder`,
        );
      }
      plan = planPaper({ ...options, runId: read.value.runId }, now);
      await fs.rm(paperReportFile(resultsDir), { force: true });
      return { plan, resumed: true };
    }
    if (read.reason !== 'missing')
      throw new Error(`${read.message}; pass --fresh to start over in this folder`);
    if (await holdsWorkerFiles(resultsDir)) {
      throw new Error(
        `${resultsDir} holds worker files of an unknown run; pass --fresh to start over there, or choose another --results folder`,
      );
    }
  }
  await writeJsonAtomic(paperRunFile(resultsDir), {
    schema: SCHEMA_VERSION,
    runId: plan.runId,
    pairs: options.pairs,
    models: options.models,
    feed: options.feed,
    feeRate: options.feeRate,
    initialCash: options.initialCash,
    workers: plan.workers.length,
    createdAt: now.toISOString(),
  } satisfies PaperRunFile);
  return { plan, resumed: false };
}
