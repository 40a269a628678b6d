import path from 'node:path';
import { styleText } from 'node:util';
import {
  type DashboardState,
  episodeKey,
  episodesAfter,
  type FinishedEpisode,
  type StateStore,
  type WorkerView,
} from '../../shared/index.js';
import {
  dataSourceLabel,
  errorHeadline,
  formatAge,
  formatCompact,
  formatDuration,
  formatFixed,
  formatInterval,
  formatPct,
  formatPValue,
  formatRatio,
  formatSignificant,
  plural,
  restartCountdownSeconds,
  sharpeTitle,
  significanceCount,
  textTable,
  workerBadge,
} from '../format.js';
import { paperDecisionLines, paperProgressLine, paperSummary } from './paper-lines.js';

export interface HeadlessReporterOptions {
  store: StateStore;
  /** Receives one finished line at a time, without a newline. */
  write: (line: string) => void;
  /** At most one progress line per this many ms (default 5000). */
  progressEveryMs?: number;
  /** ANSI colours on state changes, errors and problems (FORCE_COLOR, or a terminal without NO_COLOR). */
  color?: boolean;
  now?: () => number;
}

export interface HeadlessReporter {
  /** Prints what the latest state still has to say, then stops listening (idempotent). */
  stop(): void;
  /** The final table: best variant per pair with its metrics and buy-and-hold, then failures. */
  summary(): string;
}

/** What was last printed for a worker, so an unchanged state never prints the same line again. */
interface Printed {
  status: string;
  episode: string;
  error: string | null;
  jobs: string;
}

/** Node's name for a badge colour (`greenBright` is the same word; `gray` too). */
function badgeColor(color: string): Parameters<typeof styleText>[0] {
  return color as Parameters<typeof styleText>[0];
}

