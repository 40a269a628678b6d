import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {
  bestModelDir,
  DEFAULT_ENVIRONMENT,
  DEFAULT_HYPERPARAMETERS,
  type EnvironmentSettings,
  evaluationSeed,
  JobResultSchema,
  jobSeeds,
  readJsonTolerant,
  type WorkerConfig,
  WorkerResultsSchema,
  WorkerStatusSchema,
  workerResultsFile,
  workerStatusFile,
} from '../shared/index.js';
import { SHARED_DATA_DIR } from '../test/helpers/real-candles.js';
import { canMountSmallDisk, mountSmallDisk } from '../test/helpers/tmpfs.js';
import { loadModel } from './dqn/index.js';
import { runWorker } from './run-worker.js';

// 45 days of real candles: ~740 steps per episode after the 168-hour feature warm-up, so a job
// trains in a second or two while still exercising warm-up, updates and target syncs.
const SMALL = { ...DEFAULT_HYPERPARAMETERS, warmupSteps: 200, targetSyncEvery: 200, replayCapacity: 5_000 };

async function makeConfig(
  pairs: string[],
  episodes: number,
  environment: Partial<EnvironmentSettings> = {},
): Promise<WorkerConfig> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'atw-worker-'));
  const seedCount = environment.seeds ?? 1;
  return {
    schema: 1,
    runId: 'test-run',
    workerId: 1,
    jobs: pairs.map((pair) => {
      const seeds = jobSeeds(7, `${pair}/base`, seedCount);
      const evaluation = evaluationSeed(7, pair);
      return {
        jobId: `${pair}/base`,
        pair,
        variant: 'base',
        hyperparameters: SMALL,
        seed: seeds[0]!,
        seeds,
        evaluationSeed: evaluation,
      };
    }),
    episodes,
    data: {
      source: 'data-dir',
      days: 45,
      interval: '1h',
      cacheDir: path.join(root, 'data'),
      dataDir: SHARED_DATA_DIR,
      refresh: false,
    },
    environment: { ...DEFAULT_ENVIRONMENT, ...environment },
    seed: 7,
    runSeed: 7,
    resultsDir: path.join(root, 'results'),
    modelsDir: path.join(root, 'models'),
    createdAt: new Date().toISOString(),
  };
}

async function readResults(config: WorkerConfig) {
  const read = await readJsonTolerant(
    workerResultsFile(config.resultsDir, config.workerId),
    WorkerResultsSchema,
  );
  if (!read.ok) throw new Error(read.message);
  return read.value;
}

test.serial(
  'a pair that cannot be loaded fails alone; the other job finishes and its model is published',
  async (t) => {
    const config = await makeConfig(['NOPE-USD', 'ETH-USD'], 1);
    const lines: string[] = [];
    const outcome = await runWorker(config, { shouldStop: () => false, log: (l) => lines.push(l) });
    t.is(outcome, 'done');
    const results = await readResults(config);
    const failed = results.jobs.find((j) => j.pair === 'NOPE-USD');
    const done = results.jobs.find((j) => j.pair === 'ETH-USD');
    t.is(failed?.status, 'failed');
    t.regex(failed?.error ?? '', /^NOPE-USD: .*NOPE_USD_data\.csv/);
    t.is(done?.status, 'done');
    t.true(Number.isFinite(done?.metrics?.sharpe ?? Number.NaN));
    t.truthy(done?.baselines?.buyAndHold);
    const best = bestModelDir(config.modelsDir, 1, 'ETH-USD');
    t.deepEqual(results.bestModels, [
      { pair: 'ETH-USD', jobId: 'ETH-USD/base', variant: 'base', modelPath: best },
    ]);
    const loaded = await loadModel(best);
    t.is(loaded.metadata.inputSize, DEFAULT_ENVIRONMENT.windowSize + 8 + 1);
    loaded.model.dispose();
    const status = await readJsonTolerant(workerStatusFile(config.resultsDir, 1), WorkerStatusSchema);
    t.like(status, { ok: true, value: { state: 'done', jobsDone: 1, jobsFailed: 1, jobsTotal: 2 } });
  },
);

