import {
  type BestModel,
  type DashboardState,
  type DataSource,
  emptyWorkerView,
  episodeKey,
  episodesAfter,
  isPaperConfig,
  type JobResult,
  type LeaderboardRow,
  MAX_RECENT_EPISODES,
  type ProcessState,
  type RowEvidence,
  type RunProgress,
  type TrialRow,
  type WorkerConfig,
  type WorkerExitRecord,
  type WorkerState,
  type WorkerStatus,
  type WorkerView,
} from '../shared/index.js';
import { equalValue } from './equal-value.js';
import { estimateEtaSeconds, workerEpisodeProgress } from './eta.js';
import type { SupervisorEvent } from './events.js';
import { DEFAULT_RESTART_POLICY, describeExit, isStalled } from './restart-policy.js';

const MAX_PROBLEMS = 20;
const MAX_LOG_LINES = 200;
/** Attach mode: a supervisor whose status file is older than this no longer answers commands. */
export const SUPERVISOR_STALE_MS = 10_000;
/** Weight of the newest episode in a worker's running seconds-per-episode average. */
const EPISODE_EWMA = 0.3;

const TERMINAL_PROCESS: ReadonlySet<ProcessState> = new Set(['done', 'failed', 'stopped']);
const TERMINAL_STATE: ReadonlySet<WorkerState> = new Set(['done', 'failed', 'stopped']);
const CLEAN_EXIT = describeExit(0, null);

/** The state before any event: no run, no workers. */
export function initialState(init: {
  mode: 'run' | 'attach';
  resultsDir: string;
  now: number;
}): DashboardState {
  return {
    mode: init.mode,
    runId: null,
    runtime: null,
    resultsDir: init.resultsDir,
    supervisorConnected: init.mode === 'run',
    now: init.now,
    startedAt: null,
    finishedAt: null,
    backend: null,
    progress: {
      jobsTotal: 0,
      jobsDone: 0,
      jobsFailed: 0,
      episodesTotal: 0,
      episodesDone: 0,
      elapsedSeconds: 0,
      etaSeconds: null,
    },
    workers: [],
    leaderboard: [],
    problems: [],
    finished: false,
    aggregated: null,
    report: null,
    supervisorHeartbeatAt: null,
  };
}

/** `w` with `changes` applied, or `w` itself when nothing differs (keeps arrays' identity too). */
function patch(w: WorkerView, changes: Partial<WorkerView>): WorkerView {
  let next: WorkerView | null = null;
  for (const key of Object.keys(changes) as (keyof WorkerView)[]) {
    if (equalValue(w[key], changes[key])) continue;
    next ??= { ...w };
    (next as unknown as Record<string, unknown>)[key] = changes[key];
  }
  return next ?? w;
}

function withWorker(
  state: DashboardState,
  workerId: number,
  update: (w: WorkerView) => WorkerView,
): DashboardState {
  const index = state.workers.findIndex((w) => w.workerId === workerId);
  const current = index >= 0 ? state.workers[index]! : emptyWorkerView(workerId);
  const next = update(current);
  if (index >= 0 && next === current) return state;
  const workers =
    index >= 0
      ? state.workers.map((w, i) => (i === index ? next : w))
      : [...state.workers, next].sort((a, b) => a.workerId - b.workerId);
  return { ...state, workers };
}

function withProblem(state: DashboardState, message: string): DashboardState {
  if (state.problems.includes(message)) return state;
  return { ...state, problems: [...state.problems, message].slice(-MAX_PROBLEMS) };
}

function parseTime(iso: string): number | null {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
}

/** Whether a running worker has been silent longer than the run's stall limit (the one test of it). */
export function workerStalled(w: WorkerView, now: number, stallAfterMs?: number): boolean {
  if (w.process !== 'running' || (w.state && TERMINAL_STATE.has(w.state))) return false;
  const since = w.processStartedAt ?? w.heartbeatAt;
  if (since === null || since === undefined) return false;
  const policy = {
    ...DEFAULT_RESTART_POLICY,
    stallAfterMs: stallAfterMs ?? DEFAULT_RESTART_POLICY.stallAfterMs,
  };
  return isStalled(w.heartbeatAt, since, now, policy);
}

