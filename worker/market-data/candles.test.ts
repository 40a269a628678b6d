import test from 'ava';
import { countGaps, HOUR_MS, PairDataError, seriesFromCandles, trimToLastDays } from './candles.js';

test('PairDataError: one line that starts with the pair symbol', (t) => {
  const e = new PairDataError('MATIC-USD', 'Yahoo has no data\n  for this symbol');
  t.is(e.message, 'MATIC-USD: Yahoo has no data for this symbol');
  t.is(e.pair, 'MATIC-USD');
  t.is(e.name, 'PairDataError');
  t.true(e instanceof Error);
  t.is(new PairDataError('BTC-USD', 'BTC-USD: already prefixed').message, 'BTC-USD: already prefixed');
});

test('countGaps counts runs of missing hours; trimToLastDays keeps an inclusive window from the last candle', (t) => {
  const hours = [0, 1, 2, 5, 6, 7, 9, 24, 48];
  const s = seriesFromCandles(
    'X-USD',
    hours.map((h) => ({ time: h * HOUR_MS, open: 1, high: 1, low: 1, close: h + 1, volume: 0 })),
    { source: 'cache', file: null, warnings: [] },
  );
  t.is(s.gaps, 4);
  t.is(countGaps(new Float64Array([0, HOUR_MS])), 0);
  const lastDay = trimToLastDays(s, 1);
  t.deepEqual(Array.from(lastDay.close), [25, 49]);
  t.is(lastDay.gaps, 1);
  t.is(trimToLastDays(s, 2), s);
});
