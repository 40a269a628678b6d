import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  parseWorkerFileName,
  type RunFile,
  RunFileSchema,
  readJsonTolerant,
  runFile,
  runFileCopy,
  SCHEMA_VERSION,
  type WorkerConfig,
  WorkerConfigSchema,
  workerConfigFile,
  writeJsonAtomic,
} from '../shared/index.js';
import type { RunPlan } from './plan.js';
import { manifestOfPlan } from './run-manifest.js';

/** What results/run.json says: no run, a run (perhaps recovered from the copy), or damage. */
export type RunFileRead =
  | { kind: 'none' }
  | { kind: 'found'; run: RunFile; notice: string | null }
  | { kind: 'damaged'; problems: string[] };

/**
 * Reads run.json; a damaged or lost one is read from its copy, and the notice says so. With `repair`
 * (default) run.json is then restored from the copy; without, nothing is written (the preflight).
 */
export async function readRunFile(
  resultsDir: string,
  options: { repair?: boolean } = {},
): Promise<RunFileRead> {
  const main = await readJsonTolerant(runFile(resultsDir), RunFileSchema);
  if (main.ok) return { kind: 'found', run: main.value, notice: null };
  const copy = await readJsonTolerant(runFileCopy(resultsDir), RunFileSchema);
  if (copy.ok) {
    if (options.repair ?? true) await writeJsonAtomic(runFile(resultsDir), copy.value);
    const why = main.reason === 'missing' ? 'it was missing' : main.message;
    return {
      kind: 'found',
      run: copy.value,
      notice: `recovered ${runFile(resultsDir)} from ${runFileCopy(resultsDir)} (${why})`,
    };
  }
  if (main.reason === 'missing' && copy.reason === 'missing') return { kind: 'none' };
  return { kind: 'damaged', problems: [main.message, copy.message] };
}

/** Writes run.json and then its copy, each atomically: a kill or a damaged file leaves one whole. */
export async function writeRunFile(resultsDir: string, value: RunFile): Promise<void> {
  await writeJsonAtomic(runFile(resultsDir), value);
  await writeJsonAtomic(runFileCopy(resultsDir), value);
}

/** Why a rerun cannot resume in `resultsDir`: it holds another plan (the user passes --fresh or another folder). */
export function differentRunMessage(resultsDir: string, previous: RunFile, fingerprint: string): string {
  return (
    `${resultsDir} holds a different run (${previous.runId}: ${previous.pairs.join(',')} on ` +
    `${previous.workers} worker${previous.workers === 1 ? '' : 's'}, plan ${previous.fingerprint}; this plan is ${fingerprint}). ` +
    'Pass --fresh to start over there, or choose another --results folder.'
  );
}

/** Whether results/ holds worker files of some run (with or without run.json). */
export async function holdsWorkerFiles(resultsDir: string): Promise<boolean> {
  const names = await fs.readdir(resultsDir).catch(() => [] as string[]);
  return names.some((name) => parseWorkerFileName(name) !== null);
}

// What decides a worker's results in its config (not its folders or creation time).
const planOfConfig = (c: WorkerConfig) => ({
  jobs: c.jobs,
  episodes: c.episodes,
  data: { source: c.data.source, days: c.data.days, interval: c.data.interval, dataDir: c.data.dataDir },
  environment: c.environment,
  seed: c.seed,
});
const samePlan = (a: WorkerConfig, b: WorkerConfig) =>
  JSON.stringify(planOfConfig(a)) === JSON.stringify(planOfConfig(b));

/**
 * The last witness of which run a folder holds when run.json and its copy are both gone: the worker
 * configs (each names the run and its jobs). Recovered as this plan's run when they match it, else
 * as another run (whose manifest lets --fresh clear it). Null, with the problems, when they cannot
 * tell (none, unreadable, or of several runs).
 */
export async function recoverRunFromConfigs(
  resultsDir: string,
  plan: RunPlan,
  fingerprint: string,
): Promise<{ run: RunFile | null; problems: string[] }> {
  const names = await fs.readdir(resultsDir).catch(() => [] as string[]);
  const ids = names
    .map((name) => parseWorkerFileName(name))
    .filter((p) => p?.kind === 'config')
    .map((p) => p!.workerId)
    .sort((a, b) => a - b);
  const configs: WorkerConfig[] = [];
  const problems: string[] = [];
  for (const id of ids) {
    const read = await readJsonTolerant(workerConfigFile(resultsDir, id), WorkerConfigSchema);
    if (read.ok) configs.push(read.value);
    else problems.push(read.message);
  }
  if (ids.length === 0) problems.push(`${resultsDir}: no worker config either`);
  const runIds = new Set(configs.map((c) => c.runId));
  if (runIds.size > 1) problems.push(`the worker configs name ${runIds.size} different runs`);
  if (problems.length > 0 || configs.length === 0) return { run: null, problems };
  const first = configs[0]!;
  const matches =
    configs.length === plan.workers.length &&
    plan.workers.every((w, i) => configs[i]?.workerId === w.workerId && samePlan(configs[i]!, w.config));
  const pseudoPlan = {
    workers: configs.map((c) => ({
      workerId: c.workerId,
      pairs: [...new Set(c.jobs.map((j) => j.pair))],
      config: c,
    })),
  } as RunPlan;
  const run: RunFile = {
    schema: SCHEMA_VERSION,
    runId: first.runId,
    // Another plan's fingerprint is unknown; this one never matches, so the run is not resumed.
    fingerprint: matches ? fingerprint : `unknown-plan-of-${first.runId}`,
    createdAt: first.createdAt,
    pairs: pseudoPlan.workers.flatMap((w) => w.pairs),
    workers: configs.length,
    owns: manifestOfPlan(pseudoPlan, path.resolve(resultsDir), path.resolve(first.modelsDir)),
  };
  return { run, problems };
}