/** The worker's exits with its last one added, settled with `reason`. */
function withExitRecorded(w: WorkerView, reason: string): WorkerExitRecord[] {
  const exits = w.exits ?? [];
  return w.lastExit ? [...exits, { ...w.lastExit, reason }] : exits;
}

function processFromState(state: WorkerState): ProcessState {
  return TERMINAL_STATE.has(state) ? (state as ProcessState) : 'running';
}

function runMismatch(state: DashboardState, runId: string, file: string): DashboardState | null {
  if (state.runId === null || runId === state.runId) return null;
  return withProblem(state, `${file}: belongs to run ${runId}, not ${state.runId}; ignored`);
}

function reduceStatus(state: DashboardState, workerId: number, s: WorkerStatus): DashboardState {
  const mismatch = runMismatch(state, s.runId, `worker_${workerId}_status.json`);
  if (mismatch) return mismatch;
  const base = state.runId === null ? { ...state, runId: s.runId } : state;
  const known = state.workers.find((w) => w.workerId === workerId);
  const cursor = known?.statusCursor;
  if (cursor) {
    // Files from an older process, or repeats of one already reduced, carry nothing new.
    const startedAt = parseTime(s.startedAt) ?? 0;
    if (startedAt < (parseTime(cursor.startedAt) ?? 0)) return state;
    if (cursor.pid === s.pid && cursor.startedAt === s.startedAt && s.seq <= cursor.seq) return state;
  }
  let next = withWorker(base, workerId, (w) => {
    const heartbeatAt = parseTime(s.heartbeatAt);
    const c = s.current;
    const newEpisodes = episodesAfter(
      s.recentEpisodes ?? (s.lastEpisode ? [s.lastEpisode] : []),
      w.lastEpisode ? episodeKey(w.lastEpisode) : null,
    );
    let secondsPerEpisode = w.secondsPerEpisode ?? null;
    for (const e of newEpisodes) {
      if (e.seconds <= 0) continue;
      secondsPerEpisode =
        secondsPerEpisode === null
          ? e.seconds
          : (1 - EPISODE_EWMA) * secondsPerEpisode + EPISODE_EWMA * e.seconds;
    }
    const inferProcess = state.mode === 'attach' && !state.supervisorConnected;
    // The final `done` status can land after the exit was reduced: a clean exit then was a finish.
    const lateFinish = w.process === 'exited' && w.lastExitReason === CLEAN_EXIT && s.state === 'done';
    const progressed = newEpisodes.length + Math.max(0, s.jobsDone - w.jobsDone);
    const updated = patch(w, {
      progressThisProcess: (w.progressThisProcess ?? 0) + progressed,
      state: s.state,
      process: inferProcess ? processFromState(s.state) : lateFinish ? 'done' : w.process,
      lastExitReason: lateFinish ? 'finished' : (w.lastExitReason ?? null),
      // A late file of an exited process must not bring its pid back.
      pid: inferProcess || w.process === 'running' ? (w.pid ?? s.pid) : w.pid,
      jobId: c?.jobId ?? null,
      pair: c?.pair ?? null,
      variant: c?.variant ?? null,
      // A finished worker has no current job: it ended on the last episode of its last job.
      episode: c?.episode ?? (s.state === 'done' ? (c?.episodes ?? w.episodes) : 0),
      episodes: c?.episodes ?? w.episodes,
      step: c?.step ?? 0,
      stepsPerEpisode: c?.stepsPerEpisode ?? w.stepsPerEpisode,
      stepsPerSecond: s.stepsPerSecond,
      // A worker restarted with nothing left to do reports no rewards: keep the last job's curve.
      recentRewards: s.recentRewards.length === 0 && s.state === 'done' ? w.recentRewards : s.recentRewards,
      lastJobPnlPct: s.lastJobPnlPct,
      jobsDone: s.jobsDone,
      jobsFailed: s.jobsFailed,
      jobsTotal: s.jobsTotal > 0 ? s.jobsTotal : w.jobsTotal,
      heartbeatAt,
      memoryMb: s.memory.rssMb,
      cpuPct: s.cpuPct ?? null,
      // The last error stays visible after recovery: it is the *last* error, not a current one.
      lastError: s.lastError ?? w.lastError,
      lastEpisode: s.lastEpisode ?? w.lastEpisode ?? null,
      recentEpisodes:
        newEpisodes.length > 0
          ? [...(w.recentEpisodes ?? []), ...newEpisodes].slice(-MAX_RECENT_EPISODES)
          : (w.recentEpisodes ?? []),
      secondsPerEpisode,
      statusCursor: { pid: s.pid, startedAt: s.startedAt, seq: s.seq },
      paper: s.paper ?? w.paper ?? null,
    });
    return heartbeatAt !== w.heartbeatAt
      ? patch(updated, { stalled: workerStalled(updated, state.now, state.stallAfterMs) })
      : updated;
  });
  next = withTrials(next, (trials) => runningTrials(trials, workerId, s));
  // A restarted worker says `unknown` until it has chosen its backend: keep the one already known.
  if (next.backend !== s.backend && !(s.backend === 'unknown' && next.backend)) {
    next = { ...next, backend: s.backend };
  }
  if (next.startedAt === null) {
    const started = parseTime(s.startedAt);
    if (started !== null) next = { ...next, startedAt: started };
  }
  return next;
}

