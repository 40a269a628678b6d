import test from 'ava';
import { DEFAULT_ENVIRONMENT, RandomDistributionSchema, SignificanceSchema } from '../shared/index.js';
import { fixedPolicyUnits, fromQ } from '../test/helpers/fixed-policy-units.js';
import { loadRealCandles } from '../test/helpers/real-candles.js';
import { Action } from './environment.js';
import type { Policy } from './evaluate.js';
import { evaluateJob } from './evaluate-job.js';
import { prepareFolds } from './prepare-pair.js';
import { assessSignificance } from './significance.js';

const environment = { ...DEFAULT_ENVIRONMENT, folds: 3 };
const series = loadRealCandles('BTC_USD');
const prepared = prepareFolds('BTC-USD', series, environment);
// A momentum rule with a margin: long after a rising hour, out after a clearly falling one.
const momentum = fromQ((o) => [0, o[0]! + 0.5 * o[o.length - 1]!]);

function assess(policy: Policy, seed: number) {
  const evaluation = evaluateJob(prepared, fixedPolicyUnits(prepared, [policy]), environment);
  const output = assessSignificance({
    close: series.close,
    range: prepared.outOfSample,
    agent: evaluation.vote.run,
    buyAndHold: evaluation.buyAndHold.run,
    feeRate: environment.feeRate,
    annualization: environment.annualization,
    seed,
    trials: evaluation.trials,
  });
  return { evaluation, ...output };
}

test('the same seed gives the same significance to the last digit; another seed other resamples', (t) => {
  const a = assess(momentum, 1234);
  const b = assess(momentum, 1234);
  t.deepEqual(a.significance, b.significance);
  t.deepEqual(a.matchedRandom, b.matchedRandom);
  t.deepEqual(a.costSensitivity, b.costSensitivity);
  const c = assess(momentum, 99);
  t.is(c.significance.sharpe.estimate, a.significance.sharpe.estimate, 'the estimate is the data’s');
  t.not(c.significance.sharpe.low, a.significance.sharpe.low);
  t.not(c.matchedRandom.sharpe.median, a.matchedRandom.sharpe.median);
});

test('figures on a real decision series: consistent with the pooled run, valid against the contract', (t) => {
  const { evaluation, significance, matchedRandom, costSensitivity, returns } = assess(momentum, 7);
  t.true(SignificanceSchema.safeParse(significance).success);
  t.true(RandomDistributionSchema.safeParse(matchedRandom).success);
  const metrics = evaluation.vote.run.metrics;
  t.true(metrics.trades > 50, `the rule trades (${metrics.trades})`);
  t.is(significance.observations, 1751);
  t.is(returns.length, 1751);
  // The interval is the bootstrap's, around the series' own Sharpe, by the documented method.
  t.is(significance.sharpe.estimate, metrics.sharpe);
  t.true(significance.sharpe.low! < metrics.sharpe! && metrics.sharpe! < significance.sharpe.high!);
  t.like(significance.sharpe, { level: 0.95, method: 'stationary', blockLength: 24, resamples: 2000 });
  // The random policies copy the agent's exposure and switch rate.
  t.is(matchedRandom.exposure, metrics.exposure);
  t.is(matchedRandom.policies, 1000);
  t.true(
    matchedRandom.sharpe.p5 <= matchedRandom.sharpe.median &&
      matchedRandom.sharpe.median <= matchedRandom.sharpe.p95,
  );
  // At the run's own fee the replay is the run itself; dearer trading costs more.
  t.deepEqual(
    costSensitivity.map((c) => c.feeRate),
    [0, 0.0005, 0.001, 0.002, 0.005],
  );
  const atFee = costSensitivity.find((c) => c.feeRate === 0.001)!;
  t.true(Math.abs(atFee.pnlPct - metrics.pnlPct) < 1e-9);
  t.is(atFee.sharpe, metrics.sharpe);
  for (let i = 1; i < costSensitivity.length; i++) {
    t.true(costSensitivity[i]!.pnlPct < costSensitivity[i - 1]!.pnlPct);
  }
  // One seed × two episodes were considered.
  t.is(significance.configurations, 2);
  t.is(significance.deflatedSharpe?.configurations, 2);
  t.is(significance.deflatedSharpe?.scope, 'job');
});

test('an agent that always holds cannot be significant; one that always holds the asset is buy-and-hold', (t) => {
  const never = assess(() => Action.flat, 5);
  t.is(never.significance.pVsBuyAndHold, 1);
  t.is(never.significance.pVsRandom, 1);
  t.is(never.significance.sharpe.estimate, null);
  t.is(never.significance.deflatedSharpe, null);
  t.is(never.matchedRandom.degenerate, 'never-long');
  const always = assess(() => Action.long, 5);
  t.is(always.matchedRandom.degenerate, 'always-long');
  t.is(always.significance.pVsRandom, 1);
  t.true(always.significance.pVsBuyAndHold! > 0.4, `p ${always.significance.pVsBuyAndHold}`);
});
