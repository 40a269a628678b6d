import test from 'ava';
import { loadRealCandles } from '../../test/helpers/real-candles.js';
import { buyAndHold, evaluatePolicy } from '../evaluate.js';
import { computeFeatures, fitFeatureSettings } from '../features.js';
import { openBook, stepBook } from './paper-book.js';

test('the book steps through real hours to exactly the evaluation’s equity and buy-and-hold', (t) => {
  const series = loadRealCandles('SOL_USD');
  const n = series.close.length;
  const features = computeFeatures(series, fitFeatureSettings(series, { windowSize: 12, trainEnd: n - 800 }));
  const options = { start: n - 800, end: n, feeRate: 0.001, initialCash: 10_000 };
  // A policy that trades often: long after an up hour.
  const policy = (obs: Float32Array) => (obs[0]! > 0 ? 1 : 0);
  const run = evaluatePolicy(policy, series, features, options);
  const hold = buyAndHold(series, features, options);
  let book = openBook(10_000);
  const marked: number[] = [];
  const held: number[] = [];
  let fees = 0;
  for (let k = 0; k < 800; k++) {
    const i = options.start + k;
    const action = k === 799 ? null : run.positions[k]!;
    const step = stepBook(book, { time: series.times[i]!, close: series.close[i]! }, action, 0.001, {
      qValues: [],
      late: false,
      at: '2024-01-01T00:00:00.000Z',
    });
    marked.push(step.line.markedEquity);
    held.push(step.line.buyAndHoldMarked);
    fees += step.line.fee;
    t.is(step.line.seq, k + 1);
    if (step.line.position === 'long') t.is(step.line.cash, 0);
    else t.is(step.line.units, 0);
    book = step.book;
  }
  // Operation for operation the environment's arithmetic: equal to the last bit, not approximately.
  t.deepEqual(Float64Array.from(marked), run.values);
  t.deepEqual(Float64Array.from(held), hold.values);
  t.true(fees > 0);
  t.is(book.seq, 800);
});

test('no fee without a change of position; the settling candle decides nothing', (t) => {
  let book = openBook(1000);
  const extra = { qValues: [[0, 1]], late: false, at: '2024-01-01T00:00:00.000Z' };
  let step = stepBook(book, { time: 0, close: 100 }, 1, 0.01, extra);
  t.is(step.line.fee, 1000 - 1000 * 0.99);
  t.is(step.line.units, (1000 * 0.99) / 100);
  book = step.book;
  step = stepBook(book, { time: 3_600_000, close: 110 }, 1, 0.01, extra);
  t.is(step.line.fee, 0);
  t.is(step.line.markedEquity, 990 * (110 / 100));
  book = step.book;
  step = stepBook(book, { time: 7_200_000, close: 121 }, null, 0.01, extra);
  t.is(step.line.action, null);
  t.is(step.line.position, 'long');
  t.is(step.line.fee, 0);
  t.is(step.line.equity, step.line.markedEquity);
});
