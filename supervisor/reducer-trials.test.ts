import test from 'ava';
import {
  DEFAULT_ENVIRONMENT,
  type JobResult,
  VARIANTS,
  type WorkerConfig,
  type WorkerResults,
  type WorkerStatus,
} from '../shared/index.js';
import { initialState, reduce } from './reducer.js';

const T0 = Date.parse('2025-06-01T12:00:00Z');
const jobs = ['BTC-USD', 'ETH-USD'].flatMap((pair) =>
  VARIANTS.slice(0, 2).map((v) => ({
    jobId: `${pair}/${v.name}`,
    pair,
    variant: v.name,
    hyperparameters: v.hyperparameters,
  })),
);
const config: WorkerConfig = {
  schema: 1,
  runId: 'run-t',
  workerId: 1,
  jobs,
  episodes: 3,
  data: { source: 'data-dir', days: 60, interval: '1h', cacheDir: '/d', dataDir: '/s', refresh: false },
  environment: DEFAULT_ENVIRONMENT,
  seed: 1,
  resultsDir: '/r',
  modelsDir: '/m',
  createdAt: new Date(T0).toISOString(),
};
const metrics = (pnlPct: number) => ({
  pnlPct,
  pnlUsd: pnlPct * 100,
  finalValue: 10_000,
  winRate: 0.5,
  trades: 10,
  sharpe: pnlPct / 2,
  sortino: null,
  maxDrawdownPct: 5,
  exposure: 0.5,
});

function status(patch: Partial<WorkerStatus>): WorkerStatus {
  return {
    schema: 1,
    runId: 'run-t',
    workerId: 1,
    pid: 10,
    seq: 1,
    state: 'training',
    startedAt: new Date(T0).toISOString(),
    heartbeatAt: new Date(T0).toISOString(),
    current: {
      jobId: 'BTC-USD/fast-lr',
      pair: 'BTC-USD',
      variant: 'fast-lr',
      jobIndex: 1,
      episode: 2,
      episodes: 3,
      step: 5,
      stepsPerEpisode: 10,
    },
    stepsPerSecond: 100,
    recentRewards: [1, 2],
    lastEpisode: null,
    jobsDone: 1,
    jobsFailed: 0,
    jobsTotal: 4,
    lastJobPnlPct: 2,
    backend: 'wasm',
    memory: { rssMb: 200, heapUsedMb: 50, numTensors: null },
    cpuPct: 97.5,
    lastError: null,
    message: null,
    ...patch,
  };
}

function result(jobId: string, pnl: number, state: 'done' | 'failed' = 'done'): JobResult {
  const spec = jobs.find((j) => j.jobId === jobId)!;
  return {
    ...spec,
    status: state,
    error: state === 'failed' ? 'boom' : null,
    episodes: [1, 2, 3].map((episode) => ({
      episode,
      reward: episode * 10 + pnl,
      pnlPct: 0,
      epsilon: 0.1,
      loss: null,
      stepsPerSecond: 1,
      updates: 1,
      seconds: 1,
    })),
    metrics: state === 'done' ? metrics(pnl) : null,
    baselines: state === 'done' ? { buyAndHold: metrics(7), random: metrics(0) } : null,
    equityCurve: null,
    data: null,
    modelPath: null,
    backend: 'wasm',
    seed: 1,
    seconds: 3,
    startedAt: new Date(T0).toISOString(),
    finishedAt: new Date(T0).toISOString(),
    resumedFromEpisode: 0,
    selectedEpisode: 2,
    validation: metrics(pnl / 2),
  };
}

// Issue 13, item 5: only the best variant per pair was shown anywhere; every trial is in the state now.
test('trials: every planned job pending, the current one running, finished ones with their figures, the best marked', (t) => {
  let s = initialState({ mode: 'run', resultsDir: '/r', now: T0 });
  s = reduce(s, { type: 'config', workerId: 1, config });
  t.deepEqual(
    s.trials?.map((r) => `${r.jobId} ${r.status}`),
    jobs.map((j) => `${j.jobId} pending`),
  );
  t.is(s.trials?.[1]?.hyperparameters.learningRate, 2e-3);
  t.is(s.modelsDir, '/m');

  s = reduce(s, { type: 'status', workerId: 1, status: status({}) });
  t.is(s.trials?.[1]?.status, 'running');
  t.is(s.workers[0]?.cpuPct, 97.5, 'CPU from the status file');
  const same = reduce(s, {
    type: 'status',
    workerId: 1,
    status: status({ seq: 2, step: 6 } as Partial<WorkerStatus>),
  });
  t.is(same.trials, s.trials, 'unchanged trials keep their identity');

  const results: WorkerResults = {
    schema: 1,
    runId: 'run-t',
    workerId: 1,
    updatedAt: new Date(T0).toISOString(),
    jobs: [result('BTC-USD/base', 4), result('BTC-USD/fast-lr', -1, 'failed')],
    bestModels: [],
  };
  s = reduce(s, { type: 'results', workerId: 1, results });
  const [base, fast] = s.trials ?? [];
  t.like(base, { status: 'done', buyAndHoldPnlPct: 7, selectedEpisode: 2 });
  t.is(base?.validation?.pnlPct, 2);
  t.like(fast, { status: 'failed', error: 'boom', metrics: null });
  s = reduce(s, {
    type: 'aggregated',
    aggregated: {
      schema: 1,
      runId: 'run-t',
      updatedAt: new Date(T0).toISOString(),
      jobsTotal: 4,
      jobsDone: 1,
      jobsFailed: 1,
      rankings: [],
      bestByPair: [
        {
          pair: 'BTC-USD',
          workerId: 1,
          jobId: 'BTC-USD/base',
          variant: 'base',
          metrics: metrics(4),
          buyAndHold: metrics(7),
          random: metrics(0),
          modelPath: null,
          equityCurve: null,
        },
      ],
    },
  });
  t.deepEqual(
    s.trials?.filter((r) => r.best).map((r) => r.jobId),
    ['BTC-USD/base'],
  );
});

// Issue 13, item 4: a finished run's page showed "episode 0/4" and empty reward charts.
test('a finished worker keeps its last episode and its last job’s reward curve', (t) => {
  let s = initialState({ mode: 'attach', resultsDir: '/r', now: T0 });
  s = reduce(s, { type: 'config', workerId: 1, config });
  s = reduce(s, {
    type: 'status',
    workerId: 1,
    status: status({ state: 'done', current: null, recentRewards: [] }),
  });
  t.is(s.workers[0]?.episode, 3);
  const results: WorkerResults = {
    schema: 1,
    runId: 'run-t',
    workerId: 1,
    updatedAt: new Date(T0).toISOString(),
    jobs: [result('BTC-USD/base', 4)],
    bestModels: [],
  };
  s = reduce(s, { type: 'results', workerId: 1, results });
  t.deepEqual(s.workers[0]?.recentRewards, [14, 24, 34]);
});

test('the HTTP mirror: its URL in the state, or its error there and among the problems', (t) => {
  let s = initialState({ mode: 'run', resultsDir: '/r', now: T0 });
  s = reduce(s, { type: 'http-mirror', url: 'http://127.0.0.1:8502/', error: null });
  t.deepEqual(s.httpMirror, { url: 'http://127.0.0.1:8502/', error: null });
  t.deepEqual(s.problems, []);
  s = reduce(s, { type: 'http-mirror', url: null, error: 'port 8502 is already in use (EADDRINUSE)' });
  t.deepEqual(s.problems, ['HTTP mirror: port 8502 is already in use (EADDRINUSE)']);
});
