import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import type { DataSettings } from '../../shared/index.js';
import { cachedSpan, candleAvailability } from './candle-availability.js';

const offlineFetch = (async () => {
  throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } });
}) as unknown as typeof fetch;

function settings(cacheDir: string, overrides: Partial<DataSettings> = {}): DataSettings {
  return { source: 'yahoo', days: 2, interval: '1h', cacheDir, dataDir: null, refresh: false, ...overrides };
}

function csv(from: number, hours: number): string {
  const rows = ['Datetime,Open,High,Low,Close,Adj Close,Volume'];
  for (let i = 0; i < hours; i++) rows.push(`${new Date(from + i * 3_600_000).toISOString()},1,1,1,1,1,1`);
  return `${rows.join('\n')}\n`;
}

// Issue 13, item 1: without network, every job asked Yahoo on its own (60 identical failures).
test('without network and without a covering cache: one request, one line saying what to do', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-avail-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  let requests = 0;
  const fetch = (async (...args: Parameters<typeof globalThis.fetch>) => {
    requests++;
    return offlineFetch(...args);
  }) as typeof globalThis.fetch;
  const message = await candleAvailability(['BTC-USD', 'ETH-USD', 'SOL-USD'], settings(dir), { fetch });
  t.is(requests, 1);
  t.regex(
    message ?? '',
    /^cannot reach Yahoo Finance \(fetch failed \(ENOTFOUND\)\) and none of the 3 pairs is in the cache/,
  );
  t.regex(message ?? '', /--offline, --data-dir DIR or --synthetic$/);
});

test('a cache that covers the period needs no request; another source needs none either', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-avail-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const now = new Date('2025-06-01T12:00:00Z');
  writeFileSync(path.join(dir, 'BTC_USD_data.csv'), csv(now.getTime() - 3 * 24 * 3_600_000, 3 * 24));
  t.deepEqual(await cachedSpan(path.join(dir, 'BTC_USD_data.csv')), {
    first: now.getTime() - 3 * 24 * 3_600_000,
    last: now.getTime() - 3_600_000,
  });
  t.is(await candleAvailability(['BTC-USD'], settings(dir), { fetch: offlineFetch, now: () => now }), null);
  // --refresh asks for a download: then Yahoo must answer.
  t.regex(
    (await candleAvailability(['BTC-USD'], settings(dir, { refresh: true }), {
      fetch: offlineFetch,
      now: () => now,
    })) ?? '',
    /--refresh asks for a download/,
  );
  t.is(
    await candleAvailability(['BTC-USD'], settings(dir, { source: 'synthetic' }), { fetch: offlineFetch }),
    null,
  );
});

test('Yahoo answering anything (even 404 for one symbol) means candles can be asked for', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-avail-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const notFound = (async () =>
    new Response(
      JSON.stringify({ chart: { error: { description: 'No data found, symbol may be delisted' } } }),
      {
        status: 404,
      },
    )) as unknown as typeof fetch;
  t.is(await candleAvailability(['NOPE-USD'], settings(dir), { fetch: notFound }), null);
});
