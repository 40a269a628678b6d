import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { type ContainerView, workerLogFile } from '../../shared/index.js';
import type { ContainerListener, ExitListener, Runtime, WorkerExit } from './types.js';

/** What the engine says of one worker's container (Compose) or task (Swarm) at one poll. */
export interface ContainerObservation extends ContainerView {
  running: boolean;
  exitCode: number | null;
  /** Why it ended when the engine knows more than a code (out of memory, a task error). */
  detail: string | null;
}

/** The engine-specific half of a container runtime: Compose services or Swarm services. */
export interface ContainerBackend {
  readonly kind: 'docker' | 'swarm';
  /**
   * Once, before the first start: checks, clean-up of a dead supervisor's leftovers, run files.
   * Resolves with a sentence for the workers' logs when it changed something the user should know.
   */
  prepare(): Promise<string | null>;
  /** Starts the worker's container (or service); resolves once the engine accepted it. */
  launch(workerId: number): Promise<void>;
  /** Asks the container to stop: SIGTERM, SIGKILL after `graceMs`. */
  halt(workerId: number, graceMs: number): Promise<void>;
  /** The current state of these workers' containers; a worker without one is left out. */
  observe(workerIds: number[]): Promise<Map<number, ContainerObservation>>;
  /** The command that follows the worker's output from `since` (ISO time) into its log. */
  logCommand(workerId: number, since: string): Promise<{ file: string; args: string[] } | null>;
  /** Removes every container (or service) of this run: at the end, nothing is left. */
  removeAll(): Promise<void>;
}

export interface ContainerRuntimeOptions {
  resultsDir: string;
  /** Environment of the docker client (PATH, DOCKER_HOST, …). */
  env: NodeJS.ProcessEnv;
  /** How often the engine is polled to notice exits. */
  pollMs?: number;
  defaultGraceMs?: number;
}

/** How long past the grace a stop may take (the engine's own latency) before it is given up. */
const STOP_SLACK_MS = 15_000;
/** The log follower gets this long to flush the last lines after its container stopped. */
const LOG_FLUSH_MS = 2_000;

// With `init: true` (tini), a worker killed by a signal exits 128+n; report it like a local kill.
function toExit(observation: ContainerObservation | undefined): WorkerExit {
  if (!observation)
    return { code: null, signal: null, detail: 'its container is gone (removed outside the run)' };
  const detail = observation.detail;
  if (observation.exitCode === 137) return { code: null, signal: 'SIGKILL', detail };
  if (observation.exitCode === 143) return { code: null, signal: 'SIGTERM', detail };
  return { code: observation.exitCode, signal: null, detail };
}

/**
 * A Runtime over a container engine: the backend starts and stops containers; this side keeps
 * which workers run, notices exits by polling (containers are not child processes), follows their
 * output into results/logs/worker_N.log and reports container states for the views.
 */
