import path from 'node:path';
import {
  type DataSettings,
  type HttpMirrorInfo,
  type PaperReport,
  type PaperTraderStatus,
  type ProcessState,
  paperReportFile,
  type RuntimeKind,
  readJsonTolerant,
  SCHEMA_VERSION,
  type StateStore,
  type SupervisorCommand,
  type SupervisorStatus,
  supervisorStatusFile,
  type WorkerStatus,
  WorkerStatusSchema,
  type WorkerSummary,
  workerConfigFile,
  workerStatusFile,
  writeJsonAtomic,
} from '../shared/index.js';
import { describeCommand, watchCommands } from './command-files.js';
import type { SupervisorEvent } from './events.js';
import { tailLogs } from './log-tail.js';
import type { PaperPlan, PaperPlanOptions } from './paper-plan.js';
import { preparePaperRun } from './paper-run-files.js';
import { initialState } from './reducer.js';
import { DEFAULT_RESTART_POLICY, decideOnExit, isStalled, type RestartPolicy } from './restart-policy.js';
import type { RunDeps } from './run.js';
import { createRuntime, preflightContainerRuntime } from './runtime/create-runtime.js';
import type { Runtime, WorkerExit } from './runtime/types.js';
import { createStore, VIEW_BATCH_MS } from './store.js';
import { watchResults } from './watcher.js';

export interface PaperRunOptions extends PaperPlanOptions {
  runtime: RuntimeKind;
  /** Start over: remove the folder's paper run (its ledgers included). */
  fresh: boolean;
  /** The run's models folder (mounted into containers with the docker runtime). */
  modelsDir: string;
  /** Candle cache (mounted into containers). */
  cacheDir: string;
  restartPolicy?: Partial<RestartPolicy>;
  heartbeatCheckMs?: number;
  stopGraceMs?: number;
  usePolling?: boolean;
}

export interface PaperRunHandle {
  plan: PaperPlan;
  /** True when the folder's paper run was resumed (its traders continue their ledgers). */
  resumed: boolean;
  store: StateStore;
  send(command: SupervisorCommand): Promise<string>;
  stop(reason?: string): Promise<void>;
  /** What the views show about the HTTP mirror (set by the command that started it). */
  setHttpMirror(info: HttpMirrorInfo): void;
  /** Exit code 0 when no trader failed (replays finished, or stopped on request), else 1. */
  done: Promise<{ exitCode: 0 | 1; report: PaperReport }>;
}

interface Slot {
  workerId: number;
  pairs: string[];
  process: ProcessState;
  pid: number | null;
  startedAtMs: number | null;
  restarts: number;
  consecutive: number;
  nextRestartAt: number | null;
  timer: NodeJS.Timeout | null;
  stalled: boolean;
  expecting: null | 'restart' | 'stall';
  lastExit: { code: number | null; signal: string | null; at: string } | null;
  exits: WorkerSummary['exits'];
  seconds: number;
  status: WorkerStatus | null;
}

const FINAL: ReadonlySet<ProcessState> = new Set(['done', 'failed', 'stopped']);
const SUPERVISOR_HEARTBEAT_MS = 2_000;

/** Whether a paper run's answer to a command is a refusal (its answers are sentences that say why). */
function refused(message: string): boolean {
  return / ignored: |^no worker |^no failed worker/.test(message);
}

/**
 * Runs paper traders as workers of the supervisor: the plan makes one paper job per pair; workers
 * start through the same runtimes (local processes, Docker Compose), are restarted by the same
 * policy when they crash or stall, write the same status files, and feed the same store the
 * dashboard, the headless reporter and the HTTP mirror render. A restarted worker's traders
 * continue their ledgers. Ends when every worker has ended (replays finish; live trading runs
 * until stopped), with paper_report.json.
 */
