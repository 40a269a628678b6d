import { stripVTControlCharacters } from 'node:util';
import type { DataSource, MultipleTesting, WorkerView } from '../shared/index.js';

// Pure formatting shared by the three views (Ink, headless, HTTP): numbers, durations, bars, sparklines,
// and how a worker's state reads (symbol + label + colour), so every view says the same thing.

/** Placeholder for a value that is not known yet. */
export const DASH = '—';

const SPARK_CHARS = '▁▂▃▄▅▆▇█';

/** Plain-text columns separated by two spaces; `alignRight[c]` right-aligns column c. */
export function textTable(rows: readonly (readonly string[])[], alignRight: readonly boolean[]): string[] {
  if (rows.length === 0) return [];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => Array.from(r[c] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, c) => {
        const gap = ' '.repeat(widths[c]! - Array.from(cell).length);
        return alignRight[c] ? gap + cell : cell + gap;
      })
      .join('  ')
      .trimEnd(),
  );
}

const CONTROL = /\p{Cc}/u;
/** Control characters but the tab, which is expanded. */
const CONTROLS = /(?!\t)\p{Cc}/gu;

/**
 * Text from outside the program (a worker's log line, an error message) as it can be drawn: escape
 * sequences removed (a stray one could clear or move the screen), tabs expanded to the next multiple of 8,
 * other control characters dropped. Then the views' width of a line is the terminal's.
 */
export function terminalText(text: string): string {
  if (!CONTROL.test(text)) return text;
  const plain = stripVTControlCharacters(text).replace(CONTROLS, '');
  if (!plain.includes('\t')) return plain;
  let out = '';
  let column = 0;
  for (const character of plain) {
    if (character === '\t') {
      const spaces = 8 - (column % 8);
      out += ' '.repeat(spaces);
      column += spaces;
    } else {
      out += character;
      column += 1;
    }
  }
  return out;
}

const ISO_STAMP = /^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)\]\s?/;

/**
 * A log line with its leading ISO time (`[2026-12-02T03:29:59.123Z] `, 27 columns) shortened to the
 * local `03:29:59 ` (9 columns): the day is the run's, and the rest of the line is what matters. Made
 * drawable after the stamp is shortened, so tabs expand from the columns shown.
 */
export function compactLogLine(line: string): string {
  return terminalText(withShortStamp(line));
}

function withShortStamp(line: string): string {
  const m = ISO_STAMP.exec(line);
  const d = m ? new Date(m[1]!) : null;
  if (!m || !d || Number.isNaN(d.getTime())) return line;
  const time = [d.getHours(), d.getMinutes(), d.getSeconds()].map(pad2).join(':');
  return `${time} ${line.slice(m[0].length)}`;
}

/** `1 job`, `2 jobs`: a count with its noun, singular or plural. */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}

