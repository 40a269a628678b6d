import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { HOUR_MS, PairDataError } from './candles.js';
import {
  backoffDelay,
  chunkRange,
  downloadYahooCandles,
  fetchYahooCandles,
  type YahooDeps,
} from './yahoo.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = path.resolve(repoRoot, '../shared/fixtures/yahoo');

interface Recorded {
  response: { status: number; statusText: string; body?: string; bodyJson?: unknown };
}
const recorded = (name: string) => JSON.parse(readFileSync(path.join(fixtures, name), 'utf8')) as Recorded;
const BTC = 'chart-BTC-USD-2020-01-01-to-2020-01-03.json';
const TSLA_1H = 'chart-TSLA-2025-01-01-to-2025-01-02-interval-1h.json';
const SIX = 'chart-SIX-2020-01-01-to-2020-01-03-delisted-404.json';
const BFLY = 'chart-BFLY-2020-01-01-to-2020-01-03-no-data-400.json';

/** A Response replaying a recorded exchange (either recording format). */
function replay(rec: Recorded): Response {
  const r = rec.response;
  return new Response(r.body ?? JSON.stringify(r.bodyJson), {
    status: r.status,
    statusText: r.statusText,
    headers: { 'content-type': 'application/json;charset=utf-8' },
  });
}

/** A fake fetch answering from `answer(url, call)`; records URLs. Throwing an Error simulates a network failure. */
function fakeFetch(answer: (url: URL, call: number) => Response | Error) {
  const urls: URL[] = [];
  const fetch = (async (input: Parameters<typeof globalThis.fetch>[0]) => {
    const url = new URL(String(input));
    urls.push(url);
    const a = answer(url, urls.length);
    if (a instanceof Error) throw a;
    return a;
  }) as typeof globalThis.fetch;
  return { fetch, urls };
}

/** The recorded BTC-USD answer rewritten to hourly rows covering [period1, period2) of the URL. */
function hourlyBtc(
  url: URL,
  patch?: (times: number[], q: Record<string, (number | null)[]>) => void,
): Response {
  const rec = recorded(BTC);
  const body = structuredClone(rec.response.bodyJson) as {
    chart: {
      result: [
        {
          timestamp: number[];
          indicators: { quote: [Record<string, (number | null)[]>]; adjclose: unknown };
        },
      ];
    };
  };
  const p1 = Number(url.searchParams.get('period1'));
  const p2 = Number(url.searchParams.get('period2'));
  const times: number[] = [];
  for (let t = Math.ceil(p1 / 3600) * 3600; t < p2; t += 3600) times.push(t);
  const price = (t: number) => 20000 + ((t / 3600) % 100);
  const q: Record<string, (number | null)[]> = {
    open: times.map(price),
    high: times.map((t) => price(t) + 5),
    low: times.map((t) => price(t) - 5),
    close: times.map((t) => price(t) + 1),
    volume: times.map(() => 1e6),
  };
  patch?.(times, q);
  const result = body.chart.result[0];
  result.timestamp = times;
  result.indicators.quote = [q];
  result.indicators.adjclose = [{ adjclose: q.close }];
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
}

const NOW = new Date('2025-02-20T12:00:00Z');
function deps(fetch: typeof globalThis.fetch, extra: Partial<YahooDeps> = {}) {
  const sleeps: number[] = [];
  const logs: string[] = [];
  const d: YahooDeps = {
    fetch,
    now: () => NOW,
    sleep: async (ms) => void sleeps.push(ms),
    log: (line) => logs.push(line),
    random: () => 0.5,
    ...extra,
  };
  return { d, sleeps, logs };
}
const status = (code: number, text = '') =>
  new Response(text, { status: code, statusText: `status ${code}` });

test('recorded BTC-USD daily answer parses into candles', async (t) => {
  const { fetch, urls } = fakeFetch(() => replay(recorded(BTC)));
  const candles = await fetchYahooCandles(
    'BTC-USD',
    { period1: new Date('2020-01-01'), period2: new Date('2020-01-03'), interval: '1d' },
    deps(fetch).d,
  );
  t.is(candles.length, 3);
  t.deepEqual(candles[0], {
    time: Date.parse('2020-01-01T00:00:00Z'),
    open: 7194.89208984375,
    high: 7254.33056640625,
    low: 7174.9443359375,
    close: 7200.17431640625,
    volume: 18565664997,
  });
  t.is(urls[0]?.pathname, '/v8/finance/chart/BTC-USD');
  t.is(urls[0]?.searchParams.get('interval'), '1d');
  t.is(urls[0]?.searchParams.get('period1'), '1577836800');
});

