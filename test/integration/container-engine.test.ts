import { copyFileSync, existsSync, promises as fs, mkdirSync } from 'node:fs';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import { buildWorkerImage } from '../../scripts/docker/build-worker-image.js';
import {
  checkpointDir,
  type DashboardState,
  type DataSettings,
  pairFileStem,
  supervisorStatusFile,
  type TrainingReport,
  workerLogFile,
} from '../../shared/index.js';
import { type RunOptions, startRun } from '../../supervisor/run.js';
import { composeProjectName } from '../../supervisor/runtime/docker-runtime.js';
import { readCheckpointManifest } from '../../worker/episode-checkpoint.js';
import { readReport, runArgs, runCli, SHARED_DATA_DIR, tempRunDirs } from '../helpers/cli.js';
import {
  type DockerEngine,
  ensureSingleNodeSwarm,
  labelledContainers,
  labelledServices,
  startDockerEngine,
} from '../helpers/docker-engine.js';
import { repoRoot, testRunOptions } from '../helpers/run-fixture.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

// Issue 11: the Docker and Swarm runtimes on a real engine (a private dockerd when none answers),
// with the worker image built from this checkout. These tests never skip themselves: without an
// engine they fail, naming why; TW_DOCKER_TESTS=skip is the explicit opt-out for machines without one.

const optOut = process.env.TW_DOCKER_TESTS === 'skip';
const engineTest = optOut ? test.serial.skip : test.serial;
let engine: DockerEngine | null = null;
let image = '';
let engineProblem: string | null = null;

test.before(async (t) => {
  if (optOut) return;
  t.timeout(600_000, 'start an engine and build the worker image');
  const started = await startDockerEngine();
  if ('unavailable' in started) {
    engineProblem = started.unavailable;
    return;
  }
  engine = started;
  const startedAt = Date.now();
  const built = await buildWorkerImage({
    root: repoRoot,
    docker: { file: 'docker', env: engine.env },
    from: 'host',
    tags: [],
    log: (line) => t.log(line),
  });
  image = built.image;
  t.log(
    `engine ${engine.version} (${engine.private ? 'private dockerd' : 'existing'}); image ${image} ` +
      `${built.built ? 'built' : 'reused'} in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`,
  );
});

test.after.always(async () => {
  await engine?.stop();
});

function needEngine(t: ExecutionContext): DockerEngine {
  if (!engine) t.fail(`no Docker engine for the real-engine tests: ${engineProblem}`);
  return engine!;
}

const dockerEnv = (e: DockerEngine, extra: Record<string, string> = {}) => ({
  ...e.env,
  TW_IMAGE: image,
  ...extra,
});

/** Real candles: `--data-dir ../shared/data`, or an `--offline` cache holding copies of them. */
function realData(root: string, pairs: string[], source: 'data-dir' | 'offline'): DataSettings {
  const cacheDir = path.join(root, 'data');
  if (source === 'offline') {
    mkdirSync(cacheDir, { recursive: true });
    for (const pair of pairs) {
      const file = `${pairFileStem(pair)}_data.csv`;
      copyFileSync(path.join(SHARED_DATA_DIR, file), path.join(cacheDir, file));
    }
  }
  return {
    source,
    days: 365,
    interval: '1h',
    cacheDir,
    dataDir: source === 'data-dir' ? SHARED_DATA_DIR : null,
    refresh: false,
  };
}

function realRunOptions(root: string, overrides: Partial<RunOptions> & { source?: 'data-dir' | 'offline' }) {
  const pairs = overrides.pairs ?? ['BTC-USD', 'ETH-USD'];
  const { source = 'data-dir', ...rest } = overrides;
  return testRunOptions(root, {
    workers: 2,
    pairs,
    variants: 1,
    episodes: 2,
    data: realData(root, pairs, source),
    seed: 11,
    heartbeatCheckMs: 500,
    stopGraceMs: 10_000,
    restartPolicy: {
      baseDelayMs: 1_000,
      maxDelayMs: 5_000,
      jitter: 0,
      maxRestarts: 3,
      stallAfterMs: 120_000,
    },
    ...rest,
  });
}

