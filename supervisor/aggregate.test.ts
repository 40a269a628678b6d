import test from 'ava';
import { AggregatedResultsSchema, deflatedSharpeRatio, WorkerResultsSchema } from '../shared/index.js';
import { fixedReturns, jobResult, workerResults } from '../test/helpers/worker-results-fixture.js';
import { aggregateResults } from './aggregate.js';

const NOW = new Date('2025-06-01T12:00:00.000Z');

function fixture() {
  const w1 = workerResults(
    1,
    [
      jobResult({ pair: 'BTC-USD', variant: 'base', sharpe: 0.9, pnlPct: 3.1, buyAndHoldPnlPct: -2 }),
      jobResult({ pair: 'BTC-USD', variant: 'fast-lr', sharpe: 1.4, pnlPct: 1.2, buyAndHoldPnlPct: -2 }),
      jobResult({ pair: 'ETH-USD', variant: 'base', sharpe: null, pnlPct: 0 }),
      jobResult({ pair: 'ETH-USD', variant: 'fast-lr', sharpe: -0.3, pnlPct: -1.5 }),
    ],
    [
      { pair: 'BTC-USD', jobId: 'BTC-USD/fast-lr', variant: 'fast-lr' },
      { pair: 'ETH-USD', jobId: 'ETH-USD/fast-lr', variant: 'fast-lr' },
    ],
  );
  const w2 = workerResults(
    2,
    [
      jobResult({ pair: 'SOL-USD', variant: 'base', sharpe: 0.5, pnlPct: 4 }),
      jobResult({ pair: 'SOL-USD', variant: 'fast-lr', sharpe: 0.5, pnlPct: 6 }),
      jobResult({
        pair: 'DOGE-USD',
        variant: 'base',
        status: 'failed',
        error: 'DOGE-USD: no candles in data/',
      }),
    ],
    [{ pair: 'SOL-USD', jobId: 'SOL-USD/fast-lr', variant: 'fast-lr' }],
  );
  return [w1, w2];
}

test('fixtures are valid worker results files', (t) => {
  for (const r of fixture()) t.true(WorkerResultsSchema.safeParse(r).success);
});

test('rankings: best Sharpe first, null Sharpe after, failed last; the output passes the schema', (t) => {
  const agg = aggregateResults('run-test', 8, fixture(), NOW);
  const parsed = AggregatedResultsSchema.safeParse(agg);
  t.true(parsed.success, parsed.success ? '' : parsed.error.message);
  t.deepEqual(
    agg.rankings.map((j) => j.jobId),
    [
      'BTC-USD/fast-lr',
      'BTC-USD/base',
      'SOL-USD/fast-lr',
      'SOL-USD/base',
      'ETH-USD/fast-lr',
      'ETH-USD/base',
      'DOGE-USD/base',
    ],
  );
  t.is(agg.rankings[0]!.workerId, 1);
  t.is(agg.rankings.at(-1)!.workerId, 2);
  t.false('episodes' in agg.rankings[0]!);
  t.is(agg.jobsTotal, 8);
  t.is(agg.jobsDone, 6);
  t.is(agg.jobsFailed, 1);
  t.is(agg.updatedAt, NOW.toISOString());
});

test('bestByPair: best variant per pair by Sharpe, tie broken by P/L, with baselines, model and curve', (t) => {
  const agg = aggregateResults('run-test', 8, fixture(), NOW);
  t.deepEqual(
    agg.bestByPair.map((b) => [b.pair, b.variant, b.workerId]),
    [
      ['BTC-USD', 'fast-lr', 1],
      ['ETH-USD', 'fast-lr', 1],
      ['SOL-USD', 'fast-lr', 2],
    ],
  );
  const btc = agg.bestByPair[0]!;
  t.is(btc.metrics.sharpe, 1.4);
  t.is(btc.buyAndHold.pnlPct, -2);
  t.is(btc.random?.pnlPct, -5.1);
  t.is(btc.modelPath, 'models/worker_1_BTC_USD_model');
  t.deepEqual(btc.equityCurve?.agent.length, 3);
  t.false(
    agg.bestByPair.some((b) => b.pair === 'DOGE-USD'),
    'a pair with only failed jobs has no best model',
  );
});

test("a best job the worker didn't save as its best points at the job's own model folder", (t) => {
  const [w1] = fixture();
  const w = { ...w1!, bestModels: [{ ...w1!.bestModels[0]!, jobId: 'BTC-USD/base', variant: 'base' }] };
  const agg = aggregateResults('run-test', 4, [w], NOW);
  t.is(agg.bestByPair[0]!.jobId, 'BTC-USD/fast-lr');
  t.is(agg.bestByPair[0]!.modelPath, 'models/jobs/BTC_USD__fast-lr');
});

test('a job id seen twice keeps the finished attempt; empty input gives an empty, valid aggregate', (t) => {
  const failed = workerResults(1, [jobResult({ pair: 'BTC-USD', status: 'failed' })]);
  const done = workerResults(1, [jobResult({ pair: 'BTC-USD', sharpe: 0.2 })]);
  const agg = aggregateResults('run-test', 1, [failed, done], NOW);
  t.is(agg.rankings.length, 1);
  t.is(agg.rankings[0]!.status, 'done');
  t.is(agg.jobsFailed, 0);
  const empty = aggregateResults('run-test', 60, [], NOW);
  t.true(AggregatedResultsSchema.safeParse(empty).success);
  t.deepEqual([empty.jobsDone, empty.rankings.length, empty.bestByPair.length], [0, 0, 0]);
});