/** The best variant per pair, each pair's ensemble as its own row beside it. */
function leaderboardOf(state: Pick<DashboardState, 'aggregated' | 'ensembles'>): LeaderboardRow[] {
  const rows: LeaderboardRow[] = (state.aggregated?.bestByPair ?? []).map((b) => ({
    pair: b.pair,
    workerId: b.workerId,
    jobId: b.jobId,
    variant: b.variant,
    metrics: b.metrics,
    buyAndHoldPnlPct: b.buyAndHold.pnlPct,
    modelPath: b.modelPath,
    ...(b.annualization ? { annualization: b.annualization } : {}),
    ...(b.significance ? { evidence: rowEvidence(b) } : {}),
  }));
  for (const e of state.ensembles?.ensembles ?? []) {
    let at = -1;
    rows.forEach((r, i) => {
      if (r.pair === e.pair) at = i;
    });
    const row: LeaderboardRow = {
      pair: e.pair,
      workerId: rows[at]?.workerId ?? 1,
      jobId: `${e.pair}/ensemble`,
      variant: `ensemble of ${e.members.length}`,
      metrics: e.metrics,
      buyAndHoldPnlPct: e.buyAndHold.pnlPct,
      modelPath: e.manifest,
      kind: 'ensemble',
      ...(e.annualization ? { annualization: e.annualization } : {}),
      // Outside the leaderboard's Benjamini–Hochberg correction: never marked significant.
      ...(e.significance
        ? {
            evidence: {
              sharpeLow: e.significance.sharpe.low,
              sharpeHigh: e.significance.sharpe.high,
              pVsBuyAndHold: e.significance.pVsBuyAndHold,
              pVsRandom: e.significance.pVsRandom,
              deflatedSharpe: e.significance.deflatedSharpe?.probability ?? null,
              adjustedPValue: null,
              significant: false,
            },
          }
        : {}),
    };
    rows.splice(at + 1 || rows.length, 0, row);
  }
  return rows;
}

