import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  aggregatedResultsFile,
  type DataSettings,
  type EnsembleResults,
  type EnvironmentSettings,
  ensembleResultsFile,
  type HttpMirrorInfo,
  InputError,
  type JobResult,
  type ProcessState,
  type RuntimeKind,
  readJsonTolerant,
  SCHEMA_VERSION,
  type StateStore,
  type SupervisorCommand,
  type SupervisorStatus,
  supervisorStatusFile,
  type TrainingReport,
  trainingReportFile,
  type WorkerResults,
  WorkerResultsSchema,
  type WorkerStatus,
  WorkerStatusSchema,
  type WorkerSummary,
  workerConfigFile,
  workerResultsFile,
  workerStatusFile,
  writeJsonAtomic,
} from '../shared/index.js';
import { aggregateResults } from './aggregate.js';
import { describeCommand, watchCommands } from './command-files.js';
import type { SupervisorEvent } from './events.js';
import { tailLogs } from './log-tail.js';
import { type PlanOptions, planFingerprint, planRun, type RunPlan } from './plan.js';
import { initialState } from './reducer.js';
import { buildReport } from './report.js';
import { DEFAULT_RESTART_POLICY, decideOnExit, isStalled, type RestartPolicy } from './restart-policy.js';
import {
  clearRun,
  differentRunMessage,
  holdsWorkerFiles,
  readRunFile,
  unknownRunMessage,
  writeRunFile,
} from './run-files.js';
import { type ContainerDeps, createRuntime, preflightContainerRuntime } from './runtime/create-runtime.js';
import type { Runtime, WorkerCommand, WorkerExit } from './runtime/types.js';
import { createStore } from './store.js';
import { watchResults } from './watcher.js';

export interface RunOptions extends PlanOptions {
  runtime: RuntimeKind;
  /** Start over: clear results/ and the run's models first. */
  fresh: boolean;
  restartPolicy?: Partial<RestartPolicy>;
  /** How often heartbeats are checked for stalls (ms). */
  heartbeatCheckMs?: number;
  /** Grace between SIGTERM and SIGKILL when stopping a worker (ms). */
  stopGraceMs?: number;
  /** chokidar polling, for network or VM mounts. */
  usePolling?: boolean;
}

export interface RunDeps {
  runtime?: Runtime;
  now?: () => number;
  random?: () => number;
  /** The worker command (tests: fake workers). */
  workerEntry?: WorkerCommand;
  /** Extra environment for local workers. */
  workerEnv?: Record<string, string>;
  /** Docker and Swarm runtimes: skip compose detection, poll interval, client environment. */
  docker?: ContainerDeps;
  /** Store batching (ms). */
  batchMs?: number;
  /**
   * Runs after every job ended and before the report: builds each pair's ensemble of the run's
   * models (injected by the CLI, which may use worker code; supervisor/ may not).
   */
  buildEnsembles?: (run: AfterJobs) => Promise<EnsembleResults>;
}

/** What the step after the jobs gets: the run's finished jobs and where its models and candles are. */
export interface AfterJobs {
  runId: string;
  jobs: JobResult[];
  modelsDir: string;
  data: DataSettings;
  environment: EnvironmentSettings;
}

export interface RunHandle {
  plan: RunPlan;
  /** True when an earlier run of the same plan was resumed. */
  resumed: boolean;
  store: StateStore;
  send(command: SupervisorCommand): Promise<string>;
  /** Tells the views where the HTTP mirror runs, or why it does not. */
  setHttpMirror(info: HttpMirrorInfo): void;
  stop(reason?: string): Promise<void>;
  done: Promise<{ exitCode: 0 | 1; report: TrainingReport }>;
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
  /** Why the supervisor itself is ending the current process. */
  expecting: null | 'restart' | 'stall';
  lastExit: { code: number | null; signal: string | null; at: string } | null;
  exits: WorkerSummary['exits'];
  seconds: number;
  status: WorkerStatus | null;
}

const FINAL: ReadonlySet<ProcessState> = new Set(['done', 'failed', 'stopped']);
const SUPERVISOR_HEARTBEAT_MS = 2_000;

