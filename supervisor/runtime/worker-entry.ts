import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkerCommand } from './types.js';

/**
 * The node command that runs a worker. From TypeScript sources (tsx) it is
 * `node --import tsx worker/main.ts`, from the build `node dist/worker/main.js`: node itself, never
 * npm or a shell, so SIGTERM reaches the worker and not a wrapper.
 */
export function resolveWorkerEntry(moduleUrl: string = import.meta.url): WorkerCommand {
  const here = path.dirname(fileURLToPath(moduleUrl));
  // supervisor/runtime/ → repo root (sources) or dist/ (build)
  const root = path.resolve(here, '..', '..');
  if (moduleUrl.endsWith('.ts')) {
    return { file: process.execPath, args: ['--import', tsxLoader(), path.join(root, 'worker', 'main.ts')] };
  }
  const compiled = path.join(root, 'worker', 'main.js');
  if (!existsSync(compiled) && existsSync(path.join(root, '..', 'worker', 'main.ts'))) {
    return {
      file: process.execPath,
      args: ['--import', tsxLoader(), path.join(root, '..', 'worker', 'main.ts')],
    };
  }
  return { file: process.execPath, args: [compiled] };
}

// An absolute loader URL, so the worker finds tsx whatever the supervisor's working directory.
function tsxLoader(): string {
  try {
    return import.meta.resolve('tsx');
  } catch {
    return 'tsx';
  }
}
