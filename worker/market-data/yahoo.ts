import { checkCandles, settleProblems } from './candle-checks.js';
import { type Candle, type CandleSeries, HOUR_MS, PairDataError, seriesFromCandles } from './candles.js';

/** The edges a download touches, injectable so tests run without network or waiting. */
export interface YahooDeps {
  fetch?: typeof fetch;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  log?: (line: string) => void;
  /** Uniform in [0, 1), for the backoff jitter. */
  random?: () => number;
}

export interface YahooRequest {
  period1: Date;
  period2: Date;
  interval: '1h' | '1d';
}

/** Symbols Yahoo renamed, for a hint when the old name has no data. */
const RENAMED: Record<string, string> = { 'MATIC-USD': 'POL-USD' };

const DAY_MS = 24 * HOUR_MS;
const REQUEST_TIMEOUT_MS = 30_000;

/** Yahoo answered with a non-2xx status; `description` is Yahoo's own error text when it gave one. */
export class YahooHttpError extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
  ) {
    super(`HTTP ${status}${description ? `: ${description}` : ''}`);
    this.name = 'YahooHttpError';
  }
}

/** The request never got an answer (DNS, reset, timeout). */
export class YahooNetworkError extends Error {
  override name = 'YahooNetworkError';
}

/**
 * Wraps fetch so that every non-2xx answer becomes a YahooHttpError before yahoo-finance2 sees it.
 * That keeps the status for the retry decision (yahoo-finance2 turns Yahoo's JSON errors into
 * status-less errors) and keeps it from printing the URL to the console on HTTP errors.
 */
function guardFetch(inner: typeof fetch): typeof fetch {
  return (async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    let response: Response;
    try {
      response = await inner(input, init);
    } catch (error) {
      // undici says only "fetch failed"; the cause (ENOTFOUND, ECONNREFUSED, …) is what helps.
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const detail = cause?.code ?? cause?.message;
      const message = (error as Error).message || String(error);
      throw new YahooNetworkError(detail ? `${message} (${detail})` : message);
    }
    if (response.ok) return response;
    const body = await response.text().catch(() => '');
    throw new YahooHttpError(response.status, yahooErrorText(body) || response.statusText);
  }) as typeof fetch;
}

/** Yahoo's `{"chart":{"error":{"description":…}}}`, or '' when the body is something else. */
function yahooErrorText(body: string): string {
  try {
    const json = JSON.parse(body) as Record<string, { error?: { description?: string } } | undefined>;
    return Object.values(json)[0]?.error?.description ?? '';
  } catch {
    return '';
  }
}

const isRetryable = (e: unknown) =>
  e instanceof YahooNetworkError || (e instanceof YahooHttpError && (e.status === 429 || e.status >= 500));

const isUnknownSymbol = (e: unknown) =>
  e instanceof YahooHttpError &&
  (e.status === 404 || (e.status === 400 && /doesn't exist|not found|no data|delisted/i.test(e.description)));

// Yahoo refuses an over-long intraday range with 422 "…must be within the last 730 days".
const isRangeRefused = (e: unknown) =>
  e instanceof YahooHttpError && (e.status === 422 || /requested range|within the last/i.test(e.description));

/** Exponential backoff with equal jitter: half the step fixed, half random; capped. */
export function backoffDelay(attempt: number, random: () => number, baseMs = 1000, capMs = 30_000): number {
  const step = Math.min(capMs, baseMs * 2 ** (attempt - 1));
  return step / 2 + (step / 2) * random();
}

/** Runs `task`, retrying network errors, 429 and 5xx up to `maxAttempts` in all. */
export async function withRetry<T>(
  pair: string,
  task: () => Promise<T>,
  deps: YahooDeps,
  maxAttempts = 4,
): Promise<T> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await task();
    } catch (error) {
      if (!isRetryable(error)) throw error;
      if (attempt >= maxAttempts) {
        const offlineHint =
          error instanceof YahooNetworkError
            ? '; without network, train on cached or supplied candles: --offline, --data-dir DIR or --synthetic'
            : '';
        throw new PairDataError(
          pair,
          `Yahoo request failed after ${attempt} attempts: ${(error as Error).message}${offlineHint}`,
        );
      }
      const ms = backoffDelay(attempt, deps.random ?? Math.random);
      deps.log?.(
        `${pair}: Yahoo ${(error as Error).message}; retry ${attempt + 1}/${maxAttempts} in ${(ms / 1000).toFixed(1)} s`,
      );
      await sleep(ms);
    }
  }
}

