import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataSettings } from '../shared/contract.js';
import { DEFAULT_ENVIRONMENT } from '../shared/hyperparameters.js';
import { Rng } from '../shared/rng.js';
import {
  benjaminiHochberg,
  blockBootstrapSharpeInterval,
  costSensitivity,
  deflatedSharpeRatio,
  matchedRandomBaseline,
  pairedSharpeTest,
  simulateEquity,
} from '../shared/statistics/index.js';
import { evaluatePolicy } from '../worker/evaluate.js';
import { preparePair } from '../worker/prepare-pair.js';

/*
 * `npx tsx bench/statistics.ts [--json]`: the cost of one job's significance statistics on the real
 * BTC-USD test slice (≈ 1,750 hourly returns) with the defaults (2,000 resamples, 1,000 random
 * policies): ms per call, median of several calls after a warm-up. Baseline in the same run: the
 * 1,000 matched random policies replayed through worker/environment.ts + computeMetrics (what
 * evaluate.ts does for one policy) instead of the allocation-free replay; the ratio is the figure
 * to quote, since absolute times move with the machine's load.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA_DIR = path.resolve(ROOT, '../shared/data');
const SEED = 7;
const REPEATS = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median wall time of `run` in ms over REPEATS calls, after one untimed warm-up call. */
function time(run: () => unknown, repeats = REPEATS): number {
  run();
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return median(times);
}

async function main() {
  const json = process.argv.includes('--json');
  const data: DataSettings = {
    source: 'data-dir',
    days: 730,
    interval: '1h',
    cacheDir: DATA_DIR,
    dataDir: DATA_DIR,
    refresh: false,
  };
  const { series, features, test } = await preparePair('BTC-USD', data, DEFAULT_ENVIRONMENT);
  const feeRate = DEFAULT_ENVIRONMENT.feeRate;
  const n = test.end - test.start - 1;
  const moves = new Float64Array(n);
  for (let k = 0; k < n; k++) moves[k] = series.close[test.start + k + 1]! / series.close[test.start + k]!;
  // A stand-in agent: a seeded chain that switches about 3 % of hours (no training in a bench).
  const rng = new Rng(SEED);
  const positions = new Uint8Array(n);
  for (let k = 0, held = 0; k < n; k++) {
    if (rng.next() < 0.03) held = 1 - held;
    positions[k] = held;
  }
  const agent = simulateEquity({ moves, positions, feeRate });
  const hold = simulateEquity({ moves, positions: new Uint8Array(n).fill(1), feeRate });
  const baseline = matchedRandomBaseline({ moves, positions, feeRate, seed: SEED });

  const rows: { name: string; ms: number }[] = [
    { name: 'simulateEquity', ms: time(() => simulateEquity({ moves, positions, feeRate })) },
    {
      name: 'blockBootstrapSharpeInterval (stationary, 2,000)',
      ms: time(() => blockBootstrapSharpeInterval(agent.returns, { seed: SEED })),
    },
    {
      name: 'blockBootstrapSharpeInterval (circular, 2,000)',
      ms: time(() => blockBootstrapSharpeInterval(agent.returns, { seed: SEED, method: 'circular' })),
    },
    {
      name: 'pairedSharpeTest vs buy-and-hold (2,000)',
      ms: time(() => pairedSharpeTest(agent.returns, hold.returns, { seed: SEED })),
    },
    {
      name: 'matchedRandomBaseline (1,000)',
      ms: time(() => matchedRandomBaseline({ moves, positions, feeRate, seed: SEED })),
    },
    {
      name: 'deflatedSharpeRatio',
      ms: time(() => deflatedSharpeRatio({ returns: agent.returns, trials: 40 })),
    },
    { name: 'costSensitivity (5 fees)', ms: time(() => costSensitivity({ moves, positions })) },
    { name: 'benjaminiHochberg (15 pairs)', ms: time(() => benjaminiHochberg(Array(15).fill(0.04))) },
  ];
  const perJob = rows.reduce((sum, row) => sum + (row.name.includes('circular') ? 0 : row.ms), 0);

  // Baseline: the same 1,000 chain draws, each replayed through the environment and computeMetrics.
  const { chain } = baseline;
  const environmentReplay = () => {
    const draws = new Rng(SEED);
    for (let i = 0; i < 1000; i++) {
      let held = 0;
      let k = 0;
      evaluatePolicy(
        () => {
          const u = draws.next();
          held = held === 0 ? (u < chain.enterProbability ? 1 : 0) : u < chain.exitProbability ? 0 : 1;
          k += 1;
          return held;
        },
        series,
        features,
        { start: test.start, end: test.end, feeRate },
      );
      if (k !== n) throw new Error(`bench: the environment made ${k} decisions, expected ${n}`);
    }
  };
  const baselineMs = time(environmentReplay, 3);
  const randomMs = rows.find((row) => row.name.startsWith('matchedRandomBaseline'))!.ms;
  const report = {
    data: `BTC-USD test slice of ${path.join('../shared/data', 'BTC_USD_data.csv')}, ${n} hourly returns`,
    node: process.version,
    rows,
    perJobMs: perJob,
    baseline: { name: '1,000 random policies through TradingEnvironment + computeMetrics', ms: baselineMs },
    matchedRandomBaselineSpeedup: baselineMs / randomMs,
  };
  if (json) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  console.log(`${report.data}, Node ${report.node}, median of ${REPEATS} calls after a warm-up`);
  for (const row of rows) console.log(`  ${row.name.padEnd(52)} ${row.ms.toFixed(2).padStart(8)} ms`);
  console.log(
    `  ${'one job (every statistic once, stationary)'.padEnd(52)} ${perJob.toFixed(2).padStart(8)} ms`,
  );
  console.log(`  ${`baseline: ${report.baseline.name}`.padEnd(52)} ${baselineMs.toFixed(2).padStart(8)} ms`);
  console.log(
    `  matchedRandomBaseline is ${report.matchedRandomBaselineSpeedup.toFixed(1)}× the baseline's speed`,
  );
}

main().catch((error: unknown) => {
  console.error(`bench/statistics: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = 1;
});
