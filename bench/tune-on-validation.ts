import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  DEFAULT_ENVIRONMENT,
  DEFAULT_HYPERPARAMETERS,
  type DqnHyperparameters,
  type EnvironmentSettings,
  evaluationSeed,
  jobSeeds,
} from '../shared/index.js';
import { describeEngine, selectBackend } from '../worker/dqn/index.js';
import { firstValidIndex } from '../worker/features.js';
import type { CandleSeries } from '../worker/market-data/index.js';
import { loadCandles, sliceSeries } from '../worker/market-data/index.js';
import { prepareFolds } from '../worker/prepare-pair.js';
import { walkForwardFolds } from '../worker/split.js';
import { trainJob } from '../worker/train-job.js';

/*
 * Issue 8, item 6: the design settings (turnover penalty, observation window, reward scale) chosen
 * without a test hour entering any computation. Each pair's file is read whole and cut at once where
 * the real run's test slice begins, before features or anything else are computed; inside what is left, the
 * usual split carves its own train | validation | hold-out, and a setting is scored on that inner
 * hold-out (which lies in the real run's training and validation period). One axis moves at a time
 * around the current defaults, like the variants.
 *
 *   npx tsx bench/tune-on-validation.ts [--pairs BTC-USD,...] [--episodes 10] [--shard 1/2] [--out F]
 *   npx tsx bench/tune-on-validation.ts --report F1 F2 ...   (combine shards, print the table)
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA_DIR = path.resolve(ROOT, '../shared/data');
const DEV_PAIRS = ['BTC-USD', 'ETH-USD', 'SOL-USD', 'XRP-USD', 'ADA-USD', 'DOGE-USD'];
const SEED = 42;

export interface Setting {
  name: string;
  turnoverPenalty: number;
  windowSize: number;
  rewardScale: number;
}

const D = {
  turnoverPenalty: DEFAULT_HYPERPARAMETERS.turnoverPenalty,
  windowSize: DEFAULT_ENVIRONMENT.windowSize,
  rewardScale: DEFAULT_HYPERPARAMETERS.rewardScale,
};

/** The default, then each axis moved alone. */
export const SETTINGS: readonly Setting[] = [
  { name: 'default', ...D },
  ...[0, 1, 2, 8].map((v) => ({ name: `turnover ${v}`, ...D, turnoverPenalty: v })),
  ...[6, 24, 48].map((v) => ({ name: `window ${v}`, ...D, windowSize: v })),
  ...[10, 1000].map((v) => ({ name: `reward scale ${v}`, ...D, rewardScale: v })),
  // The second round: the axes' winners of the first round (8, 6, 1000) together, and in pairs.
  { name: 'turnover 8 + window 6', ...D, turnoverPenalty: 8, windowSize: 6 },
  { name: 'window 6 + scale 1000', ...D, windowSize: 6, rewardScale: 1000 },
  { name: 'turnover 8 + window 6 + scale 1000', turnoverPenalty: 8, windowSize: 6, rewardScale: 1000 },
];

interface Row {
  setting: string;
  pair: string;
  /** The inner hold-out (inside the real run's train + validation hours). */
  holdout: { pnlPct: number; sharpe: number | null; trades: number; buyAndHoldPnlPct: number };
  validationSharpe: number | null;
  /** Last candle loaded: always before the real test slice. */
  lastHourLoaded: string;
  realTestFrom: string;
}

/** The pair's candles up to (not including) the first hour of the real run's test slice. */
function beforeRealTest(series: CandleSeries): { series: CandleSeries; realTestFrom: number } {
  const [fold] = walkForwardFolds(series.close.length, {
    testFraction: DEFAULT_ENVIRONMENT.testFraction,
    validationFraction: DEFAULT_ENVIRONMENT.validationFraction,
    folds: 1,
    firstValidIndex: firstValidIndex(DEFAULT_ENVIRONMENT.windowSize),
    label: series.pair,
  });
  const end = fold!.test.start;
  return { series: sliceSeries(series, 0, end), realTestFrom: series.times[end]! };
}

async function tune(pairs: string[], episodes: number, settings: readonly Setting[]): Promise<Row[]> {
  const backend = describeEngine('js', await selectBackend());
  // The models are a by-product (only their figures count): a temporary folder, removed at the end.
  const modelsDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tw-tune-'));
  try {
    return await tuneInto(modelsDir, backend, pairs, episodes, settings);
  } finally {
    await fs.rm(modelsDir, { recursive: true, force: true });
  }
}

