import path from 'node:path';
import type { ExecutionContext } from 'ava';
import { execa, type Options, type ResultPromise } from 'execa';
import {
  readJsonTolerant,
  type TrainingReport,
  TrainingReportSchema,
  trainingReportFile,
} from '../../shared/index.js';
import { SHARED_DATA_DIR } from './real-candles.js';
import { repoRoot } from './run-fixture.js';
import { makeTempDir } from './temp-dir.js';

export { SHARED_DATA_DIR };

/**
 * Runs `trading-workers ARGS` from the sources (node --import tsx cli.ts), as `npx trading-workers`
 * would from the build, without CI in the environment unless the test sets it.
 */
export function runCli(args: string[], options: Options = {}): ResultPromise {
  return execa(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'cli.ts'), ...args], {
    cwd: repoRoot,
    reject: false,
    timeout: 240_000,
    ...options,
  });
}

/** Fresh results and models folders for one run, removed when the test ends. */
export function tempRunDirs(t: ExecutionContext): { results: string; models: string } {
  const results = makeTempDir('tw-results-');
  const models = makeTempDir('tw-models-');
  t.teardown(() => {
    results.remove();
    models.remove();
  });
  return { results: results.dir, models: models.dir };
}

/** The run's training_report.json, validated; throws naming the problem. */
export async function readReport(resultsDir: string): Promise<TrainingReport> {
  const read = await readJsonTolerant(trainingReportFile(resultsDir), TrainingReportSchema);
  if (!read.ok) throw new Error(read.message);
  return read.value;
}

/** The options of a small real-data run (`train` flags after the command), into the test's folders. */
export function runArgs(
  dirs: { results: string; models: string },
  run: { workers: number; pairs: string[]; variants: number; episodes: number; days?: number },
): string[] {
  return [
    '--workers',
    String(run.workers),
    '--pairs',
    run.pairs.join(','),
    '--variants',
    String(run.variants),
    '--episodes',
    String(run.episodes),
    ...(run.days ? ['--days', String(run.days)] : []),
    '--data-dir',
    SHARED_DATA_DIR,
    '--results',
    dirs.results,
    '--models',
    dirs.models,
  ];
}
