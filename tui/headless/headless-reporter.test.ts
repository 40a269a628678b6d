import test from 'ava';
import type { EvalMetrics, TrainingReport } from '../../shared/contract.js';
import {
  type DashboardState,
  emptyWorkerView,
  type LeaderboardRow,
  type StateStore,
  type WorkerView,
} from '../../shared/dashboard-state.js';
import { DEFAULT_ENVIRONMENT } from '../../shared/index.js';
import { significanceCount } from '../format.js';
import { formatSummary, startHeadlessReporter } from './headless-reporter.js';

const T0 = Date.parse('2025-06-01T11:00:00.000Z');

function worker(workerId: number, overrides: Partial<WorkerView> = {}): WorkerView {
  return {
    ...emptyWorkerView(workerId),
    pairs: ['BTC-USD', 'ETH-USD'],
    episodes: 10,
    stepsPerEpisode: 7_000,
    jobsTotal: 8,
    ...overrides,
  };
}

function state(overrides: Partial<DashboardState> = {}): DashboardState {
  return {
    mode: 'run',
    runId: 'run-test',
    runtime: 'local',
    resultsDir: 'results',
    supervisorConnected: true,
    now: T0,
    startedAt: T0,
    finishedAt: null,
    backend: 'wasm',
    progress: {
      jobsTotal: 8,
      jobsDone: 0,
      jobsFailed: 0,
      episodesTotal: 80,
      episodesDone: 0,
      elapsedSeconds: 0,
      etaSeconds: null,
    },
    workers: [worker(1)],
    leaderboard: [],
    problems: [],
    finished: false,
    aggregated: null,
    report: null,
    ...overrides,
  };
}

/** A store the test drives by hand: `set` replaces the snapshot and notifies like the real one. */
function fakeStore(initial: DashboardState) {
  let snapshot = initial;
  const listeners = new Set<() => void>();
  const store: StateStore & { set(s: DashboardState): void; listeners(): number } = {
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(s) {
      snapshot = s;
      for (const l of [...listeners]) l();
    },
    listeners: () => listeners.size,
  };
  return store;
}

function harness(initial: DashboardState, progressEveryMs = 5_000) {
  const store = fakeStore(initial);
  const lines: string[] = [];
  let clock = T0;
  const reporter = startHeadlessReporter({
    store,
    write: (l) => lines.push(l),
    progressEveryMs,
    now: () => clock,
  });
  return {
    store,
    reporter,
    lines,
    /** Lines printed since the last call, without their `[hh:mm:ss] ` stamp. */
    take(): string[] {
      const out = lines.splice(0).map((l) => {
        if (!/^\[\d\d:\d\d:\d\d\] /.test(l)) throw new Error(`no timestamp: ${l}`);
        return l.slice(11);
      });
      return out;
    },
    advance(ms: number) {
      clock += ms;
    },
  };
}

const episode = (n: number, seconds = 9) => ({
  jobId: 'BTC-USD/base',
  episode: n,
  reward: -20 + n * 7.5,
  pnlPct: -1 + n * 0.4,
  epsilon: Math.max(0.05, 1 - n * 0.16),
  loss: n === 1 ? null : 0.0213,
  stepsPerSecond: 812,
  updates: 1_700,
  seconds,
});

test('a batch that brings several episodes prints a line for each, in order, and none twice', (t) => {
  const h = harness(state());
  h.take();
  const w1 = worker(1, {
    state: 'training' as const,
    process: 'running' as const,
    pid: 4242,
    jobId: 'BTC-USD/base',
    pair: 'BTC-USD',
    variant: 'base',
    episode: 2,
  });
  h.store.set(state({ workers: [{ ...w1, lastEpisode: episode(1), recentEpisodes: [episode(1)] }] }));
  h.take();
  const three = [episode(1), episode(2), episode(3)];
  h.store.set(state({ workers: [{ ...w1, episode: 4, lastEpisode: episode(3), recentEpisodes: three }] }));
  t.deepEqual(h.take(), [
    'worker 1  BTC-USD/base  episode 2/10  reward -5.00  in-sample P/L -0.20%  ε 0.68  812 steps/s  loss 0.0213',
    'worker 1  BTC-USD/base  episode 3/10  reward 2.50  in-sample P/L +0.20%  ε 0.52  812 steps/s  loss 0.0213',
  ]);
  h.store.set(
    state({ workers: [{ ...w1, episode: 4, step: 90, lastEpisode: episode(3), recentEpisodes: three }] }),
  );
  t.deepEqual(h.take(), []);
});

