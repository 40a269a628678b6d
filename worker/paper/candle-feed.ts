import { setTimeout as delay } from 'node:timers/promises';
import { pairDataFile } from '../../shared/index.js';
import {
  type CandleSeries,
  downloadYahooCandles,
  HOUR_MS,
  readCandleCsv,
  sliceCandles,
  type YahooDeps,
} from '../market-data/index.js';

/** Closed candles up to the newest one the feed has released, and which of them to act on. */
export interface FeedBatch {
  /** History and the new candles, oldest first, closed candles only (nothing later is visible). */
  series: CandleSeries;
  /** Index of the first candle to act on; every candle from there to the end is new. */
  from: number;
  /** True when the batch's last candle is the feed's last: it is settled, not decided (replay end). */
  final: boolean;
}

/** Releases closed hourly candles one hour at a time, as a market (or a replay of one) does. */
export interface CandleFeed {
  readonly mode: 'live' | 'replay';
  /** Candles a replay decides in all (null live). */
  readonly total: number | null;
  /**
   * Waits until a candle after `after` (an open time; null: none yet) has closed and returns the
   * batch; null when the feed has nothing after `after` (a replay that ended).
   */
  next(after: number | null, signal: AbortSignal): Promise<FeedBatch | null>;
}

/** A sleep that ends early, quietly, when `signal` aborts. */
export async function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  await delay(ms, undefined, { signal }).catch((error: Error) => {
    if (error.name !== 'AbortError') throw error;
  });
}

export interface ReplayFeedOptions {
  pair: string;
  dir: string;
  /** Hours of replay per hour of wall time. */
  speed: number;
  /** First candle to decide (epoch ms); null: `defaultFrom`, else the first with full history. */
  from: number | null;
  /** Last candle (settled only); null: the end of the file. */
  to: number | null;
  /** Candles of history the first decision needs. */
  warmup: number;
  /** Where to start when `from` is null (the model's held-out start), if the file reaches it. */
  defaultFrom: number | null;
  now?: () => number;
}

/**
 * Stored candles (DIR/PAIR_data.csv) released at `speed`× real time: candle k of the replay
 * becomes visible (3600 / speed) s after candle k − 1. Only candles released so far are in a batch.
 */
export async function replayFeed(options: ReplayFeedOptions): Promise<CandleFeed> {
  const file = pairDataFile(options.dir, options.pair);
  const all = await readCandleCsv(file, options.pair, 'data-dir');
  const n = all.times.length;
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);
  let from = options.from;
  if (from === null && options.defaultFrom !== null && options.defaultFrom < all.times[n - 2]!)
    from = options.defaultFrom;
  let start = options.warmup;
  if (from !== null) while (start < n && all.times[start]! < from) start++;
  let last = n - 1;
  if (options.to !== null) while (last >= 0 && all.times[last]! > options.to) last--;
  if (last - start < 1) {
    throw new Error(
      `${file}: the replay ${from === null ? '' : `from ${iso(from)} `}${options.to === null ? '' : `to ${iso(options.to)} `}has ${Math.max(0, last - start + 1)} candle(s) after the ${options.warmup}-hour feature warm-up; it needs 2 (candles cover ${iso(all.times[0]!)} → ${iso(all.times[n - 1]!)})`,
    );
  }
  const now = options.now ?? Date.now;
  const stepMs = HOUR_MS / options.speed;
  let releasedAt: number | null = null;
  return {
    mode: 'replay',
    total: last - start,
    async next(after, signal) {
      let k = start;
      if (after !== null) while (k <= last && all.times[k]! <= after) k++;
      if (k > last) return null;
      // The first candle after a (re)start comes at once; then one every 3600 / speed seconds.
      if (releasedAt !== null) await sleepUnlessAborted(releasedAt + stepMs - now(), signal);
      if (signal.aborted) return null;
      releasedAt = now();
      // Only what has closed by then, and only the history the features read.
      const first = Math.max(0, k - options.warmup);
      return { series: sliceCandles(all, first, k + 1), from: k - first, final: k === last };
    },
  };
}

export interface LiveFeedOptions {
  pair: string;
  /** Seconds between polls while the next candle is due but Yahoo does not have it yet. */
  pollSeconds: number;
  warmup: number;
  deps?: YahooDeps;
  log?: (line: string) => void;
  /** Waits (tests pass a fake clock's); default a timer that ends early when stopped. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

// Yahoo publishes an hour's candle a little after the hour; ask this long after it closed.
const PUBLISH_DELAY_MS = 20_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Yahoo, polled: once per newly closed hourly candle (shortly after the hour), and every
 * `pollSeconds` while a due candle is not there yet. After downtime every candle closed since
 * `after` comes back in one batch, in order, so none is skipped. A download error is thrown to the
 * trader, which reports it and asks again.
 */
export function liveFeed(options: LiveFeedOptions): CandleFeed {
  const deps = options.deps ?? {};
  const clock = () => (deps.now ?? (() => new Date()))().getTime();
  const sleep = options.sleep ?? sleepUnlessAborted;
  return {
    mode: 'live',
    total: null,
    async next(after, signal) {
      for (;;) {
        if (signal.aborted) return null;
        const now = clock();
        const newestClosed = Math.floor(now / HOUR_MS) * HOUR_MS - HOUR_MS;
        if (after !== null && newestClosed <= after) {
          await sleep(newestClosed + 2 * HOUR_MS + PUBLISH_DELAY_MS - now, signal);
          continue;
        }
        const hours = (after === null ? 0 : (now - after) / HOUR_MS) + options.warmup + 48;
        const series = await downloadYahooCandles(
          options.pair,
          { days: Math.min(730, Math.ceil((hours * HOUR_MS) / DAY_MS) + 1) },
          { ...deps, log: options.log },
        );
        const n = series.times.length;
        let from = n - 1;
        if (after !== null) {
          from = 0;
          while (from < n && series.times[from]! <= after) from++;
        }
        if (from < n && from < options.warmup) {
          throw new Error(
            `${options.pair}: Yahoo's candles start at ${new Date(series.times[0]!).toISOString().slice(0, 16)}, too late to rebuild the features of the candles after ${new Date(after ?? 0).toISOString().slice(0, 16)}`,
          );
        }
        if (from < n) return { series, from, final: false };
        options.log?.(
          `${options.pair}: the candle after ${after === null ? 'start' : new Date(after).toISOString().slice(0, 16)} is not on Yahoo yet; asking again in ${options.pollSeconds} s`,
        );
        await sleep(options.pollSeconds * 1000, signal);
      }
    },
  };
}
