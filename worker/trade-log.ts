import type { PositionName } from '../shared/index.js';
import { roundTripEnd, roundTrips } from './metrics.js';

/** An evaluated pass over candles: equity before each hour's trade, and the position held to the next. */
export interface TradedRun {
  /** Candle open times (epoch ms), one per value. */
  times: ArrayLike<number>;
  /** Close of each candle (the fill price of a decision there). */
  close: ArrayLike<number>;
  /** Portfolio value at each close before that close's trade (worker/evaluate.ts EpisodeRun.values). */
  values: ArrayLike<number>;
  /** Position held from candle k to k + 1 (length values.length − 1). */
  positions: ArrayLike<number>;
}

/** One round trip as trades.csv lists it. */
export interface TradeRecord {
  trade: number;
  entryTime: string;
  entryPrice: number;
  exitTime: string;
  exitPrice: number;
  /** Fee of the entry fill, USD. */
  entryFee: number;
  /** Fee of the exit fill, USD (0 for a position still open at the end, marked to market). */
  exitFee: number;
  /** Value after the exit fee minus value before the entry fee, USD (both fees included). */
  pnlUsd: number;
  /** The same in % of the value at entry: exactly the metrics' trade return (metrics.ts). */
  pnlPct: number;
  hours: number;
  /** True when the position was still open at the last candle. */
  open: boolean;
}

/** One hour of equity.csv: the agent's equity and buy-and-hold's at the same close. */
export interface EquityRecord {
  time: string;
  close: number;
  /** The position held from this close to the next; empty on the last row (nothing settles it). */
  position: PositionName | '';
  equity: number;
  buyAndHold: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

function checkLengths(run: TradedRun, where: string): void {
  const n = run.values.length;
  if (run.times.length !== n || run.close.length !== n || run.positions.length !== n - 1) {
    throw new Error(
      `${where}: times (${run.times.length}), close (${run.close.length}) and values (${n}) must align, positions (${run.positions.length}) be one shorter`,
    );
  }
}

/** The round trips of a run with prices, fees and P/L; the same trades the metrics count. */
export function tradeLog(run: TradedRun, feeRate: number): TradeRecord[] {
  checkLengths(run, 'tradeLog');
  return roundTrips(run.positions).map((trip, i) => {
    const end = roundTripEnd(trip);
    const entryValue = run.values[trip.entry]!;
    return {
      trade: i + 1,
      entryTime: iso(run.times[trip.entry]!),
      entryPrice: run.close[trip.entry]!,
      exitTime: iso(run.times[trip.exit]!),
      exitPrice: run.close[trip.exit]!,
      entryFee: entryValue * feeRate,
      exitFee: trip.open ? 0 : run.values[trip.exit]! * feeRate,
      pnlUsd: run.values[end]! - entryValue,
      pnlPct: (run.values[end]! / entryValue - 1) * 100,
      hours: (run.times[trip.exit]! - run.times[trip.entry]!) / 3_600_000,
      open: trip.open,
    };
  });
}

/** Every hour of a run beside buy-and-hold's equity over the same hours. */
export function equityLog(run: TradedRun, buyAndHold: ArrayLike<number>): EquityRecord[] {
  checkLengths(run, 'equityLog');
  if (buyAndHold.length !== run.values.length) {
    throw new Error(`equityLog: buy-and-hold has ${buyAndHold.length} values, the run ${run.values.length}`);
  }
  return Array.from(run.values, (equity, k) => {
    const held = k < run.positions.length ? run.positions[k] : undefined;
    return {
      time: iso(run.times[k]!),
      close: run.close[k]!,
      position: held === undefined ? '' : held === 1 ? 'long' : 'flat',
      equity,
      buyAndHold: buyAndHold[k]!,
    };
  });
}
