import type { DashboardState, WorkerView } from '../../shared/index.js';
import {
  DASH,
  formatAge,
  formatCompact,
  formatDuration,
  heartbeatAgeMs,
  plural,
  textTable,
  workerBadge,
} from '../format.js';
import { TRIAL_COLUMNS } from '../trial-columns.js';

// `trading-workers status`: a run folder's workers and jobs as one-shot tables (like `pm2 ls` or
// `docker compose ps`), from the same state the dashboard draws.

/** `98%` of one core, `—` when the worker has not measured it yet. */
export function formatCpu(pct: number | null | undefined): string {
  return pct === null || pct === undefined ? DASH : `${Math.round(pct)}%`;
}

/** `312 MB`, `—` before the first status. */
export function formatMemory(mb: number | null | undefined): string {
  return mb === null || mb === undefined ? DASH : `${Math.round(mb)} MB`;
}

function supervisorLine(s: DashboardState): string {
  if (s.finished) return s.report ? `finished (${s.report.outcome})` : 'finished';
  if (s.supervisorConnected) return 'a supervisor is running it';
  if (s.supervisorHeartbeatAt != null) {
    return `no supervisor answering (last heartbeat ${formatAge(s.now - s.supervisorHeartbeatAt)} ago)`;
  }
  return 'no supervisor status yet';
}

function workerRow(w: WorkerView, now: number): string[] {
  const badge = workerBadge(w);
  const job = w.pair ? `${w.pair}/${w.variant ?? DASH}` : DASH;
  const episode = w.episodes > 0 && (w.pair || w.state === 'done') ? `${w.episode}/${w.episodes}` : DASH;
  return [
    String(w.workerId),
    `${badge.symbol} ${badge.label}`,
    w.pid === null ? DASH : String(w.pid),
    job,
    episode,
    `${w.jobsDone}/${w.jobsTotal}${w.jobsFailed > 0 ? ` (${w.jobsFailed} failed)` : ''}`,
    String(w.restarts),
    formatCpu(w.cpuPct),
    formatMemory(w.memoryMb),
    w.stepsPerSecond > 0 ? formatCompact(w.stepsPerSecond) : DASH,
    formatAge(heartbeatAgeMs(w, now)),
  ];
}

/** The workers table of a state (one row per worker). */
export function workersTable(s: DashboardState): string[] {
  const head = [
    'worker',
    'state',
    'pid',
    'job',
    'episode',
    'jobs',
    'restarts',
    'CPU',
    'memory',
    'steps/s',
    'heartbeat',
  ];
  const right = [true, false, true, false, true, true, true, true, true, true, true];
  return textTable([head, ...s.workers.map((w) => workerRow(w, s.now))], right);
}

/** The jobs table of a state: every trial with its hyperparameters and figures, in plan order. */
export function trialsTable(s: DashboardState): string[] {
  const trials = s.trials ?? [];
  const head = TRIAL_COLUMNS.map((c) => c.title);
  const rows = trials.map((t) => TRIAL_COLUMNS.map((c) => c.text(t)));
  return textTable(
    [head, ...rows],
    TRIAL_COLUMNS.map((c) => c.align === 'right'),
  );
}

/** The whole `status` text: the run, its workers, its jobs. */
export function formatStatus(s: DashboardState): string {
  const p = s.progress;
  const pct = p.episodesTotal > 0 ? Math.floor((100 * p.episodesDone) / p.episodesTotal) : 0;
  const out = [
    `Run ${s.runId ?? DASH} in ${s.resultsDir}: ${supervisorLine(s)}`,
    `${p.jobsDone}/${plural(p.jobsTotal, 'job')} done, ${p.jobsFailed} failed · ${pct}% of episodes · ` +
      `elapsed ${formatDuration(p.elapsedSeconds)}${s.finished ? '' : ` · ETA ${formatDuration(p.etaSeconds)}`}` +
      `${s.runtime ? ` · runtime ${s.runtime}` : ''}`,
    '',
    ...workersTable(s),
  ];
  if ((s.trials ?? []).length > 0) out.push('', ...trialsTable(s));
  for (const problem of s.problems) out.push(`problem: ${problem}`);
  return out.join('\n');
}

/** What `status --json` prints: the run, its workers and its jobs, without logs or curves. */
export function statusJson(s: DashboardState) {
  return {
    runId: s.runId,
    resultsDir: s.resultsDir,
    runtime: s.runtime,
    supervisorConnected: s.supervisorConnected,
    finished: s.finished,
    outcome: s.report?.outcome ?? null,
    progress: s.progress,
    workers: s.workers.map((w) => ({
      workerId: w.workerId,
      state: workerBadge(w).kind,
      process: w.process,
      pid: w.pid,
      jobId: w.jobId,
      episode: w.episode,
      episodes: w.episodes,
      jobsDone: w.jobsDone,
      jobsFailed: w.jobsFailed,
      jobsTotal: w.jobsTotal,
      restarts: w.restarts,
      cpuPct: w.cpuPct ?? null,
      memoryMb: w.memoryMb,
      stepsPerSecond: w.stepsPerSecond,
      heartbeatAt: w.heartbeatAt === null ? null : new Date(w.heartbeatAt).toISOString(),
      lastError: w.lastError,
      logFile: w.logFile,
    })),
    jobs: s.trials ?? [],
    problems: s.problems,
  };
}