/** Plans the run, checks resume against results/, clears with --fresh: what startRun does first. */
async function prepare(options: RunOptions, now: Date): Promise<{ plan: RunPlan; resumed: boolean }> {
  let plan = planRun(options, now);
  const fingerprint = planFingerprint(plan);
  if (options.fresh) {
    await clearRun(options.resultsDir, options.modelsDir);
  } else {
    const previous = await readRunFile(options.resultsDir);
    if (previous && previous.fingerprint !== fingerprint) {
      throw new InputError(differentRunMessage(options.resultsDir, previous, fingerprint));
    }
    if (previous) {
      plan = planRun({ ...options, runId: previous.runId }, now);
      // The old report would tell attached viewers the run is over; the resumed run writes a new one.
      await fs.rm(trainingReportFile(options.resultsDir), { force: true });
      return { plan, resumed: true };
    }
    if (await holdsWorkerFiles(options.resultsDir)) {
      throw new InputError(unknownRunMessage(options.resultsDir));
    }
  }
  await writeRunFile(options.resultsDir, {
    schema: SCHEMA_VERSION,
    runId: plan.runId,
    fingerprint,
    createdAt: now.toISOString(),
    pairs: plan.options.pairs,
    workers: plan.workers.length,
  });
  return { plan, resumed: false };
}

/**
 * Runs a whole training: plans, resumes or starts fresh, launches the workers, watches their files,
 * restarts them by the policy, executes commands, aggregates, and writes the report at the end.
 */
