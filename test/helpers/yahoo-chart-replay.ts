import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Candle } from '../../worker/market-data/index.js';
import { repoRoot } from './run-fixture.js';

/** The recorded Yahoo fixtures (../shared/fixtures/yahoo, read-only). */
export const YAHOO_FIXTURES = path.resolve(repoRoot, '..', 'shared', 'fixtures', 'yahoo');

interface ChartBody {
  chart: {
    result: [
      {
        meta: Record<string, unknown>;
        timestamp: number[];
        indicators: { quote: [Record<string, (number | null)[]>]; adjclose: unknown };
      },
    ];
  };
}

/**
 * Yahoo's answer to a 1h chart request carrying `candles`: the recorded BTC-USD chart response
 * (its envelope, meta and headers as Yahoo sent them) with its rows replaced, as yahoo.test.ts does.
 */
export function hourlyChartResponse(candles: readonly Candle[]): Response {
  const recorded = JSON.parse(
    readFileSync(path.join(YAHOO_FIXTURES, 'chart-BTC-USD-2020-01-01-to-2020-01-03.json'), 'utf8'),
  ) as { response: { bodyJson: ChartBody } };
  const body = structuredClone(recorded.response.bodyJson);
  const result = body.chart.result[0];
  result.meta = { ...result.meta, dataGranularity: '1h' };
  result.timestamp = candles.map((c) => Math.round(c.time / 1000));
  const quote = {
    open: candles.map((c) => c.open),
    high: candles.map((c) => c.high),
    low: candles.map((c) => c.low),
    close: candles.map((c) => c.close),
    volume: candles.map((c) => c.volume),
  };
  result.indicators.quote = [quote];
  result.indicators.adjclose = [{ adjclose: quote.close }];
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
}

/** A fetch answering chart requests with `rows(period1Ms, period2Ms)`; records the URLs asked. */
export function yahooChartFetch(rows: (period1: number, period2: number) => Candle[]) {
  const urls: URL[] = [];
  const fetch = (async (input: Parameters<typeof globalThis.fetch>[0]) => {
    const url = new URL(String(input));
    urls.push(url);
    const p1 = Number(url.searchParams.get('period1')) * 1000;
    const p2 = Number(url.searchParams.get('period2')) * 1000;
    return hourlyChartResponse(rows(p1, p2));
  }) as typeof globalThis.fetch;
  return { fetch, urls };
}
