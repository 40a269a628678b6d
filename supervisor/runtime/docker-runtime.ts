import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { workerLogFile } from '../../shared/index.js';
import type { ExitListener, Runtime, WorkerExit } from './types.js';

/** `docker compose` (v2 plugin) or `docker-compose` (v1), as found on PATH. */
export interface ComposeCommand {
  file: string;
  args: string[];
  version: 1 | 2;
}

export interface DockerRuntimeOptions {
  resultsDir: string;
  modelsDir: string;
  dataDir: string;
  /** With `--data-dir`: the folder of source CSVs, mounted read-only. */
  sourceDataDir?: string | null;
  composeFile?: string;
  projectName?: string;
  /** How often `ps` is polled to notice exits. */
  pollMs?: number;
  defaultGraceMs?: number;
  /** Environment of the docker client (PATH, DOCKER_HOST, …); defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Skips detection (tests, or a user's choice). */
  compose?: ComposeCommand;
}

/** Finds Docker Compose: `docker compose version`, else `docker-compose version`. */
export async function detectCompose(env: NodeJS.ProcessEnv = process.env): Promise<ComposeCommand> {
  const v2 = await execa('docker', ['compose', 'version'], { env, reject: false, stdin: 'ignore' });
  if (v2.exitCode === 0) return { file: 'docker', args: ['compose'], version: 2 };
  const v1 = await execa('docker-compose', ['version'], { env, reject: false, stdin: 'ignore' });
  if (v1.exitCode === 0) return { file: 'docker-compose', args: [], version: 1 };
  throw new Error(
    'Docker Compose not found: neither `docker compose version` nor `docker-compose version` works. ' +
      'Install the compose plugin (or docker-compose), or use --runtime local.',
  );
}

/** docker-compose-workers.yml at the repository root, from sources or from dist/. */
export function defaultComposeFile(moduleUrl: string = import.meta.url): string {
  let dir = path.dirname(fileURLToPath(moduleUrl));
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'docker-compose-workers.yml');
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return path.resolve('docker-compose-workers.yml');
}

/** A Compose project name per results folder, so two runs on one host do not share containers. */
export function composeProjectName(resultsDir: string): string {
  let hash = 0;
  for (const ch of path.resolve(resultsDir)) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return `trading-workers-${hash.toString(36)}`;
}

/** One service's state as `docker compose ps --format json` reports it. */
export interface ServiceState {
  service: string;
  running: boolean;
  exitCode: number | null;
}

/** Parses `ps --format json`: a JSON array (compose < 2.21) or one object per line (newer). */
export function parseComposePs(stdout: string): ServiceState[] {
  const text = stdout.trim();
  if (!text) return [];
  const rows: unknown[] = text.startsWith('[')
    ? (JSON.parse(text) as unknown[])
    : text
        .split('\n')
        .filter((line) => line.trim())
        .map((line) => JSON.parse(line) as unknown);
  return rows.flatMap((row) => {
    if (!row || typeof row !== 'object') return [];
    const r = row as Record<string, unknown>;
    if (typeof r.Service !== 'string') return [];
    const state = String(r.State ?? '').toLowerCase();
    return [
      {
        service: r.Service,
        running: state === 'running' || state === 'restarting' || state === 'created',
        exitCode: typeof r.ExitCode === 'number' ? r.ExitCode : null,
      },
    ];
  });
}

// With `init: true`, a container killed by a signal exits 128+n; report it like a local kill.
function toExit(exitCode: number | null): WorkerExit {
  if (exitCode === 137) return { code: null, signal: 'SIGKILL' };
  if (exitCode === 143) return { code: null, signal: 'SIGTERM' };
  return { code: exitCode, signal: null };
}

const service = (workerId: number) => `worker-${workerId}`;

/** The ids of the `worker-N` services a compose file defines (top-level keys under `services:`). */
export function composeWorkerServices(text: string): number[] {
  return [...text.matchAll(/^ {2}worker-(\d+):/gm)].map((m) => Number(m[1])).sort((a, b) => a - b);
}

/**
 * Fails before anything starts when the compose file has no service for one of the planned
 * workers (it defines worker-1 … worker-4; `--workers 6` needs two more).
 */
