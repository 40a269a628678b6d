import test from 'ava';
import { workerStatus } from '../bench/worker-status-fixture.js';
import type { DashboardState } from '../shared/index.js';
import { paperTrader } from '../test/helpers/paper-status-fixture.js';
import type { SupervisorEvent } from './events.js';
import { planPaper } from './paper-plan.js';
import { initialState, reduce } from './reducer.js';

const T0 = Date.parse('2025-06-01T11:00:00.000Z');
const plan = planPaper(
  {
    workers: 2,
    pairs: ['BTC-USD', 'ETH-USD', 'SOL-USD'],
    models: { 'BTC-USD': '/m/b', 'ETH-USD': '/m/e', 'SOL-USD': '/m/s' },
    feed: { mode: 'replay', dir: '/d', speed: 3600, from: null, to: null },
    feeRate: 0.001,
    initialCash: 10_000,
    resultsDir: '/r',
    runId: 'run-test',
  },
  new Date(T0),
);
const fold = (state: DashboardState, events: SupervisorEvent[]) => events.reduce(reduce, state);

test('a paper worker’s config and status reach the state: run kind, pairs, traders', (t) => {
  let state = fold(initialState({ mode: 'run', resultsDir: '/r', now: T0 }), [
    { type: 'run-started', runId: 'run-test', runtime: 'local', at: T0, workerIds: [1, 2] },
    ...plan.workers.map((w): SupervisorEvent => ({ type: 'config', workerId: w.workerId, config: w.config })),
  ]);
  t.is(state.runKind, 'paper');
  t.is(state.dataSource, 'data-dir');
  t.deepEqual(state.workers[0]!.pairs, ['BTC-USD', 'ETH-USD']);
  t.is(state.workers[0]!.jobsTotal, 2);
  const traders = [paperTrader(), paperTrader({ pair: 'ETH-USD', jobId: 'ETH-USD/paper', position: 'flat' })];
  state = reduce(state, {
    type: 'status',
    workerId: 1,
    status: workerStatus({ state: 'trading', paper: traders, jobsTotal: 2 }),
  });
  t.is(state.workers[0]!.state, 'trading');
  t.deepEqual(state.workers[0]!.paper, traders);
  // A status without traders (an older worker) keeps the last ones known.
  state = reduce(state, { type: 'status', workerId: 1, status: workerStatus({ seq: 2, state: 'trading' }) });
  t.deepEqual(state.workers[0]!.paper, traders);
});

test('each pair’s ensemble joins the leaderboard as its own row, after the pair’s best variant', (t) => {
  const metrics = {
    pnlPct: 3,
    pnlUsd: 300,
    finalValue: 10_300,
    winRate: 0.5,
    trades: 4,
    sharpe: 1.2,
    sortino: 1.5,
    maxDrawdownPct: 2,
    exposure: 0.3,
  };
  const best = (pair: string) => ({
    pair,
    workerId: 1,
    jobId: `${pair}/base`,
    variant: 'base',
    metrics,
    buyAndHold: { ...metrics, pnlPct: 9 },
    random: metrics,
    modelPath: `/m/${pair}`,
    equityCurve: null,
  });
  let state = reduce(initialState({ mode: 'run', resultsDir: '/r', now: T0 }), {
    type: 'aggregated',
    aggregated: {
      schema: 1,
      runId: 'run-test',
      updatedAt: new Date(T0).toISOString(),
      jobsTotal: 4,
      jobsDone: 4,
      jobsFailed: 0,
      rankings: [],
      bestByPair: [best('BTC-USD'), best('ETH-USD')],
    },
  });
  state = reduce(state, {
    type: 'ensembles',
    ensembles: {
      schema: 1,
      runId: 'run-test',
      updatedAt: new Date(T0).toISOString(),
      ensembles: [
        {
          pair: 'BTC-USD',
          manifest: '/m/ensembles/BTC_USD/ensemble.json',
          members: [
            { jobId: 'BTC-USD/base', variant: 'base', modelPath: '/m/a' },
            { jobId: 'BTC-USD/fast-lr', variant: 'fast-lr', modelPath: '/m/b' },
          ],
          chosenBy: 'every variant',
          from: '2023-10-18T14:00:00.000Z',
          to: '2023-12-30T19:00:00.000Z',
          hours: 1753,
          metrics: { ...metrics, pnlPct: 5 },
          buyAndHold: { ...metrics, pnlPct: 9 },
          equityCurve: null,
        },
      ],
      skipped: [],
    },
  });
  t.deepEqual(
    state.leaderboard.map((r) => [r.pair, r.variant, r.kind ?? 'model', r.metrics.pnlPct]),
    [
      ['BTC-USD', 'base', 'model', 3],
      ['BTC-USD', 'ensemble of 2', 'ensemble', 5],
      ['ETH-USD', 'base', 'model', 3],
    ],
  );
  // A later aggregate keeps the ensemble row.
  state = reduce(state, {
    type: 'aggregated',
    aggregated: { ...state.aggregated!, updatedAt: 'later', bestByPair: [best('BTC-USD')] },
  });
  t.is(state.leaderboard.length, 2);
});
