/** Hourly candles of one pair in typed arrays, oldest first, as every later stage reads them. */
export interface CandleSeries {
  pair: string;
  /** Epoch ms, the candle's open time. */
  times: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  source: 'yahoo' | 'cache' | 'data-dir' | 'synthetic';
  /** The CSV it was read from or written to; null when it never touched a file. */
  file: string | null;
  /** Missing hours between consecutive candles (each run of missing hours counts once). */
  gaps: number;
  warnings: string[];
}

/** A per-pair data failure; its message is one line that starts with the pair symbol. */
export class PairDataError extends Error {
  constructor(
    readonly pair: string,
    message: string,
  ) {
    const line = message.replace(/\s*\n\s*/g, ' ');
    super(line.startsWith(pair) ? line : `${pair}: ${line}`);
    this.name = 'PairDataError';
  }
}

export const HOUR_MS = 3_600_000;

/** One candle as plain numbers, the shape parsers and generators build before packing. */
export interface Candle {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Packs candles (already in order) into a series. */
export function seriesFromCandles(
  pair: string,
  candles: readonly Candle[],
  meta: Pick<CandleSeries, 'source' | 'file' | 'warnings'>,
): CandleSeries {
  const n = candles.length;
  const series: CandleSeries = {
    pair,
    times: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
    ...meta,
    gaps: 0,
  };
  candles.forEach((c, i) => {
    series.times[i] = c.time;
    series.open[i] = c.open;
    series.high[i] = c.high;
    series.low[i] = c.low;
    series.close[i] = c.close;
    series.volume[i] = c.volume;
  });
  series.gaps = countGaps(series.times);
  return series;
}

/** Counts the places where consecutive candles are more than one hour apart. */
export function countGaps(times: Float64Array): number {
  let gaps = 0;
  for (let i = 1; i < times.length; i++) if (times[i]! - times[i - 1]! > HOUR_MS) gaps++;
  return gaps;
}

/** Keeps the candles of the last `days` days, counted back from the series' own last candle. */
export function trimToLastDays(series: CandleSeries, days: number): CandleSeries {
  const n = series.times.length;
  if (n === 0) return series;
  // Inclusive bound: a file spanning exactly `days` days (8,761 hourly slots) is kept whole.
  const from = series.times[n - 1]! - days * 24 * HOUR_MS;
  let start = 0;
  while (start < n && series.times[start]! < from) start++;
  return start === 0 ? series : sliceSeries(series, start, n);
}

/** Candles [start, end) of a series, as a series of their own (gaps counted again). */
export function sliceSeries(series: CandleSeries, start: number, end: number): CandleSeries {
  const times = series.times.slice(start, end);
  return {
    ...series,
    times,
    open: series.open.slice(start, end),
    high: series.high.slice(start, end),
    low: series.low.slice(start, end),
    close: series.close.slice(start, end),
    volume: series.volume.slice(start, end),
    gaps: countGaps(times),
  };
}

/** Candles [start, end) of a series, as a series of their own (gaps recounted). */
export function sliceCandles(series: CandleSeries, start: number, end: number): CandleSeries {
  if (start === 0 && end === series.times.length) return series;
  const times = series.times.slice(start, end);
  return {
    ...series,
    times,
    open: series.open.slice(start, end),
    high: series.high.slice(start, end),
    low: series.low.slice(start, end),
    close: series.close.slice(start, end),
    volume: series.volume.slice(start, end),
    gaps: countGaps(times),
  };
}

/**
 * The candles that have closed by `now`: an hourly candle opened at t closes at t + 1 h. Yahoo's
 * last row of a 1h chart can be the hour still forming, on the hourly grid like the rest; its
 * close is only the latest price. Returns the series without it and how many rows were dropped.
 */
export function closedCandles(series: CandleSeries, now: number): { series: CandleSeries; forming: number } {
  let n = series.times.length;
  while (n > 0 && series.times[n - 1]! + HOUR_MS > now) n--;
  return { series: sliceCandles(series, 0, n), forming: series.times.length - n };
}
