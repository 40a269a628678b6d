import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import type { DataSettings } from '../../shared/contract.js';
import { pairDataFile } from '../../shared/paths.js';
import { SHARED_DATA_DIR } from '../../test/helpers/real-candles.js';
import { HOUR_MS, PairDataError } from './candles.js';
import { readCandleCsv } from './csv.js';
import { loadCandles } from './load-candles.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sharedData = SHARED_DATA_DIR;
const btcFixture = path.resolve(
  repoRoot,
  '../shared/fixtures/yahoo/chart-BTC-USD-2020-01-01-to-2020-01-03.json',
);

const tempDir = () => fs.mkdtemp(path.join(os.tmpdir(), 'md-load-'));
const settings = (over: Partial<DataSettings>): DataSettings => ({
  source: 'yahoo',
  days: 365,
  interval: '1h',
  cacheDir: '/nonexistent-cache',
  dataDir: null,
  refresh: false,
  ...over,
});
const noNetwork = (async () => {
  throw new Error('the network must not be touched');
}) as typeof fetch;

/** A fake Yahoo: the recorded BTC-USD answer rewritten to hourly rows for the requested range. */
function fakeYahoo() {
  const calls: string[] = [];
  const fetch = (async (input: Parameters<typeof globalThis.fetch>[0]) => {
    const url = new URL(String(input));
    calls.push(url.toString());
    const body = JSON.parse(readFileSync(btcFixture, 'utf8')).response.bodyJson;
    const result = body.chart.result[0];
    const times: number[] = [];
    const p1 = Number(url.searchParams.get('period1'));
    for (let t = Math.ceil(p1 / 3600) * 3600; t < Number(url.searchParams.get('period2')); t += 3600)
      times.push(t);
    const close = times.map((t) => 30000 + ((t / 3600) % 50));
    result.timestamp = times;
    result.indicators.quote = [
      {
        open: close,
        high: close.map((c) => c + 10),
        low: close.map((c) => c - 10),
        close,
        volume: close.map(() => 5),
      },
    ];
    result.indicators.adjclose = [{ adjclose: close }];
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

test('data-dir reads ../shared/data whole with days=365, and trims from the last candle with fewer days', async (t) => {
  const logs: string[] = [];
  const s = await loadCandles('BTC-USD', settings({ source: 'data-dir', dataDir: sharedData }), {
    fetch: noNetwork,
    log: (l) => logs.push(l),
  });
  t.is(s.source, 'data-dir');
  t.is(s.file, pairDataFile(sharedData, 'BTC-USD'));
  t.is(s.times.length, 8760);
  t.is(s.gaps, 1);
  t.regex(
    logs[0] ?? '',
    /^BTC-USD: 8760 candles from data-dir .* 2022-12-30T19:00 → 2023-12-30T19:00, 1 gap\(s\)/,
  );
  const month = await loadCandles('ETH-USD', settings({ source: 'data-dir', dataDir: sharedData, days: 30 }));
  t.is(month.times.length, 30 * 24 + 1);
  t.is(month.times[0], Date.parse('2023-11-30T20:00:00Z'));
  t.is(month.gaps, 0);
});

test('data-dir with a missing file or no folder names the symbol (and the path)', async (t) => {
  const dir = await tempDir();
  const e1 = await t.throwsAsync(loadCandles('DOGE-USD', settings({ source: 'data-dir', dataDir: dir })));
  t.is(e1?.message, `DOGE-USD: no candle file at ${path.join(dir, 'DOGE_USD_data.csv')}`);
  const e2 = await t.throwsAsync(loadCandles('DOGE-USD', settings({ source: 'data-dir' })), {
    instanceOf: PairDataError,
  });
  t.regex(e2?.message ?? '', /^DOGE-USD: source data-dir needs a data folder/);
});

test('offline with no cache: one-line error naming MATIC-USD and the file, no network', async (t) => {
  const dir = await tempDir();
  const error = await t.throwsAsync(
    loadCandles('MATIC-USD', settings({ source: 'offline', cacheDir: dir }), { fetch: noNetwork }),
    { instanceOf: PairDataError },
  );
  t.is(
    error?.message,
    `MATIC-USD: no cached candles at ${path.join(dir, 'MATIC_USD_data.csv')} (offline: the network is not used)`,
  );
  t.false(error?.message.includes('\n'));
});

test('offline with a cache uses it as is (stale or not) and says it was not refreshed', async (t) => {
  const dir = await tempDir();
  await fs.copyFile(pairDataFile(sharedData, 'SOL-USD'), pairDataFile(dir, 'SOL-USD'));
  const s = await loadCandles('SOL-USD', settings({ source: 'offline', cacheDir: dir }), {
    fetch: noNetwork,
    now: () => new Date('2025-01-01T00:00:00Z'),
  });
  t.is(s.source, 'cache');
  t.is(s.times.length, 8760);
  t.regex(s.warnings.at(-1) ?? '', /offline, so not refreshed; its last candle is 2023-12-30T20:00$/);
});

test('yahoo downloads and writes the cache; the next call reuses it without fetching; refresh refetches', async (t) => {
  const dir = await tempDir();
  const yahoo = fakeYahoo();
  let now = new Date('2025-02-20T12:00:00Z');
  const deps = { fetch: yahoo.fetch, now: () => now, sleep: async () => {} };
  const first = await loadCandles('BTC-USD', settings({ cacheDir: dir, days: 60 }), deps);
  t.is(first.source, 'yahoo');
  t.is(first.file, pairDataFile(dir, 'BTC-USD'));
  t.is(first.times.length, 60 * 24);
  t.is(yahoo.calls.length, 1);
  const onDisk = await readCandleCsv(pairDataFile(dir, 'BTC-USD'), 'BTC-USD', 'cache');
  t.deepEqual(onDisk.close, first.close);

  now = new Date(now.getTime() + 2 * HOUR_MS); // still fresh
  const second = await loadCandles('BTC-USD', settings({ cacheDir: dir, days: 30 }), deps);
  t.is(yahoo.calls.length, 1);
  t.is(second.source, 'cache');
  t.is(second.times.length, 30 * 24 + 1);

  await loadCandles('BTC-USD', settings({ cacheDir: dir, days: 30, refresh: true }), deps);
  t.is(yahoo.calls.length, 2);
});

test('yahoo refetches a stale, too short or invalid cache', async (t) => {
  const dir = await tempDir();
  const yahoo = fakeYahoo();
  const logs: string[] = [];
  const deps = {
    fetch: yahoo.fetch,
    now: () => new Date('2025-02-20T12:00:00Z'),
    log: (l: string) => logs.push(l),
  };
  await fs.copyFile(pairDataFile(sharedData, 'BTC-USD'), pairDataFile(dir, 'BTC-USD')); // ends 2023: stale
  t.is((await loadCandles('BTC-USD', settings({ cacheDir: dir, days: 10 }), deps)).source, 'yahoo');
  t.is((await loadCandles('BTC-USD', settings({ cacheDir: dir, days: 20 }), deps)).source, 'yahoo'); // too short
  await fs.writeFile(pairDataFile(dir, 'BTC-USD'), 'garbage\n');
  t.is((await loadCandles('BTC-USD', settings({ cacheDir: dir, days: 10 }), deps)).source, 'yahoo');
  t.is(yahoo.calls.length, 3);
  t.true(logs.some((l) => /header must be .*; downloading again$/.test(l)));
  t.true(logs.some((l) => /does not cover the last 20 days; downloading$/.test(l)));
});

test('synthetic is seeded, sized by days, never touches the network and is logged as synthetic', async (t) => {
  const logs: string[] = [];
  const deps = {
    fetch: noNetwork,
    seed: 42,
    now: () => new Date('2025-02-20T12:00:00Z'),
    log: (l: string) => logs.push(l),
  };
  const a = await loadCandles('BTC-USD', settings({ source: 'synthetic', days: 30 }), deps);
  const b = await loadCandles('BTC-USD', settings({ source: 'synthetic', days: 30 }), deps);
  t.is(a.source, 'synthetic');
  t.is(a.times.length, 720);
  t.deepEqual(a.close, b.close);
  t.is(logs[0], 'BTC-USD: SYNTHETIC market (seed 42, 720 hours): generated candles, not real data');
  const planted = await loadCandles(
    'BTC-USD',
    settings({ source: 'synthetic', days: 30, syntheticKind: 'planted' }),
    deps,
  );
  t.notDeepEqual(planted.close, a.close);
  t.regex(planted.warnings[0]!, /PLANTED-SIGNAL/);
  t.true(logs.includes('BTC-USD: SYNTHETIC planted (seed 42, 720 hours): generated candles, not real data'));
});