test.serial(
  'a stopped worker resumes from its episode checkpoint and ends exactly where an unbroken run ends',
  async (t) => {
    const unbroken = await makeConfig(['BTC-USD'], 3);
    await runWorker(unbroken, { shouldStop: () => false, log: () => {} });
    const reference = (await readResults(unbroken)).jobs[0]!;

    const interrupted = await makeConfig(['BTC-USD'], 3);
    let episodesSeen = 0;
    const first = await runWorker(interrupted, {
      shouldStop: () => episodesSeen >= 1,
      log: (line) => {
        if (/episode \d+\/3/.test(line)) episodesSeen++;
      },
    });
    t.is(first, 'stopped');
    const status = await readJsonTolerant(workerStatusFile(interrupted.resultsDir, 1), WorkerStatusSchema);
    t.like(status, { ok: true, value: { state: 'stopped' } });

    const second = await runWorker(interrupted, { shouldStop: () => false, log: () => {} });
    t.is(second, 'done');
    const resumed = (await readResults(interrupted)).jobs[0]!;
    t.is(resumed.resumedFromEpisode, 1);
    t.deepEqual(
      resumed.episodes.map((e) => e.reward),
      reference.episodes.map((e) => e.reward),
    );
    t.deepEqual(resumed.metrics, reference.metrics);

    // A third start has nothing left to do: the job is not trained twice.
    const lines: string[] = [];
    await runWorker(interrupted, { shouldStop: () => false, log: (l) => lines.push(l) });
    t.true(lines.some((l) => /resuming: 1 of 1 jobs already done/.test(l)));
    t.false(lines.some((l) => /episode \d+\/3/.test(l)));
  },
);

test.serial(
  'with 2 folds × 2 seeds a stopped job keeps its finished units and resumes the unit in progress bit for bit',
  async (t) => {
    const environment = { folds: 2, seeds: 2 };
    const unbroken = await makeConfig(['BTC-USD'], 2, environment);
    await runWorker(unbroken, { shouldStop: () => false, log: () => {} });
    const reference = (await readResults(unbroken)).jobs[0]!;
    t.is(reference.status, 'done', reference.error ?? '');
    t.is(reference.episodes.length, 2 * 2 * 2);
    t.deepEqual(
      reference.episodes.map((e) => `${e.fold}.${e.seed}.${e.episode}`),
      ['1.1.1', '1.1.2', '1.2.1', '1.2.2', '2.1.1', '2.1.2', '2.2.1', '2.2.2'],
    );

    // Stop after the first episode of fold 1's second seed: seed 1 of fold 1 is a finished unit.
    const interrupted = await makeConfig(['BTC-USD'], 2, environment);
    let episodesSeen = 0;
    const first = await runWorker(interrupted, {
      shouldStop: () => episodesSeen >= 3,
      log: (line) => {
        if (/episode \d+\/2/.test(line)) episodesSeen++;
      },
    });
    t.is(first, 'stopped');
    const lines: string[] = [];
    t.is(await runWorker(interrupted, { shouldStop: () => false, log: (l) => lines.push(l) }), 'done');
    t.false(
      lines.some((l) => /fold 1 seed 1 episode/.test(l)),
      'the finished unit is not trained again',
    );
    t.false(
      lines.some((l) => /fold 1 seed 2 episode 1\/2/.test(l)),
      'nor the checkpointed episode',
    );
    t.true(lines.some((l) => /fold 1 seed 2 episode 2\/2/.test(l)));
    const resumed = (await readResults(interrupted)).jobs[0]!;
    t.is(resumed.resumedFromEpisode, 3);
    t.deepEqual(
      resumed.episodes.map((e) => [e.reward, e.validationSharpe]),
      reference.episodes.map((e) => [e.reward, e.validationSharpe]),
    );
    t.deepEqual(resumed.metrics, reference.metrics);
    t.deepEqual(resumed.folds, reference.folds);
    // The same seeds give the same significance, bootstrap and random policies included.
    t.deepEqual(resumed.significance, reference.significance);
    t.deepEqual(resumed.baselines, reference.baselines);
    t.deepEqual(resumed.costSensitivity, reference.costSensitivity);
    // The result with folds and seeds passes the contract's schema, every new field present.
    const parsed = JobResultSchema.safeParse(resumed);
    t.true(parsed.success, parsed.success ? '' : parsed.error.message);
    t.is(resumed.folds?.length, 2);
    t.is(resumed.folds?.[0]?.seeds.length, 2);
    t.is(resumed.trials?.configurations, 2 * 2);
    t.is(resumed.annualization, 8760);
    t.truthy(resumed.pooledReturns);
    t.deepEqual(
      resumed.seeds?.map((s) => s.metrics),
      reference.seeds?.map((s) => s.metrics),
    );
    // Every seed's last-fold model is saved; the representative one is the job's model.
    t.is(resumed.seeds?.length, 2);
    for (const seed of resumed.seeds ?? []) {
      t.true((await fs.readdir(seed.modelPath!)).includes('model.json'), seed.modelPath!);
    }
    t.is(resumed.modelPath, resumed.seeds?.[resumed.representativeSeed! - 1]?.modelPath ?? null);
  },
);

