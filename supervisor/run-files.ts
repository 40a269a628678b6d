import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  aggregatedResultsFile,
  commandsDir,
  ensembleResultsFile,
  readJsonTolerant,
  SCHEMA_VERSION,
  supervisorStatusFile,
  TEMP_PREFIX,
  trainingReportFile,
  writeJsonAtomic,
} from '../shared/index.js';

/** results/run.json: which plan the folder holds, so a rerun resumes only the same plan. */
export const RunFileSchema = z.object({
  schema: z.literal(SCHEMA_VERSION),
  runId: z.string().min(1),
  fingerprint: z.string().min(1),
  createdAt: z.string(),
  pairs: z.array(z.string()),
  workers: z.number().int().positive(),
});
export type RunFile = z.infer<typeof RunFileSchema>;

export const runFile = (results: string) => path.join(results, 'run.json');

const WORKER_FILE = /^worker_\d+_(config|status|results)\.json$/;
const MODEL_DIR = /^worker_\d+_.+_model$/;

/** Reads results/run.json; null when the folder holds no run. */
export async function readRunFile(resultsDir: string): Promise<RunFile | null> {
  const read = await readJsonTolerant(runFile(resultsDir), RunFileSchema);
  if (read.ok) return read.value;
  if (read.reason === 'missing') return null;
  throw new Error(`${read.message}; pass --fresh to start over in this folder`);
}

export const writeRunFile = (resultsDir: string, value: RunFile) =>
  writeJsonAtomic(runFile(resultsDir), value);

/** Why a rerun cannot resume in `resultsDir`: it holds another plan (the user passes --fresh or another folder). */
export function differentRunMessage(resultsDir: string, previous: RunFile, fingerprint: string): string {
  return (
    `${resultsDir} holds a different run (${previous.runId}: ${previous.pairs.join(',')} on ` +
    `${previous.workers} worker${previous.workers === 1 ? '' : 's'}, plan ${previous.fingerprint}; this plan is ${fingerprint}). ` +
    'Pass --fresh to start over there, or choose another --results folder.'
  );
}

/** Why a run cannot start in `resultsDir`: worker files without run.json. */
export function unknownRunMessage(resultsDir: string): string {
  return (
    `${resultsDir} holds worker files of an unknown run (no run.json). ` +
    'Pass --fresh to start over there, or choose another --results folder.'
  );
}

/** Whether results/ holds worker files of some run (with or without run.json). */
export async function holdsWorkerFiles(resultsDir: string): Promise<boolean> {
  const names = await fs.readdir(resultsDir).catch(() => [] as string[]);
  return names.some((name) => WORKER_FILE.test(name));
}

/**
 * `--fresh`: removes what a run wrote in results/ (worker files, checkpoints, logs, commands,
 * aggregated results, ensembles, report, supervisor status, run.json) and its models (best-model
 * folders, models/jobs/ and models/ensembles/). Anything else in those folders is left alone.
 */
export async function clearRun(resultsDir: string, modelsDir: string): Promise<void> {
  const names = await fs.readdir(resultsDir).catch(() => [] as string[]);
  const ownFiles = new Set(
    [aggregatedResultsFile, trainingReportFile, supervisorStatusFile, runFile, ensembleResultsFile].map((f) =>
      path.basename(f(resultsDir)),
    ),
  );
  for (const name of names) {
    if (WORKER_FILE.test(name) || ownFiles.has(name) || name.startsWith(TEMP_PREFIX)) {
      await fs.rm(path.join(resultsDir, name), { force: true });
    }
  }
  for (const dir of ['checkpoints', 'logs', path.basename(commandsDir(resultsDir))]) {
    await fs.rm(path.join(resultsDir, dir), { recursive: true, force: true });
  }
  const models = await fs.readdir(modelsDir).catch(() => [] as string[]);
  for (const name of models) {
    if (MODEL_DIR.test(name) || name === 'jobs' || name === 'ensembles') {
      await fs.rm(path.join(modelsDir, name), { recursive: true, force: true });
    }
  }
}