function reduceEvent(state: DashboardState, event: SupervisorEvent): DashboardState {
  switch (event.type) {
    case 'run-started': {
      let next: DashboardState = state;
      const top = {
        runId: event.runId,
        runtime: event.runtime,
        startedAt: event.at,
        finishedAt: null,
        finished: false,
        supervisorConnected: state.mode === 'run' ? true : state.supervisorConnected,
        ...(event.stallAfterMs === undefined ? {} : { stallAfterMs: event.stallAfterMs }),
      };
      if (Object.entries(top).some(([k, v]) => state[k as keyof DashboardState] !== v))
        next = { ...state, ...top };
      for (const id of event.workerIds) next = withWorker(next, id, (w) => w);
      return next;
    }
    case 'config': {
      const c = event.config;
      const mismatch = runMismatch(state, c.runId, `worker_${event.workerId}_config.json`);
      if (mismatch) return mismatch;
      const named = state.runId === null ? { ...state, runId: c.runId } : state;
      if (isPaperConfig(c)) {
        // A replay reads stored candles (a data folder); live trading polls Yahoo.
        const source: DataSource = c.feed.mode === 'replay' ? 'data-dir' : 'yahoo';
        const paper =
          named.runKind === 'paper' && named.dataSource === source
            ? named
            : { ...named, runKind: 'paper' as const, dataSource: source };
        return withWorker(paper, event.workerId, (w) =>
          patch(w, { pairs: c.jobs.map((j) => j.pair), jobsTotal: c.jobs.length, episodes: 1 }),
        );
      }
      let base = named.dataSource === c.data.source ? named : { ...named, dataSource: c.data.source };
      if (base.modelsDir !== c.modelsDir) base = { ...base, modelsDir: c.modelsDir };
      base = withTrials(base, (trials) => plannedTrials(trials, event.workerId, c));
      return withWorker(base, event.workerId, (w) =>
        patch(w, {
          pairs: [...new Set(c.jobs.map((j) => j.pair))],
          jobsTotal: c.jobs.length,
          // A job trains one unit per fold and seed, each `episodes` long (status counts the same way).
          episodes: c.episodes * c.environment.folds * c.environment.seeds,
        }),
      );
    }
    case 'status':
      return reduceStatus(state, event.workerId, event.status);
    case 'results': {
      const r = event.results;
      const mismatch = runMismatch(state, r.runId, `worker_${event.workerId}_results.json`);
      if (mismatch) return mismatch;
      const done = r.jobs.filter((j) => j.status === 'done');
      const failed = r.jobs.length - done.length;
      const measured = done.filter((j) => j.episodes.length > 0 && j.seconds > 0);
      const episodes = measured.reduce((n, j) => n + j.episodes.length, 0);
      const seconds = measured.reduce((n, j) => n + j.seconds, 0);
      const lastRewards = done.at(-1)?.episodes.map((e) => e.reward) ?? [];
      const next = withTrials(state, (trials) => finishedTrials(trials, event.workerId, r.jobs));
      return withWorker(next, event.workerId, (w) =>
        patch(w, {
          recentRewards: w.recentRewards.length === 0 ? lastRewards : w.recentRewards,
          jobsDone: Math.max(w.jobsDone, done.length),
          jobsFailed: Math.max(w.jobsFailed, failed),
          // Whole-job time per episode includes data loading, evaluation and saving: the honest rate.
          secondsPerEpisode: episodes > 0 ? seconds / episodes : (w.secondsPerEpisode ?? null),
        }),
      );
    }
    case 'aggregated': {
      const a = event.aggregated;
      const mismatch = runMismatch(state, a.runId, 'aggregated_results.json');
      if (mismatch) return mismatch;
      if (equalValue(state.aggregated, a)) return state;
      const best = new Set(a.bestByPair.map((b) => b.jobId));
      const withBest = withTrials(state, (trials) =>
        trials.map((t) => (t.best === best.has(t.jobId) ? t : { ...t, best: best.has(t.jobId) })),
      );
      const next = { ...withBest, runId: state.runId ?? a.runId, aggregated: a };
      return { ...next, leaderboard: leaderboardOf(next) };
    }
    case 'ensembles': {
      const e = event.ensembles;
      const mismatch = runMismatch(state, e.runId, 'ensemble_results.json');
      if (mismatch) return mismatch;
      if (equalValue(state.ensembles, e)) return state;
      const next = { ...state, ensembles: e };
      return { ...next, leaderboard: leaderboardOf(next) };
    }
    case 'report': {
      const r = event.report;
      const mismatch = runMismatch(state, r.runId, 'training_report.json');
      if (mismatch) return mismatch;
      if (equalValue(state.report, r)) return state;
      return {
        ...state,
        runId: state.runId ?? r.runId,
        report: r,
        finished: true,
        startedAt: state.startedAt ?? parseTime(r.startedAt),
        finishedAt: state.finishedAt ?? parseTime(r.finishedAt),
        runtime: state.runtime ?? r.environment.runtime,
        backend: state.backend ?? r.environment.backend,
      };
    }
    case 'supervisor-status': {
      // In run mode this process is the supervisor; its own file echoed back says nothing new.
      if (state.mode === 'run') return state;
      const s = event.status;
      const heartbeat = parseTime(s.heartbeatAt);
      const connected = !s.finished && heartbeat !== null && state.now - heartbeat <= SUPERVISOR_STALE_MS;
      let next: DashboardState = state;
      const top = {
        runId: state.runId ?? s.runId,
        runtime: s.runtime,
        startedAt: state.startedAt ?? parseTime(s.startedAt),
        supervisorHeartbeatAt: heartbeat,
        supervisorConnected: connected,
      };
      if (Object.entries(top).some(([k, v]) => state[k as keyof DashboardState] !== v))
        next = { ...state, ...top };
      for (const sw of s.workers) {
        next = withWorker(next, sw.workerId, (w) =>
          patch(w, {
            process: sw.process,
            pid: sw.pid,
            restarts: sw.restarts,
            nextRestartAt: sw.nextRestartAt ? parseTime(sw.nextRestartAt) : null,
            stalled: sw.stalled,
            logFile: sw.logFile,
            lastExitReason: sw.lastExit
              ? describeExit(sw.lastExit.code, sw.lastExit.signal)
              : w.lastExitReason,
          }),
        );
      }
      return next;
    }
    case 'process-started':
      // Dispatched as the launch begins (pid null) and again with the pid once the process runs.
      return withWorker(state, event.workerId, (w) =>
        patch(w, {
          process: 'running',
          state: w.process === 'running' ? w.state : 'starting',
          progressThisProcess: w.process === 'running' ? w.progressThisProcess : 0,
          pid: event.pid ?? w.pid,
          processStartedAt: event.at,
          nextRestartAt: null,
          stalled: false,
        }),
      );
    case 'process-exited':
      return withWorker(state, event.workerId, (w) => {
        const finished = event.code === 0 && w.state === 'done';
        const ranMs = w.processStartedAt == null ? 0 : Math.max(0, event.at - w.processStartedAt);
        return patch(w, {
          process: finished ? 'done' : 'exited',
          pid: null,
          stalled: false,
          lastExitReason: finished ? 'finished' : describeExit(event.code, event.signal),
          lastExit: { code: event.code, signal: event.signal, at: new Date(event.at).toISOString() },
          secondsRunning: (w.secondsRunning ?? 0) + ranMs / 1000,
          processStartedAt: null,
        });
      });
    case 'worker-finished':
      return withWorker(state, event.workerId, (w) =>
        patch(w, {
          process: 'done',
          pid: null,
          nextRestartAt: null,
          lastExitReason: 'finished',
          exits: withExitRecorded(w, 'finished'),
        }),
      );
    case 'restart-scheduled':
      return withWorker(state, event.workerId, (w) =>
        patch(w, {
          process: 'backoff',
          nextRestartAt: event.at + event.delayMs,
          lastExitReason: event.reason,
          restarts: w.restarts + 1,
          consecutiveRestarts: event.attempt,
          exits: withExitRecorded(w, event.reason),
        }),
      );
    case 'restart-requested':
      return withWorker(state, event.workerId, (w) =>
        patch(w, {
          process: w.process === 'running' ? 'running' : 'pending',
          nextRestartAt: null,
          stalled: false,
          lastExitReason: 'restart requested',
          restarts: w.restarts + 1,
          consecutiveRestarts: 0,
        }),
      );
    case 'worker-relaunching':
      return withWorker(state, event.workerId, (w) =>
        patch(w, {
          process: 'pending',
          pid: null,
          nextRestartAt: null,
          lastExitReason: event.reason,
          exits: withExitRecorded(w, event.reason),
        }),
      );
    case 'worker-stalled':
      return withWorker(state, event.workerId, (w) => patch(w, { stalled: true }));
    case 'container':
      return withWorker(state, event.workerId, (w) =>
        w.container?.name === event.container.name && w.container.state === event.container.state
          ? w
          : { ...w, container: event.container },
      );
    case 'worker-failed':
      return withWorker(state, event.workerId, (w) =>
        patch(w, {
          process: 'failed',
          pid: null,
          nextRestartAt: null,
          lastExitReason: event.reason,
          exits: withExitRecorded(w, event.reason),
        }),
      );
    case 'worker-stopped':
      return withWorker(state, event.workerId, (w) =>
        patch(w, {
          process: 'stopped',
          pid: null,
          nextRestartAt: null,
          stalled: false,
          ...(event.reason == null ? {} : { exits: withExitRecorded(w, `stopped: ${event.reason}`) }),
        }),
      );
    case 'run-stopping':
      if (state.stopRequested) return state;
      return { ...state, stopRequested: event.reason };
    case 'log-lines':
      if (event.lines.length === 0) return state;
      return withWorker(state, event.workerId, (w) => ({
        ...w,
        logTail: [...w.logTail, ...event.lines].slice(-MAX_LOG_LINES),
      }));
    case 'file-problem':
      return withProblem(state, event.message);
    case 'http-mirror': {
      const info = { url: event.url, error: event.error };
      if (equalValue(state.httpMirror, info)) return state;
      const next = { ...state, httpMirror: info };
      // The header has room for "web off"; the reason goes where problems are listed.
      if (event.error === null) return next;
      return withProblem(
        next,
        /^HTTP mirror/.test(event.error) ? event.error : `HTTP mirror: ${event.error}`,
      );
    }
    case 'tick': {
      if (event.now === state.now) return state;
      let next: DashboardState = { ...state, now: event.now };
      if (state.mode === 'attach' && state.supervisorHeartbeatAt != null && state.supervisorConnected) {
        const connected = event.now - state.supervisorHeartbeatAt <= SUPERVISOR_STALE_MS;
        if (!connected) next = { ...next, supervisorConnected: false };
      }
      const workers = next.workers.map((w) =>
        !w.stalled && workerStalled(w, event.now, state.stallAfterMs) ? { ...w, stalled: true } : w,
      );
      if (workers.some((w, i) => w !== next.workers[i])) next = { ...next, workers };
      return next;
    }
    case 'run-finished':
      if (state.finishedAt !== null && state.finished) return state;
      return { ...state, finished: true, finishedAt: state.finishedAt ?? event.at };
  }
}