test('a scripted run prints one line per change and per episode, never the same line twice', (t) => {
  const h = harness(state());
  t.deepEqual(h.take(), ['worker 1  pending', 'progress  0/8 jobs  0/80 episodes (0.0%)  elapsed 0s  ETA —']);

  const training = {
    state: 'training' as const,
    process: 'running' as const,
    pid: 4242,
    jobId: 'BTC-USD/base',
  };
  const w1 = worker(1, { ...training, pair: 'BTC-USD', variant: 'base', episode: 1, step: 10 });
  h.store.set(state({ workers: [w1] }));
  t.deepEqual(h.take(), ['worker 1  training  BTC-USD/base  ep 1/10']);

  // Steps move, the heartbeat ticks, the state object is new: nothing worth a line.
  h.store.set(state({ now: T0 + 1_000, workers: [{ ...w1, step: 3_000, heartbeatAt: T0 + 900 }] }));
  h.store.set(state({ now: T0 + 2_000, workers: [{ ...w1, step: 6_000, heartbeatAt: T0 + 1_900 }] }));
  t.deepEqual(h.take(), []);

  const ep1 = { ...w1, episode: 2, step: 5, recentRewards: [-12.5], lastEpisode: episode(1) };
  h.store.set(state({ now: T0 + 3_000, workers: [ep1] }));
  t.deepEqual(h.take(), [
    'worker 1  BTC-USD/base  episode 1/10  reward -12.50  in-sample P/L -0.60%  ε 0.84  812 steps/s',
  ]);
  h.store.set(state({ now: T0 + 4_000, workers: [{ ...ep1, step: 900 }] }));
  t.deepEqual(h.take(), []);

  const ep2 = { ...ep1, episode: 3, recentRewards: [-12.5, -5], lastEpisode: episode(2) };
  h.advance(6_000);
  h.store.set(
    state({
      now: T0 + 6_000,
      workers: [ep2],
      progress: { ...state().progress, episodesDone: 2, elapsedSeconds: 6, etaSeconds: 702 },
    }),
  );
  t.deepEqual(h.take(), [
    'worker 1  BTC-USD/base  episode 2/10  reward -5.00  in-sample P/L -0.20%  ε 0.68  812 steps/s  loss 0.0213',
    'progress  0/8 jobs  2/80 episodes (2.5%)  elapsed 6s  ETA 11m42s',
  ]);

  const evaluating = { ...ep2, state: 'evaluating' as const, episode: 10, lastEpisode: episode(10) };
  h.store.set(state({ workers: [evaluating] }));
  t.deepEqual(h.take(), [
    'worker 1  BTC-USD/base  episode 10/10  reward 55.00  in-sample P/L +3.00%  ε 0.05  812 steps/s  loss 0.0213',
    'worker 1  evaluating  BTC-USD/base  ep 10/10',
  ]);

  const nextJob = {
    ...evaluating,
    state: 'training' as const,
    jobId: 'BTC-USD/fast-lr',
    variant: 'fast-lr',
    episode: 1,
    recentRewards: [],
    jobsDone: 1,
    lastJobPnlPct: 2.31,
  };
  h.store.set(state({ workers: [nextJob] }));
  t.deepEqual(h.take(), [
    'worker 1  jobs 1/8 finished  last job P/L +2.31%',
    'worker 1  training  BTC-USD/fast-lr  ep 1/10',
  ]);

  // Killed, backoff, restarted, then given up.
  const exited = { ...nextJob, process: 'exited' as const, pid: null, lastExitReason: 'killed by SIGKILL' };
  h.store.set(state({ workers: [exited] }));
  const backoff = { ...exited, process: 'backoff' as const, restarts: 1, nextRestartAt: T0 + 2_000 };
  h.store.set(state({ workers: [backoff] }));
  h.store.set(state({ now: T0 + 1_000, workers: [backoff] }));
  const restarted = { ...backoff, process: 'running' as const, state: 'starting' as const, pid: 5000 };
  h.store.set(state({ workers: [restarted] }));
  h.store.set(
    state({ workers: [{ ...restarted, state: 'loading-data', lastError: 'Error: ENOSPC\n    at x' }] }),
  );
  const failed = {
    ...restarted,
    process: 'failed' as const,
    lastExitReason: 'gave up after 5 consecutive restarts: exited with code 1',
  };
  h.store.set(state({ workers: [failed] }));
  h.store.set(state({ workers: [{ ...failed }] }));
  t.deepEqual(h.take(), [
    'worker 1  exited  killed by SIGKILL',
    'worker 1  backoff  restart #1 in 2s (killed by SIGKILL)',
    'worker 1  starting  BTC-USD/fast-lr  ep 1/10',
    'worker 1  loading  BTC-USD/fast-lr  ep 1/10',
    'worker 1  error  Error: ENOSPC',
    'worker 1  failed  gave up after 5 consecutive restarts: exited with code 1',
  ]);
  t.false(
    h.lines.some((l) => l.includes('\u001b')),
    'plain text, no ANSI',
  );
});

