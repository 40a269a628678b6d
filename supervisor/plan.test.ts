import test from 'ava';
import {
  DEFAULT_ENVIRONMENT,
  DEFAULT_PAIRS,
  jobSeeds,
  VARIANTS,
  WorkerConfigSchema,
  workerConfigFile,
} from '../shared/index.js';
import { type PlanOptions, planFingerprint, planRun, splitContiguous, workerSeed } from './plan.js';

const NOW = new Date('2026-11-26T10:00:00.000Z');

function options(overrides: Partial<PlanOptions> = {}): PlanOptions {
  return {
    workers: 4,
    pairs: [...DEFAULT_PAIRS],
    variants: 4,
    episodes: 10,
    data: { source: 'yahoo', days: 365, interval: '1h', cacheDir: 'data', dataDir: null, refresh: false },
    environment: DEFAULT_ENVIRONMENT,
    seed: 42,
    resultsDir: 'results',
    modelsDir: 'models',
    ...overrides,
  };
}

test('splitContiguous keeps order, balances sizes, earlier parts larger', (t) => {
  t.deepEqual(
    splitContiguous([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], 4).map((p) => p.length),
    [4, 4, 4, 3],
  );
  t.deepEqual(splitContiguous(['a', 'b', 'c'], 2), [['a', 'b'], ['c']]);
  t.deepEqual(splitContiguous(['a', 'b', 'c', 'd', 'e'], 3), [['a', 'b'], ['c', 'd'], ['e']]);
  t.deepEqual(splitContiguous(['a'], 3), [['a'], [], []]);
  t.deepEqual(splitContiguous([], 2), [[], []]);
  t.throws(() => splitContiguous([1], 0), { message: /parts must be a positive integer/ });
});

test('the default plan is the seed split: 15 pairs over 4 workers, 60 jobs, 600 episodes', (t) => {
  const plan = planRun(options(), NOW);
  t.deepEqual(
    plan.workers.map((w) => w.pairs),
    [
      ['BTC-USD', 'ETH-USD', 'BNB-USD', 'SOL-USD'],
      ['XRP-USD', 'ADA-USD', 'DOGE-USD', 'TRX-USD'],
      ['LINK-USD', 'AVAX-USD', 'MATIC-USD', 'DOT-USD'],
      ['LTC-USD', 'ATOM-USD', 'UNI-USD'],
    ],
  );
  t.is(plan.jobsTotal, 60);
  t.is(plan.episodesTotal, 600);
  t.deepEqual(plan.notes, []);
  t.is(plan.runId, 'run-20261126T100000Z');
  t.deepEqual(
    plan.workers.map((w) => w.config.jobs.length),
    [16, 16, 16, 12],
  );
  const first = plan.workers[0]!.config;
  t.deepEqual(
    first.jobs.slice(0, 5).map((j) => j.jobId),
    ['BTC-USD/base', 'BTC-USD/fast-lr', 'BTC-USD/short-horizon', 'BTC-USD/explore-long', 'ETH-USD/base'],
  );
  t.deepEqual(first.jobs[1]!.hyperparameters, VARIANTS[1]!.hyperparameters);
  for (const w of plan.workers) {
    t.true(WorkerConfigSchema.safeParse(w.config).success, workerConfigFile('results', w.workerId));
    t.is(w.config.createdAt, NOW.toISOString());
    t.is(w.config.episodes, 10);
  }
  const seeds = plan.workers.map((w) => w.config.seed);
  t.is(new Set(seeds).size, 4, 'each worker gets its own seed');
  t.deepEqual(
    seeds,
    [1, 2, 3, 4].map((id) => workerSeed(42, id)),
    'seeds are reproducible',
  );
});

test('3 pairs over 2 workers with 2 variants: 2+1 pairs, 6 jobs', (t) => {
  const plan = planRun(
    options({ workers: 2, pairs: ['BTC-USD', 'ETH-USD', 'SOL-USD'], variants: 2, episodes: 1 }),
    NOW,
  );
  t.deepEqual(
    plan.workers.map((w) => w.config.jobs.map((j) => j.jobId)),
    [
      ['BTC-USD/base', 'BTC-USD/fast-lr', 'ETH-USD/base', 'ETH-USD/fast-lr'],
      ['SOL-USD/base', 'SOL-USD/fast-lr'],
    ],
  );
  t.is(plan.jobsTotal, 6);
  t.is(plan.episodesTotal, 6);
  t.deepEqual(
    plan.variants.map((v) => v.name),
    ['base', 'fast-lr'],
  );
});

test('more workers than pairs are capped, with a note', (t) => {
  const plan = planRun(options({ workers: 6, pairs: ['BTC-USD', 'ETH-USD', 'SOL-USD'] }), NOW);
  t.is(plan.workers.length, 3);
  t.is(plan.options.workers, 3);
  t.is(plan.notes.length, 1);
  t.regex(plan.notes[0]!, /--workers 6 capped to 3/);
});