// ---------------------------------------------------------------- trials (every job of the plan)

/** Applies `update` to the state's trials; the state itself when nothing changed. */
function withTrials(state: DashboardState, update: (trials: TrialRow[]) => TrialRow[]): DashboardState {
  const trials = state.trials ?? [];
  const next = update(trials);
  if (next === trials || equalValue(next, trials)) return state;
  return { ...state, trials: next };
}

/** Every job of a worker's config, pending until a status or a result says otherwise; plan order. */
function plannedTrials(trials: TrialRow[], workerId: number, config: WorkerConfig): TrialRow[] {
  const known = new Set(trials.map((t) => t.jobId));
  const added: TrialRow[] = config.jobs
    .filter((j) => !known.has(j.jobId))
    .map((j) => ({
      jobId: j.jobId,
      pair: j.pair,
      variant: j.variant,
      workerId,
      status: 'pending',
      hyperparameters: j.hyperparameters,
      validation: null,
      metrics: null,
      buyAndHoldPnlPct: null,
      selectedEpisode: null,
      best: false,
      error: null,
    }));
  if (added.length === 0) return trials;
  return sortTrials([...trials, ...added], config);
}

function sortTrials(trials: TrialRow[], config: WorkerConfig): TrialRow[] {
  const order = new Map(config.jobs.map((j, i) => [j.jobId, i]));
  return trials
    .map((t, i) => ({ t, i }))
    .sort((a, b) => {
      if (a.t.workerId !== b.t.workerId) return a.t.workerId - b.t.workerId;
      const oa = a.t.workerId === config.workerId ? (order.get(a.t.jobId) ?? a.i) : a.i;
      const ob = b.t.workerId === config.workerId ? (order.get(b.t.jobId) ?? b.i) : b.i;
      return oa - ob;
    })
    .map(({ t }) => t);
}

