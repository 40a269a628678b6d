import { promises as fs } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { writeFileAtomic } from '../../shared/index.js';
import { checkCandles, type DataProblem, type LocatedCandle, settleProblems } from './candle-checks.js';
import { type CandleSeries, PairDataError, seriesFromCandles } from './candles.js';

/** Yahoo's hourly CSV layout, the format of `data/PAIR_data.csv`. */
export const CANDLE_CSV_HEADER = ['Datetime', 'Open', 'High', 'Low', 'Close', 'Adj Close', 'Volume'] as const;

// An explicit zone is required: a bare `2023-01-01 00:00` would be read in the machine's local time.
const HAS_ZONE = /(Z|[+-]\d\d:?\d\d)$/i;

/** Parses the text of a candle CSV into located candles and the problems found (nothing thrown). */
export function parseCandleCsv(
  text: string,
  file: string,
): { candles: LocatedCandle[]; problems: DataProblem[] } {
  const problems: DataProblem[] = [];
  const error = (line: number, message: string) => problems.push({ level: 'error', file, line, message });
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // With `info: true` each record comes as { record, info }; the typings only know string[][].
    records = parse(text, {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
    }) as unknown as typeof records;
  } catch (e) {
    const line = (e as { lines?: number }).lines ?? 1;
    error(line, `unreadable CSV (${(e as Error).message})`);
    return { candles: [], problems };
  }
  const [head, ...rows] = records;
  if (!head || head.record.join(',') !== CANDLE_CSV_HEADER.join(',')) {
    error(
      head?.info.lines ?? 1,
      `header must be "${CANDLE_CSV_HEADER.join(',')}", got "${head?.record.join(',') ?? ''}"`,
    );
    return { candles: [], problems };
  }
  if (rows.length === 0) error(head.info.lines, 'no candles after the header');
  const candles: LocatedCandle[] = [];
  for (const { record, info } of rows) {
    const line = info.lines;
    if (record.length !== CANDLE_CSV_HEADER.length) {
      error(line, `expected ${CANDLE_CSV_HEADER.length} fields, got ${record.length}`);
      continue;
    }
    const [datetime, open, high, low, close, , volume] = record as [string, ...string[]];
    const time = HAS_ZONE.test(datetime) ? Date.parse(datetime) : Number.NaN;
    if (Number.isNaN(time)) {
      error(
        line,
        `unparseable timestamp "${datetime}" (expected ISO 8601 with a zone, e.g. 2023-01-01T00:00:00.000Z)`,
      );
      continue;
    }
    const numbers = { open, high, low, close, volume };
    let missing = false;
    for (const [field, raw] of Object.entries(numbers)) {
      if (raw === undefined || raw === '') {
        error(line, `${field} is missing`);
        missing = true;
      }
    }
    if (missing) continue;
    candles.push({
      line,
      time,
      open: Number(open),
      high: Number(high),
      low: Number(low),
      close: Number(close),
      volume: Number(volume),
    });
  }
  problems.push(...checkCandles(candles, file));
  return { candles, problems };
}

/** Reads and validates a candle CSV; errors throw a PairDataError naming the file and lines. */
export async function readCandleCsv(
  file: string,
  pair: string,
  source: CandleSeries['source'] = 'data-dir',
): Promise<CandleSeries> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new PairDataError(
      pair,
      code === 'ENOENT' ? `no candle file at ${file}` : `cannot read ${file}: ${code}`,
    );
  }
  const { candles, problems } = parseCandleCsv(text, file);
  const warnings = settleProblems(pair, problems);
  return seriesFromCandles(pair, candles, { source, file, warnings });
}

/** Formats a series in Yahoo's CSV layout (Adj Close = Close; shortest exact number strings). */
export function formatCandleCsv(series: CandleSeries): string {
  const lines = [CANDLE_CSV_HEADER.join(',')];
  for (let i = 0; i < series.times.length; i++) {
    const close = series.close[i];
    lines.push(
      [
        new Date(series.times[i]!).toISOString(),
        series.open[i],
        series.high[i],
        series.low[i],
        close,
        close,
        series.volume[i],
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Writes a series as CSV atomically: temp file in the same folder, fsync, rename. */
export async function writeCandleCsv(file: string, series: CandleSeries): Promise<void> {
  await writeFileAtomic(file, formatCandleCsv(series));
}
