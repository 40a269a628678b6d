import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  aggregatedResultsFile,
  bestModelDir,
  checkpointDir,
  ensembleDir,
  ensembleResultsFile,
  jobModelDir,
  jobResultFile,
  type RunManifest,
  runFile,
  runFileCopy,
  runLockFile,
  supervisorStatusFile,
  TEMP_PREFIX,
  trainingReportFile,
  workerConfigFile,
  workerLogFile,
  workerResultsFile,
  workerStatusFile,
} from '../shared/index.js';
import { isCommandFileName } from './command-files.js';
import type { RunPlan } from './plan.js';
import { runComposeFile } from './runtime/docker-runtime.js';

const COMMANDS = 'commands';
/** How many left-alone paths a notice names before it only counts. */
const NAMED = 12;

const relative = (root: string, file: string) => path.relative(root, file).split(path.sep).join('/');

/**
 * Every file and folder a run of this plan writes, relative to its folders: the supervisor's files,
 * each worker's files and log, and per job its result, checkpoints and models. Recorded in run.json,
 * so `--fresh` later removes exactly these. Folders listed are the run's own (named after its jobs).
 */
export function manifestOfPlan(plan: RunPlan, resultsDir: string, modelsDir: string): RunManifest {
  const r = (file: string) => relative(resultsDir, file);
  const m = (file: string) => relative(modelsDir, file);
  const results = [
    runFile,
    runFileCopy,
    aggregatedResultsFile,
    trainingReportFile,
    supervisorStatusFile,
    ensembleResultsFile,
  ].map((f) => r(f(resultsDir)));
  // The per-run compose file of `--runtime docker`. Listed for every run: a folder resumed under
  // another runtime still holds the one an earlier docker run wrote, and the name is this program's.
  results.push(r(runComposeFile(resultsDir)));
  const models: string[] = [];
  for (const worker of plan.workers) {
    const id = worker.workerId;
    results.push(
      ...[workerConfigFile, workerStatusFile, workerResultsFile, workerLogFile].map((f) =>
        r(f(resultsDir, id)),
      ),
    );
    // Each pair's best model, and its ensemble (models/ensembles/PAIR, issue 9).
    for (const pair of worker.pairs) {
      models.push(m(bestModelDir(modelsDir, id, pair)), m(ensembleDir(modelsDir, pair)));
    }
    for (const job of worker.config.jobs) {
      results.push(r(checkpointDir(resultsDir, id, job.jobId)), r(jobResultFile(resultsDir, id, job.jobId)));
      models.push(m(jobModelDir(modelsDir, job.pair, job.variant)));
    }
  }
  return { modelsDir, results, models };
}

/** What `--fresh` did: how many of the run's paths it removed, and what it left (not the run's). */
export interface FreshOutcome {
  removed: number;
  leftAlone: string[];
}

async function removeOwned(root: string, entries: readonly string[]): Promise<number> {
  let removed = 0;
  const parents = new Set<string>();
  for (const entry of entries) {
    const target = path.resolve(root, entry);
    // A manifest is data read from disk: never follow one out of its folder.
    if (!target.startsWith(root + path.sep)) continue;
    const existed = await fs.lstat(target).then(
      () => true,
      () => false,
    );
    if (!existed) continue;
    await fs.rm(target, { recursive: true, force: true });
    removed++;
    for (let dir = path.dirname(target); dir.startsWith(root + path.sep); dir = path.dirname(dir))
      parents.add(dir);
  }
  // Folders the run's paths sat in go too, once nothing else is left in them.
  for (const dir of [...parents].sort((a, b) => b.length - a.length)) {
    await fs.rmdir(dir).catch(() => {});
  }
  return removed;
}

/** Request and reply files of this program in commands/ (their names are ours), then the folder if empty. */
async function removeCommandFiles(resultsDir: string): Promise<number> {
  const dir = path.join(resultsDir, COMMANDS);
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    if (!isCommandFileName(name) && !name.startsWith(TEMP_PREFIX)) continue;
    await fs.rm(path.join(dir, name), { force: true });
    removed++;
  }
  await fs.rmdir(dir).catch(() => {});
  return removed;
}

/** Files under `root` (depth-first, at most `limit` + 1 of them), for naming what was left alone. */
async function listFiles(root: string, skip: (rel: string) => boolean, limit: number): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string) => {
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (found.length > limit) return;
      const full = path.join(dir, entry.name);
      const rel = relative(root, full);
      if (skip(rel)) continue;
      if (entry.isDirectory()) await walk(full);
      else found.push(rel);
    }
  };
  await walk(root);
  return found;
}

/**
 * `--fresh`: removes what the earlier run recorded as its own (and this program's command files),
 * then the folders those sat in when nothing else is left there; everything else stays and is named.
 */
export async function removeRunFiles(resultsDir: string, manifest: RunManifest): Promise<FreshOutcome> {
  const results = path.resolve(resultsDir);
  const models = path.resolve(manifest.modelsDir);
  let removed = await removeOwned(results, manifest.results);
  removed += await removeOwned(models, manifest.models);
  removed += await removeCommandFiles(results);
  // Temp files of writers killed mid-write.
  for (const name of await fs.readdir(results).catch(() => [] as string[])) {
    if (name.startsWith(TEMP_PREFIX)) await fs.rm(path.join(results, name), { force: true });
  }
  const lock = relative(results, runLockFile(results));
  const inResults = await listFiles(results, (rel) => rel === lock || rel === 'run.lock.takeover', NAMED);
  const inModels =
    models === results || models.startsWith(results + path.sep)
      ? []
      : await listFiles(models, () => false, NAMED);
  const leftAlone = [
    ...inResults.map((rel) => path.join(results, rel)),
    ...inModels.map((rel) => path.join(models, rel)),
  ];
  return { removed, leftAlone };
}

/** `--fresh: removed … left alone: a, b, … and N more`: the one line the user reads. */
export function describeFresh(runId: string, outcome: FreshOutcome, roots: string[]): string {
  const short = (file: string) => {
    const root = roots.find((r) => file.startsWith(r + path.sep));
    return root ? relative(root, file) : file;
  };
  const named = outcome.leftAlone.slice(0, NAMED).map(short);
  const more = outcome.leftAlone.length > NAMED ? ` and more` : '';
  const left =
    named.length === 0 ? 'nothing else was there' : `left alone (not the run's): ${named.join(', ')}${more}`;
  return `--fresh: removed ${outcome.removed} files and folders of the earlier run ${runId}; ${left}`;
}

/** Whether a folder holds anything but this program's lock (a folder `--fresh` would refuse). */
export async function holdsAnything(resultsDir: string): Promise<string[]> {
  const names = await fs.readdir(resultsDir).catch(() => [] as string[]);
  const lock = path.basename(runLockFile(resultsDir));
  return names.filter((n) => n !== lock && n !== `${lock}.takeover` && !n.startsWith(TEMP_PREFIX));
}