/** The job a worker is on is running; its other unfinished jobs are pending. */
function runningTrials(trials: TrialRow[], workerId: number, status: WorkerStatus): TrialRow[] {
  const active = !TERMINAL_STATE.has(status.state) ? (status.current?.jobId ?? null) : null;
  const wanted = (t: TrialRow) =>
    t.workerId !== workerId || t.status === 'done' || t.status === 'failed'
      ? t.status
      : t.jobId === active
        ? 'running'
        : 'pending';
  // Almost every status changes no trial: find out without copying 2,000 rows (issue 12's fleet bench).
  if (trials.every((t) => wanted(t) === t.status)) return trials;
  return trials.map((t) => {
    const status = wanted(t);
    return status === t.status ? t : ({ ...t, status } as TrialRow);
  });
}

/** A worker's finished jobs (done or failed) with their figures. */
function finishedTrials(trials: TrialRow[], workerId: number, jobs: readonly JobResult[]): TrialRow[] {
  const byId = new Map(jobs.map((j) => [j.jobId, j]));
  const next = trials.map((t) => {
    const j = byId.get(t.jobId);
    return j ? trialFromResult(t, j, workerId) : t;
  });
  const known = new Set(trials.map((t) => t.jobId));
  // Results before the config (attach to an old run): rows from the results alone.
  for (const j of jobs) if (!known.has(j.jobId)) next.push(trialFromResult(null, j, workerId));
  return next;
}

