import test from 'ava';
import { DEFAULT_ENVIRONMENT, EquityCurveSchema, FoldResultSchema } from '../shared/index.js';
import { fixedPolicyUnits, fromQ } from '../test/helpers/fixed-policy-units.js';
import { loadRealCandles } from '../test/helpers/real-candles.js';
import { Action, TradingEnvironment } from './environment.js';
import { buyAndHold, type Policy } from './evaluate.js';
import { evaluateJob, meanSd } from './evaluate-job.js';
import { type PreparedPair, prepareFolds } from './prepare-pair.js';

const environment = { ...DEFAULT_ENVIRONMENT, folds: 2 };
const series = loadRealCandles('BTC_USD');
const prepared = prepareFolds('BTC-USD', series, environment);
const width = prepared.features.width;
const unitsOf = (pair: PreparedPair, seeds: Policy[]) => fixedPolicyUnits(pair, seeds);

// Three seeds with different (fixed) Q-functions of the last return, the 168 h SMA gap and the position.
const momentum = fromQ((o) => [0, o[0]!]);
const trend = fromQ((o) => [0.1, o[width - 3]!]);
const sticky = fromQ((o) => [0.5, o[width]! + 0.2 * o[0]!]);

test('the vote of fixed Q-value seeds, hour by hour: a strict majority goes long, the position carries across folds', (t) => {
  const evaluation = evaluateJob(prepared, unitsOf(prepared, [momentum, trend, sticky]), environment);
  // Reference: the same hours walked by hand, each seed asked with the vote's own position.
  const { start, end } = prepared.outOfSample;
  let held = 0;
  const expected: number[] = [];
  for (let t0 = start; t0 < end - 1; t0++) {
    const fold = prepared.folds.find((f) => t0 >= f.test.start && t0 < f.test.end - 1)!;
    const env = new TradingEnvironment(series, fold.features, fold.test);
    const observation = new Float32Array(width + 1);
    env.observationAt(t0, held, observation);
    const longVotes = [momentum, trend, sticky].filter((p) => p(observation) === 1).length;
    held = longVotes >= 2 ? 1 : 0;
    expected.push(held);
  }
  t.deepEqual(Array.from(evaluation.vote.run.positions), expected);
  t.true(evaluation.vote.run.metrics.trades > 10, 'the rule trades, so the check means something');
  t.is(evaluation.folds.length, 2);
  for (const fold of evaluation.folds) t.true(FoldResultSchema.safeParse(fold).success);
  // Fold windows tile the out-of-sample hours; the vote's folds compound to its pooled P/L.
  const [a, b] = evaluation.folds;
  t.is(a!.test.hours + b!.test.hours, end - start - 1);
  t.is(a!.test.to, b!.test.from);
  const compounded = (1 + a!.vote.pnlPct / 100) * (1 + b!.vote.pnlPct / 100);
  t.true(Math.abs(compounded - (1 + evaluation.vote.run.metrics.pnlPct / 100)) < 1e-9);
  // Seed 2 did best on the last fold's validation slice: it is the representative.
  t.is(evaluation.representativeSeed, 2);
});

test('two seeds that always disagree tie every hour, and a tie stays in cash', (t) => {
  const contrarian = fromQ((o) => [o[0]!, 0]);
  const evaluation = evaluateJob(prepared, unitsOf(prepared, [momentum, contrarian]), environment);
  t.is(evaluation.vote.run.metrics.trades, 0);
  t.is(evaluation.vote.run.metrics.pnlPct, 0);
  t.is(evaluation.vote.run.metrics.exposure, 0);
  t.true(evaluation.seeds[0]!.run.metrics.trades > 0 && evaluation.seeds[1]!.run.metrics.trades > 0);
});

test('one always-long seed is buy-and-hold on the pooled hours, and buy-and-hold is the single-split one', (t) => {
  const evaluation = evaluateJob(prepared, unitsOf(prepared, [() => Action.long]), environment);
  t.deepEqual(evaluation.vote.run.metrics, evaluation.buyAndHold.run.metrics);
  const single = buyAndHold(series, prepared.features, { ...prepared.outOfSample, feeRate: 0.001 });
  t.deepEqual(evaluation.buyAndHold.run.metrics, single.metrics);
  t.deepEqual(evaluation.seedSpread.pnlPct, { mean: single.metrics.pnlPct, sd: null });
  // Trials: 1 seed × 2 episodes, validation Sharpe averaged over the two folds (0.5 k − e).
  t.deepEqual(evaluation.trials, {
    seeds: 1,
    episodes: 2,
    configurations: 2,
    validationSharpes: [(0.5 + 1) / 2 - 1, (0.5 + 1) / 2 - 2],
  });
});

test('the equity curve: 200 points of the vote and buy-and-hold over the pooled hours, ends kept', (t) => {
  const evaluation = evaluateJob(prepared, unitsOf(prepared, [momentum]), environment);
  const curve = evaluation.equityCurve;
  t.true(EquityCurveSchema.safeParse(curve).success);
  t.is(curve.times.length, 200);
  t.is(curve.times[0], '2023-10-18T20:00:00.000Z');
  t.is(curve.times.at(-1), '2023-12-30T19:00:00.000Z');
  t.is(curve.agent.at(-1), evaluation.vote.run.metrics.finalValue);
  t.is(curve.buyAndHold.at(-1), evaluation.buyAndHold.run.metrics.finalValue);
});

test('meanSd: sample standard deviation over the values that exist', (t) => {
  t.deepEqual(meanSd([1, 2, 3, 4]), { mean: 2.5, sd: Math.sqrt(5 / 3) });
  t.deepEqual(meanSd([2, null, 4]), { mean: 3, sd: Math.SQRT2 });
  t.deepEqual(meanSd([7]), { mean: 7, sd: null });
  t.deepEqual(meanSd([null]), { mean: null, sd: null });
});
