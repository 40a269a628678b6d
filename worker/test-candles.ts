import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

/** The columns the trading core reads; worker/market-data's CandleSeries satisfies it. */
export interface TestCandles {
  times: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The real hourly candles of ../shared/data (beside the clone, also in CI). */
export const SHARED_DATA_DIR = path.resolve(repoRoot, '../shared/data');

const cache = new Map<string, TestCandles>();

/**
 * Test helper: the real candles of `../shared/data/<stem>_data.csv` as typed arrays, parsed with
 * a few lines of csv-parse (no validation: the market-data loader owns that). Each call returns
 * fresh copies, so a test may mutate them.
 */
export function loadTestCandles(stem = 'BTC_USD'): TestCandles {
  let candles = cache.get(stem);
  if (!candles) {
    const file = path.join(SHARED_DATA_DIR, `${stem}_data.csv`);
    const rows: Record<string, string>[] = parse(readFileSync(file, 'utf8'), { columns: true });
    const column = (name: string) => Float64Array.from(rows, (row) => Number(row[name]));
    candles = {
      times: Float64Array.from(rows, (row) => Date.parse(row.Datetime ?? '')),
      open: column('Open'),
      high: column('High'),
      low: column('Low'),
      close: column('Close'),
      volume: column('Volume'),
    };
    cache.set(stem, candles);
  }
  return {
    times: candles.times.slice(),
    open: candles.open.slice(),
    high: candles.high.slice(),
    low: candles.low.slice(),
    close: candles.close.slice(),
    volume: candles.volume.slice(),
  };
}