// Issue 10, problem 5: a damaged results file never costs finished work.
test.serial(
  'a corrupt or lost results file is rebuilt from the per-job result files; no finished job is trained again',
  async (t) => {
    const config = await makeConfig(['BTC-USD', 'ETH-USD'], 1);
    await runWorker(config, { shouldStop: () => false, log: () => {} });
    const before = await readResults(config);
    t.is(before.jobs.length, 2);
    const file = workerResultsFile(config.resultsDir, 1);

    for (const damage of ['truncated', 'lost'] as const) {
      if (damage === 'truncated') await fs.writeFile(file, (await fs.readFile(file, 'utf8')).slice(0, 40));
      else await fs.rm(file);
      const lines: string[] = [];
      const outcome = await runWorker(config, { shouldStop: () => false, log: (l) => lines.push(l) });
      t.is(outcome, 'done');
      t.false(
        lines.some((l) => /episode \d+\/1/.test(l)),
        `${damage}: nothing trained again:\n${lines.join('\n')}`,
      );
      t.false(lines.some((l) => /starting without previous results/.test(l)));
      t.true(
        lines.some((l) => /rebuilt .*worker_1_results\.json from 2 job result files/.test(l)),
        lines.join('\n'),
      );
      const after = await readResults(config);
      t.deepEqual(
        after.jobs.map((j) => [j.jobId, j.metrics]),
        before.jobs.map((j) => [j.jobId, j.metrics]),
        `${damage}: the same finished jobs`,
      );
      t.deepEqual(after.bestModels, before.bestModels);
    }
  },
);

// A full disk (or no descriptors left) is the machine's trouble, not the job's: the worker stops
// with the error so the supervisor restarts it after a backoff, and the job resumes then.
const smallDisk = canMountSmallDisk();
(smallDisk.ok ? test.serial : test.serial.skip)(
  `a full disk stops the worker with the error; no job is recorded as failed${smallDisk.ok ? '' : ` (skipped: ${smallDisk.why})`}`,
  async (t) => {
    const disk = mountSmallDisk('400k');
    if ('unavailable' in disk) return t.fail(disk.unavailable);
    t.teardown(() => disk.unmount());
    const base = await makeConfig(['BTC-USD'], 2);
    // Status and results fit; the first episode checkpoint (a replay buffer of ~1 MB) does not.
    const config = { ...base, resultsDir: path.join(disk.dir, 'results') };
    const error = await t.throwsAsync(() => runWorker(config, { shouldStop: () => false, log: () => {} }));
    t.regex(error?.message ?? '', /ENOSPC/);
    const results = await readJsonTolerant(workerResultsFile(config.resultsDir, 1), WorkerResultsSchema);
    t.false(results.ok && results.value.jobs.some((j) => j.status === 'failed'), 'no failed job recorded');
  },
);
