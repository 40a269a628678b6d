import { promises as fs } from 'node:fs';
import { type DataSettings, pairDataFile } from '../../shared/index.js';
import { type CandleSeries, HOUR_MS, PairDataError, trimToLastDays } from './candles.js';
import { readCandleCsv, writeCandleCsv } from './csv.js';
import { generateSyntheticCandles } from './synthetic.js';
import { downloadYahooCandles, type YahooDeps } from './yahoo.js';

/** Edges of a load; `seed` only matters to the synthetic source. */
export interface LoadCandlesDeps extends YahooDeps {
  seed?: number;
}

// A download asks for exactly `days` days; Yahoo's first candle may start a little after that.
const START_TOLERANCE_MS = 6 * HOUR_MS;
// A cache whose last candle is older than this is stale for the `yahoo` source.
const FRESH_MS = 3 * HOUR_MS;

const iso = (ms: number | undefined) => (ms === undefined ? '?' : new Date(ms).toISOString().slice(0, 16));

function describe(s: CandleSeries): string {
  const n = s.times.length;
  const where = s.file ? ` (${s.file})` : '';
  return `${s.pair}: ${n} candles from ${s.source}${where}, ${iso(s.times[0])} → ${iso(s.times[n - 1])}, ${s.gaps} gap(s), ${s.warnings.length} warning(s)`;
}

const exists = (file: string) =>
  fs.access(file).then(
    () => true,
    () => false,
  );

/** True when a cached series spans the last `days` days up to a few hours before `now`. */
export function cacheCovers(series: CandleSeries, now: Date, days: number): boolean {
  const n = series.times.length;
  if (n === 0) return false;
  return cacheCoversSpan(series.times[0]!, series.times[n - 1]!, now, days);
}

/** True when candles from `first` to `last` (ms) span the last `days` days up to a few hours before `now`. */
export function cacheCoversSpan(first: number, last: number, now: Date, days: number): boolean {
  const wantedStart = now.getTime() - days * 24 * HOUR_MS;
  return first <= wantedStart + START_TOLERANCE_MS && last >= now.getTime() - FRESH_MS;
}

/**
 * Loads a pair's hourly candles from the source the settings name:
 * `yahoo` (cached CSV when it covers the period, else download and cache), `offline` (cache only,
 * never the network), `data-dir` (DIR/PAIR_data.csv only) or `synthetic` (seeded, and said so).
 * Every failure is a PairDataError naming the pair.
 */
export async function loadCandles(
  pair: string,
  settings: DataSettings,
  deps: LoadCandlesDeps = {},
): Promise<CandleSeries> {
  const log = deps.log ?? (() => {});
  const now = (deps.now ?? (() => new Date()))();
  let series: CandleSeries;
  switch (settings.source) {
    case 'data-dir': {
      if (!settings.dataDir)
        throw new PairDataError(pair, 'source data-dir needs a data folder (--data-dir DIR)');
      series = trimToLastDays(
        await readCandleCsv(pairDataFile(settings.dataDir, pair), pair, 'data-dir'),
        settings.days,
      );
      break;
    }
    case 'offline': {
      const file = pairDataFile(settings.cacheDir, pair);
      if (!(await exists(file))) {
        throw new PairDataError(pair, `no cached candles at ${file} (offline: the network is not used)`);
      }
      series = trimToLastDays(await readCandleCsv(file, pair, 'cache'), settings.days);
      const last = series.times[series.times.length - 1]!;
      if (last < now.getTime() - FRESH_MS) {
        series.warnings.push(`${file}: offline, so not refreshed; its last candle is ${iso(last)}`);
      }
      break;
    }
    case 'synthetic': {
      const seed = deps.seed ?? 0;
      const kind = settings.syntheticKind ?? 'market';
      series = generateSyntheticCandles(pair, { hours: settings.days * 24, seed, end: now, kind });
      log(
        `${pair}: SYNTHETIC ${kind} (seed ${seed}, ${settings.days * 24} hours): generated candles, not real data`,
      );
      break;
    }
    case 'yahoo':
      series = await loadFromYahoo(pair, settings, deps, now);
      break;
  }
  log(describe(series));
  return series;
}

async function loadFromYahoo(
  pair: string,
  settings: DataSettings,
  deps: LoadCandlesDeps,
  now: Date,
): Promise<CandleSeries> {
  const log = deps.log ?? (() => {});
  const file = pairDataFile(settings.cacheDir, pair);
  if (!settings.refresh && (await exists(file))) {
    try {
      const cached = await readCandleCsv(file, pair, 'cache');
      if (cacheCovers(cached, now, settings.days)) return trimToLastDays(cached, settings.days);
      log(`${pair}: cache ${file} does not cover the last ${settings.days} days; downloading`);
    } catch (error) {
      log(`${(error as Error).message}; downloading again`);
    }
  }
  const series = await downloadYahooCandles(pair, { days: settings.days }, deps);
  try {
    await writeCandleCsv(file, series);
    return { ...series, file };
  } catch (error) {
    // The candles are good; a cache that cannot be written only costs a download next time.
    const message = `${file}: cache not written (${(error as Error).message})`;
    log(`${pair}: ${message}`);
    return { ...series, warnings: [...series.warnings, message] };
  }
}