function trialFromResult(row: TrialRow | null, j: JobResult, workerId: number): TrialRow {
  return {
    jobId: j.jobId,
    pair: j.pair,
    variant: j.variant,
    workerId,
    status: j.status,
    hyperparameters: j.hyperparameters,
    validation: j.validation ?? null,
    metrics: j.metrics,
    buyAndHoldPnlPct: j.baselines?.buyAndHold.pnlPct ?? null,
    selectedEpisode: j.selectedEpisode ?? null,
    best: row?.best ?? false,
    error: j.error,
  };
}

function sameProgress(a: RunProgress, b: RunProgress): boolean {
  return (Object.keys(a) as (keyof RunProgress)[]).every((k) => a[k] === b[k]);
}

/** Overall progress from the workers' views: jobs, episodes, elapsed time and the measured ETA. */
function computeProgress(state: DashboardState, finished: boolean): RunProgress {
  let jobsTotal = 0;
  let jobsDone = 0;
  let jobsFailed = 0;
  let episodesTotal = 0;
  let episodesDone = 0;
  const eta: { remainingEpisodes: number; secondsPerEpisode: number | null; active: boolean }[] = [];
  for (const w of state.workers) {
    jobsTotal += w.jobsTotal;
    jobsDone += w.jobsDone;
    jobsFailed += w.jobsFailed;
    episodesTotal += w.jobsTotal * w.episodes;
    const p = workerEpisodeProgress(w);
    episodesDone += p.done;
    eta.push({
      remainingEpisodes: p.remaining,
      secondsPerEpisode: w.secondsPerEpisode ?? null,
      active: !TERMINAL_PROCESS.has(w.process),
    });
  }
  const a = state.aggregated;
  if (a) {
    jobsTotal = Math.max(jobsTotal, a.jobsTotal);
    jobsDone = Math.max(jobsDone, a.jobsDone);
    jobsFailed = Math.max(jobsFailed, a.jobsFailed);
  }
  const end = state.finishedAt ?? state.now;
  return {
    jobsTotal,
    jobsDone,
    jobsFailed,
    episodesTotal,
    episodesDone: Math.floor(episodesDone),
    elapsedSeconds: state.startedAt === null ? 0 : Math.max(0, Math.round((end - state.startedAt) / 1000)),
    etaSeconds: finished ? 0 : estimateEtaSeconds(eta),
  };
}

/** Folds one event into the state; pure, and returns the same object when nothing changed. */
export function reduce(state: DashboardState, event: SupervisorEvent): DashboardState {
  const next = reduceEvent(state, event);
  if (next === state) return state;
  const allTerminal = next.workers.length > 0 && next.workers.every((w) => TERMINAL_PROCESS.has(w.process));
  const finished = next.report !== null || next.finishedAt !== null || allTerminal;
  const progress = computeProgress(next, finished);
  return {
    ...next,
    finished,
    progress: sameProgress(progress, next.progress) ? next.progress : progress,
  };
}

/** A best-per-pair row's significance as the views show it (the pair-scope deflated Sharpe when known). */
function rowEvidence(b: BestModel): RowEvidence {
  const s = b.significance;
  return {
    sharpeLow: s?.sharpe.low ?? null,
    sharpeHigh: s?.sharpe.high ?? null,
    pVsBuyAndHold: s?.pVsBuyAndHold ?? null,
    pVsRandom: s?.pVsRandom ?? null,
    deflatedSharpe: (b.deflatedSharpe ?? s?.deflatedSharpe)?.probability ?? null,
    adjustedPValue: b.adjustedPValue ?? null,
    significant: b.significant === true,
  };
}
