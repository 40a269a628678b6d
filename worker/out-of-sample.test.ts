import test from 'ava';
import { DEFAULT_ENVIRONMENT } from '../shared/index.js';
import { loadRealCandles } from '../test/helpers/real-candles.js';
import { Action } from './environment.js';
import { buyAndHold } from './evaluate.js';
import { runOutOfSample } from './out-of-sample.js';
import { prepareFolds } from './prepare-pair.js';

const series = loadRealCandles('BTC_USD');
const prepared = prepareFolds('BTC-USD', series, { ...DEFAULT_ENVIRONMENT, folds: 3 });
const options = {
  range: prepared.outOfSample,
  folds: prepared.folds.map((f) => f.test),
  feeRate: 0.001,
  initialCash: 10_000,
  annualization: 8760,
};

test('one account over the folds: holding through every boundary is buy-and-hold, one fee only', (t) => {
  const { run, folds } = runOutOfSample(series, prepared.features, () => Action.long, options);
  const single = buyAndHold(series, prepared.features, { ...prepared.outOfSample, feeRate: 0.001 });
  t.deepEqual(run.metrics, single.metrics);
  t.is(run.metrics.trades, 1);
  // The position carries into folds 2 and 3: they pay no fee, their P/L is the price move alone.
  const c = series.close;
  const [f2, f3] = prepared.folds.slice(1).map((f) => f.test);
  t.true(Math.abs(folds[1]!.pnlPct - (c[f2!.end - 1]! / c[f2!.start]! - 1) * 100) < 1e-9);
  t.true(Math.abs(folds[2]!.pnlPct - (c[f3!.end - 1]! / c[f3!.start]! - 1) * 100) < 1e-9);
});

test('test windows that do not tile the out-of-sample range are refused', (t) => {
  const [a, b, c] = options.folds;
  t.throws(() => runOutOfSample(series, prepared.features, () => 0, { ...options, folds: [a!, c!] }), {
    message: /fold 2 test window \[8175, 8760\) does not continue at 7592/,
  });
  t.throws(() => runOutOfSample(series, prepared.features, () => 0, { ...options, folds: [a!, b!] }), {
    message: /the test windows end at 8176, the range at 8760/,
  });
  t.throws(() => runOutOfSample(series, prepared.features, () => 0, { ...options, folds: [] }), {
    message: /no folds/,
  });
});
