import path from 'node:path';
import { execa, type Options, type ResultPromise } from 'execa';
import { repoRoot } from './run-fixture.js';

/** The real candles every end-to-end test trains on (read-only; see ../shared/data/README.md). */
export const SHARED_DATA_DIR = path.resolve(repoRoot, '..', 'shared', 'data');

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