/** Episodes the newest checkpoint under a job's checkpoint folder holds (0 when there is none yet). */
async function checkpointedEpisodes(jobCheckpoints: string): Promise<number> {
  const files = await fs.readdir(jobCheckpoints, { recursive: true }).catch(() => [] as string[]);
  const units = files.filter((f) => path.basename(f) === 'latest.json').map((f) => path.dirname(f));
  // A manifest being replaced, or gone with the finished job, reads as not ok: not a checkpoint to count.
  const reads = await Promise.all(
    units.map((unit) => readCheckpointManifest(path.join(jobCheckpoints, unit))),
  );
  return Math.max(0, ...reads.map((read) => (read.ok ? read.value.episodes.length : 0)));
}

/** Every state the store went through, for assertions on what the views were shown. */
function recordStates(store: { getSnapshot(): DashboardState; subscribe(l: () => void): () => void }) {
  const states: DashboardState[] = [];
  const unsubscribe = store.subscribe(() => states.push(store.getSnapshot()));
  return { states, unsubscribe };
}

const outOfSample = (report: TrainingReport) =>
  Object.fromEntries(
    report.jobs.map((j) => [
      j.jobId,
      { metrics: j.metrics, baselines: j.baselines, selected: j.selectedEpisode },
    ]),
  );

engineTest(
  'docker: two workers train real jobs in hardened containers; the report equals the local runtime’s for the same seed',
  async (t) => {
    t.timeout(720_000);
    const e = needEngine(t);
    const local = makeTempDir('tw-local-');
    const docker = makeTempDir('tw-docker-');
    t.teardown(() => {
      local.remove();
      docker.remove();
    });

    const localRun = await startRun(realRunOptions(local.dir, { runtime: 'local' }));
    const localDone = await localRun.done;
    t.is(localDone.exitCode, 0);

    const options = realRunOptions(docker.dir, { runtime: 'docker' });
    const handle = await startRun(options, { docker: { env: dockerEnv(e), pollMs: 250 } });
    // A failed assertion must not leave the run going (and loading the machine) into the next test.
    t.teardown(() => handle.stop('test ended'));
    const seen = recordStates(handle.store);
    const runLabel = `trading-workers.run=${handle.plan.runId}`;
    // Inspect the real containers the engine made (each worker's, whatever its state: with one short
    // job each, worker 1 may be done before worker 2's container is up).
    const running = await waitFor(
      async () => {
        const rows = await labelledContainers(e.env, runLabel);
        return rows.length === 2 ? rows : null;
      },
      'both worker containers to exist',
      360_000,
      200,
    );
    const inspected = JSON.parse(
      (await execa('docker', ['inspect', ...running.map((r) => r.split(' ')[0]!)], { env: e.env })).stdout,
    ) as {
      Config: { User: string; Labels: Record<string, string> };
      HostConfig: {
        ReadonlyRootfs: boolean;
        CapDrop: string[];
        SecurityOpt: string[];
        Memory: number;
        PidsLimit: number;
        NetworkMode: string;
        Tmpfs: Record<string, string>;
        Init: boolean;
      };
      Mounts: { Source: string; Destination: string; RW: boolean }[];
    }[];
    for (const c of inspected) {
      t.not(c.Config.User.split(':')[0], '0', 'never root');
      t.not(c.Config.User, '');
      t.true(c.HostConfig.ReadonlyRootfs);
      t.deepEqual(c.HostConfig.CapDrop, ['ALL']);
      t.deepEqual(c.HostConfig.SecurityOpt, ['no-new-privileges:true']);
      t.is(c.HostConfig.Memory, 1024 ** 3);
      t.is(c.HostConfig.PidsLimit, 256);
      t.is(c.HostConfig.NetworkMode, 'none', 'reading mounted candles needs no network');
      t.true(c.HostConfig.Init);
      t.truthy(c.HostConfig.Tmpfs['/tmp']);
      t.is(c.Config.Labels['trading-workers.results'], options.resultsDir);
      const destinations = c.Mounts.map((m) => m.Destination).sort();
      t.deepEqual(destinations, [...new Set(destinations)], 'no folder mounted twice');
      t.deepEqual(
        c.Mounts.map((m) => [m.Source, m.Destination, m.RW]).sort(),
        [
          [options.data.cacheDir, options.data.cacheDir, true],
          [options.modelsDir, options.modelsDir, true],
          [options.resultsDir, options.resultsDir, true],
          [SHARED_DATA_DIR, SHARED_DATA_DIR, false],
        ].sort(),
      );
    }

    const { exitCode, report } = await handle.done;
    seen.unsubscribe();
    t.is(exitCode, 0);
    t.is(report.environment.runtime, 'docker');
    t.is(report.jobs.length, 2);
    t.deepEqual(outOfSample(report), outOfSample(localDone.report), 'same seed, same out-of-sample metrics');

    // The views were told the runtime and each container's state as the engine said it.
    const final = handle.store.getSnapshot();
    t.is(final.runtime, 'docker');
    // The store is watched from when startRun returns: by then worker 1's short job may be over, so
    // 'running' is required of some container, and every worker's is seen ending and then removed.
    t.true(seen.states.some((s) => s.workers.some((w) => w.container?.state === 'running')));
    for (const id of [1, 2]) {
      const states = seen.states.map((s) => s.workers.find((w) => w.workerId === id)?.container?.state);
      t.true(states.includes('exited'), `worker ${id} container states: ${[...new Set(states)].join(',')}`);
      t.is(final.workers.find((w) => w.workerId === id)?.container?.state, 'removed');
      t.regex(final.workers.find((w) => w.workerId === id)?.container?.name ?? '', /worker-\d/);
    }
    // The container's output reached the worker's log.
    t.regex(await fs.readFile(workerLogFile(options.resultsDir, 1), 'utf8'), /BTC-USD\/base episode 2\/2/);
    t.deepEqual(await labelledContainers(e.env, runLabel), [], 'nothing left after the run');
  },
);