export async function startRun(options: RunOptions, deps: RunDeps = {}): Promise<RunHandle> {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const policy: RestartPolicy = { ...DEFAULT_RESTART_POLICY, ...options.restartPolicy };
  const graceMs = options.stopGraceMs ?? 10_000;
  const heartbeatCheckMs = options.heartbeatCheckMs ?? 1_000;
  const resultsDir = path.resolve(options.resultsDir);
  // Absolute paths in the configs: workers (and containers, which mount each folder at the same
  // path) may run in another working directory.
  const opts: RunOptions = {
    ...options,
    resultsDir,
    modelsDir: path.resolve(options.modelsDir),
    data: {
      ...options.data,
      cacheDir: path.resolve(options.data.cacheDir),
      dataDir: options.data.dataDir === null ? null : path.resolve(options.data.dataDir),
    },
  };
  const startedAt = new Date(now());

  // A container runtime that cannot run here fails before anything is planned or written.
  const containerChecks =
    opts.runtime !== 'local' && !deps.runtime
      ? await preflightContainerRuntime(
          opts.runtime,
          Array.from({ length: Math.min(opts.workers, opts.pairs.length) }, (_, i) => i + 1),
          deps.docker,
        )
      : null;
  const { plan, resumed } = await prepare(opts, startedAt);
  for (const worker of plan.workers) {
    await writeJsonAtomic(workerConfigFile(resultsDir, worker.workerId), worker.config);
  }

  const runtime: Runtime =
    deps.runtime ??
    createRuntime({
      kind: opts.runtime,
      runId: plan.runId,
      resultsDir,
      modelsDir: opts.modelsDir,
      data: opts.data,
      workerIds: plan.workers.map((w) => w.workerId),
      graceMs,
      workerEntry: deps.workerEntry,
      workerEnv: deps.workerEnv,
      docker: { ...deps.docker, ...containerChecks },
    });

  const store = createStore(initialState({ mode: 'run', resultsDir, now: now() }), {
    batchMs: deps.batchMs ?? 150,
  });
  const dispatch = (event: SupervisorEvent) => {
    try {
      store.dispatch(event);
    } catch (error) {
      // The reducer is pure and tested; should it throw anyway, the run goes on.
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
  const latestResults = new Map<number, WorkerResults>();
  let stopping = false;
  let stopReason: string | null = null;
  let finishing: Promise<void> | null = null;
  let backend: string | null = null;

  dispatch({
    type: 'run-started',
    runId: plan.runId,
    runtime: opts.runtime,
    at: startedAt.getTime(),
    workerIds: plan.workers.map((w) => w.workerId),
  });
  for (const w of plan.workers) dispatch({ type: 'config', workerId: w.workerId, config: w.config });

  // ---------------------------------------------------------------- supervisor_status.json
  let statusWrite: Promise<void> = Promise.resolve();
  let statusQueued = false;
  const supervisorStatus = (finished: boolean): SupervisorStatus => ({
    schema: SCHEMA_VERSION,
    runId: plan.runId,
    pid: process.pid,
    runtime: opts.runtime,
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
    if (statusQueued && !finished) return statusWrite;
    statusQueued = true;
    statusWrite = statusWrite
      .then(() => {
        statusQueued = false;
        return writeJsonAtomic(supervisorStatusFile(resultsDir), supervisorStatus(finished));
      })
      .catch((error: Error) =>
        dispatch({ type: 'file-problem', message: `supervisor_status.json: ${error.message}` }),
      );
    return statusWrite;
  };

  // ---------------------------------------------------------------- aggregation
  let aggregateTimer: NodeJS.Timeout | null = null;
  let aggregateWrite: Promise<void> = Promise.resolve();
  const aggregateNow = () => {
    const aggregated = aggregateResults(
      plan.runId,
      plan.jobsTotal,
      [...latestResults.values()],
      new Date(now()),
    );
    dispatch({ type: 'aggregated', aggregated });
    aggregateWrite = aggregateWrite
      .then(() => writeJsonAtomic(aggregatedResultsFile(resultsDir), aggregated))
      .catch((error: Error) =>
        dispatch({ type: 'file-problem', message: `aggregated_results.json: ${error.message}` }),
      );
    return aggregated;
  };
  const scheduleAggregate = () => {
    if (aggregateTimer || finishing) return;
    aggregateTimer = setTimeout(() => {
      aggregateTimer = null;
      aggregateNow();
    }, 200);
  };

  // ---------------------------------------------------------------- watching
  const onFileEvent = (event: SupervisorEvent) => {
    if (event.type === 'status') {
      const slot = slots.get(event.workerId);
      if (slot && event.status.runId === plan.runId) slot.status = event.status;
      if (event.status.backend && event.status.backend !== 'unknown') backend = event.status.backend;
    }
    if (event.type === 'results') {
      if (event.results.runId !== plan.runId) {
        dispatch({
          type: 'file-problem',
          message: `${workerResultsFile(resultsDir, event.workerId)}: run ${event.results.runId} is not this run (${plan.runId}); ignored`,
        });
        return;
      }
      latestResults.set(event.workerId, event.results);
      scheduleAggregate();
    }
    dispatch(event);
  };
  const watcher = watchResults(resultsDir, onFileEvent, { usePolling: opts.usePolling });
  const logs = tailLogs(
    new Map(plan.workers.map((w) => [w.workerId, runtime.logFile(w.workerId)])),
    dispatch,
  );
  const send = async (command: SupervisorCommand): Promise<string> => execute(command);
  const commands = watchCommands(
    resultsDir,
    (command) => execute(command),
    (message) => dispatch({ type: 'file-problem', message }),
    { usePolling: opts.usePolling },
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
    // The watcher may not have delivered the final status yet: read it now.
    const read = await readJsonTolerant(workerStatusFile(resultsDir, workerId), WorkerStatusSchema);
    const fresh = read.ok && read.value.runId === plan.runId ? read.value : null;
    // The reducer drops a status it has already seen (same pid and seq), so this cannot go back.
    if (fresh) dispatch({ type: 'status', workerId, status: fresh });
    const status = fresh ?? slot.status;
    const workerState = status ? status.state : null;
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
          cause: failure ?? exit.detail ?? null,
        },
        policy,
        random,
      );
      const why = stalled
        ? `stalled: no heartbeat for ${Math.round(policy.stallAfterMs / 1000)} s`
        : decision.reason;
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
  runtime.onContainerState?.((workerId, container) => dispatch({ type: 'container', workerId, container }));

  // Stall detection and clock ticks.
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
  }, heartbeatCheckMs);
  const statusTimer = setInterval(() => void writeStatus(), SUPERVISOR_HEARTBEAT_MS);
  // chokidar can miss events on some mounts; a slow full rescan is cheap (a few small files).
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
        if (!slot) {
          return `no worker ${command.workerId} in this run (workers 1–${slots.size})`;
        }
        return restartWorker(slot);
      }
      case 'restart-failed': {
        const failed = [...slots.values()].filter((s) => s.process === 'failed');
        if (failed.length === 0) return 'no failed worker to restart';
        const messages = await Promise.all(failed.map(restartWorker));
        return messages.join('; ');
      }
      case 'stop':
        void stop('stop command');
        return 'stopping the run';
    }
  }

  // ---------------------------------------------------------------- the end
  const stopAllQuietly = () =>
    runtime.stopAll(graceMs).catch((error: Error) => {
      dispatch({ type: 'file-problem', message: `stopping the workers: ${error.message}` });
    });

  let resolveDone!: (value: { exitCode: 0 | 1; report: TrainingReport }) => void;
  let rejectDone!: (error: unknown) => void;
  const done = new Promise<{ exitCode: 0 | 1; report: TrainingReport }>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
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
    if (aggregateTimer) clearTimeout(aggregateTimer);
    for (const slot of slots.values()) if (slot.timer) clearTimeout(slot.timer);
    await stopAllQuietly();
    await Promise.allSettled([...exitTasks]);
    unsubscribe();
    await commands.close();
    // The last statuses and results may have landed after the last event chokidar delivered.
    await watcher.rescan();
    await watcher.close();
    await logs.poll();
    await logs.close();
    await runtime.dispose();
    // Read the results files once more: the last job's file may have landed after the last event.
    for (const w of plan.workers) {
      const read = await readJsonTolerant(workerResultsFile(resultsDir, w.workerId), WorkerResultsSchema);
      if (read.ok && read.value.runId === plan.runId) latestResults.set(w.workerId, read.value);
    }
    const aggregated = aggregateNow();
    await aggregateWrite;
    const ensembles = await ensemblesOfRun();
    const finishedAt = new Date(now());
    const workers: WorkerSummary[] = [...slots.values()].map((s) => {
      const results = latestResults.get(s.workerId);
      const jobsDone = results?.jobs.filter((j) => j.status === 'done').length ?? 0;
      return {
        workerId: s.workerId,
        pairs: s.pairs,
        state: s.process,
        jobsDone,
        jobsFailed: (results?.jobs.length ?? 0) - jobsDone,
        jobsTotal: plan.workers.find((w) => w.workerId === s.workerId)?.config.jobs.length ?? 0,
        restarts: s.restarts,
        exits: s.exits,
        seconds: Math.round(s.seconds * 10) / 10,
        logFile: runtime.logFile(s.workerId),
      };
    });
    const report = buildReport({
      plan,
      aggregated,
      workers,
      startedAt,
      finishedAt,
      backend,
      runtime: opts.runtime,
      stopped: stopping,
    });
    if (ensembles) report.ensembles = ensembles;
    await writeJsonAtomic(trainingReportFile(resultsDir), report);
    dispatch({ type: 'report', report });
    dispatch({ type: 'run-finished', at: finishedAt.getTime() });
    await writeStatus(true);
    store.flush();
    const allDone = !stopping && aggregated.jobsDone === plan.jobsTotal && aggregated.jobsFailed === 0;
    resolveDone({ exitCode: allDone ? 0 : 1, report });
  };

  // The ensembles are extra evidence, never a reason for the run to fail: a problem is reported.
  const ensemblesOfRun = async (): Promise<EnsembleResults | null> => {
    if (!deps.buildEnsembles || stopping) return null;
    try {
      const ensembles = await deps.buildEnsembles({
        runId: plan.runId,
        // Plan order: workers hold contiguous pairs, their jobs in config order.
        jobs: [...latestResults.values()].sort((a, b) => a.workerId - b.workerId).flatMap((r) => r.jobs),
        modelsDir: opts.modelsDir,
        data: opts.data,
        environment: opts.environment,
      });
      await writeJsonAtomic(ensembleResultsFile(resultsDir), ensembles);
      dispatch({ type: 'ensembles', ensembles });
      return ensembles;
    } catch (error) {
      dispatch({ type: 'file-problem', message: `ensembles: ${(error as Error).message}` });
      return null;
    }
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
  return { plan, resumed, store, send, setHttpMirror, stop, done };
}
