import test from 'ava';
import { workerStatus } from '../bench/worker-status-fixture.js';
import {
  canSendCommands,
  type DashboardState,
  DEFAULT_ENVIRONMENT,
  type SupervisorStatus,
  WorkerStatusSchema,
} from '../shared/index.js';
import { jobResult, workerResults } from '../test/helpers/worker-results-fixture.js';
import { aggregateResults } from './aggregate.js';
import { equalValue } from './equal-value.js';
import type { SupervisorEvent } from './events.js';
import { planRun } from './plan.js';
import { initialState, reduce, SUPERVISOR_STALE_MS, workerStalled } from './reducer.js';
import { buildReport } from './report.js';

const T0 = Date.parse('2025-06-01T11:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

const plan = planRun(
  {
    workers: 2,
    pairs: ['BTC-USD', 'ETH-USD', 'SOL-USD'],
    variants: 2,
    episodes: 10,
    data: { source: 'data-dir', days: 365, interval: '1h', cacheDir: 'data', dataDir: 'd', refresh: false },
    environment: DEFAULT_ENVIRONMENT,
    seed: 1,
    resultsDir: 'results',
    modelsDir: 'models',
    runId: 'run-test',
  },
  new Date(T0),
);

function fold(state: DashboardState, events: SupervisorEvent[]): DashboardState {
  return events.reduce(reduce, state);
}

/** A run of the plan above: started, configs read, both processes up. */
function running(): DashboardState {
  return fold(initialState({ mode: 'run', resultsDir: 'results', now: T0 }), [
    { type: 'run-started', runId: 'run-test', runtime: 'local', at: T0, workerIds: [1, 2] },
    { type: 'config', workerId: 1, config: plan.workers[0]!.config },
    { type: 'config', workerId: 2, config: plan.workers[1]!.config },
    { type: 'process-started', workerId: 1, pid: 4242, at: T0 },
    { type: 'process-started', workerId: 2, pid: 4243, at: T0 },
  ]);
}

test('initialState: empty run, connected only in run mode', (t) => {
  const s = initialState({ mode: 'run', resultsDir: 'r', now: 5 });
  t.like(s, {
    mode: 'run',
    supervisorConnected: true,
    now: 5,
    finished: false,
    runId: null,
    resultsDir: 'r',
  });
  t.deepEqual(s.workers, []);
  t.is(s.progress.etaSeconds, null);
  t.false(initialState({ mode: 'attach', resultsDir: 'r', now: 5 }).supervisorConnected);
});

test('run-started, config and process-started build the workers and totals', (t) => {
  const s = running();
  t.is(s.runId, 'run-test');
  t.is(s.runtime, 'local');
  t.is(s.startedAt, T0);
  t.deepEqual(
    s.workers.map((w) => [w.workerId, w.process, w.state, w.pid, w.pairs, w.jobsTotal, w.episodes]),
    [
      [1, 'running', 'starting', 4242, ['BTC-USD', 'ETH-USD'], 4, 10],
      [2, 'running', 'starting', 4243, ['SOL-USD'], 2, 10],
    ],
  );
  t.like(s.progress, { jobsTotal: 6, jobsDone: 0, episodesTotal: 60, episodesDone: 0, etaSeconds: null });
  t.false(s.finished);
});

test('status fills the worker view; repeated or older seq of the same process is dropped (same object)', (t) => {
  const status = workerStatus({ seq: 5, pid: 4242, heartbeatAt: iso(T0 + 5_000) });
  t.true(WorkerStatusSchema.safeParse(status).success);
  const s1 = reduce(running(), { type: 'status', workerId: 1, status });
  const w = s1.workers[0]!;
  t.like(w, {
    state: 'training',
    jobId: 'BTC-USD/base',
    pair: 'BTC-USD',
    variant: 'base',
    episode: 1,
    step: 1_200,
    stepsPerEpisode: 7_000,
    stepsPerSecond: 800,
    heartbeatAt: T0 + 5_000,
    memoryMb: 310,
    jobsTotal: 8,
  });
  t.is(s1.backend, 'wasm');
  t.is(reduce(s1, { type: 'status', workerId: 1, status }), s1, 'same seq');
  t.is(
    reduce(s1, { type: 'status', workerId: 1, status: { ...status, seq: 4, state: 'saving' } }),
    s1,
    'older',
  );
  const s2 = reduce(s1, { type: 'status', workerId: 1, status: { ...status, seq: 6, state: 'evaluating' } });
  t.is(s2.workers[0]!.state, 'evaluating');
  t.is(s2.workers[1], s1.workers[1], 'untouched workers keep their identity');
  // A restarted process starts its seq over: accepted, because pid/start differ.
  const restarted = reduce(s2, {
    type: 'status',
    workerId: 1,
    status: { ...status, pid: 5000, seq: 0, startedAt: iso(T0 + 60_000), state: 'loading-data' },
  });
  t.is(restarted.workers[0]!.state, 'loading-data');
  // …and a late file of the old process is then ignored.
  t.is(reduce(restarted, { type: 'status', workerId: 1, status: { ...status, seq: 99 } }), restarted);
});

test('status of another run is ignored and reported once', (t) => {
  const s = running();
  const other = workerStatus({ runId: 'run-old' });
  const s1 = reduce(s, { type: 'status', workerId: 1, status: other });
  t.is(s1.workers[0]!.state, 'starting');
  t.deepEqual(s1.problems, ['worker_1_status.json: belongs to run run-old, not run-test; ignored']);
  t.is(reduce(s1, { type: 'status', workerId: 1, status: other }), s1);
});

test('episodes: progress counts finished episodes, the ETA uses measured seconds per episode', (t) => {
  let s = running();
  const lastEpisode = {
    jobId: 'BTC-USD/base',
    episode: 2,
    reward: 12.5,
    pnlPct: 1.2,
    epsilon: 0.7,
    loss: 0.02,
    stepsPerSecond: 700,
    updates: 1_700,
    seconds: 10,
  };
  s = reduce(s, {
    type: 'status',
    workerId: 1,
    status: workerStatus({
      seq: 1,
      current: { ...workerStatus().current!, episode: 3, step: 3_500, stepsPerEpisode: 7_000 },
      recentRewards: [-3, 12.5],
      lastEpisode,
      jobsTotal: 4,
    }),
  });
  const w1 = s.workers[0]!;
  t.is(w1.secondsPerEpisode, 10);
  t.deepEqual(w1.lastEpisode, lastEpisode);
  // Worker 1: 2 episodes + half of the third done of 40; worker 2 nothing measured yet.
  t.is(s.progress.episodesDone, 2);
  // Worker 1 has 37.5 episodes left at 10 s; worker 2 borrows that rate for its 20: the slowest is 375 s.
  t.is(s.progress.etaSeconds, 375);

  // Worker 2 measures 30 s per episode: it becomes the bottleneck (20 × 30 = 600 s).
  s = reduce(s, {
    type: 'status',
    workerId: 2,
    status: workerStatus({
      workerId: 2,
      pid: 4243,
      current: { ...workerStatus().current!, jobId: 'SOL-USD/base', pair: 'SOL-USD', step: 0, episode: 2 },
      lastEpisode: { ...lastEpisode, jobId: 'SOL-USD/base', episode: 1, seconds: 30 },
      jobsTotal: 2,
    }),
  });
  t.is(s.progress.episodesDone, 3);
  t.is(s.progress.etaSeconds, 570, 'worker 2: 19 left × 30 s');

  // A results file replaces the estimate with whole-job time per episode (incl. evaluation).
  s = reduce(s, {
    type: 'results',
    workerId: 1,
    results: workerResults(1, [jobResult({ pair: 'BTC-USD', episodes: 10, secondsPerEpisode: 12 })]),
  });
  t.is(s.workers[0]!.jobsDone, 1);
  t.is(s.workers[0]!.secondsPerEpisode, 12.3, '(10 × 12 + 3) s / 10 episodes');
  t.is(s.progress.jobsDone, 1);
});

test('a status bringing several finished episodes counts each once, in order, for progress and the seconds per episode', (t) => {
  const ep = (episode: number, seconds: number) => ({
    jobId: 'BTC-USD/base',
    episode,
    reward: episode,
    pnlPct: 0.1 * episode,
    epsilon: 0.5,
    loss: 0.02,
    stepsPerSecond: 700,
    updates: 1_700,
    seconds,
  });
  /** A status of worker 1 that finished `episodes` (its last one is `lastEpisode`), the job at `episode`. */
  const written = (seq: number, episode: number, episodes: ReturnType<typeof ep>[]) => ({
    type: 'status' as const,
    workerId: 1,
    status: workerStatus({
      seq,
      current: { ...workerStatus().current!, episode, step: 0, stepsPerEpisode: 7_000 },
      lastEpisode: episodes.at(-1) ?? null,
      recentEpisodes: episodes,
    }),
  });
  let s = reduce(running(), written(1, 2, [ep(1, 10)]));
  t.is(s.workers[0]!.progressThisProcess, 1);
  // The next write carries the previous write's episode again, and two new ones.
  s = reduce(s, written(2, 4, [ep(1, 10), ep(2, 20), ep(3, 20)]));
  const w = s.workers[0]!;
  t.is(w.progressThisProcess, 3, 'episodes 2 and 3 are new, 1 was counted');
  t.deepEqual(
    w.recentEpisodes?.map((e) => e.episode),
    [1, 2, 3],
  );
  t.is(w.lastEpisode?.episode, 3);
  // 10 s, then 0.7 × 10 + 0.3 × 20 = 13, then 0.7 × 13 + 0.3 × 20 = 15.1.
  t.true(Math.abs((w.secondsPerEpisode ?? 0) - 15.1) < 1e-9, String(w.secondsPerEpisode));
  // A write that missed none of them (a heartbeat) brings nothing new.
  const again = reduce(s, written(3, 4, [ep(3, 20)]));
  t.is(again.workers[0]!.progressThisProcess, 3);
  t.deepEqual(again.workers[0]!.recentEpisodes, w.recentEpisodes);
});

test('elapsed follows ticks; ticks flag a worker without heartbeat as stalled; same tick is a no-op', (t) => {
  let s = reduce(running(), {
    type: 'status',
    workerId: 1,
    status: workerStatus({ heartbeatAt: iso(T0 + 10_000) }),
  });
  s = reduce(s, { type: 'tick', now: T0 + 60_000 });
  t.is(s.progress.elapsedSeconds, 60);
  t.false(s.workers[0]!.stalled);
  t.is(reduce(s, { type: 'tick', now: T0 + 60_000 }), s);
  s = reduce(s, { type: 'tick', now: T0 + 125_000 });
  t.deepEqual(
    s.workers.map((w) => w.stalled),
    [false, true],
    'worker 2 never sent a heartbeat in 125 s; worker 1 did 115 s ago',
  );
  s = reduce(s, { type: 'tick', now: T0 + 131_000 });
  t.true(s.workers[0]!.stalled);
  s = reduce(s, {
    type: 'status',
    workerId: 1,
    status: workerStatus({ seq: 2, heartbeatAt: iso(T0 + 130_500) }),
  });
  t.false(s.workers[0]!.stalled, 'a fresh heartbeat clears it');
  s = reduce(s, { type: 'worker-stalled', workerId: 1, at: T0 + 131_000 });
  t.true(s.workers[0]!.stalled, 'the supervisor can flag it too');
});

test('exit, backoff, restart, give-up and finish', (t) => {
  let s = reduce(running(), {
    type: 'process-exited',
    workerId: 2,
    code: null,
    signal: 'SIGKILL',
    at: T0 + 1,
  });
  t.like(s.workers[1], { process: 'exited', pid: null, lastExitReason: 'killed by SIGKILL' });
  s = reduce(s, {
    type: 'restart-scheduled',
    workerId: 2,
    attempt: 1,
    at: T0 + 2,
    delayMs: 1_000,
    reason: 'killed by SIGKILL',
  });
  t.like(s.workers[1], { process: 'backoff', restarts: 1, nextRestartAt: T0 + 1_002 });
  s = reduce(s, { type: 'process-started', workerId: 2, pid: 777, at: T0 + 1_002 });
  t.like(s.workers[1], { process: 'running', pid: 777, nextRestartAt: null, restarts: 1 });
  s = reduce(s, {
    type: 'worker-failed',
    workerId: 2,
    at: T0 + 5,
    reason: 'gave up after 5 consecutive restarts',
  });
  t.like(s.workers[1], { process: 'failed', lastExitReason: 'gave up after 5 consecutive restarts' });
  t.false(s.finished);
  s = reduce(s, { type: 'restart-requested', workerId: 2, at: T0 + 6 });
  t.like(s.workers[1], { process: 'pending', restarts: 2, lastExitReason: 'restart requested' });
  s = reduce(s, { type: 'worker-stopped', workerId: 2, at: T0 + 7 });
  t.is(s.workers[1]!.process, 'stopped');
  // Worker 1 reports done and exits 0: its process is done, and with worker 2 stopped the run is over.
  s = reduce(s, {
    type: 'status',
    workerId: 1,
    status: workerStatus({ state: 'done', current: null, jobsDone: 4 }),
  });
  t.false(s.finished);
  s = reduce(s, { type: 'process-exited', workerId: 1, code: 0, signal: null, at: T0 + 9_000 });
  t.like(s.workers[0], { process: 'done', lastExitReason: 'finished' });
  t.true(s.finished);
  t.is(s.progress.etaSeconds, 0);
  s = reduce(s, { type: 'run-finished', at: T0 + 10_000 });
  t.is(s.finishedAt, T0 + 10_000);
  t.is(reduce(s, { type: 'run-finished', at: T0 + 11_000 }), s);
  t.is(
    reduce(s, { type: 'tick', now: T0 + 99_000 }).progress.elapsedSeconds,
    10,
    'elapsed stops at the finish',
  );
});

test('exit 0 before done is an exit, not a finish — unless the final done status arrives after it', (t) => {
  const s = reduce(running(), { type: 'process-exited', workerId: 1, code: 0, signal: null, at: T0 });
  t.is(s.workers[0]!.process, 'exited');
  t.is(s.workers[0]!.lastExitReason, 'exited with code 0');
  const late = reduce(s, {
    type: 'status',
    workerId: 1,
    status: workerStatus({ state: 'done', current: null }),
  });
  t.like(late.workers[0], { process: 'done', lastExitReason: 'finished' });
  const killed = reduce(running(), {
    type: 'process-exited',
    workerId: 1,
    code: null,
    signal: 'SIGKILL',
    at: T0,
  });
  const notLate = reduce(killed, {
    type: 'status',
    workerId: 1,
    status: workerStatus({ state: 'done', current: null }),
  });
  t.is(notLate.workers[0]!.process, 'exited', 'a killed worker did not finish cleanly');
});

/** Worker 1's BTC-USD and ETH-USD jobs, aggregated for a 6-job run. */
const twoPairAggregate = () =>
  aggregateResults(
    'run-test',
    6,
    [
      workerResults(1, [
        jobResult({ pair: 'BTC-USD', sharpe: 1.2, buyAndHoldPnlPct: -4 }),
        jobResult({ pair: 'ETH-USD', sharpe: 0.3 }),
      ]),
    ],
    new Date(T0),
  );

test('aggregated fills the leaderboard; an identical aggregate is a no-op', (t) => {
  const aggregated = twoPairAggregate();
  const s = reduce(running(), { type: 'aggregated', aggregated });
  t.deepEqual(
    s.leaderboard.map((r) => [r.pair, r.variant, r.buyAndHoldPnlPct, r.metrics.sharpe]),
    [
      ['BTC-USD', 'base', -4, 1.2],
      ['ETH-USD', 'base', -3.2, 0.3],
    ],
  );
  t.is(s.progress.jobsDone, 2, 'aggregated counts are a floor for progress');
  t.is(reduce(s, { type: 'aggregated', aggregated: structuredClone(aggregated) }), s);
});

test('a re-read aggregate keeps the state; a change deep inside or in its time stamp replaces it', (t) => {
  const aggregated = twoPairAggregate();
  const s = reduce(running(), { type: 'aggregated', aggregated });
  // The same file read again: an equal value in new objects, through JSON as the watcher reads it.
  const reread = JSON.parse(JSON.stringify(aggregated)) as typeof aggregated;
  t.is(reduce(s, { type: 'aggregated', aggregated: reread }), s);

  const deep = structuredClone(aggregated);
  deep.bestByPair[1]!.metrics.sharpe = 0.31;
  const changed = reduce(s, { type: 'aggregated', aggregated: deep });
  t.not(changed, s);
  t.is(changed.aggregated, deep);
  t.is(changed.leaderboard[1]!.metrics.sharpe, 0.31);

  const later = { ...structuredClone(aggregated), updatedAt: iso(T0 + 1) };
  t.is(reduce(s, { type: 'aggregated', aggregated: later }).aggregated, later);
});

test('a new aggregate is told apart without serialising the documents (issue 12: 1 MB twice per job)', (t) => {
  const results = [workerResults(1, [jobResult({ pair: 'BTC-USD', sharpe: 1.2 })])];
  const s = reduce(running(), {
    type: 'aggregated',
    aggregated: aggregateResults('run-test', 6, results, new Date(T0)),
  });
  const next = aggregateResults('run-test', 6, results, new Date(T0 + 1_000));
  const stringify = JSON.stringify;
  let calls = 0;
  JSON.stringify = ((...args: Parameters<typeof stringify>) => {
    calls++;
    return stringify(...args);
  }) as typeof stringify;
  try {
    t.is(reduce(s, { type: 'aggregated', aggregated: next }).aggregated, next);
  } finally {
    JSON.stringify = stringify;
  }
  t.is(calls, 0);
});

test('equalValue: equal as JSON values, whatever the objects', (t) => {
  t.true(
    equalValue({ a: [1, { b: 'x' }], c: null }, { c: null, a: [1, { b: 'x' }] }),
    'key order does not count',
  );
  t.true(equalValue({ a: 1, u: undefined }, { a: 1 }), 'an undefined key is an absent key, as in JSON');
  t.true(equalValue([Number.NaN], [Number.NaN]));
  t.true(equalValue(new Date(T0), new Date(T0)));
  t.false(equalValue(new Date(T0), new Date(T0 + 1)));
  t.false(equalValue({ a: 1 }, { a: 1, b: 2 }));
  t.false(equalValue({ a: 1, b: undefined }, { a: 1, c: 2 }));
  t.false(equalValue([1, 2], [1, 2, 3]));
  t.false(equalValue([1], { 0: 1 }));
  t.false(equalValue({ a: { b: [1, 2] } }, { a: { b: [1, 3] } }));
  t.false(equalValue(null, {}));
  t.false(equalValue('1', 1));
});

test('report marks the run finished', (t) => {
  const aggregated = aggregateResults('run-test', 6, [], new Date(T0));
  const report = buildReport({
    plan,
    aggregated,
    workers: [],
    startedAt: new Date(T0),
    finishedAt: new Date(T0 + 30_000),
    backend: 'cpu',
    runtime: 'local',
    stopped: true,
  });
  const s = reduce(initialState({ mode: 'attach', resultsDir: 'r', now: T0 + 40_000 }), {
    type: 'report',
    report,
  });
  t.like(s, { finished: true, startedAt: T0, finishedAt: T0 + 30_000, runId: 'run-test', runtime: 'local' });
  t.is(s.progress.elapsedSeconds, 30);
  t.is(reduce(s, { type: 'report', report }), s);
});

test('attach mode: supervisor status drives processes and connection; it goes stale without heartbeats', (t) => {
  const now = T0 + 100_000;
  const status: SupervisorStatus = {
    schema: 1,
    runId: 'run-test',
    pid: 99,
    runtime: 'docker',
    startedAt: iso(T0),
    heartbeatAt: iso(now - 1_000),
    finished: false,
    workers: [
      {
        workerId: 1,
        process: 'backoff',
        pid: null,
        restarts: 2,
        nextRestartAt: iso(now + 4_000),
        stalled: false,
        lastExit: { code: 1, signal: null, at: iso(now - 1_500) },
        logFile: 'results/logs/worker_1.log',
      },
    ],
  };
  let s = reduce(initialState({ mode: 'attach', resultsDir: 'r', now }), {
    type: 'supervisor-status',
    status,
  });
  t.like(s, { supervisorConnected: true, runtime: 'docker', runId: 'run-test', startedAt: T0 });
  t.like(s.workers[0], {
    process: 'backoff',
    restarts: 2,
    nextRestartAt: now + 4_000,
    lastExitReason: 'exited with code 1',
    logFile: 'results/logs/worker_1.log',
  });
  t.is(reduce(s, { type: 'supervisor-status', status }), s);
  s = reduce(s, { type: 'tick', now: now - 1_000 + SUPERVISOR_STALE_MS + 1 });
  t.false(s.supervisorConnected);
  // Without a supervisor, the process state is read off the worker's own status.
  s = reduce(s, { type: 'status', workerId: 1, status: workerStatus({ state: 'done', current: null }) });
  t.is(s.workers[0]!.process, 'done');
  t.true(s.finished);
  // In run mode, our own status file echoed back changes nothing.
  const run = running();
  t.is(reduce(run, { type: 'supervisor-status', status }), run);
});

test('log lines keep the last 200; problems are deduped and capped at 20', (t) => {
  let s = running();
  s = reduce(s, { type: 'log-lines', workerId: 1, lines: Array.from({ length: 150 }, (_, i) => `a${i}`) });
  s = reduce(s, { type: 'log-lines', workerId: 1, lines: Array.from({ length: 100 }, (_, i) => `b${i}`) });
  t.is(s.workers[0]!.logTail.length, 200);
  t.is(s.workers[0]!.logTail[0], 'a50');
  t.is(s.workers[0]!.logTail.at(-1), 'b99');
  t.is(reduce(s, { type: 'log-lines', workerId: 1, lines: [] }), s);
  for (let i = 0; i < 25; i++) s = reduce(s, { type: 'file-problem', message: `p${i}` });
  t.is(s.problems.length, 20);
  t.is(s.problems[0], 'p5');
  t.is(reduce(s, { type: 'file-problem', message: 'p24' }), s);
});

test('events that change nothing return the same object', (t) => {
  const s = reduce(running(), { type: 'worker-stalled', workerId: 1, at: T0 });
  t.is(reduce(s, { type: 'worker-stalled', workerId: 1, at: T0 + 1 }), s);
  t.is(reduce(s, { type: 'config', workerId: 1, config: plan.workers[0]!.config }), s);
  t.is(reduce(s, { type: 'run-started', runId: 'run-test', runtime: 'local', at: T0, workerIds: [1, 2] }), s);
  const stopped = reduce(s, { type: 'worker-stopped', workerId: 2, at: T0 });
  t.is(reduce(stopped, { type: 'worker-stopped', workerId: 2, at: T0 + 5 }), stopped);
});

test('the data source comes from the worker configs, so views can flag a synthetic market', (t) => {
  const s0 = initialState({ mode: 'run', resultsDir: '/r', now: 0 });
  const base = plan.workers[0]!.config;
  const config = { ...base, data: { ...base.data, source: 'synthetic' as const } };
  const s1 = reduce(s0, { type: 'config', workerId: 1, config });
  t.is(s1.dataSource, 'synthetic');
  t.is(reduce(s1, { type: 'config', workerId: 1, config }), s1);
});

test('with folds and seeds a job counts one unit of episodes per fold × seed (progress and ETA)', (t) => {
  const withUnits = planRun(
    { ...plan.options, environment: { ...DEFAULT_ENVIRONMENT, folds: 3, seeds: 2 }, runId: 'run-test' },
    new Date(T0),
  );
  const s = fold(initialState({ mode: 'run', resultsDir: 'results', now: T0 }), [
    { type: 'run-started', runId: 'run-test', runtime: 'local', at: T0, workerIds: [1, 2] },
    { type: 'config', workerId: 1, config: withUnits.workers[0]!.config },
    { type: 'config', workerId: 2, config: withUnits.workers[1]!.config },
  ]);
  t.is(s.workers[0]!.episodes, 10 * 3 * 2);
  t.is(s.progress.episodesTotal, withUnits.episodesTotal);
  t.is(s.progress.episodesTotal, 6 * 60);
});

test('a leaderboard row carries its annualisation when the aggregate has one', (t) => {
  const results = [workerResults(1, [jobResult({ pair: 'BTC-USD', pVsBuyAndHold: 0.01 })])];
  const aggregated = aggregateResults('run-test', 6, results, new Date(T0));
  const s = reduce(running(), { type: 'aggregated', aggregated });
  t.is(s.leaderboard[0]!.annualization, 8760);
});

test('exits are recorded with the reason that settled them; restarts, the policy count and run time live here only', (t) => {
  let s = reduce(running(), { type: 'process-exited', workerId: 1, code: 1, signal: null, at: T0 + 4_000 });
  t.like(s.workers[0], { lastExit: { code: 1, signal: null, at: iso(T0 + 4_000) }, secondsRunning: 4 });
  t.deepEqual(s.workers[0]!.exits, [], 'an exit is recorded once the supervisor has decided what it means');
  s = reduce(s, {
    type: 'restart-scheduled',
    workerId: 1,
    attempt: 1,
    at: T0 + 4_000,
    delayMs: 1_000,
    reason: 'exited with code 1',
  });
  t.like(s.workers[0], { restarts: 1, consecutiveRestarts: 1 });
  s = reduce(s, { type: 'process-started', workerId: 1, pid: null, at: T0 + 5_000 });
  s = reduce(s, { type: 'process-started', workerId: 1, pid: 901, at: T0 + 5_000 });
  t.like(s.workers[0], { process: 'running', pid: 901, processStartedAt: T0 + 5_000 });
  s = reduce(s, { type: 'restart-requested', workerId: 1, at: T0 + 6_000 });
  t.like(s.workers[0], { process: 'running', restarts: 2, consecutiveRestarts: 0 });
  s = reduce(s, { type: 'process-exited', workerId: 1, code: 0, signal: null, at: T0 + 7_000 });
  s = reduce(s, { type: 'worker-relaunching', workerId: 1, at: T0 + 7_000, reason: 'restart requested' });
  t.like(s.workers[0], { process: 'pending', secondsRunning: 6 });
  s = reduce(s, { type: 'run-stopping', reason: 'received SIGINT', at: T0 + 8_000 });
  t.is(s.stopRequested, 'received SIGINT');
  t.is(reduce(s, { type: 'run-stopping', reason: 'again', at: T0 + 9_000 }), s, 'the first reason stays');
  s = reduce(s, { type: 'worker-stopped', workerId: 1, at: T0 + 8_000, reason: null });
  s = reduce(s, { type: 'process-exited', workerId: 2, code: null, signal: 'SIGKILL', at: T0 + 8_500 });
  s = reduce(s, { type: 'worker-stopped', workerId: 2, at: T0 + 8_500, reason: 'received SIGINT' });
  t.deepEqual(
    s.workers.map((w) => (w.exits ?? []).map((e) => [e.code, e.signal, e.reason])),
    [
      [
        [1, null, 'exited with code 1'],
        [0, null, 'restart requested'],
      ],
      [[null, 'SIGKILL', 'stopped: received SIGINT']],
    ],
  );
  t.like(s.workers[1], { process: 'stopped', secondsRunning: 8.5 });
});

test('one answer to "may this view send commands": the run always, an attached view while the supervisor is alive', (t) => {
  t.true(canSendCommands(running()));
  const attached = initialState({ mode: 'attach', resultsDir: 'r', now: T0 });
  t.false(canSendCommands(attached));
  t.true(canSendCommands({ ...attached, supervisorConnected: true }));
});

test('the run’s stall limit replaces the default one', (t) => {
  const s = fold(initialState({ mode: 'run', resultsDir: 'results', now: T0 }), [
    { type: 'run-started', runId: 'run-test', runtime: 'local', at: T0, workerIds: [1], stallAfterMs: 5_000 },
    { type: 'process-started', workerId: 1, pid: 1, at: T0 },
    { type: 'status', workerId: 1, status: workerStatus({ heartbeatAt: iso(T0 + 1_000) }) },
    { type: 'tick', now: T0 + 7_000 },
  ]);
  t.true(s.workers[0]!.stalled);
  t.false(workerStalled(s.workers[0]!, T0 + 7_000), 'the default limit is 120 s');
});

test('progress of the current process (episodes, jobs) is counted, and starts over with each process', (t) => {
  let s = reduce(running(), {
    type: 'status',
    workerId: 1,
    status: workerStatus({
      seq: 5,
      lastEpisode: {
        jobId: 'BTC-USD/base',
        episode: 3,
        reward: 0.1,
        pnlPct: 1,
        epsilon: 0.5,
        loss: 0.01,
        stepsPerSecond: 900,
        updates: 100,
        seconds: 2,
      },
      jobsDone: 1,
    }),
  });
  t.is(s.workers[0]!.progressThisProcess, 2, 'one episode and one job');
  s = reduce(s, { type: 'process-exited', workerId: 1, code: null, signal: 'SIGKILL', at: T0 + 1 });
  t.is(s.workers[0]!.progressThisProcess, 2, 'kept for the decision on this exit');
  s = reduce(s, { type: 'process-started', workerId: 1, pid: null, at: T0 + 2 });
  t.is(s.workers[0]!.progressThisProcess, 0);
});

test('container: the worker view holds its container state; the same state again changes nothing', (t) => {
  const s0 = running();
  const s1 = reduce(s0, {
    type: 'container',
    workerId: 1,
    container: { name: 'p_worker-1_1', state: 'running' },
  });
  t.deepEqual(s1.workers[0]?.container, { name: 'p_worker-1_1', state: 'running' });
  t.is(s1.workers[1], s0.workers[1], 'other workers untouched');
  t.is(
    reduce(s1, { type: 'container', workerId: 1, container: { name: 'p_worker-1_1', state: 'running' } }),
    s1,
  );
  const s2 = reduce(s1, {
    type: 'container',
    workerId: 1,
    container: { name: 'p_worker-1_1', state: 'exited' },
  });
  t.is(s2.workers[0]?.container?.state, 'exited');
});