/**
 * A yahoo-finance2 client on our fetch that keeps its notices and runtime warnings off the console.
 * The library is loaded on first use: about 5 MB of heap that a run on CSV files or cached candles (and
 * the supervisor, which only checks candles) should not carry.
 */
async function yahooClient(deps: YahooDeps) {
  const { default: YahooFinance } = await import('yahoo-finance2');
  const quiet = () => {};
  const forward = (...args: unknown[]) => {
    const text = args.map(String).join(' ');
    // It warns on every construction that it wants Node ≥ 22; chart() works on our Node 20 (tested).
    if (!/Unsupported environment/.test(text)) deps.log?.(`yahoo-finance2: ${text}`);
  };
  return new YahooFinance({
    fetch: guardFetch(deps.fetch ?? globalThis.fetch),
    suppressNotices: ['yahooSurvey', 'ripHistorical'],
    versionCheck: false,
    validation: { logErrors: false, logOptionsErrors: false },
    logger: { info: quiet, debug: quiet, dir: quiet, warn: forward, error: forward },
  });
}

/** One chart() call (with retries): Yahoo's candles for the range, null rows dropped. */
export async function fetchYahooCandles(
  pair: string,
  request: YahooRequest,
  deps: YahooDeps = {},
  maxAttempts = 4,
): Promise<Candle[]> {
  const yf = await yahooClient(deps);
  const result = await withRetry(
    pair,
    () =>
      yf.chart(
        pair,
        { period1: request.period1, period2: request.period2, interval: request.interval },
        { fetchOptions: { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) } },
      ),
    deps,
    maxAttempts,
  );
  const candles: Candle[] = [];
  for (const q of result.quotes) {
    // Yahoo pads its arrays with nulls for hours without trades; those rows carry no candle.
    if (q.open === null || q.high === null || q.low === null || q.close === null) continue;
    candles.push({
      time: q.date.getTime(),
      open: q.open,
      high: q.high,
      low: q.low,
      close: q.close,
      volume: q.volume ?? 0,
    });
  }
  return candles;
}

/**
 * One request, no retry: does Yahoo answer at all? Any HTTP answer (even 404 for an unknown symbol)
 * counts; only a request that got no answer (DNS, refused, timeout) does not. The preflight asks this
 * once instead of letting every job find out alone.
 */
export async function pingYahoo(
  pair: string,
  deps: YahooDeps = {},
): Promise<{ reachable: true } | { reachable: false; reason: string }> {
  const to = (deps.now ?? (() => new Date()))();
  try {
    await (await yahooClient(deps)).chart(
      pair,
      { period1: new Date(to.getTime() - DAY_MS), period2: to, interval: '1h' },
      { fetchOptions: { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) } },
    );
    return { reachable: true };
  } catch (error) {
    if (error instanceof YahooNetworkError) return { reachable: false, reason: error.message };
    if ((error as Error).name === 'TimeoutError')
      return { reachable: false, reason: 'no answer within 30 s' };
    return { reachable: true };
  }
}

/** Turns what yahoo-finance2 threw into a one-line per-pair error. */
function pairError(pair: string, error: unknown): PairDataError {
  if (error instanceof PairDataError) return error;
  if (isUnknownSymbol(error)) {
    const renamed = RENAMED[pair] ? ` ${pair} became ${RENAMED[pair]}` : '';
    const said = (error as YahooHttpError).message;
    return new PairDataError(
      pair,
      `Yahoo has no data for this symbol (delisted or renamed?${renamed}; Yahoo said ${said})`,
    );
  }
  if (error instanceof YahooHttpError)
    return new PairDataError(pair, `Yahoo refused the request: ${error.message}`);
  return new PairDataError(pair, `Yahoo chart() failed: ${(error as Error).message ?? String(error)}`);
}

