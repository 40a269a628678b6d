import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Candle, type CandleSeries, seriesFromCandles } from '../../worker/market-data/candles.js';
import { parseCandleCsv } from '../../worker/market-data/csv.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The real hourly candles (read-only; see ../shared/data/README.md), beside the clone in CI too. */
export const SHARED_DATA_DIR = path.resolve(repoRoot, '..', 'shared', 'data');

const cache = new Map<string, CandleSeries>();

/**
 * The real candles of `../shared/data/<stem>_data.csv`, read with the project's own CSV parser.
 * Each call returns fresh arrays, so a test may change them.
 */
export function loadRealCandles(stem = 'BTC_USD'): CandleSeries {
  let series = cache.get(stem);
  if (!series) {
    const file = path.join(SHARED_DATA_DIR, `${stem}_data.csv`);
    const { candles, problems } = parseCandleCsv(readFileSync(file, 'utf8'), file);
    const errors = problems.filter((p) => p.level === 'error');
    if (errors.length > 0) throw new Error(`${file}: ${errors[0]!.message} (line ${errors[0]!.line})`);
    series = seriesFromCandles(stem.replace('_', '-'), candles, { source: 'data-dir', file, warnings: [] });
    cache.set(stem, series);
  }
  return {
    ...series,
    times: series.times.slice(),
    open: series.open.slice(),
    high: series.high.slice(),
    low: series.low.slice(),
    close: series.close.slice(),
    volume: series.volume.slice(),
    warnings: [...series.warnings],
  };
}

/** The candles of a series as rows, those whose open time passes `keep` (e.g. a Yahoo answer's window). */
export function candleRows(series: CandleSeries, keep: (time: number) => boolean = () => true): Candle[] {
  const rows: Candle[] = [];
  series.times.forEach((time, i) => {
    if (!keep(time)) return;
    rows.push({
      time,
      open: series.open[i]!,
      high: series.high[i]!,
      low: series.low[i]!,
      close: series.close[i]!,
      volume: series.volume[i]!,
    });
  });
  return rows;
}
