import test from 'ava';
import {
  DEFAULT_ENVIRONMENT,
  TrainingReportSchema,
  WorkerResultsSchema,
  type WorkerSummary,
  WorkerSummarySchema,
} from '../shared/index.js';
import { jobResult, workerResults } from '../test/helpers/worker-results-fixture.js';
import { aggregateResults } from './aggregate.js';
import { planRun } from './plan.js';
import { buildReport } from './report.js';

const STARTED = new Date('2025-06-01T11:00:00.000Z');
const FINISHED = new Date('2025-06-01T11:02:30.000Z');
const HOST = { node: 'v20.19.0', platform: 'linux-x64', cpus: 2 };

const plan = planRun(
  {
    workers: 2,
    pairs: ['BTC-USD', 'ETH-USD', 'SOL-USD'],
    variants: 2,
    episodes: 1,
    data: {
      source: 'data-dir',
      days: 365,
      interval: '1h',
      cacheDir: 'data',
      dataDir: '../shared/data',
      refresh: false,
    },
    environment: DEFAULT_ENVIRONMENT,
    seed: 7,
    resultsDir: 'results',
    modelsDir: 'models',
    runId: 'run-test',
  },
  STARTED,
);

function summary(workerId: number, pairs: string[], overrides: Partial<WorkerSummary> = {}): WorkerSummary {
  return {
    workerId,
    pairs,
    state: 'done',
    jobsDone: pairs.length * 2,
    jobsFailed: 0,
    jobsTotal: pairs.length * 2,
    restarts: 0,
    exits: [{ at: FINISHED.toISOString(), code: 0, signal: null, reason: 'finished' }],
    seconds: 150,
    logFile: `results/logs/worker_${workerId}.log`,
    ...overrides,
  };
}

const doneResults = [
  workerResults(
    1,
    [
      jobResult({ pair: 'BTC-USD', variant: 'base', episodes: 1, sharpe: 0.4 }),
      jobResult({ pair: 'BTC-USD', variant: 'fast-lr', episodes: 1, sharpe: 0.9 }),
      jobResult({ pair: 'ETH-USD', variant: 'base', episodes: 1, sharpe: -0.2 }),
      jobResult({ pair: 'ETH-USD', variant: 'fast-lr', episodes: 1, sharpe: 0.1 }),
    ],
    [
      { pair: 'BTC-USD', jobId: 'BTC-USD/fast-lr', variant: 'fast-lr' },
      { pair: 'ETH-USD', jobId: 'ETH-USD/fast-lr', variant: 'fast-lr' },
    ],
  ),
  workerResults(
    2,
    [
      jobResult({ pair: 'SOL-USD', variant: 'base', episodes: 1, sharpe: 1.1 }),
      jobResult({ pair: 'SOL-USD', variant: 'fast-lr', episodes: 1, sharpe: 0.3 }),
    ],
    [{ pair: 'SOL-USD', jobId: 'SOL-USD/base', variant: 'base' }],
  ),
];

test('a completed run: 6 jobs, 3 best models, no failures, valid against the schema', (t) => {
  for (const r of doneResults) t.true(WorkerResultsSchema.safeParse(r).success);
  const aggregated = aggregateResults(plan.runId, plan.jobsTotal, doneResults, FINISHED);
  const workers = [summary(1, ['BTC-USD', 'ETH-USD']), summary(2, ['SOL-USD'])];
  for (const w of workers) t.true(WorkerSummarySchema.safeParse(w).success);
  const report = buildReport({
    plan,
    aggregated,
    workers,
    startedAt: STARTED,
    finishedAt: FINISHED,
    backend: 'wasm',
    runtime: 'local',
    stopped: false,
    host: HOST,
  });
  const parsed = TrainingReportSchema.safeParse(report);
  t.true(parsed.success, parsed.success ? '' : parsed.error.message);
  t.is(report.outcome, 'completed');
  t.is(report.seconds, 150);
  t.is(report.jobs.length, 6);
  // Plan order, not sorted by test Sharpe (the rankings are: SOL/base 1.1 first).
  t.deepEqual(
    report.jobs.map((j) => j.jobId),
    plan.workers.flatMap((w) => w.config.jobs.map((j) => j.jobId)),
  );
  t.is(aggregated.rankings[0]!.jobId, 'SOL-USD/base');
  t.is(report.annualization, 8760);
  t.deepEqual(
    report.bestModels.map((b) => `${b.pair}:${b.variant}:${b.modelPath}`),
    [
      'BTC-USD:fast-lr:models/worker_1_BTC_USD_model',
      'ETH-USD:fast-lr:models/worker_1_ETH_USD_model',
      'SOL-USD:base:models/worker_2_SOL_USD_model',
    ],
  );
  t.deepEqual(report.failures, []);
  t.deepEqual(report.plan.assignments, [
    { workerId: 1, pairs: ['BTC-USD', 'ETH-USD'] },
    { workerId: 2, pairs: ['SOL-USD'] },
  ]);
  t.deepEqual(
    report.plan.variants.map((v) => v.name),
    ['base', 'fast-lr'],
  );
  t.deepEqual(report.environment, { backend: 'wasm', runtime: 'local', ...HOST });
});