test('progress lines come at most every progressEveryMs, and only when progress moved', (t) => {
  const h = harness(state(), 5_000);
  h.take();
  const progressLines = () => h.take().filter((l) => l.startsWith('progress'));
  let printed = 0;
  for (let s = 1; s <= 20; s++) {
    h.advance(1_000);
    h.store.set(
      state({
        now: T0 + s * 1_000,
        progress: { ...state().progress, episodesDone: s, elapsedSeconds: s, etaSeconds: 80 - s },
      }),
    );
    printed += progressLines().length;
  }
  t.is(printed, 4, 'at 5, 10, 15 and 20 s');
  // Time passes without progress: no line.
  h.advance(30_000);
  h.store.set(
    state({ now: T0 + 50_000, progress: { ...state().progress, episodesDone: 20, elapsedSeconds: 50 } }),
  );
  t.deepEqual(progressLines(), []);
});

test('problems and the end of the run are printed once; stop() unsubscribes', (t) => {
  const h = harness(state({ workers: [] }));
  h.take();
  h.store.set(state({ workers: [], problems: ['worker_1_status.json: invalid JSON'] }));
  h.store.set(state({ workers: [], problems: ['worker_1_status.json: invalid JSON'] }));
  t.deepEqual(h.take(), ['problem  worker_1_status.json: invalid JSON']);
  const done = worker(1, { process: 'done', state: 'done', jobsDone: 7, jobsFailed: 1 });
  const end = state({
    workers: [done],
    finished: true,
    progress: {
      ...state().progress,
      jobsDone: 7,
      jobsFailed: 1,
      episodesDone: 80,
      elapsedSeconds: 150,
      etaSeconds: 0,
    },
  });
  h.store.set(end);
  h.store.set({ ...end });
  t.deepEqual(h.take(), [
    'worker 1  done  7/8 jobs, 1 failed',
    'progress  7/8 jobs  1 failed  80/80 episodes (100.0%)  elapsed 2m30s  ETA 0s',
    'run finished: 7/8 jobs done, 1 failed, in 2m30s',
  ]);
  t.is(h.store.listeners(), 1);
  h.reporter.stop();
  h.reporter.stop();
  t.is(h.store.listeners(), 0);
});

test('without episode records, a new reward in recentRewards still makes an episode line', (t) => {
  const base = worker(2, {
    state: 'training',
    process: 'running',
    pid: 1,
    jobId: 'SOL-USD/base',
    episode: 2,
  });
  const h = harness(state({ workers: [base] }));
  h.take();
  h.store.set(state({ workers: [{ ...base, recentRewards: [3.25] }] }));
  h.store.set(state({ workers: [{ ...base, recentRewards: [3.25] }] }));
  h.store.set(state({ workers: [{ ...base, recentRewards: [3.25, 4] }] }));
  t.deepEqual(h.take(), [
    'worker 2  SOL-USD/base  episode 1/10  reward 3.25',
    'worker 2  SOL-USD/base  episode 2/10  reward 4.00',
  ]);
});

