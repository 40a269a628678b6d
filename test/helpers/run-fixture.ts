import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_ENVIRONMENT } from '../../shared/index.js';
import type { RunOptions } from '../../supervisor/run.js';
import type { WorkerCommand } from '../../supervisor/runtime/types.js';
import { isAlive } from './temp-dir.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixturesDir = path.join(repoRoot, 'test', 'fixtures');
export const fakeWorkerScript = path.join(fixturesDir, 'fake-worker.mjs');
export const fakeWorker: WorkerCommand = { file: process.execPath, args: [fakeWorkerScript] };

/** Run options for a small fast run in a temp folder (synthetic data: the fake worker loads nothing). */
export function testRunOptions(root: string, overrides: Partial<RunOptions> = {}): RunOptions {
  return {
    workers: 2,
    pairs: ['BTC-USD', 'ETH-USD', 'SOL-USD'],
    variants: 2,
    episodes: 1,
    data: {
      source: 'synthetic',
      days: 30,
      interval: '1h',
      cacheDir: path.join(root, 'data'),
      dataDir: null,
      refresh: false,
    },
    environment: DEFAULT_ENVIRONMENT,
    seed: 7,
    resultsDir: path.join(root, 'results'),
    modelsDir: path.join(root, 'models'),
    runtime: 'local',
    fresh: false,
    restartPolicy: { baseDelayMs: 40, maxDelayMs: 200, jitter: 0, maxRestarts: 3, stallAfterMs: 5_000 },
    heartbeatCheckMs: 50,
    stopGraceMs: 2_000,
    ...overrides,
  };
}

/** The pids the fake worker recorded for a worker, one per start. */
export function fakePids(resultsDir: string, workerId: number): number[] {
  try {
    return readFileSync(path.join(resultsDir, `fake_worker_${workerId}_pids`), 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** Every recorded fake worker pid still alive (should be none after a run). */
export function livePids(resultsDir: string, workerIds: number[]): number[] {
  return workerIds.flatMap((id) => fakePids(resultsDir, id)).filter(isAlive);
}