test('failures name the failed job with its error, the worker that gave up, and the jobs it never ran', (t) => {
  const results = [
    workerResults(1, [
      jobResult({ pair: 'BTC-USD', variant: 'base', episodes: 1 }),
      jobResult({ pair: 'BTC-USD', variant: 'fast-lr', episodes: 1 }),
      jobResult({
        pair: 'ETH-USD',
        variant: 'base',
        episodes: 1,
        status: 'failed',
        error: 'ETH-USD: no candles',
      }),
      jobResult({
        pair: 'ETH-USD',
        variant: 'fast-lr',
        episodes: 1,
        status: 'failed',
        error: 'ETH-USD: no candles',
      }),
    ]),
    workerResults(2, [jobResult({ pair: 'SOL-USD', variant: 'base', episodes: 1 })]),
  ];
  const aggregated = aggregateResults(plan.runId, plan.jobsTotal, results, FINISHED);
  const gaveUp = summary(2, ['SOL-USD'], {
    state: 'failed',
    jobsDone: 1,
    restarts: 5,
    exits: [
      { at: FINISHED.toISOString(), code: 1, signal: null, reason: 'exited with code 1' },
      {
        at: FINISHED.toISOString(),
        code: 1,
        signal: null,
        reason: 'gave up after 5 consecutive restarts: exited with code 1',
      },
    ],
  });
  const report = buildReport({
    plan,
    aggregated,
    workers: [summary(1, ['BTC-USD', 'ETH-USD'], { jobsDone: 2, jobsFailed: 2 }), gaveUp],
    startedAt: STARTED,
    finishedAt: FINISHED,
    backend: 'cpu',
    runtime: 'docker',
    stopped: false,
    host: HOST,
  });
  t.true(TrainingReportSchema.safeParse(report).success);
  t.is(report.outcome, 'completed-with-failures');
  t.deepEqual(
    report.failures.map((f) => [f.workerId, f.jobId, f.reason]),
    [
      [1, 'ETH-USD/base', 'ETH-USD: no candles'],
      [1, 'ETH-USD/fast-lr', 'ETH-USD: no candles'],
      [2, null, 'gave up after 5 consecutive restarts: exited with code 1'],
      [2, 'SOL-USD/fast-lr', 'not run: worker 2 gave up'],
    ],
  );
  t.is(report.environment.runtime, 'docker');
});

test('a stopped run says so and does not list unrun jobs as failures', (t) => {
  const aggregated = aggregateResults(plan.runId, plan.jobsTotal, [doneResults[0]!], FINISHED);
  const report = buildReport({
    plan,
    aggregated,
    workers: [summary(1, ['BTC-USD', 'ETH-USD']), summary(2, ['SOL-USD'], { state: 'stopped', jobsDone: 0 })],
    startedAt: STARTED,
    finishedAt: FINISHED,
    backend: null,
    runtime: 'local',
    stopped: true,
  });
  t.true(TrainingReportSchema.safeParse(report).success);
  t.is(report.outcome, 'stopped');
  t.deepEqual(report.failures, []);
  t.is(report.environment.node, process.version);
  t.true(report.environment.cpus >= 1);
});
