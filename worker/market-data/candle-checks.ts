import { type Candle, HOUR_MS, PairDataError } from './candles.js';

/** One finding about a candle file, naming the file and the line. */
export interface DataProblem {
  level: 'error' | 'warning';
  file: string;
  line: number;
  message: string;
}

/** A candle with the line (or row number) it came from, so problems can point at it. */
export interface LocatedCandle extends Candle {
  line: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Checks candles in file order: positive finite prices, High/Low consistent with Open/Close,
 * strictly increasing times on the hourly grid, and gaps.
 *
 * Gaps are counted and reported as warnings; the rows are kept as they are, nothing is filled.
 * Features are computed from consecutive rows, so a gap simply becomes one longer return, which is
 * what really happened to the price; filling would invent flat candles the market never traded.
 */
export function checkCandles(rows: readonly LocatedCandle[], file: string): DataProblem[] {
  const problems: DataProblem[] = [];
  const error = (line: number, message: string) => problems.push({ level: 'error', file, line, message });
  const warn = (line: number, message: string) => problems.push({ level: 'warning', file, line, message });
  let prev: LocatedCandle | undefined;
  for (const row of rows) {
    let pricesOk = true;
    for (const field of ['open', 'high', 'low', 'close'] as const) {
      const v = row[field];
      if (!Number.isFinite(v)) error(row.line, `${field} is not a number`);
      else if (v <= 0) error(row.line, `${field} is ${v}, prices must be positive`);
      else continue;
      pricesOk = false;
    }
    if (!Number.isFinite(row.volume) || row.volume < 0) error(row.line, `volume ${row.volume} is invalid`);
    if (pricesOk && row.high < Math.max(row.open, row.close)) {
      warn(row.line, `high ${row.high} is below max(open ${row.open}, close ${row.close})`);
    }
    if (pricesOk && row.low > Math.min(row.open, row.close)) {
      warn(row.line, `low ${row.low} is above min(open ${row.open}, close ${row.close})`);
    }
    if (prev) {
      const step = row.time - prev.time;
      if (step === 0) error(row.line, `duplicate timestamp ${iso(row.time)} (also on line ${prev.line})`);
      else if (step < 0) error(row.line, `${iso(row.time)} is before ${iso(prev.time)} on line ${prev.line}`);
      else if (step % HOUR_MS !== 0)
        error(row.line, `${iso(row.time)} is not on the hourly grid of line ${prev.line}`);
      else if (step > HOUR_MS) {
        warn(row.line, `gap: ${step / HOUR_MS - 1} hour(s) missing after ${iso(prev.time)}`);
      }
    }
    // An out-of-order row does not move the reference: later rows are compared with the latest time.
    if (!prev || row.time > prev.time) prev = row;
  }
  return problems;
}

const MAX_LISTED_ERRORS = 3;
const MAX_WARNINGS = 20;

/** `file:line: message`, the way every problem is shown. */
export function formatProblem(p: DataProblem): string {
  return `${p.file}:${p.line}: ${p.message}`;
}

/** Throws a PairDataError listing the first few errors, if there are any; returns the warnings. */
export function settleProblems(pair: string, problems: readonly DataProblem[]): string[] {
  const errors = problems.filter((p) => p.level === 'error').sort((a, b) => a.line - b.line);
  if (errors.length > 0) {
    const listed = errors.slice(0, MAX_LISTED_ERRORS).map(formatProblem).join('; ');
    const more = errors.length > MAX_LISTED_ERRORS ? ` (and ${errors.length - MAX_LISTED_ERRORS} more)` : '';
    throw new PairDataError(pair, `${errors.length} data error(s): ${listed}${more}`);
  }
  const warnings = problems
    .filter((p) => p.level === 'warning')
    .sort((a, b) => a.line - b.line)
    .map(formatProblem);
  if (warnings.length <= MAX_WARNINGS) return warnings;
  return [...warnings.slice(0, MAX_WARNINGS), `… and ${warnings.length - MAX_WARNINGS} more warning(s)`];
}