test('Benjamini–Hochberg at 5 % over the leaderboard rows’ p-values vs buy-and-hold', (t) => {
  // Five pairs; uncorrected, four p-values are below 0.05. BH: sorted p·m/rank = 0.005, 0.02,
  // 0.065, 0.05125, 0.6 → adjusted (step-up minimum) 0.005, 0.02, 0.05125, 0.05125, 0.6.
  const ps = { 'BTC-USD': 0.039, 'ETH-USD': 0.001, 'SOL-USD': 0.6, 'XRP-USD': 0.008, 'ADA-USD': 0.041 };
  const results = workerResults(
    1,
    Object.entries(ps).map(([pair, p]) => jobResult({ pair, pVsBuyAndHold: p })),
  );
  const agg = aggregateResults('run-test', 5, [results], NOW);
  t.true(AggregatedResultsSchema.safeParse(agg).success);
  const row = (pair: string) => agg.bestByPair.find((b) => b.pair === pair)!;
  t.deepEqual(
    Object.keys(ps).map((pair) => [
      pair,
      row(pair).significant,
      Number(row(pair).adjustedPValue!.toFixed(5)),
    ]),
    [
      ['BTC-USD', false, 0.05125],
      ['ETH-USD', true, 0.005],
      ['SOL-USD', false, 0.6],
      ['XRP-USD', true, 0.02],
      ['ADA-USD', false, 0.05125],
    ],
  );
  t.deepEqual(agg.multipleTesting, {
    method: 'benjamini-hochberg',
    alpha: 0.05,
    pValue: 'vs-buy-and-hold',
    tested: 5,
    significant: 2,
    expectedByChance: 0.25,
  });
  t.is(agg.annualization, 8760);
});

/** Two variants of one pair, base chosen on validation; base's series and trials are known. */
function twoVariantsOfBtc() {
  const returns = fixedReturns(600, 0.0006);
  const base = jobResult({
    pair: 'BTC-USD',
    variant: 'base',
    pVsBuyAndHold: 0.01,
    returns,
    validationSharpes: [0.5, 1.5, 2.5],
  });
  const fast = jobResult({
    pair: 'BTC-USD',
    variant: 'fast-lr',
    pVsBuyAndHold: 0.2,
    validationSharpes: [-1, 0, 4],
  });
  base.validation = { ...base.metrics!, sharpe: 3 };
  fast.validation = { ...fast.metrics!, sharpe: 1 };
  return { returns, base, fast };
}

test('a row’s deflated Sharpe counts every variant’s trials of the pair; the job’s own counts only its', (t) => {
  const { returns, base, fast } = twoVariantsOfBtc();
  const agg = aggregateResults('run-test', 2, [workerResults(1, [base, fast])], NOW);
  const row = agg.bestByPair[0]!;
  t.is(row.jobId, 'BTC-USD/base');
  // Six configurations; the sample variance of all six validation Sharpes (mean 1.25) is 16.375 / 5 = 3.275.
  const expected = deflatedSharpeRatio({ returns, trials: 6, sharpeVariance: 3.275, periodsPerYear: 8760 });
  t.like(row.deflatedSharpe, {
    scope: 'pair',
    configurations: 6,
    probability: expected.dsr!,
    expectedMaxSharpe: expected.sr0,
  });
  t.true(Math.abs(row.deflatedSharpe!.sharpeVariance - 3.275) < 1e-12);
  t.like(row.significance?.deflatedSharpe, { scope: 'job', configurations: 3 });
  t.true(
    row.deflatedSharpe!.probability < row.significance!.deflatedSharpe!.probability,
    'more trials, higher bar',
  );
});

test('across aggregations of the same job objects, a row’s deflated Sharpe follows its pair’s trials', (t) => {
  // A running supervisor aggregates the same job objects again and again; the row's figure is kept
  // between aggregations and must still change when another variant of the pair brings its trials.
  const { base, fast } = twoVariantsOfBtc();
  const alone = () => aggregateResults('run-test', 2, [workerResults(1, [base])], NOW).bestByPair[0]!;
  const both = () => aggregateResults('run-test', 2, [workerResults(1, [base, fast])], NOW).bestByPair[0]!;
  const fresh = (jobs: ReturnType<typeof jobResult>[]) =>
    aggregateResults('run-test', 2, [workerResults(1, structuredClone(jobs))], NOW).bestByPair[0]!;

  t.like(alone().deflatedSharpe, { configurations: 3 });
  t.deepEqual(alone().deflatedSharpe, fresh([base]).deflatedSharpe);
  t.like(both().deflatedSharpe, { configurations: 6 }, 'the other variant’s trials count at once');
  t.deepEqual(both().deflatedSharpe, fresh([base, fast]).deflatedSharpe);
  t.like(alone().deflatedSharpe, { configurations: 3 }, 'and stop counting when they are gone');
  t.deepEqual(alone().deflatedSharpe, fresh([base]).deflatedSharpe);
});

test('rows of older files (no significance) are left out of the correction and read as before', (t) => {
  const agg = aggregateResults('run-test', 8, fixture(), NOW);
  t.is(agg.multipleTesting, undefined);
  t.true(agg.bestByPair.every((b) => b.significant === undefined && b.significance === undefined));
});
