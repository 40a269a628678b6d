import type { PriceSeries } from '../features.js';

/** Candles as columns (this project's CandleSeries satisfies it), epoch-ms open times. */
export interface CandleColumns {
  times: ArrayLike<number>;
  close: ArrayLike<number>;
  high: ArrayLike<number>;
  low: ArrayLike<number>;
  volume: ArrayLike<number>;
}

/** One candle as a row; `time` (or yahoo-finance2's `date`) is the open time: epoch ms, Date or ISO text. */
export interface CandleRow {
  time?: number | Date | string;
  date?: number | Date | string;
  high: number;
  low: number;
  close: number;
  volume?: number | null;
}

/** What `actions()` accepts: columns, or rows oldest first. */
export type CandlesInput = CandleColumns | readonly CandleRow[];

function timeOf(value: number | Date | string | undefined, index: number): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : value;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new Error(`candles[${index}]: time is ${String(value)}, need epoch ms, a Date or ISO text`);
  }
  return ms;
}

/** Columns in Float64Arrays from either input shape; times must increase (each problem names its candle). */
export function toPriceSeries(candles: CandlesInput): PriceSeries {
  let series: PriceSeries;
  if (Array.isArray(candles)) {
    const rows = candles as readonly CandleRow[];
    series = {
      times: Float64Array.from(rows, (row, i) => timeOf(row.time ?? row.date, i)),
      close: Float64Array.from(rows, (row) => row.close),
      high: Float64Array.from(rows, (row) => row.high),
      low: Float64Array.from(rows, (row) => row.low),
      volume: Float64Array.from(rows, (row) => row.volume ?? 0),
    };
  } else {
    const c = candles as CandleColumns;
    for (const key of ['times', 'close', 'high', 'low', 'volume'] as const) {
      if (!c[key] || typeof c[key].length !== 'number') throw new Error(`candles.${key} is missing`);
    }
    series = {
      times: Float64Array.from(c.times),
      close: Float64Array.from(c.close),
      high: Float64Array.from(c.high),
      low: Float64Array.from(c.low),
      volume: Float64Array.from(c.volume),
    };
  }
  for (let i = 1; i < series.times.length; i++) {
    if (!(series.times[i]! > series.times[i - 1]!)) {
      throw new Error(
        `candles[${i}]: time ${new Date(series.times[i]!).toISOString()} is not after the candle before it; candles go oldest first`,
      );
    }
  }
  return series;
}