engineTest(
  'docker: `docker kill` mid-job is a crash, restarted with backoff and resumed from its checkpoint (no --data-dir)',
  async (t) => {
    t.timeout(720_000);
    const e = needEngine(t);
    const { dir, remove } = makeTempDir('tw-docker-kill-');
    t.teardown(remove);
    // Offline: the candles are in the cache folder only, the mount that used to be named twice.
    const options = realRunOptions(dir, {
      runtime: 'docker',
      source: 'offline',
      workers: 1,
      pairs: ['BTC-USD'],
      episodes: 4,
    });
    const handle = await startRun(options, { docker: { env: dockerEnv(e), pollMs: 250 } });
    // A failed assertion must not leave the run going (and loading the machine) into the next test.
    t.teardown(() => handle.stop('test ended'));
    const seen = recordStates(handle.store);
    // Kill once an episode's checkpoint is on disk and episodes remain: the restart must resume from
    // it. Not on a status naming episode 2: statuses are written at most once a second, and an episode
    // here can be shorter, so one saying episode 2 may never be written (CI saw that).
    const victim = await waitFor(
      async () => {
        const w = handle.store.getSnapshot().workers[0];
        if (w?.state !== 'training' || !w.jobId || w.container?.state !== 'running') return null;
        const saved = await checkpointedEpisodes(checkpointDir(options.resultsDir, 1, w.jobId));
        return saved >= 1 && saved < 4 ? w.container.name : null;
      },
      'worker 1 to checkpoint an episode of its job in its container, with episodes left',
      360_000,
      50,
    );
    await execa('docker', ['kill', victim], { env: e.env });
    const { exitCode, report } = await handle.done;
    seen.unsubscribe();
    t.is(exitCode, 0);
    const worker = report.workers[0]!;
    // Under heavy load a restarted container can also miss the stall limit and be restarted again, which
    // is the policy working; what must never happen is a restart that fails to start its container.
    t.log(JSON.stringify(worker.exits));
    t.true(worker.restarts >= 1, JSON.stringify(worker.exits));
    t.false(
      worker.exits.some((x) => /start failed|already in use|Conflict/i.test(x.reason ?? '')),
      JSON.stringify(worker.exits),
    );
    t.is(worker.exits[0]?.signal, 'SIGKILL', JSON.stringify(worker.exits));
    t.regex(worker.exits[0]?.reason ?? '', /killed by SIGKILL/);
    t.true(
      seen.states.some(
        (s) => s.workers[0]?.process === 'backoff' && (s.workers[0]?.nextRestartAt ?? 0) > s.now,
      ),
      'the restart waited its backoff',
    );
    t.true((report.jobs[0]?.resumedFromEpisode ?? 0) >= 1, 'resumed from a checkpoint, not from scratch');
    t.is(report.jobs[0]?.status, 'done');
  },
);

