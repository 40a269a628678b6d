import path from 'node:path';
import {
  type HttpMirrorInfo,
  type RuntimeKind,
  readJsonTolerant,
  type StateStore,
  type SupervisorCommand,
  type TrainingReport,
  trainingReportFile,
  WorkerStatusSchema,
  workerConfigFile,
  workerStatusFile,
  writeJsonAtomic,
} from '../shared/index.js';
import { watchCommands } from './command-files.js';
import { type BuildEnsembles, ensemblesOfRun } from './ensembles-step.js';
import type { SupervisorEvent } from './events.js';
import { concludeRun } from './finish-run.js';
import { stopLeftoverWorkers } from './leftover-workers.js';
import { tailLogs } from './log-tail.js';
import type { PlanOptions, RunPlan } from './plan.js';
import { prepareRun } from './prepare-run.js';
import { initialState } from './reducer.js';
import { DEFAULT_RESTART_POLICY, type RestartPolicy } from './restart-policy.js';
import { collectResults } from './results-collector.js';
import { createCommandExecutor } from './run-commands.js';
import { acquireRunLock, type RunLease, type RunLockOptions } from './run-lock.js';
import { type ContainerDeps, createRuntime, preflightContainerRuntime } from './runtime/create-runtime.js';
import type { Runtime, WorkerCommand } from './runtime/types.js';
import { createStore, VIEW_BATCH_MS } from './store.js';
import { startSupervisorStatusFile, supervisorStatusFrom } from './supervisor-status-file.js';
import { watchResults } from './watcher.js';
import { createWorkerSlots } from './worker-slots.js';

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
   * Follow the workers' logs into the state (default true). Only the dashboard's log pane and the
   * mirror's /api/state show them: a plain headless run skips the polling (issue 12).
   */
  followLogs?: boolean;
  /** The results folder's lock: heartbeat and staleness (tests shorten them). */
  lock?: RunLockOptions;
  /**
   * Runs after every job ended and before the report: builds each pair's ensemble of the run's
   * models (injected by the CLI, which may use worker code; supervisor/ may not).
   */
  buildEnsembles?: BuildEnsembles;
}

export interface RunHandle {
  plan: RunPlan;
  /** True when an earlier run of the same plan was resumed. */
  resumed: boolean;
  /** What the start did that the user should hear of (a lock taken over, a file recovered). */
  notices: string[];
  store: StateStore;
  send(command: SupervisorCommand): Promise<string>;
  /** Tells the views where the HTTP mirror runs, or why it does not. */
  setHttpMirror(info: HttpMirrorInfo): void;
  /** Stops the run gracefully: workers get SIGTERM and checkpoint; SIGKILL after the grace. */
  stop(reason?: string): Promise<void>;
  /** Stops the workers at once (SIGKILL; their last episode checkpoints stay); the run then ends. */
  kill(reason?: string): Promise<void>;
  done: Promise<{ exitCode: 0 | 1; report: TrainingReport }>;
}

const SUPERVISOR_HEARTBEAT_MS = 2_000;
// chokidar can miss events on some mounts; a slow full rescan is cheap (a few small files).
const RESCAN_MS = 5_000;

/**
 * Runs a whole training: takes the results folder (one supervisor per folder), plans, resumes or
 * starts fresh, launches the workers, watches their files, restarts them by the policy, executes
 * commands, aggregates, and writes the report at the end. Throws RunFolderBusyError, having touched
 * nothing, when another live supervisor owns the folder.
 */
export async function startRun(options: RunOptions, deps: RunDeps = {}): Promise<RunHandle> {
  // A container runtime that cannot run here fails before the folder is locked, read or written.
  const containerChecks =
    options.runtime !== 'local' && !deps.runtime
      ? await preflightContainerRuntime(
          options.runtime,
          Array.from({ length: Math.min(options.workers, options.pairs.length) }, (_, i) => i + 1),
          deps.docker,
        )
      : null;
  // Taken before anything in the folder is read, cleared or written.
  const lease = await acquireRunLock(path.resolve(options.resultsDir), { now: deps.now, ...deps.lock });
  try {
    return await runWithLease(options, deps, lease, containerChecks);
  } catch (error) {
    await lease.release();
    throw error;
  }
}

