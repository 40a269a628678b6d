import { readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { loadBenchMarket } from '../../bench/bench-market.js';
import { formatFleet, measureFleet } from '../../bench/fleet.js';
import { measureFullPlan } from '../../bench/full-plan.js';
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
    [
      ['--rouds', '2'],
      'unknown option --rouds (expected --json, --dist, --dashboard, --scale, --rounds, --only, --pairs, --workers, --episodes, --days, or -- before train arguments)',
    ],
    [['--rounds', '1.5'], '--rounds must be a positive integer, got 1.5'],
    [['--only', 'gpu'], '--only must be one of job, kernel, fleet, plan, got gpu'],
    [['--pairs', 'BTC-USD'], '--pairs applies to --only plan'],
    [['--only', 'fleet', '--', '--seed', '3'], '-- applies to --only plan'],
    [['--dist'], '--dist applies to --only plan'],
    [['--dashboard'], '--dashboard applies to --only plan'],
    [['--only', 'plan', '--workers', '0'], '--workers must be a positive integer, got 0'],
  ] as const) {
    t.throws(() => parseBenchArgs(args), { instanceOf: UsageError, message });
  }
  const none = {
    pairs: null,
    workers: null,
    episodes: null,
    days: null,
    dist: false,
    dashboard: false,
    trainArgs: [],
  };
  t.deepEqual(parseBenchArgs(['--json', '--only', 'job', '--rounds', '2', '--scale', '0.5']), {
    json: true,
    scale: 0.5,
    rounds: 2,
    only: 'job',
    ...none,
  });
  t.deepEqual(
    parseBenchArgs(['--only', 'plan', '--pairs', 'BTC-USD,ETH-USD', '--workers', '2', '--', '--seed', '3']),
    {
      json: false,
      scale: 1,
      rounds: 3,
      only: 'plan',
      ...none,
      pairs: 'BTC-USD,ETH-USD',
      workers: 2,
      trainArgs: ['--seed', '3'],
    },
  );
  // Through the command: exit code 1 and the message on one line of stderr.
  const result = await bench(['--rounds', '0']);
  t.is(result.exitCode, 1);
  t.is(String(result.stderr).trim(), 'bench: --rounds must be a positive integer, got 0');
});

const lines0 = (m: Awaited<ReturnType<typeof measureFleet>>) => formatFleet(m);

test('the fleet bench feeds the real reducer and dashboard, and the selection walks the scrolled list', async (t) => {
  const m = await measureFleet({
    shape: { workers: 64, jobs: 500, episodes: 10, stepsPerEpisode: 5_813, statusPerSecond: 4 },
    seconds: 1.5,
    // Frames every 150 ms of the run (the product batches a second), so 1.5 s gives 10 of them.
    batchMs: 150,
    // A small terminal: the 64 workers need scrolling within a few key presses.
    columns: 100,
    rows: 30,
    keyPresses: 25,
  });
  // 64 workers × 4 statuses a second × 1.5 s, less the writes the stream drops as a throttle would.
  t.true(m.statusUpdate.count > 300 && m.statusUpdate.count <= 384, `${m.statusUpdate.count} status updates`);
  t.is(m.frame.count, 10);
  t.is(m.keyFrame.count, 25);
  t.true(m.selectionAlwaysVisible, 'the selected worker was on screen after every key press');
  t.true(m.framesWritten > 0);
  for (const d of [m.statusUpdate, m.frame, m.keyFrame, m.frameCpu, m.baselineFrameCpu, m.inkOwnFrameCpu]) {
    t.true(d.p50 > 0 && d.p50 <= d.p95 && d.p95 <= d.max);
  }
  // Ink's own composition of the same frames is the frame cache's baseline; bytes are counted per frame.
  t.is(m.inkOwnFrameCpu.count, 10);
  t.is(m.inkOwnToCached.p50, m.inkOwnFrameCpu.p50 / m.frameCpu.p50);
  t.true(m.bytesPerFrame.p50 > 0 && m.fullFrameBytes > 1_000, `${m.fullFrameBytes} bytes a frame`);
  t.true(lines0(m).some((l) => l.includes('the frame cache: Ink')));
  // Both text paths are timed on the frames' own lines against the library each replaces.
  const text = m.textPaths;
  t.is(text.frames, 10);
  t.true(text.linesPerFrame > 20, `${text.linesPerFrame} lines a frame`);
  t.is(text.inkWidthLibrary, 'fast-string-width');
  t.true(text.simpleShare > 0.95, `${text.simpleShare} of the lines on the fast path`);
  for (const path of [text.width, text.styled]) {
    const [reference, replacement] = Object.values(path) as number[];
    t.true(reference! > 0 && replacement! > 0);
  }
  t.is(text.styled.ratio, text.styled.libraryMs / text.styled.styledLineMs);
  t.true(lines0(m).some((l) => l.includes('styled characters (every changed line): tokenize')));
  t.is(m.ratioToTarget.frame, m.frame.p95 / 16);
  const lines = formatFleet(m);
  t.regex(lines[0]!, /^64 workers, 500 jobs/);
  t.true(lines.some((l) => l.includes('reducer: a status update')));
});