async function tuneInto(
  modelsDir: string,
  backend: string,
  pairs: string[],
  episodes: number,
  settings: readonly Setting[],
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const pair of pairs) {
    const full = await loadCandles(pair, {
      source: 'data-dir',
      dataDir: DATA_DIR,
      days: 365,
      interval: '1h',
      cacheDir: DATA_DIR,
      refresh: false,
    });
    const { series, realTestFrom } = beforeRealTest(full);
    for (const setting of settings) {
      const environment: EnvironmentSettings = { ...DEFAULT_ENVIRONMENT, windowSize: setting.windowSize };
      const hyperparameters: DqnHyperparameters = {
        ...DEFAULT_HYPERPARAMETERS,
        turnoverPenalty: setting.turnoverPenalty,
        rewardScale: setting.rewardScale,
      };
      const prepared = prepareFolds(pair, series, environment);
      const jobId = `${pair}/tune`;
      const seeds = jobSeeds(SEED, jobId, 1);
      const started = Date.now();
      const result = await trainJob({
        spec: {
          jobId,
          pair,
          variant: 'base',
          hyperparameters,
          seed: seeds[0]!,
          seeds,
          evaluationSeed: evaluationSeed(SEED, pair),
        },
        prepared,
        episodes,
        environment,
        engine: 'js',
        backend,
        modelDir: path.join(modelsDir, pair, setting.name.replace(/[ +]+/g, '-')),
        checkpointDir: null,
      });
      const m = result.metrics!;
      const row: Row = {
        setting: setting.name,
        pair,
        holdout: {
          pnlPct: m.pnlPct,
          sharpe: m.sharpe,
          trades: m.trades,
          buyAndHoldPnlPct: result.baselines?.buyAndHold.pnlPct ?? 0,
        },
        validationSharpe: result.validation?.sharpe ?? null,
        lastHourLoaded: new Date(series.times[series.times.length - 1]!).toISOString(),
        realTestFrom: new Date(realTestFrom).toISOString(),
      };
      rows.push(row);
      process.stderr.write(
        `${pair} ${setting.name}: hold-out Sharpe ${m.sharpe?.toFixed(2) ?? '—'}, P/L ${m.pnlPct.toFixed(2)}% ` +
          `(B&H ${row.holdout.buyAndHoldPnlPct.toFixed(2)}%), ${m.trades} trades, ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
      );
    }
  }
  return rows;
}

const mean = (xs: number[]) => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length);

/** Per setting: mean hold-out Sharpe (no trades counts 0), mean P/L above buy-and-hold, mean trades. */
export function summarise(rows: readonly Row[]): string[] {
  const lines = ['setting                              mean Sharpe  mean P/L−B&H  mean trades  pairs'];
  const bySetting = SETTINGS.map((s) => {
    const own = rows.filter((r) => r.setting === s.name);
    return {
      name: s.name,
      sharpe: mean(own.map((r) => r.holdout.sharpe ?? 0)),
      excess: mean(own.map((r) => r.holdout.pnlPct - r.holdout.buyAndHoldPnlPct)),
      trades: mean(own.map((r) => r.holdout.trades)),
      pairs: own.length,
    };
  }).filter((s) => s.pairs > 0);
  for (const s of bySetting) {
    lines.push(
      `${s.name.padEnd(36)} ${s.sharpe.toFixed(2).padStart(11)}  ${s.excess.toFixed(2).padStart(11)}%  ${s.trades.toFixed(0).padStart(11)}  ${String(s.pairs).padStart(5)}`,
    );
  }
  return lines;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: {
      pairs: { type: 'string', default: DEV_PAIRS.join(',') },
      episodes: { type: 'string', default: '10' },
      shard: { type: 'string', default: '1/1' },
      out: { type: 'string' },
      report: { type: 'boolean', default: false },
      /** Only the settings whose names contain this text (a later round without redoing the first). */
      only: { type: 'string' },
    },
    allowPositionals: true,
  });
  if (values.report) {
    const rows = (
      await Promise.all(positionals.map(async (f) => JSON.parse(await fs.readFile(f, 'utf8')).rows as Row[]))
    ).flat();
    for (const row of rows) {
      if (row.lastHourLoaded >= row.realTestFrom) throw new Error(`${row.pair}: a test hour was loaded`);
    }
    process.stdout.write(`${summarise(rows).join('\n')}\n`);
    return;
  }
  const [index, count] = values.shard.split('/').map(Number) as [number, number];
  const pairs = values.pairs.split(',').filter((_, i) => i % count === index - 1);
  const episodes = Number(values.episodes);
  const settings = SETTINGS.filter((x) => !values.only || x.name.includes(values.only));
  const rows = await tune(pairs, episodes, settings);
  const out = values.out ?? path.join(ROOT, 'bench', 'results', `tune-on-validation.${index}of${count}.json`);
  await fs.mkdir(path.dirname(out), { recursive: true });
  await fs.writeFile(
    out,
    `${JSON.stringify({ schema: 1, episodes, seed: SEED, settings: SETTINGS, measuredAt: new Date().toISOString(), rows }, null, 2)}\n`,
  );
  process.stdout.write(`${summarise(rows).join('\n')}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((error: unknown) => {
    process.stderr.write(`tune-on-validation: ${(error as Error).message}\n`);
    process.exitCode = 2;
  });
}
