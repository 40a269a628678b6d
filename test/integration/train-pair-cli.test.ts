import { promises as fs } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { parse } from 'csv-parse/sync';
import {
  EvalMetricsSchema,
  FoldResultSchema,
  RandomDistributionSchema,
  SeedResultSchema,
  SeedSpreadSchema,
  SignificanceSchema,
} from '../../shared/index.js';
import { loadModel, selectBackend } from '../../worker/dqn/index.js';
import { runCli, SHARED_DATA_DIR } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

// Issue 2's "done when", through the real command line on the real BTC-USD year.

test.serial(
  'train-pair --folds 3 --seeds 2 on real candles prints pooled metrics, significance, per-fold and per-seed results and leaves loadable models',
  async (t) => {
    // 3 folds × 2 seeds × 2 episodes over a year: about a minute alone, several on a shared machine.
    t.timeout(900_000);
    const out = makeTempDir('tw-train-pair-');
    t.teardown(out.remove);
    const result = await runCli(
      [
        'train-pair',
        'BTC-USD',
        '--data-dir',
        SHARED_DATA_DIR,
        '--episodes',
        '2',
        '--folds',
        '3',
        '--seeds',
        '2',
        '--json',
        '--out',
        out.dir,
      ],
      { timeout: 880_000 },
    );
    t.is(result.exitCode, 0, String(result.stderr));
    const printed = JSON.parse(String(result.stdout)) as Record<string, unknown>;
    const metrics = EvalMetricsSchema.parse(printed.metrics);
    const baselines = printed.baselines as { buyAndHold: unknown; matchedRandom: unknown };
    const buyAndHold = EvalMetricsSchema.parse(baselines.buyAndHold);
    const random = RandomDistributionSchema.parse(baselines.matchedRandom);
    for (const value of [metrics.pnlPct, metrics.maxDrawdownPct, metrics.exposure, metrics.sharpe ?? 0]) {
      t.true(Number.isFinite(value));
    }
    // Buy-and-hold over the held-out last 20% of the real BTC year, fee included (see evaluate.test.ts):
    // the three folds' test windows together are the single split's test slice, one account.
    t.is(buyAndHold.pnlPct.toFixed(4), '49.7887');
    t.is(printed.annualization, 8760);

    // The significance object: interval, both p-values, deflated Sharpe, configurations counted.
    const significance = SignificanceSchema.parse(printed.significance);
    t.is(significance.sharpe.estimate, metrics.sharpe);
    t.like(significance.sharpe, { level: 0.95, resamples: 2000, blockLength: 24 });
    t.true(significance.pVsBuyAndHold! > 0 && significance.pVsBuyAndHold! <= 1);
    t.is(significance.pVsRandom, random.pValue);
    t.is(significance.configurations, 2 * 2, 'seeds × episodes');
    t.is(significance.deflatedSharpe?.configurations ?? 4, 4);
    t.is(random.policies, 1000);
    t.is(random.exposure, metrics.exposure);
    t.is((printed.costSensitivity as unknown[]).length, 5);

    // Per fold: contiguous test windows, each with both seeds' and the vote's metrics.
    const folds = (printed.folds as unknown[]).map((f) => FoldResultSchema.parse(f));
    t.deepEqual(
      folds.map((f) => f.fold),
      [1, 2, 3],
    );
    t.is(folds[0]!.test.from, '2023-10-18T20:00:00.000Z');
    t.is(folds[0]!.test.to, folds[1]!.test.from);
    t.is(folds[1]!.test.to, folds[2]!.test.from);
    t.is(folds[2]!.test.to, '2023-12-30T19:00:00.000Z');
    t.is(
      folds.reduce((n, f) => n + f.test.hours, 0),
      1751,
    );
    for (const f of folds) {
      t.deepEqual(
        f.seeds.map((s) => s.seedIndex),
        [1, 2],
      );
      t.true(f.train.end <= f.validation.start && f.validation.end <= f.test.start);
    }
    t.true(folds[2]!.train.end > folds[0]!.train.end, 'expanding training window');
    // Per seed: each seed's own pooled metrics and model, and their mean ± sd.
    const seeds = (printed.seeds as unknown[]).map((s) => SeedResultSchema.parse(s));
    t.is(seeds.length, 2);
    const spread = SeedSpreadSchema.parse(printed.seedSpread);
    t.is(spread.pnlPct.mean, (seeds[0]!.metrics.pnlPct + seeds[1]!.metrics.pnlPct) / 2);
    t.true(spread.pnlPct.sd !== null);
    t.is((printed.episodes as unknown[]).length, 3 * 2 * 2);
    t.regex(String(result.stderr), /fold 3 seed 2 episode 2\/2/);

    const modelPath = String(printed.modelPath);
    t.is(modelPath, seeds[Number(printed.representativeSeed) - 1]!.modelPath ?? '');
    t.true(modelPath.startsWith(out.dir));
    await selectBackend();
    for (const seed of seeds) {
      t.deepEqual((await fs.readdir(seed.modelPath!)).sort(), [
        'feature-settings.json',
        'model.json',
        'weights.bin',
      ]);
      const loaded = await loadModel(seed.modelPath!);
      t.deepEqual(loaded.metadata.actionMeanings, ['flat', 'long']);
      t.like(loaded.metadata.extra, { seeds: 2, fold: { index: 3, folds: 3 } });
      t.is(loaded.model.outputs[0]?.shape[1], 2);
      loaded.model.dispose();
    }
    // trades.csv and equity.csv cover the hours the metrics are computed on: the seeds' vote over
    // the three folds' test windows as one account; they sit in the job folder above the seeds'.
    const exports = printed.exports as { trades: string; equity: string };
    t.is(path.dirname(exports.trades), path.dirname(modelPath));
    const equity = parse(await fs.readFile(exports.equity, 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    const data = printed.data as { testRows: number; testFrom: string };
    t.is(equity.length, data.testRows);
    t.is(equity[0]!.time, data.testFrom);
    // finalValue is initialCash × growth (worker/metrics.ts): equal to the last equity up to rounding.
    const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.abs(b);
    t.true(close(Number(equity.at(-1)!.equity), metrics.finalValue));
    t.true(close(Number(equity.at(-1)!.buy_and_hold), buyAndHold.finalValue));
    const trades = parse(await fs.readFile(exports.trades, 'utf8'), { columns: true });
    t.is(trades.length, metrics.trades);
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
  for (const [args, message] of [
    [
      ['--synthetic', '--folds', '0'],
      /^trading-workers: --folds must be a whole number from 1 to 20, got 0$/m,
    ],
    [
      ['--synthetic', '--seeds', '2.5'],
      /^trading-workers: --seeds must be a whole number from 1 to 25, got 2.5$/m,
    ],
    [
      ['--synthetic', '--annualization', '-1'],
      /^trading-workers: --annualization must be a number of periods per year above 0, got -1$/m,
    ],
    [
      ['--synthetic', 'trending'],
      /^trading-workers: --synthetic must be one of market, planted, random-walk, got "trending"$/m,
    ],
  ] as const) {
    const bad = await runCli(['train-pair', 'BTC-USD', ...args]);
    t.is(bad.exitCode, 2, args.join(' '));
    t.regex(String(bad.stderr), message);
  }
});
