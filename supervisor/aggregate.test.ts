import test from 'ava';
import { AggregatedResultsSchema, WorkerResultsSchema } from '../shared/index.js';
import { jobResult, workerResults } from '../test/helpers/worker-results-fixture.js';
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
