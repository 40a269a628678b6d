import { promises as fs } from 'node:fs';
import { type DataSettings, pairDataFile } from '../../shared/index.js';
import { cacheCoversSpan } from './load-candles.js';
import { pingYahoo, type YahooDeps } from './yahoo.js';

/** The first and last candle times of a cached CSV, read from its first and last lines only. */
export async function cachedSpan(file: string): Promise<{ first: number; last: number } | null> {
  let text: string;
  try {
    const handle = await fs.open(file, 'r');
    try {
      const { size } = await handle.stat();
      const head = Buffer.alloc(Math.min(size, 512));
      await handle.read(head, 0, head.length, 0);
      const tail = Buffer.alloc(Math.min(size, 512));
      await handle.read(tail, 0, tail.length, Math.max(0, size - tail.length));
      text = `${head.toString('utf8')}\n${tail.toString('utf8')}`;
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
  const rows = text.split(/\r?\n/).filter((l) => /^\d{4}-\d\d-\d\d/.test(l));
  const first = Date.parse(rows[0]?.split(',')[0] ?? '');
  const last = Date.parse(rows.at(-1)?.split(',')[0] ?? '');
  return Number.isFinite(first) && Number.isFinite(last) ? { first, last } : null;
}

/**
 * Whether candles can be had for every pair from Yahoo: the pairs whose cache covers the period need
 * nothing; for the rest, Yahoo must answer one request. Null when fine, else one line saying what to
 * do. Other sources need no network and are checked by name in the preflight.
 */
export async function candleAvailability(
  pairs: readonly string[],
  settings: DataSettings,
  deps: YahooDeps = {},
): Promise<string | null> {
  if (settings.source !== 'yahoo') return null;
  const now = (deps.now ?? (() => new Date()))();
  const missing: string[] = [];
  for (const pair of pairs) {
    const span = settings.refresh ? null : await cachedSpan(pairDataFile(settings.cacheDir, pair));
    if (span === null || !cacheCoversSpan(span.first, span.last, now, settings.days)) missing.push(pair);
  }
  if (missing.length === 0) return null;
  const ping = await pingYahoo(missing[0]!, deps);
  if (ping.reachable) return null;
  const which =
    missing.length === pairs.length
      ? `none of the ${pairs.length} pair${pairs.length === 1 ? '' : 's'} is`
      : `${missing.length} of ${pairs.length} pairs are not`;
  return (
    `cannot reach Yahoo Finance (${ping.reason}) and ${which} in the cache ${settings.cacheDir}` +
    `${settings.refresh ? ' (--refresh asks for a download)' : ''}: without network, train on cached or ` +
    'supplied candles: --offline, --data-dir DIR or --synthetic'
  );
}
