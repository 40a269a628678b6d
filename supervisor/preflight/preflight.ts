import path from 'node:path';
import { type DataSettings, InputError } from '../../shared/index.js';
import { planRun } from '../plan.js';
import { resultsFolderProblem } from '../prepare-run.js';
import type { RunOptions } from '../run.js';
import { missingPairFile } from './pair-files.js';
import { nearestExisting, type PreflightProbes } from './probes.js';

// Everything a run needs, checked before any worker starts or any file is written: a mistake found
// here is one line and exit 2, not four failed jobs and a results folder that then asks for --fresh.

/** Null when `dir` is (or can be created as) a folder this process writes into; else why not. */
export async function folderProblem(
  probes: Pick<PreflightProbes, 'kind' | 'writable'>,
  dir: string,
  flag: string,
): Promise<string | null> {
  const target = path.resolve(dir);
  const { at, kind } = await nearestExisting(probes, target);
  if (at === target && kind !== 'dir')
    return `${flag} ${target}: is a ${kind === 'file' ? 'file' : kind}, not a folder`;
  if (at !== target && kind !== 'dir') return `${flag} ${target}: cannot be created, ${at} is not a folder`;
  const why = await probes.writable(at);
  if (why === null) return null;
  return at === target
    ? `${flag} ${target}: ${why}`
    : `${flag} ${target}: cannot be created in ${at}: ${why}`;
}

/** Null when `dir` is an existing folder; else a line naming the flag. */
export async function existingFolderProblem(
  probes: Pick<PreflightProbes, 'kind'>,
  dir: string,
  flag: string,
): Promise<string | null> {
  const target = path.resolve(dir);
  const kind = await probes.kind(target);
  if (kind === 'dir') return null;
  return `${flag} ${target}: ${kind === null ? 'no such folder' : 'not a folder'}`;
}

async function firstProblem(checks: (() => Promise<string | null>)[]): Promise<void> {
  for (const check of checks) {
    const problem = await check();
    if (problem !== null) throw new InputError(problem);
  }
}

/**
 * The checks before `train` starts anything, in the order a user fixes them: the plan's numbers and
 * pairs, folders, candle files named by `--data-dir` or the offline cache, the runtime, the results
 * folder's own run, and whether candles can be had at all. Throws an InputError with the first problem.
 */
export async function preflightTrain(options: RunOptions, probes: PreflightProbes): Promise<void> {
  let plan: ReturnType<typeof planRun>;
  try {
    plan = planRun(options, new Date());
  } catch (error) {
    throw error instanceof InputError ? error : new InputError((error as Error).message);
  }
  const { data } = options;
  await firstProblem([
    () => folderProblem(probes, options.resultsDir, '--results'),
    () => folderProblem(probes, options.modelsDir, '--models'),
    ...candleSourceChecks(plan.options.pairs, data, probes),
    () =>
      probes.runtime(
        options.runtime,
        plan.workers.map((w) => w.workerId),
      ),
    // The results folder's own run (read only: a recoverable run.json is recovered by the run itself).
    async () => {
      try {
        return await resultsFolderProblem(options, plan);
      } catch (error) {
        return (error as Error).message;
      }
    },
    () => probes.candles(plan.options.pairs, data),
  ]);
}

/** The candle source's folder, its `PAIR_data.csv` files (with a did-you-mean), nothing over the network. */
function candleSourceChecks(
  pairs: readonly string[],
  data: DataSettings,
  probes: PreflightProbes,
): (() => Promise<string | null>)[] {
  return [
    async () => {
      if (data.source === 'data-dir') return existingFolderProblem(probes, data.dataDir ?? '', '--data-dir');
      if (data.source === 'offline') return existingFolderProblem(probes, data.cacheDir, '--data (offline)');
      if (data.source === 'yahoo') return folderProblem(probes, data.cacheDir, '--data');
      return null;
    },
    async () => {
      const folder =
        data.source === 'data-dir' ? data.dataDir : data.source === 'offline' ? data.cacheDir : null;
      if (folder === null) return null;
      const names = (await probes.list(folder)) ?? [];
      const flag = data.source === 'data-dir' ? `--data-dir ${folder}` : `the offline cache ${folder}`;
      return missingPairFile(pairs, folder, names, flag);
    },
  ];
}

/** The checks before one job trains in this process (`train-pair`): its candle source and Yahoo. */
export async function preflightCandles(
  pairs: readonly string[],
  data: DataSettings,
  probes: Pick<PreflightProbes, 'kind' | 'list' | 'writable' | 'candles'>,
): Promise<void> {
  await firstProblem([
    ...candleSourceChecks(pairs, data, probes as PreflightProbes),
    () => probes.candles(pairs, data),
  ]);
}

/** The checks before `dashboard`, `status` or `logs` read a run: its results folder must exist. */
export async function preflightRunFolder(resultsDir: string, probes: Pick<PreflightProbes, 'kind'>) {
  await firstProblem([() => existingFolderProblem(probes, resultsDir, '--results')]);
}