/** Splits [from, to) into consecutive windows of at most `days` days. */
export function chunkRange(from: Date, to: Date, days: number): [Date, Date][] {
  const windows: [Date, Date][] = [];
  for (let start = from.getTime(); start < to.getTime(); start += days * DAY_MS) {
    windows.push([new Date(start), new Date(Math.min(to.getTime(), start + days * DAY_MS))]);
  }
  return windows;
}

/**
 * Downloads the last `days` days of closed 1h candles (`keepForming`: with the hour still forming).
 * One request first; if Yahoo refuses the range, asks again in windows of at most `chunkDays` days
 * and merges them.
 */
export async function downloadYahooCandles(
  pair: string,
  options: { days?: number; chunkDays?: number; maxAttempts?: number; keepForming?: boolean } = {},
  deps: YahooDeps = {},
): Promise<CandleSeries> {
  const { days = 365, chunkDays = 180, maxAttempts = 4, keepForming = false } = options;
  const to = (deps.now ?? (() => new Date()))();
  const from = new Date(to.getTime() - days * DAY_MS);
  let candles: Candle[];
  try {
    candles = await fetchYahooCandles(
      pair,
      { period1: from, period2: to, interval: '1h' },
      deps,
      maxAttempts,
    );
  } catch (error) {
    if (!isRangeRefused(error)) throw pairError(pair, error);
    deps.log?.(
      `${pair}: Yahoo refused ${days} days in one request (${(error as Error).message}); asking in ${chunkDays}-day windows`,
    );
    candles = await fetchInChunks(pair, chunkRange(from, to, chunkDays), deps, maxAttempts);
  }
  candles = dropOffGridTail(candles);
  // The hour still forming is not a candle yet (a caller that reports it drops it with closedCandles).
  if (!keepForming) candles = candles.filter((c) => c.time + HOUR_MS <= to.getTime());
  if (candles.length === 0) {
    throw new PairDataError(
      pair,
      `Yahoo returned no 1h candles from ${from.toISOString()} to ${to.toISOString()}`,
    );
  }
  const problems = checkCandles(
    candles.map((c, i) => ({ ...c, line: i + 1 })),
    `yahoo:${pair}`,
  );
  return seriesFromCandles(pair, candles, {
    source: 'yahoo',
    file: null,
    warnings: settleProblems(pair, problems),
  });
}

async function fetchInChunks(
  pair: string,
  windows: [Date, Date][],
  deps: YahooDeps,
  maxAttempts: number,
): Promise<Candle[]> {
  const byTime = new Map<number, Candle>();
  let firstEmpty: unknown;
  for (const [period1, period2] of windows) {
    try {
      for (const c of await fetchYahooCandles(
        pair,
        { period1, period2, interval: '1h' },
        deps,
        maxAttempts,
      )) {
        byTime.set(c.time, c); // windows share their boundary hour
      }
    } catch (error) {
      // A window before the coin was listed has no data; only all-empty means an unknown symbol.
      if (!isUnknownSymbol(error)) throw pairError(pair, error);
      firstEmpty ??= error;
    }
  }
  if (byTime.size === 0 && firstEmpty) throw pairError(pair, firstEmpty);
  return [...byTime.values()].sort((a, b) => a.time - b.time);
}

/** Yahoo's last row is often the live price stamped "now", off the hourly grid; it is not a candle. */
function dropOffGridTail(candles: Candle[]): Candle[] {
  const n = candles.length;
  if (n < 2) return candles;
  const step = candles[n - 1]!.time - candles[n - 2]!.time;
  return step % HOUR_MS === 0 ? candles : candles.slice(0, -1);
}