function clock(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

function workerLabel(id: number): string {
  return `worker ${id}`;
}

/** The worker's state line and the key that decides when it is worth printing again. */
function statusLine(w: WorkerView, now: number): { key: string; text: string } {
  const badge = workerBadge(w);
  const head = `${workerLabel(w.workerId)}  ${badge.label}`;
  switch (badge.kind) {
    case 'backoff': {
      const wait = restartCountdownSeconds(w, now);
      const why = w.lastExitReason ? ` (${w.lastExitReason})` : '';
      return {
        key: `backoff|${w.restarts}`,
        text: `${head}  restart #${w.restarts} in ${wait ?? '?'}s${why}`,
      };
    }
    case 'failed': {
      const why = w.lastExitReason ?? errorHeadline(w.lastError) ?? 'no reason given';
      return { key: `failed|${why}`, text: `${head}  ${why}` };
    }
    case 'exited':
      return {
        key: `exited|${w.restarts}|${w.lastExitReason}`,
        text: `${head}  ${w.lastExitReason ?? ''}`.trimEnd(),
      };
    case 'stalled': {
      const age = w.heartbeatAt === null ? 'since start' : `for ${formatAge(now - w.heartbeatAt)}`;
      return { key: `stalled|${w.restarts}|${w.jobId}`, text: `${head}  no heartbeat ${age}` };
    }
    case 'done': {
      const failed = w.jobsFailed > 0 ? `, ${w.jobsFailed} failed` : '';
      return { key: 'done', text: `${head}  ${w.jobsDone}/${w.jobsTotal} jobs${failed}` };
    }
    case 'stopped':
    case 'pending':
      return { key: badge.kind, text: head };
    default: {
      const job = w.jobId ? `  ${w.jobId}` : '';
      const ep = w.jobId && w.episodes > 0 ? `  ep ${Math.max(1, w.episode)}/${w.episodes}` : '';
      return { key: `${badge.kind}|${w.jobId}|${w.restarts}|${w.pid}`, text: `${head}${job}${ep}` };
    }
  }
}

/** One line for a finished episode, keyed by job and episode. */
function episodeLine(w: WorkerView, e: FinishedEpisode): { key: string; text: string } {
  // With folds or seeds the episode is counted within its unit (fold × seed); w.episodes is the job's total.
  const unit = e.fold !== undefined ? `fold ${e.fold} seed ${e.seed} ` : '';
  const of = unit === '' && w.episodes > 0 ? `/${w.episodes}` : '';
  const loss = e.loss === null ? '' : `  loss ${e.loss.toFixed(4)}`;
  return {
    key: episodeKey(e),
    text:
      `${workerLabel(w.workerId)}  ${e.jobId}  ${unit}episode ${e.episode}${of}  reward ${formatFixed(e.reward)}` +
      `  in-sample P/L ${formatPct(e.pnlPct)}  ε ${formatFixed(e.epsilon)}  ${formatCompact(e.stepsPerSecond)} steps/s${loss}`,
  };
}

/**
 * The lines of the worker's episodes finished since the one printed last (`printedKey`): a batch of
 * the store can bring several. Without episode records, the reward history still tells that one ended.
 */
function newEpisodeLines(w: WorkerView, printedKey: string): { key: string; text: string }[] {
  const recent = w.recentEpisodes?.length ? w.recentEpisodes : w.lastEpisode ? [w.lastEpisode] : [];
  if (recent.length > 0) {
    // Runs on every batch of the store: only the episodes not printed yet are formatted.
    return episodesAfter(recent, printedKey).map((e) => episodeLine(w, e));
  }
  const last = w.recentRewards.at(-1);
  if (last === undefined || !w.jobId) return [];
  const n = w.recentRewards.length;
  const key = `${w.jobId}#r${n}#${last}`;
  if (key === printedKey) return [];
  return [
    {
      key,
      text: `${workerLabel(w.workerId)}  ${w.jobId}  episode ${n}${w.episodes > 0 ? `/${w.episodes}` : ''}  reward ${formatFixed(last)}`,
    },
  ];
}

function progressLine(s: DashboardState): string {
  const p = s.progress;
  const pct = p.episodesTotal > 0 ? ((100 * p.episodesDone) / p.episodesTotal).toFixed(1) : '0.0';
  const failed = p.jobsFailed > 0 ? `  ${p.jobsFailed} failed` : '';
  return (
    `progress  ${p.jobsDone}/${p.jobsTotal} jobs${failed}  ${p.episodesDone}/${p.episodesTotal} episodes (${pct}%)` +
    `  elapsed ${formatDuration(p.elapsedSeconds)}  ETA ${formatDuration(p.etaSeconds)}`
  );
}

/** A failure to name at the end, sorted into the kinds the summary counts. */
interface SummaryFailure {
  kind: 'job' | 'not-run' | 'worker';
  text: string;
}

/** The failures to name at the end: the report's list, else failed jobs and given-up workers. */
function failuresOf(s: DashboardState): SummaryFailure[] {
  if (s.report) {
    return s.report.failures.map((f) => ({
      kind: f.jobId === null ? 'worker' : f.reason.startsWith('not run') ? 'not-run' : 'job',
      text: `worker ${f.workerId}${f.jobId ? `  ${f.jobId}` : ''}  ${errorHeadline(f.reason) ?? f.reason}`,
    }));
  }
  const out: SummaryFailure[] = [];
  for (const j of s.aggregated?.rankings ?? []) {
    if (j.status === 'failed')
      out.push({
        kind: 'job',
        text: `worker ${j.workerId}  ${j.jobId}  ${errorHeadline(j.error) ?? 'failed'}`,
      });
  }
  for (const w of s.workers) {
    if (w.process === 'failed' || w.state === 'failed') {
      const why = w.lastExitReason ?? errorHeadline(w.lastError) ?? 'failed';
      out.push({ kind: 'worker', text: `worker ${w.workerId}  ${why}` });
    }
  }
  return out;
}

/** What the summary says of its failures, in the same words on its first line and above the list. */
function failureCounts(failures: readonly SummaryFailure[]): string[] {
  const count = (kind: SummaryFailure['kind']) => failures.filter((f) => f.kind === kind).length;
  const jobs = count('job');
  const notRun = count('not-run');
  const workers = count('worker');
  return [
    jobs > 0 ? `${plural(jobs, 'job')} failed` : null,
    notRun > 0 ? `${plural(notRun, 'job')} not run` : null,
    workers > 0 ? `${plural(workers, 'worker')} gave up` : null,
  ].filter((t): t is string => t !== null);
}

/** What the end of a run says beyond the state: whether `--fresh` was asked (then a resume must drop it). */
export interface SummaryOptions {
  fresh?: boolean;
}

/**
 * Renders the final summary of a state: run totals, the leaderboard table, the failures (counted the
 * same way on the first line and above the list), where the report, models and logs are, and after a
 * stop how to resume.
 */
export function formatSummary(s: DashboardState, options: SummaryOptions = {}): string {
  if (s.runKind === 'paper') return [...paperSummary(s), ...paperFailures(s)].join('\n');
  const p = s.progress;
  const failures = failuresOf(s);
  const counts = failureCounts(failures);
  const outcome = s.report ? `  (${s.report.outcome})` : '';
  const source = s.dataSource ? `  · ${dataSourceLabel(s.dataSource)}` : '';
  const failed = counts.length > 0 ? counts.join(', ') : 'no failures';
  const out = [
    `Run ${s.runId ?? '(none yet)'}: ${p.jobsDone}/${plural(p.jobsTotal, 'job')} done, ${failed}, ${formatDuration(p.elapsedSeconds)}${outcome}${source}`,
  ];
  if (s.leaderboard.length === 0) out.push('No finished jobs.');
  else {
    // The significance columns (issue 8) appear once the results carry them; older files keep the table.
    const withEvidence = s.leaderboard.some((r) => r.evidence);
    const rows = [
      [
        'pair',
        'best variant',
        'P/L %',
        'win rate',
        sharpeTitle(s.leaderboard),
        'max DD',
        'trades',
        'B&H P/L %',
        ...(withEvidence ? ['95% CI', 'p B&H', 'p rnd', 'DSR', 'sig'] : []),
      ],
      ...s.leaderboard.map((r) => [
        r.pair,
        r.variant,
        formatPct(r.metrics.pnlPct),
        formatRatio(r.metrics.winRate),
        formatFixed(r.metrics.sharpe),
        `${formatFixed(r.metrics.maxDrawdownPct)}%`,
        String(r.metrics.trades),
        formatPct(r.buyAndHoldPnlPct),
        ...(withEvidence
          ? [
              formatInterval(r.evidence?.sharpeLow, r.evidence?.sharpeHigh),
              formatPValue(r.evidence?.pVsBuyAndHold),
              formatPValue(r.evidence?.pVsRandom),
              formatFixed(r.evidence?.deflatedSharpe),
              formatSignificant(r.evidence),
            ]
          : []),
      ]),
    ];
    out.push(...textTable(rows, [false, false, ...rows[0]!.slice(2).map(() => true)]));
    if (withEvidence) {
      out.push(
        'sig: beats buy-and-hold after Benjamini–Hochberg; 95% CI: block-bootstrap Sharpe interval; ' +
          'p B&H / p rnd: one-sided p vs buy-and-hold and vs matched random policies; DSR: deflated Sharpe',
      );
    }
    const correction = s.aggregated?.multipleTesting;
    if (correction) out.push(significanceCount(correction));
  }
  if (failures.length > 0) {
    out.push(`Failures (${failures.length}: ${counts.join(', ')}):`);
    for (const f of failures) out.push(`  ${f.text}`);
  }
  out.push(...whereThingsAre(s));
  if (
    s.report?.outcome === 'stopped' ||
    (s.finished && !s.report && p.jobsDone + p.jobsFailed < p.jobsTotal)
  ) {
    out.push(
      `Stopped before the end: rerun the same command${options.fresh ? ' without --fresh' : ''} to resume where it stopped.`,
    );
  }
  return out.join('\n');
}

/** Where the run left its report, models and logs (absolute paths, so they can be copied). */
function whereThingsAre(s: DashboardState): string[] {
  const lines: string[] = [];
  if (s.report) lines.push(`Report:  ${path.join(s.resultsDir, 'training_report.json')}`);
  if (s.modelsDir) {
    lines.push(
      `Models:  ${s.modelsDir}  (best per pair: worker_N_PAIR_model/, every job with its out-of-sample trades.csv and equity.csv: jobs/PAIR__variant/)`,
    );
  }
  const ensembles = s.ensembles?.ensembles ?? [];
  if (ensembles.length > 0) {
    lines.push(
      `Ensembles: ${path.dirname(path.dirname(ensembles[0]!.manifest))}  (PAIR/ensemble.json; figures in ${path.join(s.resultsDir, 'ensemble_results.json')})`,
    );
  }
  const logFile = s.workers.find((w) => w.logFile)?.logFile;
  lines.push(`Logs:    ${logFile ? path.dirname(logFile) : path.join(s.resultsDir, 'logs')}`);
  return lines;
}

/** A paper run's failures, listed as the training summary lists them. */
function paperFailures(s: DashboardState): string[] {
  const failures = failuresOf(s);
  if (failures.length === 0) return ['No failures.'];
  return [
    `Failures (${failures.length}: ${failureCounts(failures).join(', ')}):`,
    ...failures.map((f) => `  ${f.text}`),
  ];
}

/** Prints the run as plain lines (CI, pipes, `--headless`): changes, episodes, throttled progress. */
export function startHeadlessReporter(options: HeadlessReporterOptions): HeadlessReporter {
  const { store, write } = options;
  const every = options.progressEveryMs ?? 5_000;
  const now = options.now ?? Date.now;
  const printed = new Map<number, Printed>();
  const problemsSeen = new Set<string>();
  const decisionsSeen = new Map<string, string>();
  let last: DashboardState | null = null;
  let progressKey = '';
  let progressAt = Number.NEGATIVE_INFINITY;
  let finishedPrinted = false;
  let sourcePrinted = false;
  let connected: boolean | null = null;
  let stopped = false;

  const line = (text: string) => write(`[${clock(now())}] ${text}`);
  const paint = (color: Parameters<typeof styleText>[0], text: string) =>
    options.color ? styleText(color, text) : text;

  const emit = () => {
    const s = store.getSnapshot();
    if (s === last) return;
    last = s;
    if (s.mode === 'attach' && connected !== s.supervisorConnected) {
      if (connected !== null || !s.supervisorConnected) {
        line(s.supervisorConnected ? 'supervisor answering' : 'no supervisor answering: read-only view');
      }
      connected = s.supervisorConnected;
    }
    if (s.dataSource && !sourcePrinted) {
      sourcePrinted = true;
      line(dataSourceLabel(s.dataSource));
    }
    for (const w of s.workers) {
      const was = printed.get(w.workerId);
      const p: Printed = was ?? {
        status: '',
        episode: '',
        error: null,
        jobs: `${w.jobsDone}/${w.jobsFailed}`,
      };
      const jobs = `${w.jobsDone}/${w.jobsFailed}`;
      for (const ep of newEpisodeLines(w, p.episode)) {
        p.episode = ep.key;
        line(ep.text);
      }
      if (jobs !== p.jobs) {
        p.jobs = jobs;
        const failed = w.jobsFailed > 0 ? ` (${w.jobsFailed} failed)` : '';
        const pnl = w.lastJobPnlPct === null ? '' : `  last job P/L ${formatPct(w.lastJobPnlPct)}`;
        line(
          `${workerLabel(w.workerId)}  jobs ${w.jobsDone + w.jobsFailed}/${w.jobsTotal} finished${failed}${pnl}`,
        );
      }
      // After the episode and job lines, so a batch reads in the order it happened: the episode
      // ended, the job finished, then the worker moved on to its next job.
      const st = statusLine(w, s.now);
      if (st.key !== p.status) {
        p.status = st.key;
        line(paint(badgeColor(workerBadge(w).color), st.text));
      }
      const error = errorHeadline(w.lastError);
      if (error !== null && error !== p.error)
        line(paint('red', `${workerLabel(w.workerId)}  error  ${error}`));
      p.error = error;
      printed.set(w.workerId, p);
    }
    for (const text of paperDecisionLines(s, decisionsSeen)) line(text);
    for (const problem of s.problems) {
      if (problemsSeen.has(problem)) continue;
      problemsSeen.add(problem);
      line(paint('yellow', `problem  ${problem}`));
    }
    const p = s.progress;
    const paper = s.runKind === 'paper';
    const progress = paper ? paperProgressLine(s) : progressLine(s);
    const key = paper
      ? progress
      : `${p.jobsTotal}|${p.jobsDone}|${p.jobsFailed}|${p.episodesDone}|${p.episodesTotal}`;
    const t = now();
    // The throttle yields once at the end, so the last progress line shows the final counts.
    if (p.jobsTotal > 0 && key !== progressKey && (t - progressAt >= every || s.finished)) {
      progressKey = key;
      progressAt = t;
      line(progress);
    }
    if (s.finished && !finishedPrinted) {
      finishedPrinted = true;
      if (paper)
        line(`paper run finished: ${p.jobsDone}/${p.jobsTotal} traders done, ${p.jobsFailed} failed`);
      else
        line(
          `run finished: ${p.jobsDone}/${plural(p.jobsTotal, 'job')} done, ${p.jobsFailed} failed, in ${formatDuration(p.elapsedSeconds)}`,
        );
    }
  };

  const unsubscribe = store.subscribe(() => {
    // A view must never take the run down: a formatting bug costs a line, not the supervisor.
    try {
      emit();
    } catch (error) {
      write(`[headless] could not print the state: ${String(error)}`);
    }
  });
  emit();

  return {
    stop() {
      if (stopped) return;
      stopped = true;
      unsubscribe();
      emit();
    },
    summary: () => formatSummary(store.getSnapshot()),
  };
}
