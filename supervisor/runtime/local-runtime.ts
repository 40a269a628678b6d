import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { workerConfigFile, workerLogFile } from '../../shared/index.js';
import type { ExitListener, Runtime, WorkerCommand, WorkerExit } from './types.js';
import { resolveWorkerEntry } from './worker-entry.js';

export interface LocalRuntimeOptions {
  resultsDir: string;
  /** The worker command; defaults to this project's worker (tests pass fake workers). */
  workerEntry?: WorkerCommand;
  /** Extra environment for the workers. */
  env?: Record<string, string>;
  cwd?: string;
  /** Grace of `restart()` between SIGTERM and SIGKILL. */
  defaultGraceMs?: number;
}

interface Child {
  /** What the runtime uses of the execa subprocess. */
  process: Pick<ResultPromise, 'pid' | 'kill'>;
  exited: Promise<void>;
  stopping: Promise<void> | null;
  /** When the SIGKILL of a stop in progress is due (epoch ms), and its timer. */
  killAt: number;
  killTimer: NodeJS.Timeout | null;
}

/** Runs each worker as a child node process, its output appended to results/logs/worker_N.log. */
export function createLocalRuntime(options: LocalRuntimeOptions): Runtime {
  const entry = options.workerEntry ?? resolveWorkerEntry();
  const children = new Map<number, Child>();
  const listeners = new Set<ExitListener>();
  const defaultGraceMs = options.defaultGraceMs ?? 10_000;

  // execa's `cleanup` covers a normal exit and signals it sees; this also covers `process.exit()`
  // from anywhere: no worker may outlive the supervisor.
  const killAllNow = () => {
    for (const child of children.values()) child.process.kill('SIGKILL');
  };
  process.on('exit', killAllNow);

  const emit = (workerId: number, exit: WorkerExit) => {
    for (const listener of listeners) {
      try {
        listener(workerId, exit);
      } catch {
        // a listener's bug must not leave the child map inconsistent
      }
    }
  };

  const runtime: Runtime = {
    kind: 'local',
    logFile: (workerId) => workerLogFile(options.resultsDir, workerId),
    isRunning: (workerId) => children.has(workerId),

    async start(workerId) {
      const existing = children.get(workerId);
      if (existing) return { pid: existing.process.pid ?? null };
      const log = workerLogFile(options.resultsDir, workerId);
      mkdirSync(path.dirname(log), { recursive: true });
      const config = workerConfigFile(options.resultsDir, workerId);
      // The log is opened here and handed to the worker as its own stdout/stderr. execa's
      // `{ file, append }` pipes through this process instead, and a worker whose supervisor was
      // killed then died of EPIPE at its next line, before it could checkpoint and stop cleanly.
      const logFd = openSync(log, 'a');
      const child = execa(entry.file, [...entry.args, '--config', config], {
        cwd: options.cwd,
        env: {
          ...options.env,
          WORKER_ID: String(workerId),
          WORKER_CONFIG: config,
          // The worker stops by itself if this process dies without stopping it (SIGKILL, OOM).
          TRADING_WORKERS_SUPERVISOR_PID: String(process.pid),
        },
        // execa's types take literal descriptor numbers only; any open descriptor works at run time.
        stdio: ['ignore', logFd as 3, logFd as 3],
        cleanup: true,
        reject: false,
        forceKillAfterDelay: false,
      });
      // The child holds its own copy of the descriptor from the moment it is spawned.
      closeSync(logFd);
      const record: Child = {
        process: child,
        stopping: null,
        killAt: Number.POSITIVE_INFINITY,
        killTimer: null,
        exited: child.then(
          (result) => {
            children.delete(workerId);
            emit(workerId, { code: result.exitCode ?? null, signal: result.signal ?? null });
          },
          (error: unknown) => {
            children.delete(workerId);
            emit(workerId, { code: null, signal: null });
            void error;
          },
        ),
      };
      children.set(workerId, record);
      // A spawn failure (missing node, bad cwd) surfaces as an exit, like any other crash.
      if (child.pid === undefined) await record.exited;
      return { pid: child.pid ?? null };
    },

    stop(workerId, { graceMs }) {
      const child = children.get(workerId);
      if (!child) return Promise.resolve();
      const killAt = Date.now() + Math.max(0, graceMs);
      // A stop already under way keeps its promise, but a shorter grace (a second Ctrl-C) brings
      // its SIGKILL forward instead of waiting out the first grace.
      if (child.stopping && killAt >= child.killAt) return child.stopping;
      child.killAt = killAt;
      if (child.killTimer) clearTimeout(child.killTimer);
      child.killTimer = null;
      if (graceMs <= 0) child.process.kill('SIGKILL');
      else child.killTimer = setTimeout(() => child.process.kill('SIGKILL'), graceMs);
      if (!child.stopping) {
        if (graceMs > 0) child.process.kill('SIGTERM');
        child.stopping = child.exited.finally(() => {
          if (child.killTimer) clearTimeout(child.killTimer);
          child.killTimer = null;
        });
      }
      return child.stopping;
    },

    async restart(workerId) {
      await runtime.stop(workerId, { graceMs: defaultGraceMs });
      await runtime.start(workerId);
    },

    async stopAll(graceMs) {
      await Promise.all([...children.keys()].map((id) => runtime.stop(id, { graceMs })));
    },

    onExit(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async dispose() {
      await runtime.stopAll(0);
      process.off('exit', killAllNow);
      listeners.clear();
    },
  };
  return runtime;
}