test('with folds and seeds an episode line names its unit and counts within it', (t) => {
  const w = worker(1, { state: 'training', process: 'running', pid: 1, jobId: 'BTC-USD/base', episodes: 12 });
  const h = harness(state({ workers: [w] }));
  h.take();
  const unitEpisode = (fold: number, seed: number, n: number) => ({ ...episode(n), fold, seed });
  h.store.set(state({ workers: [{ ...w, episode: 2, lastEpisode: unitEpisode(1, 1, 2) }] }));
  h.store.set(state({ workers: [{ ...w, episode: 4, lastEpisode: unitEpisode(1, 2, 2) }] }));
  t.deepEqual(h.take(), [
    'worker 1  BTC-USD/base  fold 1 seed 1 episode 2  reward -5.00  in-sample P/L -0.20%  ε 0.68  812 steps/s  loss 0.0213',
    'worker 1  BTC-USD/base  fold 1 seed 2 episode 2  reward -5.00  in-sample P/L -0.20%  ε 0.68  812 steps/s  loss 0.0213',
  ]);
});

test('attach mode says when no supervisor answers', (t) => {
  const h = harness(state({ mode: 'attach', supervisorConnected: false, workers: [] }));
  t.deepEqual(h.take(), [
    'no supervisor answering: read-only view',
    'progress  0/8 jobs  0/80 episodes (0.0%)  elapsed 0s  ETA —',
  ]);
  h.store.set(state({ mode: 'attach', supervisorConnected: true, workers: [] }));
  t.deepEqual(h.take(), ['supervisor answering']);
});

function metrics(pnlPct: number, sharpe: number | null): EvalMetrics {
  return {
    pnlPct,
    pnlUsd: pnlPct * 100,
    finalValue: 10_000 + pnlPct * 100,
    winRate: 0.537,
    trades: 41,
    sharpe,
    sortino: null,
    maxDrawdownPct: 6.4,
    exposure: 0.5,
  };
}

test('summary: the leaderboard table and the failures', (t) => {
  const leaderboard: LeaderboardRow[] = [
    {
      pair: 'BTC-USD',
      workerId: 1,
      jobId: 'BTC-USD/fast-lr',
      variant: 'fast-lr',
      metrics: metrics(4.2, 1.37),
      buyAndHoldPnlPct: -3.2,
      modelPath: 'models/worker_1_BTC_USD_model',
    },
    {
      pair: 'DOGE-USD',
      workerId: 2,
      jobId: 'DOGE-USD/short-horizon',
      variant: 'short-horizon',
      metrics: { ...metrics(-0.5, null), winRate: null, trades: 0 },
      buyAndHoldPnlPct: 12.75,
      modelPath: null,
    },
  ];
  const h = harness(
    state({
      leaderboard,
      workers: [worker(1, { process: 'failed', lastExitReason: 'gave up after 5 consecutive restarts' })],
      progress: { ...state().progress, jobsDone: 6, jobsFailed: 1, elapsedSeconds: 3_725 },
    }),
  );
  t.is(
    h.reporter.summary(),
    [
      'Run run-test: 6/8 jobs done, 1 worker gave up, 1h02m',
      'pair      best variant    P/L %  win rate  Sharpe  max DD  trades  B&H P/L %',
      'BTC-USD   fast-lr        +4.20%       54%    1.37   6.40%      41     -3.20%',
      'DOGE-USD  short-horizon  -0.50%         —       —   6.40%       0    +12.75%',
      'Failures (1: 1 worker gave up):',
      '  worker 1  gave up after 5 consecutive restarts',
      'Logs:    results/logs',
    ].join('\n'),
  );
  const empty = harness(state());
  t.is(
    empty.reporter.summary(),
    'Run run-test: 0/8 jobs done, no failures, 0s\nNo finished jobs.\nLogs:    results/logs',
  );
});