// The process supervision below follows supervisor/run.ts (launch, exits, backoff, stalls,
// commands); it moves onto the shared worker-slot module once that split lands on main.
export async function startPaperRun(options: PaperRunOptions, deps: RunDeps = {}): Promise<PaperRunHandle> {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const policy: RestartPolicy = { ...DEFAULT_RESTART_POLICY, ...options.restartPolicy };
  const graceMs = options.stopGraceMs ?? 10_000;
  const resultsDir = path.resolve(options.resultsDir);
  const startedAt = new Date(now());
  const workerIds = Array.from({ length: Math.min(options.workers, options.pairs.length) }, (_, i) => i + 1);
  // A container runtime that cannot run here fails before anything is planned or written.
  const containerChecks =
    options.runtime !== 'local' && !deps.runtime
      ? await preflightContainerRuntime(options.runtime, workerIds, deps.docker)
      : null;
  const { plan, resumed } = await preparePaperRun({ ...options, resultsDir }, options.fresh, startedAt);
  for (const worker of plan.workers) {
    await writeJsonAtomic(workerConfigFile(resultsDir, worker.workerId), worker.config);
  }
  const replayDir = options.feed.mode === 'replay' ? path.resolve(options.feed.dir) : null;
  // The runtimes mount candles as a training run's data settings say: a replay reads its folder,
  // live trading downloads from Yahoo (the only case that needs a network).
  const data: DataSettings = {
    source: replayDir ? 'data-dir' : 'yahoo',
    days: 1,
    interval: '1h',
    cacheDir: path.resolve(options.cacheDir),
    dataDir: replayDir,
    refresh: false,
  };
  const runtime: Runtime =
    deps.runtime ??
    createRuntime({
      kind: options.runtime,
      runId: plan.runId,
      resultsDir,
      modelsDir: path.resolve(options.modelsDir),
      data,
      workerIds: plan.workers.map((w) => w.workerId),
      graceMs,
      workerEntry: deps.workerEntry,
      workerEnv: deps.workerEnv,
      docker: { ...deps.docker, ...containerChecks },
    });

  const store = createStore(initialState({ mode: 'run', resultsDir, now: now() }), {
    batchMs: deps.batchMs ?? VIEW_BATCH_MS,
  });
  const dispatch = (event: SupervisorEvent) => {
    try {
      store.dispatch(event);
    } catch (error) {
      process.emitWarning(`reducer failed on ${event.type}: ${(error as Error).message}`);
    }
  };
  const slots = new Map<number, Slot>(
    plan.workers.map((w) => [
      w.workerId,
      {
        workerId: w.workerId,
        pairs: w.pairs,
        process: 'pending',
        pid: null,
        startedAtMs: null,
        restarts: 0,
        consecutive: 0,
        nextRestartAt: null,
        timer: null,
        stalled: false,
        expecting: null,
        lastExit: null,
        exits: [],
        seconds: 0,
        status: null,
      },
    ]),
  );
  let stopping = false;
  let stopReason: string | null = null;
  let finishing: Promise<void> | null = null;

  dispatch({
    type: 'run-started',
    runId: plan.runId,
    runtime: options.runtime,
    at: startedAt.getTime(),
    workerIds: plan.workers.map((w) => w.workerId),
  });
  for (const w of plan.workers) dispatch({ type: 'config', workerId: w.workerId, config: w.config });

  // ---------------------------------------------------------------- supervisor_status.json
  let statusWrite: Promise<void> = Promise.resolve();
  const supervisorStatus = (finished: boolean): SupervisorStatus => ({
    schema: SCHEMA_VERSION,
    runId: plan.runId,
    pid: process.pid,
    runtime: options.runtime,
    startedAt: startedAt.toISOString(),
    heartbeatAt: new Date(now()).toISOString(),
    finished,
    workers: [...slots.values()].map((s) => ({
      workerId: s.workerId,
      process: s.process,
      pid: s.pid,
      restarts: s.restarts,
      nextRestartAt: s.nextRestartAt === null ? null : new Date(s.nextRestartAt).toISOString(),
      stalled: s.stalled,
      lastExit: s.lastExit,
      logFile: runtime.logFile(s.workerId),
    })),
  });
  const writeStatus = (finished = false) => {
    statusWrite = statusWrite
      .then(() => writeJsonAtomic(supervisorStatusFile(resultsDir), supervisorStatus(finished)))
      .catch((error: Error) =>
        dispatch({ type: 'file-problem', message: `supervisor_status.json: ${error.message}` }),
      );
    return statusWrite;
  };

  // ---------------------------------------------------------------- watching
  const watcher = watchResults(
    resultsDir,
    (event) => {
      if (event.type === 'status' && event.status.runId === plan.runId) {
        const slot = slots.get(event.workerId);
        if (slot) slot.status = event.status;
      }
      dispatch(event);
    },
    { usePolling: options.usePolling },
  );
  const logs = tailLogs(
    new Map(plan.workers.map((w) => [w.workerId, runtime.logFile(w.workerId)])),
    dispatch,
  );
  const commands = watchCommands(
    resultsDir,
    (command) => execute(command).then((message) => ({ ok: !refused(message), message })),
    (message) => dispatch({ type: 'file-problem', message }),
    { usePolling: options.usePolling },
  );
  await Promise.all([watcher.ready, commands.ready]);

  // ---------------------------------------------------------------- processes
  const launch = async (slot: Slot) => {
    if (stopping) {
      slot.process = 'stopped';
      checkFinished();
      return;
    }
    slot.process = 'running';
    slot.stalled = false;
    slot.nextRestartAt = null;
    slot.startedAtMs = now();
    try {
      const { pid } = await runtime.start(slot.workerId);
      slot.pid = pid;
      dispatch({ type: 'process-started', workerId: slot.workerId, pid, at: slot.startedAtMs });
    } catch (error) {
      dispatch({
        type: 'file-problem',
        message: `worker ${slot.workerId}: start failed: ${(error as Error).message}`,
      });
      exitChain(slot.workerId, { code: null, signal: null }, `start failed: ${(error as Error).message}`);
    }
    void writeStatus();
  };

  const exitTasks = new Set<Promise<void>>();
  const exitChain = (workerId: number, exit: WorkerExit, failure?: string) => {
    const task = onExit(workerId, exit, failure).finally(() => exitTasks.delete(task));
    exitTasks.add(task);
  };

  const onExit = async (workerId: number, exit: WorkerExit, failure?: string) => {
    const slot = slots.get(workerId);
    if (!slot) return;
    const at = now();
    const uptimeMs = slot.startedAtMs === null ? 0 : at - slot.startedAtMs;
    slot.seconds += uptimeMs / 1000;
    slot.pid = null;
    slot.lastExit = { code: exit.code, signal: exit.signal, at: new Date(at).toISOString() };
    dispatch({ type: 'process-exited', workerId, code: exit.code, signal: exit.signal, at });
    const read = await readJsonTolerant(workerStatusFile(resultsDir, workerId), WorkerStatusSchema);
    const fresh = read.ok && read.value.runId === plan.runId ? read.value : null;
    if (fresh) {
      slot.status = fresh;
      dispatch({ type: 'status', workerId, status: fresh });
    }
    const workerState = slot.status?.state ?? null;
    const record = (reason: string) => slot.exits.push({ ...slot.lastExit!, reason });
    if (stopping) {
      slot.process = exit.code === 0 && workerState === 'done' ? 'done' : 'stopped';
      record(slot.process === 'done' ? 'finished' : `stopped: ${stopReason ?? 'requested'}`);
      if (slot.process === 'stopped') dispatch({ type: 'worker-stopped', workerId, at });
    } else if (slot.expecting === 'restart') {
      slot.expecting = null;
      record('restart requested');
      slot.restarts++;
      slot.consecutive = 0;
      void launch(slot);
    } else {
      const stalled = slot.expecting === 'stall';
      slot.expecting = null;
      const decision = decideOnExit(
        {
          code: failure ? null : exit.code,
          signal: exit.signal,
          workerState: stalled ? null : workerState,
          stopRequested: false,
          consecutiveRestarts: slot.consecutive,
          uptimeMs,
        },
        policy,
        random,
      );
      const why = stalled
        ? `stalled: no heartbeat for ${Math.round(policy.stallAfterMs / 1000)} s`
        : (failure ?? decision.reason);
      if (decision.action === 'none') {
        slot.process = 'done';
        record('finished');
      } else if (decision.action === 'restart') {
        record(why);
        slot.process = 'backoff';
        slot.restarts++;
        slot.consecutive = decision.attempt;
        slot.nextRestartAt = at + decision.delayMs;
        dispatch({
          type: 'restart-scheduled',
          workerId,
          attempt: decision.attempt,
          at,
          delayMs: decision.delayMs,
          reason: why,
        });
        slot.timer = setTimeout(() => {
          slot.timer = null;
          void launch(slot);
        }, decision.delayMs);
      } else {
        const reason = stalled ? decision.reason.replace(/: [^:]*$/, `: ${why}`) : decision.reason;
        record(reason);
        slot.process = 'failed';
        dispatch({ type: 'worker-failed', workerId, at, reason });
      }
    }
    void writeStatus();
    checkFinished();
  };
  const unsubscribe = runtime.onExit((workerId, exit) => exitChain(workerId, exit));

  const heartbeatTimer = setInterval(() => {
    const t = now();
    dispatch({ type: 'tick', now: t });
    if (stopping) return;
    for (const slot of slots.values()) {
      if (slot.process !== 'running' || slot.expecting || slot.startedAtMs === null) continue;
      const beat = slot.status ? Date.parse(slot.status.heartbeatAt) : Number.NaN;
      if (!isStalled(Number.isFinite(beat) ? beat : null, slot.startedAtMs, t, policy)) continue;
      slot.stalled = true;
      slot.expecting = 'stall';
      dispatch({ type: 'worker-stalled', workerId: slot.workerId, at: t });
      runtime.stop(slot.workerId, { graceMs }).catch((error: Error) => {
        dispatch({ type: 'file-problem', message: `worker ${slot.workerId}: stop failed: ${error.message}` });
      });
    }
  }, options.heartbeatCheckMs ?? 1_000);
  const statusTimer = setInterval(() => void writeStatus(), SUPERVISOR_HEARTBEAT_MS);
  const rescanTimer = setInterval(() => void watcher.rescan(), 5_000);

  // ---------------------------------------------------------------- commands
  const restartWorker = async (slot: Slot): Promise<string> => {
    dispatch({ type: 'restart-requested', workerId: slot.workerId, at: now() });
    if (slot.process === 'running') {
      if (!slot.expecting) slot.expecting = 'restart';
      await runtime.stop(slot.workerId, { graceMs });
      return `worker ${slot.workerId}: restarting`;
    }
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.restarts++;
    slot.consecutive = 0;
    await launch(slot);
    return `worker ${slot.workerId}: restarted`;
  };

  async function execute(command: SupervisorCommand): Promise<string> {
    if (finishing || stopping) return `${describeCommand(command)} ignored: the run is ending`;
    switch (command.type) {
      case 'restart': {
        const slot = slots.get(command.workerId);
        if (!slot) return `no worker ${command.workerId} in this run (workers 1–${slots.size})`;
        return restartWorker(slot);
      }
      case 'restart-failed': {
        const failed = [...slots.values()].filter((s) => s.process === 'failed');
        if (failed.length === 0) return 'no failed worker to restart';
        return (await Promise.all(failed.map(restartWorker))).join('; ');
      }
      case 'stop':
        void stop('stop command');
        return 'stopping the run';
    }
  }

  // ---------------------------------------------------------------- the end
  let resolveDone!: (value: { exitCode: 0 | 1; report: PaperReport }) => void;
  let rejectDone!: (error: unknown) => void;
  const done = new Promise<{ exitCode: 0 | 1; report: PaperReport }>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  const stopAllQuietly = () =>
    runtime.stopAll(graceMs).catch((error: Error) => {
      dispatch({ type: 'file-problem', message: `stopping the workers: ${error.message}` });
    });

  function checkFinished() {
    if (finishing) return;
    if (![...slots.values()].every((s) => FINAL.has(s.process))) return;
    finishing = finish().catch((error) => rejectDone(error));
  }

  const finish = async () => {
    clearInterval(heartbeatTimer);
    clearInterval(statusTimer);
    clearInterval(rescanTimer);
    for (const slot of slots.values()) if (slot.timer) clearTimeout(slot.timer);
    await stopAllQuietly();
    await Promise.allSettled([...exitTasks]);
    unsubscribe();
    await commands.close();
    await watcher.rescan();
    await watcher.close();
    await logs.poll();
    await logs.close();
    await runtime.dispose();
    const finishedAt = new Date(now());
    const traders: PaperTraderStatus[] = [...slots.values()].flatMap((s) => s.status?.paper ?? []);
    const failures: PaperReport['failures'] = [
      ...[...slots.values()].flatMap((s) =>
        (s.status?.paper ?? [])
          .filter((t) => t.state === 'failed')
          .map((t) => ({ workerId: s.workerId, pair: t.pair, reason: t.error ?? 'failed' })),
      ),
      ...[...slots.values()]
        .filter((s) => s.process === 'failed')
        .map((s) => ({ workerId: s.workerId, pair: null, reason: s.exits.at(-1)?.reason ?? 'failed' })),
    ];
    const report: PaperReport = {
      schema: SCHEMA_VERSION,
      runId: plan.runId,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      seconds: Math.max(0, (finishedAt.getTime() - startedAt.getTime()) / 1000),
      outcome: failures.length > 0 ? 'completed-with-failures' : stopping ? 'stopped' : 'completed',
      feed: options.feed,
      feeRate: options.feeRate,
      initialCash: options.initialCash,
      traders,
      workers: [...slots.values()].map((s) => ({
        workerId: s.workerId,
        pairs: s.pairs,
        state: s.process,
        jobsDone: s.status?.jobsDone ?? 0,
        jobsFailed: s.status?.jobsFailed ?? 0,
        jobsTotal: s.pairs.length,
        restarts: s.restarts,
        exits: s.exits,
        seconds: Math.round(s.seconds * 10) / 10,
        logFile: runtime.logFile(s.workerId),
      })),
      failures,
      runtime: options.runtime,
    };
    await writeJsonAtomic(paperReportFile(resultsDir), report);
    dispatch({ type: 'run-finished', at: finishedAt.getTime() });
    await writeStatus(true);
    store.flush();
    resolveDone({ exitCode: failures.length > 0 ? 1 : 0, report });
  };

  let stopPromise: Promise<void> | null = null;
  const stop = (reason = 'stop requested'): Promise<void> => {
    stopPromise ??= (async () => {
      if (finishing) {
        await done.catch(() => {});
        return;
      }
      stopping = true;
      stopReason = reason;
      for (const slot of slots.values()) {
        if (slot.timer) clearTimeout(slot.timer);
        slot.timer = null;
        if (slot.process === 'backoff' || slot.process === 'pending') {
          slot.process = 'stopped';
          slot.nextRestartAt = null;
          dispatch({ type: 'worker-stopped', workerId: slot.workerId, at: now() });
        }
      }
      await stopAllQuietly();
      await Promise.allSettled([...exitTasks]);
      checkFinished();
      await done.catch(() => {});
    })();
    return stopPromise;
  };

  for (const slot of slots.values()) await launch(slot);
  void writeStatus();
  const setHttpMirror = (info: HttpMirrorInfo) => dispatch({ type: 'http-mirror', ...info });
  return { plan, resumed, store, send: execute, stop, setHttpMirror, done };
}