/** Formats seconds as `45s`, `12m03s`, `2h05m`, `3d04h`; null or non-finite → `—`. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return DASH;
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${pad2(s % 60)}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${pad2(m % 60)}m`;
  return `${Math.floor(h / 24)}d${pad2(h % 24)}h`;
}

/** Formats an age in milliseconds compactly (`0s`, `14s`, `3m`, `2h`, `4d`); null → `—`. */
export function formatAge(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

/** Formats a signed percentage (`+3.21%`, `-0.50%`); null → `—`. */
export function formatPct(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const fixed = value.toFixed(digits);
  // `-0.00` reads as a loss that is not there.
  if (Number(fixed) === 0) return `${(0).toFixed(digits)}%`;
  return `${value > 0 ? '+' : ''}${fixed}%`;
}

/** Formats a ratio in [0, 1] as an unsigned percentage (`57%`); null → `—`. */
export function formatRatio(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return `${(value * 100).toFixed(digits)}%`;
}

/** Formats a plain number with fixed digits (`1.42`, `-0.30`); null → `—`. */
export function formatFixed(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const fixed = value.toFixed(digits);
  return Number(fixed) === 0 ? (0).toFixed(digits) : fixed;
}

/** Formats a rate or count compactly (`812`, `1.2k`, `3.4M`); null → `—`. */
export function formatCompact(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const abs = Math.abs(value);
  if (abs < 1000) return abs < 10 && !Number.isInteger(value) ? value.toFixed(1) : String(Math.round(value));
  if (abs < 1_000_000) return `${trimZero((value / 1000).toFixed(1))}k`;
  return `${trimZero((value / 1_000_000).toFixed(1))}M`;
}

/** A bar of `width` cells filled to `fraction` (clamped to [0, 1]) with `█`, the rest `░`. */
export function progressBar(fraction: number, width: number): string {
  const w = Math.max(0, Math.floor(width));
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const filled = Math.round(f * w);
  return '█'.repeat(filled) + '░'.repeat(w - filled);
}

/** Sparkline of the last `width` values scaled between their min and max (`▁▂▃▄▅▆▇█`); flat → `▄`s. */
export function sparkline(values: readonly number[], width: number): string {
  const w = Math.max(0, Math.floor(width));
  const recent = values.filter((v) => Number.isFinite(v)).slice(-w);
  if (recent.length === 0) return '';
  const min = Math.min(...recent);
  const max = Math.max(...recent);
  if (max === min) return '▄'.repeat(recent.length);
  const top = SPARK_CHARS.length - 1;
  return recent.map((v) => SPARK_CHARS[Math.round(((v - min) / (max - min)) * top)] ?? '▄').join('');
}

/** Cuts `text` to at most `width` characters, ending with `…` when cut; newlines become spaces. */
export function truncate(text: string, width: number): string {
  const flat = text.replace(/\s*[\r\n]+\s*/g, ' ');
  const chars = Array.from(flat);
  if (width <= 0) return '';
  if (chars.length <= width) return flat;
  return `${chars.slice(0, width - 1).join('')}…`;
}

/** Pads (or truncates) `text` to exactly `width` characters, on the right or on the left. */
export function fitWidth(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = truncate(text, width);
  const gap = ' '.repeat(Math.max(0, width - Array.from(cut).length));
  return align === 'left' ? cut + gap : gap + cut;
}

/** How a worker reads at a glance: one kind, its symbol, label and colour (the symbol works without colour). */
export type WorkerDisplayKind =
  | 'pending'
  | 'starting'
  | 'loading'
  | 'training'
  | 'evaluating'
  | 'saving'
  | 'trading'
  | 'done'
  | 'failed'
  | 'stopped'
  | 'exited'
  | 'backoff'
  | 'stalled';

export interface WorkerBadge {
  kind: WorkerDisplayKind;
  symbol: string;
  label: string;
  /** An Ink/chalk colour name. */
  color: 'gray' | 'cyan' | 'green' | 'blue' | 'magenta' | 'red' | 'yellow' | 'greenBright';
}

const BADGES: Record<WorkerDisplayKind, Omit<WorkerBadge, 'kind'>> = {
  pending: { symbol: '○', label: 'pending', color: 'gray' },
  starting: { symbol: '◌', label: 'starting', color: 'cyan' },
  loading: { symbol: '◐', label: 'loading', color: 'cyan' },
  training: { symbol: '●', label: 'training', color: 'green' },
  evaluating: { symbol: '◆', label: 'evaluating', color: 'blue' },
  saving: { symbol: '▼', label: 'saving', color: 'blue' },
  trading: { symbol: '◈', label: 'trading', color: 'green' },
  done: { symbol: '✔', label: 'done', color: 'greenBright' },
  failed: { symbol: '✖', label: 'failed', color: 'red' },
  stopped: { symbol: '⏸', label: 'stopped', color: 'gray' },
  exited: { symbol: '■', label: 'exited', color: 'yellow' },
  backoff: { symbol: '↻', label: 'backoff', color: 'magenta' },
  stalled: { symbol: '⚠', label: 'stalled', color: 'yellow' },
};

/** Every badge kind in display order (header counts use it). */
export const WORKER_DISPLAY_KINDS = Object.keys(BADGES) as WorkerDisplayKind[];

/** The badge of a kind. */
export function badgeOf(kind: WorkerDisplayKind): WorkerBadge {
  return { kind, ...BADGES[kind] };
}

/**
 * Folds what the supervisor knows (process, stall, backoff) and what the worker says (its state) into one
 * badge. Supervisor facts win: a worker whose status still says `training` but whose process died is failed.
 */
export function workerBadge(worker: Pick<WorkerView, 'state' | 'process' | 'stalled'>): WorkerBadge {
  return badgeOf(workerDisplayKind(worker));
}

function workerDisplayKind(worker: Pick<WorkerView, 'state' | 'process' | 'stalled'>): WorkerDisplayKind {
  if (worker.process === 'backoff') return 'backoff';
  if (worker.process === 'failed' || worker.state === 'failed') return 'failed';
  if (worker.process === 'stopped' || worker.state === 'stopped') return 'stopped';
  if (worker.process === 'done' || worker.state === 'done') return 'done';
  if (worker.process === 'exited') return 'exited';
  if (worker.stalled) return 'stalled';
  if (worker.process === 'pending' && worker.state === null) return 'pending';
  switch (worker.state) {
    case 'training':
      return 'training';
    case 'loading-data':
      return 'loading';
    case 'evaluating':
      return 'evaluating';
    case 'saving':
      return 'saving';
    case 'trading':
      return 'trading';
    default:
      return 'starting';
  }
}

/** How far the worker's current job is, in [0, 1], counting the steps of the episode in progress. */
export function jobFraction(
  worker: Pick<WorkerView, 'episode' | 'episodes' | 'step' | 'stepsPerEpisode'> & {
    state?: WorkerView['state'];
  },
): number {
  if (worker.state === 'done') return 1;
  if (worker.episodes <= 0) return 0;
  const within = worker.stepsPerEpisode > 0 ? Math.min(1, worker.step / worker.stepsPerEpisode) : 0;
  return Math.min(1, Math.max(0, (Math.max(1, worker.episode) - 1 + within) / worker.episodes));
}

/** How a view names the data source; the synthetic market is said loudly, never passed off as real. */
export function dataSourceLabel(source: DataSource): string {
  switch (source) {
    case 'synthetic':
      return 'SYNTHETIC market (not real data)';
    case 'data-dir':
      return 'data: CSV folder';
    case 'offline':
      return 'data: cache (offline)';
    case 'yahoo':
      return 'data: Yahoo Finance';
  }
}

/**
 * What a worker is on: `PAIR<sep>variant` while it has a job, `all N jobs finished` once done,
 * `no job yet` before its first.
 */
export function jobLabel(
  worker: Pick<WorkerView, 'pair' | 'variant' | 'state' | 'jobsDone' | 'jobsFailed' | 'jobsTotal'>,
  separator: string,
): string {
  if (worker.state === 'done') {
    const finished = worker.jobsDone + worker.jobsFailed;
    return finished === worker.jobsTotal
      ? `all ${worker.jobsTotal} jobs finished`
      : `${finished}/${worker.jobsTotal} jobs finished`;
  }
  return worker.pair ? `${worker.pair}${separator}${worker.variant ?? '—'}` : 'no job yet';
}

/** Whole seconds until a backoff restart (never negative); null when none is scheduled. */
export function restartCountdownSeconds(
  worker: Pick<WorkerView, 'nextRestartAt'>,
  now: number,
): number | null {
  if (worker.nextRestartAt === null) return null;
  return Math.max(0, Math.ceil((worker.nextRestartAt - now) / 1000));
}

/** Milliseconds since the worker's last heartbeat; null before its first status. */
export function heartbeatAgeMs(worker: Pick<WorkerView, 'heartbeatAt'>, now: number): number | null {
  return worker.heartbeatAt === null ? null : Math.max(0, now - worker.heartbeatAt);
}

/** The first line of an error message (stack frames dropped), or null. */
export function errorHeadline(error: string | null): string | null {
  if (error === null) return null;
  const first = error.split(/\r?\n/).find((line) => line.trim() !== '');
  return first === undefined ? null : terminalText(first).trim();
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function trimZero(s: string): string {
  return s.endsWith('.0') ? s.slice(0, -2) : s;
}

/** The Sharpe column's title: with the rows' annualisation when they carry one (`Sharpe ×√8760`). */
export function sharpeTitle(rows: readonly { annualization?: number }[]): string {
  const annualization = rows.find((r) => r.annualization)?.annualization;
  return annualization ? `Sharpe ×√${annualization}` : 'Sharpe';
}

/**
 * The correction across the leaderboard in words: how many rows beat buy-and-hold at 5 % after
 * Benjamini–Hochberg, beside how many chance alone would flag (`short` for a title line).
 */
export function significanceCount(m: MultipleTesting, short = false): string {
  const chance = m.expectedByChance.toFixed(2);
  if (short) return `${m.significant}/${m.tested} significant (${chance} by chance)`;
  return `Significant vs buy-and-hold at ${Math.round(m.alpha * 100)} % after Benjamini–Hochberg: ${m.significant} of ${m.tested} (${chance} expected by chance)`;
}

/** A p-value in 5 characters or fewer: `0.94`, `0.004`, `<.001`; null → `—`. */
export function formatPValue(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return DASH;
  if (p < 0.001) return '<.001';
  return p < 0.01 ? p.toFixed(3) : p.toFixed(2);
}

/** A Sharpe interval as `[-1.0, 7.9]`; `—` when either end is unknown. */
export function formatInterval(low: number | null | undefined, high: number | null | undefined): string {
  if (low === null || low === undefined || high === null || high === undefined) return DASH;
  if (!Number.isFinite(low) || !Number.isFinite(high)) return DASH;
  return `[${formatFixed(low, 1)}, ${formatFixed(high, 1)}]`;
}

/**
 * Whether a row beat buy-and-hold after the correction, in words: `yes`, `no`, or `—` when the results
 * carry no significance (older files). Plain text so it reads without colour.
 */
export function formatSignificant(evidence: { significant: boolean } | undefined): string {
  if (!evidence) return DASH;
  return evidence.significant ? 'yes' : 'no';
}