export function checkComposeServices(composeFile: string, workerIds: readonly number[]): void {
  let text: string;
  try {
    text = readFileSync(composeFile, 'utf8');
  } catch (error) {
    throw new Error(`--runtime docker: cannot read ${composeFile}: ${(error as Error).message}`);
  }
  const defined = new Set(composeWorkerServices(text));
  const missing = workerIds.filter((id) => !defined.has(id));
  if (missing.length > 0) {
    throw new Error(
      `--runtime docker: ${composeFile} defines ${[...defined].map(service).join(', ') || 'no worker services'}, ` +
        `but the plan needs ${missing.map(service).join(', ')}; add those services or pass --workers ${defined.size}`,
    );
  }
}
/** How long past the grace a stop may take (compose's own latency) before it is given up. */
const STOP_SLACK_MS = 10_000;
/** `logs -f` ends by itself when its container stops; this long to flush the last lines first. */
const LOG_FLUSH_MS = 2_000;

/** Drives the workers as Docker Compose services: up, restart, stop, logs; exits seen by polling `ps`. */
export function createDockerRuntime(options: DockerRuntimeOptions): Runtime {
  const composeFile = options.composeFile ?? defaultComposeFile();
  const project = options.projectName ?? composeProjectName(options.resultsDir);
  const pollMs = options.pollMs ?? 1_000;
  const defaultGraceMs = options.defaultGraceMs ?? 10_000;
  const env: NodeJS.ProcessEnv = {
    ...(options.env ?? process.env),
    TW_RESULTS_DIR: path.resolve(options.resultsDir),
    TW_MODELS_DIR: path.resolve(options.modelsDir),
    TW_DATA_DIR: path.resolve(options.dataDir),
    TW_SOURCE_DATA_DIR: path.resolve(options.sourceDataDir ?? options.dataDir),
    TW_UID: String(process.getuid?.() ?? 1000),
    TW_GID: String(process.getgid?.() ?? 1000),
  };
  let composePromise: Promise<ComposeCommand> | null = options.compose
    ? Promise.resolve(options.compose)
    : null;
  const compose = () => {
    composePromise ??= detectCompose(env);
    return composePromise;
  };
  const running = new Set<number>();
  const stopping = new Map<number, Promise<void>>();
  const loggers = new Map<number, ResultPromise>();
  const retiring = new Set<ResultPromise>();
  const generation = new Map<number, number>();
  const listeners = new Set<ExitListener>();
  let pollTimer: NodeJS.Timeout | null = null;
  let polling: Promise<void> | null = null;
  let disposed = false;

  const run = async (args: string[]) => {
    const c = await compose();
    const result = await execa(c.file, [...c.args, '-f', composeFile, '-p', project, ...args], {
      env,
      reject: false,
      stdin: 'ignore',
    });
    if (result.exitCode !== 0) {
      const detail = String(result.stderr || result.stdout).trim();
      throw new Error(
        `${c.file} ${[...c.args, ...args].join(' ')} failed (exit ${result.exitCode}): ${detail}`,
      );
    }
    return String(result.stdout);
  };

  const states = async (): Promise<Map<string, ServiceState>> => {
    const c = await compose();
    if (c.version === 2) {
      return new Map(
        parseComposePs(await run(['ps', '--all', '--format', 'json'])).map((s) => [s.service, s]),
      );
    }
    // v1 has no JSON output: container ids from `ps -q`, their state from `docker inspect`.
    const map = new Map<string, ServiceState>();
    for (const id of running) {
      const container = (await run(['ps', '-q', service(id)])).trim();
      if (!container) continue;
      const inspect = await execa(
        'docker',
        ['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', container],
        { env, reject: false, stdin: 'ignore' },
      );
      const [status, code] = String(inspect.stdout).trim().split(' ');
      map.set(service(id), { service: service(id), running: status === 'running', exitCode: Number(code) });
    }
    return map;
  };

  const emit = (workerId: number, exit: WorkerExit) => {
    for (const listener of listeners) {
      try {
        listener(workerId, exit);
      } catch {
        // keep polling whatever a listener does
      }
    }
  };

  const poll = () => {
    polling ??= (async () => {
      try {
        if (running.size === 0) return;
        // A `ps` taken before a (re)start must not judge the new container: compare generations.
        const asked = new Map([...running].map((id) => [id, generation.get(id) ?? 0]));
        const current = await states();
        for (const [id, gen] of asked) {
          if (!running.has(id) || generation.get(id) !== gen) continue;
          const s = current.get(service(id));
          if (s?.running) continue;
          running.delete(id);
          retireLogger(id);
          emit(id, toExit(s?.exitCode ?? null));
        }
      } catch {
        // a failed `ps` (daemon hiccup) is retried at the next tick
      } finally {
        polling = null;
        schedule();
      }
    })();
    return polling;
  };

  const schedule = () => {
    if (disposed || pollTimer || running.size === 0) return;
    pollTimer = setTimeout(() => {
      pollTimer = null;
      void poll();
    }, pollMs);
    pollTimer.unref?.();
  };

  const retireLogger = (workerId: number) => {
    const follower = loggers.get(workerId);
    if (!follower) return;
    loggers.delete(workerId);
    const timer = setTimeout(() => follower.kill('SIGTERM'), LOG_FLUSH_MS);
    void follower.finally(() => clearTimeout(timer));
    retiring.add(follower);
    void follower.finally(() => retiring.delete(follower));
  };

  const followLogs = async (workerId: number, since: string) => {
    const c = await compose();
    const log = workerLogFile(options.resultsDir, workerId);
    mkdirSync(path.dirname(log), { recursive: true });
    retireLogger(workerId);
    const args = [
      'logs',
      '--no-color',
      '-f',
      ...(c.version === 2 ? ['--since', since] : []),
      service(workerId),
    ];
    const follower = execa(c.file, [...c.args, '-f', composeFile, '-p', project, ...args], {
      env,
      reject: false,
      stdin: 'ignore',
      stdout: { file: log, append: true },
      stderr: { file: log, append: true },
      cleanup: true,
    });
    loggers.set(workerId, follower);
  };

  const runtime: Runtime = {
    kind: 'docker',
    logFile: (workerId) => workerLogFile(options.resultsDir, workerId),
    isRunning: (workerId) => running.has(workerId),

    async start(workerId) {
      if (running.has(workerId)) return { pid: null };
      const since = new Date().toISOString();
      generation.set(workerId, (generation.get(workerId) ?? 0) + 1);
      await run(['up', '-d', '--no-deps', service(workerId)]);
      running.add(workerId);
      await followLogs(workerId, since);
      schedule();
      return { pid: null };
    },

    stop(workerId, { graceMs }) {
      if (!running.has(workerId)) return Promise.resolve();
      const existing = stopping.get(workerId);
      if (existing) return existing;
      const promise = (async () => {
        let failure: Error | null = null;
        try {
          await run(['stop', '-t', String(Math.max(0, Math.ceil(graceMs / 1000))), service(workerId)]);
        } catch (error) {
          failure = error as Error;
        }
        // Report the exit now rather than at the next tick: stop() resolves after it.
        const deadline = Date.now() + graceMs + STOP_SLACK_MS;
        while (running.has(workerId) && !disposed && Date.now() < deadline) {
          await poll();
          if (running.has(workerId)) await new Promise((r) => setTimeout(r, Math.min(pollMs, 200)));
        }
        if (running.has(workerId)) {
          // Never hang the supervisor on a container it cannot stop: say so in the log and move on.
          running.delete(workerId);
          appendFileSync(
            workerLogFile(options.resultsDir, workerId),
            `[supervisor] ${service(workerId)} did not stop: ${failure?.message ?? 'still running'}\n`,
          );
          emit(workerId, { code: null, signal: null });
        }
        stopping.delete(workerId);
      })();
      stopping.set(workerId, promise);
      return promise;
    },

    async restart(workerId) {
      if (!running.has(workerId)) {
        await runtime.start(workerId);
        return;
      }
      const since = new Date().toISOString();
      await run(['restart', '-t', String(Math.ceil(defaultGraceMs / 1000)), service(workerId)]);
      await followLogs(workerId, since);
    },

    async stopAll(graceMs) {
      await Promise.all([...running].map((id) => runtime.stop(id, { graceMs })));
    },

    onExit(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async dispose() {
      disposed = true;
      if (pollTimer) clearTimeout(pollTimer);
      for (const id of [...loggers.keys()]) retireLogger(id);
      await Promise.allSettled([...retiring]);
      listeners.clear();
    },
  };
  return runtime;
}