async function runWithLease(
  options: RunOptions,
  deps: RunDeps,
  lease: RunLease,
  containerChecks: Partial<ContainerDeps> | null,
): Promise<RunHandle> {
  const now = deps.now ?? Date.now;
  const policy: RestartPolicy = { ...DEFAULT_RESTART_POLICY, ...options.restartPolicy };
  const graceMs = options.stopGraceMs ?? 10_000;
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
  // Before anything of the folder is read: an earlier supervisor's workers must be gone.
  const leftovers = await stopLeftoverWorkers(resultsDir);
  const prepared = await prepareRun(opts, startedAt);
  const { plan, resumed } = prepared;
  const notices = [lease.notice, leftovers, ...prepared.notices].filter((n): n is string => n !== null);
  for (const worker of plan.workers) {
    await writeJsonAtomic(workerConfigFile(resultsDir, worker.workerId), worker.config);
  }
  const runtime =
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
    batchMs: deps.batchMs ?? VIEW_BATCH_MS,
  });
  const dispatch = (event: SupervisorEvent) => {
    try {
      store.dispatch(event);
    } catch (error) {
      // The reducer is pure and tested; should it throw anyway, the run goes on.
      process.emitWarning(`reducer failed on ${event.type}: ${(error as Error).message}`);
    }
  };
  const problem = (message: string) => dispatch({ type: 'file-problem', message });
  lease.onProblem(problem);
  const workerIds = plan.workers.map((w) => w.workerId);
  dispatch({
    type: 'run-started',
    runId: plan.runId,
    runtime: opts.runtime,
    at: startedAt.getTime(),
    workerIds,
    stallAfterMs: policy.stallAfterMs,
  });
  for (const w of plan.workers) dispatch({ type: 'config', workerId: w.workerId, config: w.config });

  const statusFile = startSupervisorStatusFile({
    resultsDir,
    heartbeatMs: SUPERVISOR_HEARTBEAT_MS,
    onProblem: problem,
    status: (finished) =>
      supervisorStatusFrom(
        store.getSnapshot(),
        {
          runId: plan.runId,
          pid: process.pid,
          runtime: opts.runtime,
          startedAt: startedAt.toISOString(),
          logFile: (id) => runtime.logFile(id),
        },
        now(),
        finished,
      ),
  });
  const results = collectResults({
    resultsDir,
    runId: plan.runId,
    jobsTotal: plan.jobsTotal,
    now,
    onAggregated: (aggregated) => dispatch({ type: 'aggregated', aggregated }),
    onProblem: problem,
  });
  const watcher = watchResults(
    resultsDir,
    (event) => {
      if (event.type === 'results') {
        if (!results.accept(event.workerId, event.results)) return;
        results.schedule();
      }
      dispatch(event);
    },
    { usePolling: opts.usePolling },
  );
  const logs =
    deps.followLogs === false
      ? null
      : // Polled once a second: the views that show the lines redraw at most that often.
        tailLogs(new Map(workerIds.map((id) => [id, runtime.logFile(id)])), dispatch, {
          pollMs: VIEW_BATCH_MS,
        });

  const slots = createWorkerSlots({
    runtime,
    state: store.getSnapshot,
    dispatch,
    policy,
    graceMs,
    now,
    random: deps.random ?? Math.random,
    readStatus: async (workerId) => {
      const read = await readJsonTolerant(workerStatusFile(resultsDir, workerId), WorkerStatusSchema);
      return read.ok && read.value.runId === plan.runId ? read.value : null;
    },
    onChange: () => void statusFile.write(),
    onSettled: () => checkFinished(),
  });

  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const execute = createCommandExecutor({
    ready,
    state: store.getSnapshot,
    slots,
    stop: (reason) => void stop(reason),
  });
  const commands = watchCommands(resultsDir, execute, problem, {
    usePolling: opts.usePolling,
    since: startedAt.getTime(),
  });
  await Promise.all([watcher.ready, commands.ready]);

  const heartbeatTimer = setInterval(() => {
    dispatch({ type: 'tick', now: now() });
    slots.checkStalls();
  }, options.heartbeatCheckMs ?? 1_000);
  const rescanTimer = setInterval(() => void watcher.rescan(), RESCAN_MS);

  // ---------------------------------------------------------------- the end
  let resolveDone!: (value: { exitCode: 0 | 1; report: TrainingReport }) => void;
  let rejectDone!: (error: unknown) => void;
  const done = new Promise<{ exitCode: 0 | 1; report: TrainingReport }>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  let finishing: Promise<void> | null = null;

  function checkFinished() {
    if (finishing || !slots.allFinal()) return;
    finishing = finish()
      .catch((error) => rejectDone(error))
      .finally(() => lease.release());
  }

  const finish = async () => {
    clearInterval(heartbeatTimer);
    clearInterval(rescanTimer);
    statusFile.stop();
    results.stop();
    await runtime.stopAll(graceMs).catch((error: Error) => problem(`stopping the workers: ${error.message}`));
    await slots.settle();
    slots.dispose();
    await commands.close();
    // The last statuses and results may have landed after the last event delivered: the rescan reads
    // every file whose stamp changed since (results go to the collector through the same handler).
    // While workers trained, results came a job file at a time; the whole files, read once more here
    // while nothing trains, bring the best models the workers published, so the aggregate below is exact.
    await watcher.rescan({ wholeResults: true });
    await watcher.close();
    await logs?.poll();
    await logs?.close();
    await runtime.dispose();
    const aggregated = await results.flush();
    const ensembles = await ensemblesOfRun({
      build: deps.buildEnsembles,
      stopped: Boolean(store.getSnapshot().stopRequested),
      run: { runId: plan.runId, modelsDir: opts.modelsDir, data: opts.data, environment: opts.environment },
      workerIds,
      results,
      resultsDir,
      onEnsembles: (e) => dispatch({ type: 'ensembles', ensembles: e }),
      onProblem: problem,
    });
    const finishedAt = new Date(now());
    const { report, exitCode } = concludeRun({
      state: store.getSnapshot(),
      plan,
      aggregated,
      results,
      logFile: (id) => runtime.logFile(id),
      startedAt,
      finishedAt,
      runtime: opts.runtime,
    });
    if (ensembles) report.ensembles = ensembles;
    await writeJsonAtomic(trainingReportFile(resultsDir), report);
    dispatch({ type: 'report', report });
    dispatch({ type: 'run-finished', at: finishedAt.getTime() });
    await statusFile.write(true);
    await lease.release();
    store.flush();
    resolveDone({ exitCode, report });
  };

  const stopWith = (reason: string, graceMsNow: number): Promise<void> => {
    if (!finishing) dispatch({ type: 'run-stopping', reason, at: now() });
    return (async () => {
      if (!finishing) await slots.stopAll(graceMsNow);
      checkFinished();
      await done.catch(() => {});
    })();
  };
  let stopping: Promise<void> | null = null;
  const stop = (reason = 'stop requested'): Promise<void> => {
    stopping ??= stopWith(reason, graceMs);
    return stopping;
  };
  // A second, shorter stop escalates the first: the runtime kills what is still in its grace.
  const kill = (reason = 'killed'): Promise<void> => stopWith(reason, 0);

  lease.onLost((message) => {
    problem(`lost the results folder to another supervisor: ${message}`);
    void stop('another supervisor took over the results folder');
  });

  for (const id of workerIds) await slots.launch(id);
  markReady();
  void statusFile.write();

  return {
    plan,
    resumed,
    notices,
    store,
    send: async (command) => (await execute(command)).message,
    setHttpMirror: (info) => dispatch({ type: 'http-mirror', ...info }),
    stop,
    kill,
    done,
  };
}