engineTest('docker: Ctrl-C (SIGINT to the supervisor) leaves no container of the run', async (t) => {
  t.timeout(300_000);
  const e = needEngine(t);
  const dirs = tempRunDirs(t);
  const run = runCli(
    [
      'train',
      '--headless',
      '--runtime',
      'docker',
      // Stopped by Ctrl-C long before the end: enough episodes that neither container can finish
      // before the other one is up, at the kernel's speed.
      ...runArgs(dirs, { workers: 2, pairs: ['BTC-USD', 'ETH-USD'], variants: 1, episodes: 500 }),
    ],
    { env: dockerEnv(e, { CI: 'true' }) },
  );
  const resultsLabel = `trading-workers.results=${dirs.results}`;
  await waitFor(
    async () =>
      existsSync(supervisorStatusFile(dirs.results)) &&
      (await labelledContainers(e.env, resultsLabel)).filter((r) => r.endsWith(' running')).length === 2,
    'the supervisor to be up and both containers to run',
    240_000,
    200,
  );
  run.kill('SIGINT');
  const result = await run;
  t.not(result.exitCode, 0);
  t.deepEqual(await labelledContainers(e.env, resultsLabel), [], String(result.stdout).slice(-2000));
  const report = await readReport(dirs.results);
  t.is(report.outcome, 'stopped');
});

engineTest(
  'docker: containers of a gone supervisor are removed at the next start; a failing start gives up naming its cause',
  async (t) => {
    t.timeout(240_000);
    const e = needEngine(t);
    const { dir, remove } = makeTempDir('tw-docker-stale-');
    t.teardown(remove);
    const options = realRunOptions(dir, {
      runtime: 'docker',
      workers: 1,
      pairs: ['BTC-USD'],
      restartPolicy: { baseDelayMs: 50, maxDelayMs: 100, jitter: 0, maxRestarts: 1 },
    });
    // A container left by a supervisor that died: its pid no longer exists on this host.
    const gone = await execa(process.execPath, ['-e', 'console.log(process.pid)']);
    const stale = (
      await execa(
        'docker',
        [
          'run',
          '-d',
          '--label',
          `trading-workers.results=${options.resultsDir}`,
          '--label',
          `trading-workers.supervisor=${(await import('node:os')).hostname()}:${gone.stdout.trim()}`,
          image,
          'node',
          '-e',
          'setTimeout(() => {}, 600000)',
        ],
        { env: e.env },
      )
    ).stdout.trim();
    // 1k is below the engine's minimum: every `up` fails, and the give-up must say why.
    const handle = await startRun(options, {
      docker: { env: dockerEnv(e, { TW_MEMORY: '1k' }), pollMs: 250 },
    });
    const { exitCode, report } = await handle.done;
    t.is(exitCode, 1);
    const reason = report.failures.find((f) => f.workerId === 1)?.reason ?? '';
    t.regex(reason, /^gave up after 1 consecutive restart: /);
    t.regex(reason, /Minimum memory limit allowed is 6MB/i, reason);
    t.regex(await fs.readFile(workerLogFile(options.resultsDir, 1), 'utf8'), /Minimum memory limit/i);
    const left = await execa('docker', ['ps', '-aq', '--no-trunc', '--filter', `id=${stale}`], {
      env: e.env,
    });
    t.is(left.stdout.trim(), '', 'the stale container was removed');
    t.deepEqual(
      await labelledContainers(e.env, `com.docker.compose.project=${composeProjectName(options.resultsDir)}`),
      [],
    );
  },
);

