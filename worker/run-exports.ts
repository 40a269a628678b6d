import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { writeFileAtomic } from '../shared/index.js';
import { type EquityRecord, equityLog, type TradedRun, type TradeRecord, tradeLog } from './trade-log.js';

export const TRADES_CSV = 'trades.csv';
export const EQUITY_CSV = 'equity.csv';

const TRADE_COLUMNS: { key: keyof TradeRecord; header: string }[] = [
  { key: 'trade', header: 'trade' },
  { key: 'entryTime', header: 'entry_time' },
  { key: 'entryPrice', header: 'entry_price' },
  { key: 'exitTime', header: 'exit_time' },
  { key: 'exitPrice', header: 'exit_price' },
  { key: 'entryFee', header: 'entry_fee' },
  { key: 'exitFee', header: 'exit_fee' },
  { key: 'pnlUsd', header: 'pnl_usd' },
  { key: 'pnlPct', header: 'pnl_pct' },
  { key: 'hours', header: 'hours' },
  { key: 'open', header: 'open' },
];

const EQUITY_COLUMNS: { key: keyof EquityRecord; header: string }[] = [
  { key: 'time', header: 'time' },
  { key: 'close', header: 'close' },
  { key: 'position', header: 'position' },
  { key: 'equity', header: 'equity' },
  { key: 'buyAndHold', header: 'buy_and_hold' },
];

// Full precision, and booleans as words pandas reads as bool (csv-stringify would write 1 and '').
const CAST = { number: (n: number) => String(n), boolean: (b: boolean) => (b ? 'True' : 'False') };

/** trades.csv text: one row per round trip, a header row, ISO times (pandas: `pd.read_csv(f)`). */
export function tradesCsv(trades: readonly TradeRecord[]): string {
  return stringify(trades as TradeRecord[], { header: true, columns: TRADE_COLUMNS, cast: CAST });
}

/** equity.csv text: one row per hour with the agent's and buy-and-hold's equity. */
export function equityCsv(rows: readonly EquityRecord[]): string {
  return stringify(rows as EquityRecord[], { header: true, columns: EQUITY_COLUMNS, cast: CAST });
}

/** Writes a run's trades.csv and equity.csv into `dir` (each atomically); returns their paths. */
export async function writeRunExports(
  dir: string,
  run: TradedRun,
  buyAndHold: ArrayLike<number>,
  feeRate: number,
): Promise<{ trades: string; equity: string }> {
  const trades = path.join(dir, TRADES_CSV);
  const equity = path.join(dir, EQUITY_CSV);
  await writeFileAtomic(trades, tradesCsv(tradeLog(run, feeRate)));
  await writeFileAtomic(equity, equityCsv(equityLog(run, buyAndHold)));
  return { trades, equity };
}
