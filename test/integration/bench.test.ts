import { readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { loadBenchMarket } from '../../bench/bench-market.js';
import { measureJobLoop } from '../../bench/job-loop.js';
import { parseBenchArgs, UsageError } from '../../bench/options.js';
import { DEFAULT_HYPERPARAMETERS } from '../../shared/hyperparameters.js';
import { SHARED_DATA_DIR } from '../helpers/real-candles.js';
import { repoRoot } from '../helpers/run-fixture.js';

const benchTemps = async () => (await readdir(os.tmpdir())).filter((name) => name.startsWith('bench-job-'));

/** `npm run bench -- ARGS`, from the sources. */
const bench = (args: string[]) =>
  execa(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'bench', 'index.ts'), ...args], {
    cwd: repoRoot,
    reject: false,
    timeout: 240_000,
  });

test('the job loop runs a real job episode by episode and reports each one, leaving no files', async (t) => {
  const market = await loadBenchMarket(path.join(SHARED_DATA_DIR, 'BTC_USD_data.csv'), 'BTC-USD');
  const before = await benchTemps();
  let reads = 0;
  const job = await measureJobLoop({
    prepared: market.prepared,
    hyperparameters: { ...DEFAULT_HYPERPARAMETERS, warmupSteps: 64 },
    episodes: 2,
    engine: 'js',
    seed: 3,
    tensors: () => ++reads,
    maxSteps: 150,
  });
  t.is(job.stepsPerEpisode, 150);
  t.deepEqual(
    job.perEpisode.map((e) => [e.episode, e.numTensors]),
    [
      [1, 1],
      [2, 2],
    ],
  );
  for (const episode of job.perEpisode) {
    t.true(episode.rssMiB > 10 && episode.rssMiB < 4096, `RSS ${episode.rssMiB} MiB`);
    // ava runs without --expose-gc; `npm run bench` passes it and gets the after-GC figure too.
    t.is(episode.rssAfterGcMiB, null);
    t.true(episode.trainingSeconds >= 0 && episode.overheadSeconds >= 0);
  }
  t.true(job.stepsPerSecond > 0 && job.stepsPerSecond <= job.trainingStepsPerSecond);
  t.true(job.finishSeconds > 0 && job.finishSeconds < job.seconds);
  t.deepEqual(await benchTemps(), before);
});

test('npm run bench -- --only kernel --json reports the training loop round by round', async (t) => {
  const result = await bench(['--only', 'kernel', '--scale', '0.05', '--rounds', '2', '--json']);
  t.is(result.exitCode, 0, String(result.stderr));
  const report = JSON.parse(String(result.stdout)) as {
    schema: number;
    kernel: string;
    jobLoop: unknown;
    trainingLoop: { kernel: { steps: number; stepsPerSecond: number }; kernelRounds: unknown[] };
  };
  t.is(report.schema, 1);
  t.is(report.kernel, 'wasm-simd');
  t.is(report.jobLoop, null);
  t.is(report.trainingLoop.kernelRounds.length, 2);
  t.is(report.trainingLoop.kernel.steps, 400);
  t.true(report.trainingLoop.kernel.stepsPerSecond > 0);
});

test('bad bench options are one-line errors naming the option', async (t) => {
  for (const [args, message] of [
    [['--scale', '0'], '--scale must be a positive number, got 0'],
    [['--scale'], '--scale needs a value'],
    [['--only', '--json'], '--only needs a value'],
    [['--rouds', '2'], 'unknown option --rouds (expected --json, --scale, --rounds, --only)'],
    [['--rounds', '1.5'], '--rounds must be a positive integer, got 1.5'],
    [['--only', 'gpu'], '--only must be one of job, kernel, got gpu'],
  ] as const) {
    t.throws(() => parseBenchArgs(args), { instanceOf: UsageError, message });
  }
  t.deepEqual(parseBenchArgs(['--json', '--only', 'job', '--rounds', '2', '--scale', '0.5']), {
    json: true,
    scale: 0.5,
    rounds: 2,
    only: 'job',
  });
  // Through the command: exit code 1 and the message on one line of stderr.
  const result = await bench(['--rounds', '0']);
  t.is(result.exitCode, 1);
  t.is(String(result.stderr).trim(), 'bench: --rounds must be a positive integer, got 0');
});
