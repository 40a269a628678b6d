import test from 'ava';
import { PaperConfigSchema } from '../shared/index.js';
import { type PaperPlanOptions, planPaper } from './paper-plan.js';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const options = (overrides: Partial<PaperPlanOptions> = {}): PaperPlanOptions => ({
  workers: 2,
  pairs: ['BTC-USD', 'ETH-USD', 'SOL-USD'],
  models: { 'BTC-USD': '/m/btc', 'ETH-USD': '/m/eth/ensemble.json', 'SOL-USD': '/m/sol' },
  feed: { mode: 'live', pollSeconds: 60 },
  feeRate: 0.001,
  initialCash: 10_000,
  resultsDir: '/r',
  ...overrides,
});

test('one paper job per pair, pairs split over the workers in order, each config valid', (t) => {
  const plan = planPaper(options(), NOW);
  t.is(plan.runId, 'paper-20261201T100000Z');
  t.is(plan.jobsTotal, 3);
  t.deepEqual(
    plan.workers.map((w) => w.pairs),
    [['BTC-USD', 'ETH-USD'], ['SOL-USD']],
  );
  const first = plan.workers[0]!.config;
  t.deepEqual(first.jobs, [
    { jobId: 'BTC-USD/paper', pair: 'BTC-USD', model: '/m/btc' },
    { jobId: 'ETH-USD/paper', pair: 'ETH-USD', model: '/m/eth/ensemble.json' },
  ]);
  t.is(first.kind, 'paper');
  for (const w of plan.workers) t.true(PaperConfigSchema.safeParse(w.config).success);
});

test('more workers than pairs are capped, with a note; a pair without a model or a bad symbol is refused', (t) => {
  const plan = planPaper(options({ workers: 8 }), NOW);
  t.is(plan.workers.length, 3);
  t.deepEqual(plan.notes, ['--workers 8 capped to 3: one trader per pair']);
  t.throws(() => planPaper(options({ models: { 'BTC-USD': '/m/btc' } }), NOW), {
    message: 'ETH-USD: no model to trade with',
  });
  t.throws(() => planPaper(options({ pairs: ['BTC/USD'] }), NOW), {
    message: /--pairs: invalid pair symbol "BTC\/USD"/,
  });
  t.throws(() => planPaper(options({ workers: 0 }), NOW), {
    message: /--workers must be an integer from 1 to 64/,
  });
});
