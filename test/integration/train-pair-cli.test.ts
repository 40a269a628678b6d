import { promises as fs } from 'node:fs';
import test from 'ava';
import { EvalMetricsSchema } from '../../shared/index.js';
import { loadModel, selectBackend } from '../../worker/dqn/index.js';
import { runCli, SHARED_DATA_DIR } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

// Issue 2's "done when", through the real command line on the real BTC-USD year.

test.serial(
  'train-pair on real candles prints finite metrics and both baselines and leaves a loadable model',
  async (t) => {
    const out = makeTempDir('tw-train-pair-');
    t.teardown(out.remove);
    const result = await runCli([
      'train-pair',
      'BTC-USD',
      '--data-dir',
      SHARED_DATA_DIR,
      '--episodes',
      '2',
      '--json',
      '--out',
      out.dir,
    ]);
    t.is(result.exitCode, 0, String(result.stderr));
    const printed = JSON.parse(String(result.stdout)) as Record<string, unknown>;
    const metrics = EvalMetricsSchema.parse(printed.metrics);
    const baselines = printed.baselines as { buyAndHold: unknown; random: unknown };
    const buyAndHold = EvalMetricsSchema.parse(baselines.buyAndHold);
    EvalMetricsSchema.parse(baselines.random);
    for (const value of [metrics.pnlPct, metrics.maxDrawdownPct, metrics.exposure, metrics.sharpe ?? 0]) {
      t.true(Number.isFinite(value));
    }
    // Buy-and-hold over the held-out last 20% of the real BTC year, fee included (see evaluate.test.ts).
    t.is(buyAndHold.pnlPct.toFixed(4), '49.7887');
    t.is((printed.episodes as unknown[]).length, 2);
    t.regex(String(result.stderr), /episode 2\/2/);

    const modelPath = String(printed.modelPath);
    t.true(modelPath.startsWith(out.dir));
    t.deepEqual((await fs.readdir(modelPath)).sort(), ['feature-settings.json', 'model.json', 'weights.bin']);
    await selectBackend();
    const loaded = await loadModel(modelPath);
    t.deepEqual(loaded.metadata.actionMeanings, ['flat', 'long']);
    t.is(loaded.model.outputs[0]?.shape[1], 2);
    loaded.model.dispose();
  },
);

test.serial(
  'train-pair --offline without a cached file is bad input (exit 2): one line naming the symbol',
  async (t) => {
    const cache = makeTempDir('tw-empty-cache-');
    t.teardown(cache.remove);
    const result = await runCli([
      'train-pair',
      'MATIC-USD',
      '--offline',
      '--data',
      cache.dir,
      '--episodes',
      '1',
    ]);
    t.is(result.exitCode, 2);
    const errorLines = String(result.stderr)
      .split('\n')
      .filter((l) => l.startsWith('trading-workers:'));
    t.is(errorLines.length, 1);
    t.regex(
      errorLines[0]!,
      /^trading-workers: --pairs MATIC-USD: no candle file .*MATIC_USD_data\.csv in the offline cache/,
    );
    t.is(String(result.stdout), '');
  },
);

test.serial('bad arguments exit with code 2 and name the option', async (t) => {
  const episodes = await runCli(['train-pair', 'BTC-USD', '--episodes', '0', '--synthetic']);
  t.is(episodes.exitCode, 2);
  t.regex(String(episodes.stderr), /--episodes must be a whole number/);
  const symbol = await runCli(['train-pair', 'BTC/USD', '--synthetic']);
  t.is(symbol.exitCode, 2);
  t.regex(String(symbol.stderr), /invalid pair symbol "BTC\/USD"/);
  const duplicate = await runCli(['train', '--pairs', 'BTC-USD,btc-usd', '--synthetic']);
  t.is(duplicate.exitCode, 2);
  t.regex(String(duplicate.stderr), /^trading-workers: --pairs names BTC-USD twice$/m);
  const conflict = await runCli(['train', '--offline', '--synthetic']);
  t.is(conflict.exitCode, 2);
  t.regex(String(conflict.stderr), /mutually exclusive/);
});