test('bad options are rejected with the option named', (t) => {
  t.throws(() => planRun(options({ workers: 0 }), NOW), {
    message: /--workers must be a whole number from 1 to 64, got 0/,
  });
  t.throws(() => planRun(options({ workers: 1.5 }), NOW), { message: /--workers/ });
  t.throws(() => planRun(options({ variants: 5 }), NOW), {
    message: /--variants must be a whole number from 1 to 4, got 5/,
  });
  t.throws(() => planRun(options({ variants: 0 }), NOW), { message: /--variants/ });
  t.throws(() => planRun(options({ episodes: -1 }), NOW), { message: /--episodes/ });
  t.throws(() => planRun(options({ episodes: Number.NaN }), NOW), { message: /--episodes .* got NaN/ });
  t.throws(() => planRun(options({ seed: -3 }), NOW), { message: /--seed/ });
  t.throws(() => planRun(options({ pairs: [] }), NOW), { message: /--pairs must name at least one pair/ });
  t.throws(() => planRun(options({ pairs: ['BTC-USD', 'btc usd'] }), NOW), {
    message: /--pairs: invalid pair symbol "btc usd"/,
  });
  t.throws(() => planRun(options({ pairs: ['BTC-USD', 'BTC-USD'] }), NOW), {
    message: /--pairs: BTC-USD is listed twice/,
  });
  t.throws(() => planRun(options({ data: { ...options().data, days: 0 } }), NOW), {
    message: /--days must be a whole number from 1 to 730, got 0/,
  });
  t.throws(() => planRun(options({ data: { ...options().data, source: 'data-dir', dataDir: null } }), NOW), {
    message: /--data-dir/,
  });
  t.throws(() => planRun(options({ environment: { ...DEFAULT_ENVIRONMENT, testFraction: 1 } }), NOW), {
    message: /environment settings\.testFraction:/,
  });
  t.throws(() => planRun(options({ runId: 'a b' }), NOW), { message: /runId "a b"/ });
});

test('a given runId is kept (resume)', (t) => {
  const plan = planRun(options({ runId: 'run-earlier' }), NOW);
  t.is(plan.runId, 'run-earlier');
  t.true(plan.workers.every((w) => w.config.runId === 'run-earlier'));
});

test('planFingerprint depends on what determines results, not on folders, run id or time', (t) => {
  const a = planFingerprint(planRun(options(), NOW));
  t.regex(a, /^[0-9a-f]{16}$/);
  t.is(
    planFingerprint(
      planRun(
        options({
          resultsDir: '/tmp/r',
          modelsDir: '/tmp/m',
          runId: 'other',
          data: { ...options().data, cacheDir: 'x' },
        }),
        new Date('2027-01-01T00:00:00Z'),
      ),
    ),
    a,
  );
  const changed = [
    options({ workers: 3 }),
    options({ variants: 3 }),
    options({ episodes: 9 }),
    options({ seed: 43 }),
    options({ pairs: [...DEFAULT_PAIRS].reverse() }),
    options({ data: { ...options().data, days: 30 } }),
    options({ environment: { ...DEFAULT_ENVIRONMENT, feeRate: 0.002 } }),
  ].map((o) => planFingerprint(planRun(o, NOW)));
  t.is(new Set([a, ...changed]).size, changed.length + 1);
});

test('job seeds follow the run seed and the job, never the worker; one evaluation seed per pair', (t) => {
  const jobs = (o: PlanOptions) => planRun(o, NOW).workers.flatMap((w) => w.config.jobs);
  const four = jobs(options({ environment: { ...DEFAULT_ENVIRONMENT, seeds: 3 } }));
  const one = jobs(options({ workers: 1, environment: { ...DEFAULT_ENVIRONMENT, seeds: 3 } }));
  t.is(four.length, 60);
  // The same job on another worker (4 workers vs 1) keeps its seeds: its figures do not move.
  t.deepEqual(
    four.map((j) => [j.jobId, j.seeds, j.evaluationSeed]),
    one.map((j) => [j.jobId, j.seeds, j.evaluationSeed]),
  );
  const btc = four.filter((j) => j.pair === 'BTC-USD');
  t.deepEqual(btc[0]!.seeds, jobSeeds(42, 'BTC-USD/base', 3));
  t.is(btc[0]!.seed, btc[0]!.seeds![0]);
  t.is(new Set(four.flatMap((j) => j.seeds)).size, 180, 'every agent of every job has its own seed');
  t.is(new Set(btc.map((j) => j.evaluationSeed)).size, 1, 'every variant of a pair faces the same draws');
  t.is(new Set(four.map((j) => j.evaluationSeed)).size, 15);
  t.not(jobs(options({ seed: 43 }))[0]!.seed, four[0]!.seed);
  const plan = planRun(options({ environment: { ...DEFAULT_ENVIRONMENT, folds: 3, seeds: 2 } }), NOW);
  t.is(plan.episodesTotal, 60 * 3 * 2 * 10);
  t.true(plan.workers.every((w) => w.config.runSeed === 42));
});

test('folds, seeds, annualization and the synthetic kind change the plan fingerprint', (t) => {
  const base = planFingerprint(planRun(options(), NOW));
  const synthetic = (kind: 'market' | 'planted') =>
    planFingerprint(
      planRun(options({ data: { ...options().data, source: 'synthetic', syntheticKind: kind } }), NOW),
    );
  const changed = [{ folds: 3 }, { seeds: 2 }, { annualization: 365 }].map((e) =>
    planFingerprint(planRun(options({ environment: { ...DEFAULT_ENVIRONMENT, ...e } }), NOW)),
  );
  t.is(new Set([base, ...changed, synthetic('market'), synthetic('planted')]).size, 6);
});
