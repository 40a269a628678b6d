import type { DashboardState, ProcessState, WorkerStatus, WorkerView } from '../shared/index.js';
import type { SupervisorEvent } from './events.js';
import { decideOnExit, isStalled, type RestartPolicy } from './restart-policy.js';
import type { Runtime, WorkerExit } from './runtime/types.js';

/** Process states after which a worker needs nothing more from the supervisor. */
export const FINAL_PROCESS: ReadonlySet<ProcessState> = new Set(['done', 'failed', 'stopped']);

export interface WorkerSlotsOptions {
  runtime: Runtime;
  /** The run's state (the reducer's, the only record of processes, restarts and exits) and its events. */
  state: () => DashboardState;
  dispatch: (event: SupervisorEvent) => void;
  policy: RestartPolicy;
  graceMs: number;
  now: () => number;
  random: () => number;
  /** The worker's status file as it is now: at an exit the watcher may not have delivered the last one. */
  readStatus: (workerId: number) => Promise<WorkerStatus | null>;
  /** After every change of a worker's process (for the supervisor status file). */
  onChange: () => void;
  /** After a worker's process reached a final state (the run may be over). */
  onSettled: () => void;
}

/**
 * The worker processes of a run: launches them, reads each exit through the restart policy
 * (restart with backoff, give up, or finished), stops the stalled, carries out restarts asked for.
 * Knows workers by id only, not their jobs, so workers can be added or given work while running.
 */
export interface WorkerSlots {
  /** Launches a worker (the first time, or again). */
  launch(workerId: number): Promise<void>;
  /** Restarts a worker now: a running one is stopped first, one in backoff skips its wait. */
  restart(workerId: number): Promise<string>;
  /** Stops workers silent longer than the stall limit; they are restarted by the policy. */
  checkStalls(): void;
  /** A graceful stop of every worker: SIGTERM, SIGKILL after `graceMs`; waiting restarts are cancelled. */
  stopAll(graceMs: number): Promise<void>;
  /** Whether every worker is done, failed or stopped. */
  allFinal(): boolean;
  /** Waits for the exits being handled. */
  settle(): Promise<void>;
  /** Cancels waiting restarts and stops listening to exits. */
  dispose(): void;
}

type Intent = 'restart' | 'stall';