export function createContainerRuntime(backend: ContainerBackend, options: ContainerRuntimeOptions): Runtime {
  const pollMs = options.pollMs ?? 1_000;
  const defaultGraceMs = options.defaultGraceMs ?? 10_000;
  const running = new Set<number>();
  const stopping = new Map<number, Promise<void>>();
  const loggers = new Map<number, ResultPromise>();
  const retiring = new Set<ResultPromise>();
  const generation = new Map<number, number>();
  const listeners = new Set<ExitListener>();
  const containerListeners = new Set<ContainerListener>();
  const lastSeen = new Map<number, string>();
  let prepared: Promise<string | null> | null = null;
  const noted = new Set<number>();
  let pollTimer: NodeJS.Timeout | null = null;
  let polling: Promise<void> | null = null;
  let disposed = false;

  const logFile = (workerId: number) => workerLogFile(options.resultsDir, workerId);
  // What the supervisor itself has to say about a worker's container goes into the worker's log,
  // so the dashboard's log pane shows why a start failed.
  const note = (workerId: number, line: string) => {
    try {
      mkdirSync(path.dirname(logFile(workerId)), { recursive: true });
      appendFileSync(logFile(workerId), `[supervisor] ${line}\n`);
    } catch {
      // the log is best effort; the failure also reaches the run's state
    }
  };

  const call = <T>(listenersSet: Set<T>, invoke: (listener: T) => void) => {
    for (const listener of listenersSet) {
      try {
        invoke(listener);
      } catch {
        // keep polling whatever a listener does
      }
    }
  };

  const publish = (workerId: number, observation: ContainerView) => {
    const key = `${observation.name}\0${observation.state}`;
    if (lastSeen.get(workerId) === key) return;
    lastSeen.set(workerId, key);
    call(containerListeners, (listener) =>
      listener(workerId, { name: observation.name, state: observation.state }),
    );
  };

  const poll = () => {
    polling ??= (async () => {
      try {
        if (running.size === 0) return;
        // An observation taken before a (re)start must not judge the new container: compare generations.
        const asked = new Map([...running].map((id) => [id, generation.get(id) ?? 0]));
        const current = await backend.observe([...asked.keys()]);
        for (const [id, gen] of asked) {
          if (!running.has(id) || generation.get(id) !== gen) continue;
          const observation = current.get(id);
          if (observation) publish(id, observation);
          if (observation?.running) continue;
          running.delete(id);
          retireLogger(id);
          const exit = toExit(observation);
          if (exit.detail) note(id, `${observation?.name ?? `worker ${id}`}: ${exit.detail}`);
          call(listeners, (listener) => listener(id, exit));
        }
      } catch {
        // a failed poll (engine hiccup) is retried at the next tick
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
    const command = await backend.logCommand(workerId, since);
    if (!command) return;
    const log = logFile(workerId);
    mkdirSync(path.dirname(log), { recursive: true });
    retireLogger(workerId);
    const follower = execa(command.file, command.args, {
      env: options.env,
      reject: false,
      stdin: 'ignore',
      stdout: { file: log, append: true },
      stderr: { file: log, append: true },
      cleanup: true,
    });
    loggers.set(workerId, follower);
  };

  const runtime: Runtime = {
    kind: backend.kind,
    logFile,
    isRunning: (workerId) => running.has(workerId),

    async start(workerId) {
      if (running.has(workerId)) return { pid: null };
      prepared ??= backend.prepare();
      try {
        const notice = await prepared;
        if (notice && !noted.has(workerId)) note(workerId, notice);
        noted.add(workerId);
        const since = new Date().toISOString();
        generation.set(workerId, (generation.get(workerId) ?? 0) + 1);
        await backend.launch(workerId);
        running.add(workerId);
        await followLogs(workerId, since);
      } catch (error) {
        note(workerId, `${backend.kind}: ${(error as Error).message}`);
        throw error;
      }
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
          await backend.halt(workerId, graceMs);
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
          note(workerId, `worker-${workerId} did not stop: ${failure?.message ?? 'still running'}`);
          call(listeners, (listener) =>
            listener(workerId, { code: null, signal: null, detail: 'did not stop' }),
          );
        }
        stopping.delete(workerId);
      })();
      stopping.set(workerId, promise);
      return promise;
    },

    async restart(workerId) {
      await runtime.stop(workerId, { graceMs: defaultGraceMs });
      await runtime.start(workerId);
    },

    async stopAll(graceMs) {
      await Promise.all([...running].map((id) => runtime.stop(id, { graceMs })));
    },

    onExit(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    onContainerState(listener) {
      containerListeners.add(listener);
      return () => containerListeners.delete(listener);
    },

    async dispose() {
      disposed = true;
      if (pollTimer) clearTimeout(pollTimer);
      for (const id of [...loggers.keys()]) retireLogger(id);
      await Promise.allSettled([...retiring]);
      // Only once the run prepared (and so may have created something) is there anything to remove.
      if (prepared) {
        await backend.removeAll().catch((error: Error) => {
          for (const id of generation.keys()) note(id, `removing the run's containers: ${error.message}`);
        });
        for (const id of generation.keys()) publish(id, { name: lastName(id), state: 'removed' });
      }
      listeners.clear();
      containerListeners.clear();
    },
  };

  const lastName = (workerId: number) => lastSeen.get(workerId)?.split('\0')[0] ?? `worker-${workerId}`;
  return runtime;
}