test('hourly download: null rows and the live off-grid last row are dropped, series is validated', async (t) => {
  const { fetch, urls } = fakeFetch((url) =>
    hourlyBtc(url, (times, q) => {
      for (const k of ['open', 'high', 'low', 'close']) q[k]![5] = null; // an hour Yahoo padded with nulls
      times.push(times[times.length - 1]! + 1234); // the live price, stamped "now"
      for (const k of Object.keys(q)) q[k]!.push(20000);
    }),
  );
  const s = await downloadYahooCandles('BTC-USD', { days: 10 }, deps(fetch).d);
  t.is(urls.length, 1);
  t.is(urls[0]?.searchParams.get('interval'), '1h');
  t.is(Number(urls[0]?.searchParams.get('period2')) * 1000, NOW.getTime());
  t.is(Number(urls[0]?.searchParams.get('period1')) * 1000, NOW.getTime() - 10 * 24 * HOUR_MS);
  t.is(s.source, 'yahoo');
  t.is(s.times.length, 10 * 24 - 1);
  t.is(s.gaps, 1);
  t.is(s.warnings.length, 1);
  t.regex(s.warnings[0] ?? '', /^yahoo:BTC-USD:6: gap: 1 hour\(s\) missing/);
  t.is(s.times[s.times.length - 1], NOW.getTime() - HOUR_MS);
});

test('the recorded 1h holiday answer (no timestamps) is a clear empty-data error', async (t) => {
  const { fetch } = fakeFetch(() => replay(recorded(TSLA_1H)));
  const candles = await fetchYahooCandles(
    'TSLA',
    { period1: new Date('2025-01-01'), period2: new Date('2025-01-02'), interval: '1h' },
    deps(fetch).d,
  );
  t.deepEqual(candles, []);
  const error = await t.throwsAsync(downloadYahooCandles('TSLA', { days: 1 }, deps(fetch).d), {
    instanceOf: PairDataError,
  });
  t.is(
    error?.message,
    'TSLA: Yahoo returned no 1h candles from 2025-02-19T12:00:00.000Z to 2025-02-20T12:00:00.000Z',
  );
});

test('recorded 404 delisted and 400 no-data answers are PairDataErrors naming the symbol, not retried', async (t) => {
  for (const [pair, file, said] of [
    ['SIX', SIX, 'HTTP 404: No data found, symbol may be delisted'],
    ['BFLY', BFLY, "HTTP 400: Data doesn't exist for startDate = 1577836800, endDate = 1578009600"],
  ] as const) {
    const { fetch, urls } = fakeFetch(() => replay(recorded(file)));
    const error = await t.throwsAsync(downloadYahooCandles(pair, {}, deps(fetch).d), {
      instanceOf: PairDataError,
    });
    t.is(error?.pair, pair);
    t.is(
      error?.message,
      `${pair}: Yahoo has no data for this symbol (delisted or renamed?; Yahoo said ${said})`,
    );
    t.is(urls.length, 1);
  }
});