test.serial('the plan bench runs a plan through the CLI and accounts for its CPU and its tail', async (t) => {
  const logged: string[] = [];
  const m = await measureFullPlan({
    pairs: 'BTC-USD,ETH-USD',
    workers: 2,
    episodes: 1,
    days: 60,
    trainArgs: ['--variants', '1'],
    log: (line) => logged.push(line),
  });
  t.is(m.exitCode, 0, logged.join('\n'));
  t.is(m.jobs, 2);
  t.deepEqual(
    m.workers.map((w) => [w.workerId, w.jobs]),
    [
      [1, 1],
      [2, 1],
    ],
  );
  for (const w of m.workers) t.true(w.stepsPerSecond > 0 && w.finishedAtSeconds > 0);
  t.true(m.supervisorCpuSeconds > 0 && m.workersCpuSeconds > 0);
  t.true(m.cpuShare > 0 && m.cpuShare <= 1.05, `CPU share ${m.cpuShare}`);
  t.true(m.tailSeconds >= 0 && m.idleWorkerSeconds >= 0 && m.idleShare < 1);
  // The phases: workers were seen, and start-up, training and the end add up to the whole run's CPU.
  const { startup, training, end } = m.supervisorPhases;
  t.truthy(training, 'the sampling saw the workers run');
  t.true(training!.seconds > 0 && end !== null && startup.seconds > 0);
  t.true(
    Math.abs(startup.cpuSeconds + training!.cpuSeconds + end!.cpuSeconds - m.supervisorCpuSeconds) < 1e-6,
  );
  t.true(logged[0]?.includes('train --headless --data-dir'));
  await t.throwsAsync(() => readdir(m.folder), { code: 'ENOENT' }, 'a successful run leaves no files');
});

test.serial(
  'the plan bench with --dashboard draws the run in tmux, quits it, and splits its CPU the same way',
  async (t) => {
    const logged: string[] = [];
    const m = await measureFullPlan({
      pairs: 'BTC-USD',
      workers: 1,
      episodes: 1,
      days: 60,
      dashboard: true,
      trainArgs: ['--variants', '1'],
      log: (line) => logged.push(line),
    });
    t.is(m.exitCode, 0, logged.join('\n'));
    t.is(m.jobs, 1);
    t.regex(m.cli, /with the dashboard at 160×50/);
    t.false(m.command.includes('--headless'));
    const { training, end } = m.supervisorPhases;
    t.truthy(training, 'the sampling found the supervisor inside tmux and saw its worker');
    t.true(m.supervisorCpuSeconds > 0 && end !== null);
    await t.throwsAsync(() => readdir(m.folder), { code: 'ENOENT' }, 'a successful run leaves no files');
  },
);
