import test from 'ava';
import { workerStatus } from '../../bench/worker-status-fixture.js';
import { DEFAULT_ENVIRONMENT } from '../../shared/index.js';
import { aggregateResults } from '../../supervisor/aggregate.js';
import type { SupervisorEvent } from '../../supervisor/events.js';
import { planRun } from '../../supervisor/plan.js';
import { initialState } from '../../supervisor/reducer.js';
import { createStore } from '../../supervisor/store.js';
import { startHeadlessReporter } from '../../tui/headless/index.js';
import { jobResult, workerResults } from '../helpers/worker-results-fixture.js';

// The pure half of a run end to end: supervisor events → reducer → batching store → headless lines.

const T0 = Date.parse('2025-06-01T11:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

test('events reduced by the store come out as headless lines and a summary', (t) => {
  const plan = planRun(
    {
      workers: 1,
      pairs: ['BTC-USD'],
      variants: 1,
      episodes: 2,
      data: { source: 'data-dir', days: 365, interval: '1h', cacheDir: 'data', dataDir: 'd', refresh: false },
      environment: DEFAULT_ENVIRONMENT,
      seed: 3,
      resultsDir: 'results',
      modelsDir: 'models',
      runId: 'run-test',
    },
    new Date(T0),
  );
  const timers: (() => void)[] = [];
  const store = createStore(initialState({ mode: 'run', resultsDir: 'results', now: T0 }), {
    setTimeout: (cb) => timers.push(cb),
    clearTimeout: () => {},
  });
  const lines: string[] = [];
  let clock = T0;
  const reporter = startHeadlessReporter({ store, write: (l) => lines.push(l.slice(11)), now: () => clock });
  const send = (...events: SupervisorEvent[]) => {
    for (const e of events) store.dispatch(e);
    clock += 6_000;
    for (const cb of timers.splice(0)) cb();
  };
  // Episode 2 is 1,200 of 7,000 steps in: 0.83 episodes × 8 s measured ≈ 7 s left.
  const current = { ...workerStatus().current!, episodes: 2 };
  const ep = (n: number) => ({
    jobId: 'BTC-USD/base',
    episode: n,
    reward: n * 10,
    pnlPct: n,
    epsilon: 0.5,
    loss: 0.01,
    stepsPerSecond: 900,
    updates: 10,
    seconds: 8,
  });

  send(
    { type: 'run-started', runId: 'run-test', runtime: 'local', at: T0, workerIds: [1] },
    { type: 'config', workerId: 1, config: plan.workers[0]!.config },
    { type: 'process-started', workerId: 1, pid: 10, at: T0 },
  );
  send({ type: 'status', workerId: 1, status: workerStatus({ pid: 10, seq: 1, jobsTotal: 1, current }) });
  send({
    type: 'status',
    workerId: 1,
    status: workerStatus({
      pid: 10,
      seq: 2,
      jobsTotal: 1,
      heartbeatAt: iso(T0 + 9_000),
      current: { ...current, episode: 2 },
      recentRewards: [10],
      lastEpisode: ep(1),
    }),
  });
  const results = workerResults(
    1,
    [jobResult({ pair: 'BTC-USD', episodes: 2, sharpe: 1.5 })],
    [{ pair: 'BTC-USD', jobId: 'BTC-USD/base', variant: 'base' }],
  );
  send(
    {
      type: 'status',
      workerId: 1,
      status: workerStatus({
        pid: 10,
        seq: 3,
        state: 'done',
        current: null,
        jobsDone: 1,
        jobsTotal: 1,
        lastJobPnlPct: 2.5,
        recentRewards: [10, 20],
        lastEpisode: ep(2),
      }),
    },
    { type: 'results', workerId: 1, results },
    { type: 'aggregated', aggregated: aggregateResults('run-test', 1, [results], new Date(T0 + 20_000)) },
    { type: 'process-exited', workerId: 1, code: 0, signal: null, at: T0 + 20_000 },
    { type: 'run-finished', at: T0 + 20_000 },
  );
  reporter.stop();
  t.deepEqual(lines, [
    'data: CSV folder',
    'worker 1  starting',
    'progress  0/1 jobs  0/2 episodes (0.0%)  elapsed 0s  ETA —',
    'worker 1  training  BTC-USD/base  ep 1/2',
    'worker 1  BTC-USD/base  episode 1/2  reward 10.00  in-sample P/L +1.00%  ε 0.50  900 steps/s  loss 0.0100',
    'progress  0/1 jobs  1/2 episodes (50.0%)  elapsed 0s  ETA 7s',
    'worker 1  BTC-USD/base  episode 2/2  reward 20.00  in-sample P/L +2.00%  ε 0.50  900 steps/s  loss 0.0100',
    'worker 1  jobs 1/1 finished  last job P/L +2.50%',
    'worker 1  done  1/1 jobs',
    'progress  1/1 jobs  2/2 episodes (100.0%)  elapsed 20s  ETA 0s',
    'run finished: 1/1 job done, 0 failed, in 20s',
  ]);
  t.regex(reporter.summary(), /BTC-USD\s+base\s+\+2\.50%\s+52%\s+1\.50\s+6\.40%\s+41\s+-3\.20%/);
  t.regex(reporter.summary(), /^Run \S+: 1\/1 job done, no failures, /m);
  t.regex(reporter.summary(), /^Run .*· data: CSV folder$/m);
});
