import {
  type ComposeCommand,
  checkComposeServices,
  createDockerRuntime,
  defaultComposeFile,
} from './runtime/docker-runtime.js';
import { createLocalRuntime } from './runtime/local-runtime.js';
import type { Runtime, WorkerCommand } from './runtime/types.js';

/** Where the workers of a run are started, and what each runtime needs to start them. */
export interface RuntimeSettings {
  kind: 'local' | 'docker';
  resultsDir: string;
  modelsDir: string;
  /** The candle cache (`--data`). */
  cacheDir: string;
  /** `--data-dir`, when candles come from a folder. */
  dataDir: string | null;
  graceMs: number;
  /** Local: the worker command (tests: fake workers) and extra environment. */
  workerEntry?: WorkerCommand;
  workerEnv?: Record<string, string>;
  /** Docker: skip compose detection, poll interval, client environment. */
  docker?: { compose?: ComposeCommand; pollMs?: number; env?: NodeJS.ProcessEnv };
}

/** Fails early, before anything is written, when the runtime cannot start `workers` workers. */
export function checkRuntime(settings: Pick<RuntimeSettings, 'kind'>, workers: number): void {
  if (settings.kind !== 'docker') return;
  checkComposeServices(
    defaultComposeFile(),
    Array.from({ length: workers }, (_, i) => i + 1),
  );
}

/** The runtime a run starts its workers with: local child processes, or Docker Compose services. */
export function createRuntime(settings: RuntimeSettings): Runtime {
  if (settings.kind === 'docker') {
    return createDockerRuntime({
      resultsDir: settings.resultsDir,
      modelsDir: settings.modelsDir,
      dataDir: settings.cacheDir,
      sourceDataDir: settings.dataDir,
      compose: settings.docker?.compose,
      pollMs: settings.docker?.pollMs,
      env: settings.docker?.env,
      defaultGraceMs: settings.graceMs,
    });
  }
  return createLocalRuntime({
    resultsDir: settings.resultsDir,
    workerEntry: settings.workerEntry,
    env: settings.workerEnv,
    defaultGraceMs: settings.graceMs,
  });
}