test('summary of a run with evidence: the Sharpe’s annualisation and the correction across rows', (t) => {
  const row: LeaderboardRow = {
    pair: 'ETH-USD',
    workerId: 1,
    jobId: 'ETH-USD/base',
    variant: 'base',
    metrics: metrics(2.5, 0.91),
    buyAndHoldPnlPct: 1.1,
    modelPath: null,
    annualization: 8760,
  };
  const multipleTesting = {
    method: 'benjamini-hochberg' as const,
    alpha: 0.05,
    pValue: 'vs-buy-and-hold' as const,
    tested: 15,
    significant: 2,
    expectedByChance: 0.75,
  };
  const aggregated = {
    schema: 1 as const,
    runId: 'run-test',
    updatedAt: new Date(T0).toISOString(),
    jobsTotal: 8,
    jobsDone: 8,
    jobsFailed: 0,
    rankings: [],
    bestByPair: [],
    multipleTesting,
  };
  const summary = harness(state({ leaderboard: [row], aggregated }))
    .reporter.summary()
    .split('\n');
  t.is(summary[1], 'pair     best variant   P/L %  win rate  Sharpe ×√8760  max DD  trades  B&H P/L %');
  t.is(
    summary[3],
    'Significant vs buy-and-hold at 5 % after Benjamini–Hochberg: 2 of 15 (0.75 expected by chance)',
  );
  t.is(significanceCount(multipleTesting, true), '2/15 significant (0.75 by chance)');
});

// Issue 13, item 4: the summary said "0 failed" and then listed "Failures (2)" when a worker gave up,
// and never said where the report, the models and the logs are, nor how to resume after a stop.
test('summary: the first line and the failure list agree, and it names the report, models and logs', (t) => {
  const report = fixtureReport('completed-with-failures', [
    { workerId: 1, jobId: 'BTC-USD/base', pair: 'BTC-USD', reason: 'BTC-USD: no candle file at x.csv' },
    {
      workerId: 2,
      jobId: null,
      pair: null,
      reason: 'gave up after 5 consecutive restarts: exited with code 1',
    },
    { workerId: 2, jobId: 'ETH-USD/base', pair: 'ETH-USD', reason: 'not run: worker 2 gave up' },
  ]);
  const finished = state({
    resultsDir: '/runs/a',
    modelsDir: '/runs/models',
    finished: true,
    report,
    workers: [worker(1, { logFile: '/runs/a/logs/worker_1.log' }), worker(2, { process: 'failed' })],
    progress: { ...state().progress, jobsDone: 6, jobsFailed: 1, elapsedSeconds: 60 },
  });
  const lines = harness(finished).reporter.summary().split('\n');
  t.is(
    lines[0],
    'Run run-test: 6/8 jobs done, 1 job failed, 1 job not run, 1 worker gave up, 1m00s  (completed-with-failures)',
  );
  t.true(lines.includes('Failures (3: 1 job failed, 1 job not run, 1 worker gave up):'));
  t.true(lines.includes('Report:  /runs/a/training_report.json'));
  t.true(lines.some((l) => l.startsWith('Models:  /runs/models')));
  t.true(lines.includes('Logs:    /runs/a/logs'));
  t.false(lines.some((l) => l.startsWith('Stopped')));

  const stopped = { ...finished, report: fixtureReport('stopped', []) };
  const after = harness(stopped).reporter.summary();
  t.regex(after, /no failures/);
  t.regex(after, /Stopped before the end: rerun the same command to resume where it stopped\./);
  t.regex(formatSummary(stopped, { fresh: true }), /rerun the same command without --fresh to resume/);
});

function fixtureReport(
  outcome: TrainingReport['outcome'],
  failures: TrainingReport['failures'],
): TrainingReport {
  return {
    schema: 1,
    runId: 'run-test',
    startedAt: new Date(T0).toISOString(),
    finishedAt: new Date(T0 + 60_000).toISOString(),
    seconds: 60,
    outcome,
    plan: {
      workers: 2,
      pairs: ['BTC-USD', 'ETH-USD'],
      variants: [],
      episodes: 10,
      data: { source: 'data-dir', days: 365, interval: '1h', cacheDir: 'data', dataDir: 'd', refresh: false },
      environment: DEFAULT_ENVIRONMENT,
      seed: 42,
      assignments: [],
    },
    workers: [],
    jobs: [],
    bestModels: [],
    failures,
    environment: { backend: null, node: 'v20', platform: 'linux', cpus: 2, runtime: 'local' },
  };
}