/** Creates the slots of a run; exits are heard from the runtime from now on. */
export function createWorkerSlots(options: WorkerSlotsOptions): WorkerSlots {
  const { runtime, dispatch, policy, now } = options;
  // Handles, not state: a backoff timer per worker, and why the supervisor is ending a process
  // (read back when its exit arrives).
  const timers = new Map<number, NodeJS.Timeout>();
  const intents = new Map<number, Intent>();
  const exitTasks = new Set<Promise<void>>();

  const view = (workerId: number): WorkerView | undefined =>
    options.state().workers.find((w) => w.workerId === workerId);
  const stopReason = () => options.state().stopRequested ?? null;

  const clearTimer = (workerId: number) => {
    const timer = timers.get(workerId);
    if (timer) clearTimeout(timer);
    timers.delete(workerId);
  };

  const launch = async (workerId: number): Promise<void> => {
    clearTimer(workerId);
    if (stopReason() !== null) {
      dispatch({ type: 'worker-stopped', workerId, at: now(), reason: null });
      options.onSettled();
      return;
    }
    const at = now();
    // Running from now on, so neither a command nor the stall check launches it twice meanwhile.
    dispatch({ type: 'process-started', workerId, pid: null, at });
    try {
      const { pid } = await runtime.start(workerId);
      if (pid !== null) dispatch({ type: 'process-started', workerId, pid, at });
    } catch (error) {
      const message = (error as Error).message;
      dispatch({ type: 'file-problem', message: `worker ${workerId}: start failed: ${message}` });
      track(workerId, { code: null, signal: null }, `start failed: ${message}`);
    }
    options.onChange();
  };

  const onExit = async (workerId: number, exit: WorkerExit, failure?: string): Promise<void> => {
    const before = view(workerId);
    if (!before) return;
    const at = now();
    const uptimeMs = before.processStartedAt == null ? 0 : at - before.processStartedAt;
    dispatch({ type: 'process-exited', workerId, code: exit.code, signal: exit.signal, at });
    // The watcher may not have delivered the final status yet; the reducer drops one already seen.
    const status = await options.readStatus(workerId);
    if (status) dispatch({ type: 'status', workerId, status });
    const worker = view(workerId) ?? before;
    const intent = intents.get(workerId);
    intents.delete(workerId);
    const stopping = stopReason();

    if (stopping !== null) {
      if (exit.code === 0 && worker.state === 'done') dispatch({ type: 'worker-finished', workerId, at });
      else dispatch({ type: 'worker-stopped', workerId, at, reason: stopping });
    } else if (intent === 'restart') {
      dispatch({ type: 'worker-relaunching', workerId, at, reason: 'restart requested' });
      void launch(workerId);
    } else {
      const stalled = intent === 'stall';
      const decision = decideOnExit(
        {
          code: failure ? null : exit.code,
          signal: exit.signal,
          workerState: stalled ? null : worker.state,
          stopRequested: false,
          consecutiveRestarts: worker.consecutiveRestarts ?? 0,
          uptimeMs,
          madeProgress: (worker.progressThisProcess ?? 0) > 0,
          // The runtime's cause (a start that failed, a container killed for memory) goes into the reason.
          cause: failure ?? exit.detail ?? null,
        },
        policy,
        options.random,
      );
      const why = stalled
        ? `stalled: no heartbeat for ${Math.round(policy.stallAfterMs / 1000)} s`
        : decision.reason;
      if (decision.action === 'none') {
        dispatch({ type: 'worker-finished', workerId, at });
      } else if (decision.action === 'restart') {
        dispatch({
          type: 'restart-scheduled',
          workerId,
          attempt: decision.attempt,
          at,
          delayMs: decision.delayMs,
          reason: why,
        });
        timers.set(
          workerId,
          setTimeout(() => void launch(workerId), decision.delayMs),
        );
      } else {
        // The policy words the last exit and its cause; a stall says more than `killed by SIGTERM`.
        const reason = stalled ? decision.reason.replace(/: [^:]*$/, () => `: ${why}`) : decision.reason;
        dispatch({ type: 'worker-failed', workerId, at, reason });
      }
    }
    options.onChange();
    options.onSettled();
  };

  const track = (workerId: number, exit: WorkerExit, failure?: string) => {
    const task = onExit(workerId, exit, failure).finally(() => exitTasks.delete(task));
    exitTasks.add(task);
  };
  const unsubscribe = runtime.onExit((workerId, exit) => track(workerId, exit));
  runtime.onContainerState?.((workerId, container) => dispatch({ type: 'container', workerId, container }));

  const stopProcess = (workerId: number, graceMs: number) =>
    runtime.stop(workerId, { graceMs }).catch((error: Error) => {
      dispatch({ type: 'file-problem', message: `worker ${workerId}: stop failed: ${error.message}` });
    });

  return {
    launch,

    async restart(workerId) {
      const worker = view(workerId);
      if (!worker) throw new Error(`no worker ${workerId} in this run`);
      dispatch({ type: 'restart-requested', workerId, at: now() });
      if (worker.process === 'running') {
        if (!intents.has(workerId)) intents.set(workerId, 'restart');
        await stopProcess(workerId, options.graceMs);
        return `worker ${workerId}: restarting`;
      }
      await launch(workerId);
      return `worker ${workerId}: restarted`;
    },

    checkStalls() {
      if (stopReason() !== null) return;
      const t = now();
      for (const w of options.state().workers) {
        if (w.process !== 'running' || intents.has(w.workerId) || w.processStartedAt == null) continue;
        if (!isStalled(w.heartbeatAt, w.processStartedAt, t, policy)) continue;
        intents.set(w.workerId, 'stall');
        dispatch({ type: 'worker-stalled', workerId: w.workerId, at: t });
        void stopProcess(w.workerId, options.graceMs);
      }
    },

    async stopAll(graceMs) {
      for (const w of options.state().workers) {
        clearTimer(w.workerId);
        if (w.process === 'backoff' || w.process === 'pending') {
          dispatch({ type: 'worker-stopped', workerId: w.workerId, at: now(), reason: null });
        }
      }
      options.onChange();
      await runtime.stopAll(graceMs).catch((error: Error) => {
        dispatch({ type: 'file-problem', message: `stopping the workers: ${error.message}` });
      });
      await Promise.allSettled([...exitTasks]);
    },

    allFinal: () => options.state().workers.every((w) => FINAL_PROCESS.has(w.process)),

    async settle() {
      await Promise.allSettled([...exitTasks]);
    },

    dispose() {
      for (const workerId of [...timers.keys()]) clearTimer(workerId);
      unsubscribe();
    },
  };
}
