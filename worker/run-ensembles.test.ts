import { promises as fs } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { DEFAULT_ENVIRONMENT, EnsembleManifestSchema } from '../shared/index.js';
import { makeTempDir } from '../test/helpers/temp-dir.js';
import { trainSmallModel } from '../test/helpers/trained-model.js';
import { backtest } from './backtest.js';
import { loadCandles } from './market-data/index.js';
import { loadAgent } from './model/index.js';
import { buildRunEnsembles } from './run-ensembles.js';
import { equityCsv, tradesCsv } from './run-exports.js';
import { equityLog } from './trade-log.js';

test.serial(
  'each pair’s ensemble of the run’s variants, saved and evaluated on the jobs’ held-out hours',
  async (t) => {
    const tmp = makeTempDir('tw-run-ensembles-');
    t.teardown(tmp.remove);
    const base = await trainSmallModel(tmp.dir, { pair: 'ETH-USD', days: 120, variant: 'base' });
    const fast = await trainSmallModel(tmp.dir, { pair: 'ETH-USD', days: 120, variant: 'fast-lr' });
    const lone = await trainSmallModel(tmp.dir, { pair: 'SOL-USD', days: 120, variant: 'base' });
    const seeded = await trainSmallModel(tmp.dir, {
      pair: 'SOL-USD',
      days: 120,
      variant: 'fast-lr',
      seeds: 2,
    });
    const models = path.join(tmp.dir, 'models');
    const results = await buildRunEnsembles({
      runId: 'run-test',
      jobs: [
        base.result,
        fast.result,
        lone.result,
        seeded.result,
        { ...fast.result, jobId: 'ETH-USD/broken', status: 'failed', modelPath: null },
        { ...fast.result, pair: 'ADA-USD', jobId: 'ADA-USD/broken', status: 'failed', modelPath: null },
      ],
      modelsDir: models,
      data: base.data,
      environment: DEFAULT_ENVIRONMENT,
    });
    t.deepEqual(results.skipped, [{ pair: 'ADA-USD', reason: '0 finished models: nothing to vote' }]);
    t.is(results.ensembles.length, 2);
    const e = results.ensembles[0]!;
    t.is(e.manifest, path.join(models, 'ensembles', 'ETH_USD', 'ensemble.json'));
    t.deepEqual(
      e.members.map((m) => m.variant),
      ['base', 'fast-lr'],
    );
    const manifest = EnsembleManifestSchema.parse(JSON.parse(await fs.readFile(e.manifest, 'utf8')));
    t.deepEqual(
      manifest.members.map((m) => m.path),
      ['../../../ETH-USD__base', '../../../ETH-USD__fast-lr'],
    );
    // The same hours as its jobs' out-of-sample evaluation, and buy-and-hold's numbers there.
    t.is(e.from, base.result.data!.testFrom);
    t.is(e.hours, base.result.data!.testRows);
    t.deepEqual(e.buyAndHold, base.result.baselines!.buyAndHold);
    // Its numbers are a backtest of the manifest.
    const agent = await loadAgent(e.manifest);
    const bt = backtest(agent, await loadCandles('ETH-USD', base.data), {
      from: Date.parse(e.from),
      feeRate: 0.001,
      initialCash: 10_000,
    });
    agent.dispose();
    t.deepEqual(e.metrics, bt.agent.metrics);
    // The training's significance figures: the pair's evaluation seed, both jobs' trials counted.
    t.is(e.significance!.seed, base.result.significance!.seed);
    t.is(
      e.significance!.configurations,
      base.result.trials!.configurations + fast.result.trials!.configurations,
    );
    // The manifest records the pair's evaluation seed, so a backtest of it draws the same policies.
    t.deepEqual(e.matchedRandom, bt.assessed.matchedRandom);
    t.deepEqual(e.significance!.sharpe, bt.assessed.significance.sharpe);
    t.is(e.matchedRandom!.seed, base.result.significance!.seed);
    t.is(e.costSensitivity!.length, base.result.costSensitivity!.length);
    // Its trades.csv and equity.csv beside the manifest are that backtest's.
    const dir = path.dirname(e.manifest);
    t.deepEqual(e.exports, { trades: path.join(dir, 'trades.csv'), equity: path.join(dir, 'equity.csv') });
    t.is(await fs.readFile(e.exports!.trades, 'utf8'), tradesCsv(bt.trades));
    t.is(await fs.readFile(e.exports!.equity, 'utf8'), equityCsv(equityLog(bt.run, bt.buyAndHold.values)));
    // A job with two seeds contributes each seed's model, the members of its own vote.
    const sol = results.ensembles[1]!;
    t.deepEqual(
      sol.members.map((m) => [m.variant, m.modelPath]),
      [
        ['base', lone.result.modelPath],
        ['fast-lr seed 1', seeded.result.seeds![0]!.modelPath],
        ['fast-lr seed 2', seeded.result.seeds![1]!.modelPath],
      ],
    );
    t.not(seeded.result.seeds![0]!.modelPath, seeded.result.seeds![1]!.modelPath);
  },
);