test('MATIC-USD with no data names the rename to POL-USD', async (t) => {
  const { fetch } = fakeFetch(() => replay(recorded(SIX)));
  const error = await t.throwsAsync(downloadYahooCandles('MATIC-USD', {}, deps(fetch).d));
  t.regex(
    error?.message ?? '',
    /^MATIC-USD: Yahoo has no data for this symbol \(delisted or renamed\? MATIC-USD became POL-USD;/,
  );
});

test('503, 429 and network errors are retried with backoff, without real waiting', async (t) => {
  for (const first of [status(503, '<html>busy</html>'), status(429), new TypeError('fetch failed')]) {
    const { fetch, urls } = fakeFetch((url, call) => (call === 1 ? first : hourlyBtc(url)));
    const { d, sleeps, logs } = deps(fetch);
    const s = await downloadYahooCandles('BTC-USD', { days: 2 }, d);
    t.is(urls.length, 2);
    t.is(s.times.length, 48);
    t.deepEqual(sleeps, [750]); // attempt 1: step 1000 ms, half fixed + half × random 0.5
    t.regex(logs[0] ?? '', /^BTC-USD: Yahoo .*; retry 2\/4 in 0\.8 s$/);
  }
});

test('repeated 500s give up after maxAttempts with a clear error', async (t) => {
  const { fetch, urls } = fakeFetch(() => status(500));
  const { d, sleeps } = deps(fetch);
  const error = await t.throwsAsync(downloadYahooCandles('ETH-USD', { maxAttempts: 5 }, d), {
    instanceOf: PairDataError,
  });
  t.is(error?.message, 'ETH-USD: Yahoo request failed after 5 attempts: HTTP 500: status 500');
  t.is(urls.length, 5);
  t.deepEqual(sleeps, [750, 1500, 3000, 6000]);
});

test('other 4xx are not retried', async (t) => {
  const { fetch, urls } = fakeFetch(() => status(403, 'forbidden'));
  const error = await t.throwsAsync(downloadYahooCandles('ETH-USD', {}, deps(fetch).d));
  t.is(error?.message, 'ETH-USD: Yahoo refused the request: HTTP 403: status 403');
  t.is(urls.length, 1);
});

test('a refused long range is asked again in windows and merged without duplicates', async (t) => {
  const refusal = JSON.stringify({
    chart: {
      result: null,
      error: {
        code: 'Unprocessable Entity',
        description: 'The requested range must be within the last 730 days.',
      },
    },
  });
  const { fetch, urls } = fakeFetch((url) => {
    const span = Number(url.searchParams.get('period2')) - Number(url.searchParams.get('period1'));
    return span > 200 * 86400 ? new Response(refusal, { status: 422 }) : hourlyBtc(url);
  });
  const { d, logs } = deps(fetch);
  const s = await downloadYahooCandles('BTC-USD', { days: 400, chunkDays: 180 }, d);
  t.is(urls.length, 4); // the refused one, then 180 + 180 + 40 days
  t.is(s.times.length, 400 * 24);
  t.is(s.gaps, 0);
  t.regex(logs[0] ?? '', /asking in 180-day windows/);
});

test('backoffDelay doubles, jitters within [step/2, step] and caps', (t) => {
  t.is(
    backoffDelay(1, () => 0),
    500,
  );
  t.is(
    backoffDelay(1, () => 0.999999),
    999.9995,
  );
  t.is(
    backoffDelay(3, () => 0),
    2000,
  );
  t.is(
    backoffDelay(20, () => 0),
    15_000,
  );
  t.deepEqual(
    chunkRange(new Date(0), new Date(5 * 86_400_000), 2).map(([a, b]) => [
      a.getTime() / 86_400_000,
      b.getTime() / 86_400_000,
    ]),
    [
      [0, 2],
      [2, 4],
      [4, 5],
    ],
  );
});

test.serial('yahoo-finance2 prints nothing to the console, even on errors', async (t) => {
  const printed: string[] = [];
  const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error };
  for (const k of Object.keys(saved) as (keyof typeof saved)[])
    console[k] = (...a: unknown[]) => printed.push(a.join(' '));
  try {
    const { fetch } = fakeFetch(() => replay(recorded(SIX)));
    await t.throwsAsync(downloadYahooCandles('SIX', {}, deps(fetch).d));
    const ok = fakeFetch((url) => hourlyBtc(url));
    await downloadYahooCandles('BTC-USD', { days: 1 }, deps(ok.fetch).d);
  } finally {
    Object.assign(console, saved);
  }
  t.deepEqual(printed, []);
});

test('the hour still forming, on the hourly grid like the others, is not a candle', async (t) => {
  const now = new Date('2025-02-20T12:25:00Z');
  const { fetch } = fakeFetch((url) => hourlyBtc(url));
  const s = await downloadYahooCandles('BTC-USD', { days: 2 }, deps(fetch, { now: () => now }).d);
  // Yahoo's rows run to 12:00, the hour that closes at 13:00; the last closed candle opened at 11:00.
  t.is(s.times[s.times.length - 1], Date.parse('2025-02-20T11:00:00Z'));
  t.is(s.times[0], Date.parse('2025-02-18T13:00:00Z'));
  t.is(s.times.length, 47);
});