engineTest(
  'swarm: a run completes on a single-node swarm; a killed task is restarted by the supervisor and resumes; nothing is left',
  async (t) => {
    t.timeout(720_000);
    const e = needEngine(t);
    const leave = await ensureSingleNodeSwarm(e.env);
    t.teardown(leave);
    const { dir, remove } = makeTempDir('tw-swarm-');
    t.teardown(remove);
    const options = realRunOptions(dir, {
      runtime: 'swarm',
      source: 'offline',
      pairs: ['BTC-USD', 'ETH-USD'],
      // Long enough that the job seen checkpointed is still running when the kill lands (docker ps and
      // kill take a moment; with 4 episodes the worker could be into its next job, which had no checkpoint).
      episodes: 10,
    });
    const handle = await startRun(options, { docker: { env: dockerEnv(e), pollMs: 250 } });
    // A failed assertion must not leave the run going (and loading the machine) into the next test.
    t.teardown(() => handle.stop('test ended'));
    const runLabel = `trading-workers.run=${handle.plan.runId}`;
    t.deepEqual((await labelledServices(e.env, runLabel)).length <= 2, true);
    let killedJob: string | null = null;
    const victim = await waitFor(
      async () => {
        const w = handle.store.getSnapshot().workers.find((x) => x.workerId === 1);
        if (w?.state !== 'training' || !w.jobId) return null;
        // An episode checkpointed and episodes left (as in the docker test above).
        const saved = await checkpointedEpisodes(checkpointDir(options.resultsDir, 1, w.jobId));
        if (saved < 1 || saved >= 10) return null;
        killedJob = w.jobId;
        const rows = await labelledContainers(e.env, `${runLabel}`);
        const mine = await execa(
          'docker',
          ['ps', '-q', '--filter', `label=${runLabel}`, '--filter', 'label=trading-workers.worker=1'],
          { env: e.env },
        );
        return rows.length > 0 ? mine.stdout.trim() || null : null;
      },
      'worker 1 to checkpoint an episode of its job in its task, with episodes left',
      300_000,
      200,
    );
    t.regex(handle.store.getSnapshot().workers[0]?.container?.name ?? '', /-worker-1\.1$/);
    await execa('docker', ['kill', victim], { env: e.env });
    const { exitCode, report } = await handle.done;
    t.is(exitCode, 0);
    t.is(report.environment.runtime, 'swarm');
    const worker = report.workers.find((w) => w.workerId === 1)!;
    // Under heavy load a restarted container can also miss the stall limit and be restarted again, which
    // is the policy working; what must never happen is a restart that fails to start its container.
    t.log(JSON.stringify(worker.exits));
    t.true(worker.restarts >= 1, JSON.stringify(worker.exits));
    t.false(
      worker.exits.some((x) => /start failed|already in use|Conflict/i.test(x.reason ?? '')),
      JSON.stringify(worker.exits),
    );
    t.is(worker.exits[0]?.signal, 'SIGKILL');
    const job = report.jobs.find((j) => j.jobId === killedJob)!;
    t.true(job.resumedFromEpisode >= 1, `${killedJob} resumed from its checkpoint`);
    t.true(report.jobs.every((j) => j.status === 'done'));
    t.deepEqual(await labelledServices(e.env, runLabel), [], 'no service left');
    t.deepEqual(await labelledContainers(e.env, runLabel), [], 'no task container left');
  },
);
