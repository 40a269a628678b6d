import test from 'ava';
import type { DashboardState } from '../shared/index.js';
import { paperTrader } from '../test/helpers/paper-status-fixture.js';
import { workerStatus } from '../test/helpers/worker-status-fixture.js';
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
