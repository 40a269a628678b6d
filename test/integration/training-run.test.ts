import { promises as fs } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { readJsonTolerant, WorkerStatusSchema, workerLogFile, workerStatusFile } from '../../shared/index.js';
import { episodeCounts } from '../helpers/chaos-checks.js';
import { readReport, runArgs, runCli, SHARED_DATA_DIR, tempRunDirs } from '../helpers/cli.js';
import { repoRoot } from '../helpers/run-fixture.js';
import { isAlive, makeTempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

// Issue 3's "done when": whole runs of the real supervisor and real workers on real candles.

// Whole runs, evaluation included, take minutes rather than seconds on a shared 2-core machine.
const TEST_TIMEOUT_MS = 900_000;
const RUN_TIMEOUT_MS = 850_000;

test.serial(
  './start_training.sh trains 6 jobs headless on real candles and keeps 3 best models',
  async (t) => {
    t.timeout(TEST_TIMEOUT_MS);
    const dirs = tempRunDirs(t);
    const result = await execa(
      './start_training.sh',
      [
        '--headless',
        ...runArgs(dirs, { workers: 2, pairs: ['BTC-USD', 'ETH-USD', 'SOL-USD'], variants: 2, episodes: 1 }),
      ],
      { cwd: repoRoot, reject: false, timeout: RUN_TIMEOUT_MS },
    );
    t.is(result.exitCode, 0, result.stderr);
    const report = await readReport(dirs.results);
    t.is(report.outcome, 'completed');
    t.is(report.jobs.length, 6);
    t.true(report.jobs.every((j) => j.status === 'done' && j.metrics !== null));
    t.deepEqual(
      report.bestModels.map((b) => b.pair),
      ['BTC-USD', 'ETH-USD', 'SOL-USD'],
    );
    const saved = (await fs.readdir(dirs.models)).filter((f) => f.endsWith('_model')).sort();
    t.deepEqual(saved, ['worker_1_BTC_USD_model', 'worker_1_ETH_USD_model', 'worker_2_SOL_USD_model']);
    // The supervisor followed results a job file at a time; its last read of the whole files brings the
    // best models the workers published, so the report points at those folders, not the jobs' own.
    t.deepEqual(report.bestModels.map((b) => path.basename(b.modelPath ?? '')).sort(), saved);
    for (const dir of saved) {
      t.true((await fs.readdir(path.join(dirs.models, dir))).includes('model.json'));
    }
    // Headless output: lines per state change and episode, then the summary table.
    t.regex(result.stdout, /worker 1 +training +BTC-USD\/base/);
    t.regex(result.stdout, /BTC-USD\/base +episode 1\/1/);
    t.regex(result.stdout, /pair +best variant +P\/L %/);
    t.false(result.stdout.includes('\u001b['), 'no ANSI escapes in headless output');
    // Issue 9: each pair's ensemble of its two variants, its own leaderboard row, named in the report.
    t.deepEqual(
      report.ensembles?.ensembles.map((e) => [e.pair, e.members.length]),
      [
        ['BTC-USD', 2],
        ['ETH-USD', 2],
        ['SOL-USD', 2],
      ],
    );
    for (const pair of ['BTC-USD', 'ETH-USD', 'SOL-USD']) {
      t.regex(result.stdout, new RegExp(`^${pair} +ensemble of 2 +[-+]\\d+\\.\\d\\d%`, 'm'));
    }
    t.true((await fs.readdir(path.join(dirs.models, 'ensembles'))).includes('SOL_USD'));
    // The ensemble rows carry the training's significance, drawn with the pair's evaluation seed.
    for (const e of report.ensembles?.ensembles ?? []) {
      const seeds = report.jobs.filter((j) => j.pair === e.pair).map((j) => j.significance?.seed);
      t.deepEqual([...new Set(seeds)], [e.significance?.seed], e.pair);
      t.is(e.significance?.configurations, 2, `${e.pair}: both variants' trials (1 seed × 1 episode)`);
      t.is(e.matchedRandom?.seed, e.significance?.seed);
    }
    // Every job's out-of-sample trades.csv and equity.csv sit beside its model and the report names them.
    for (const job of report.jobs) {
      t.is(path.dirname(job.exports!.trades), job.modelPath!, job.jobId);
      const header = (file: string) => fs.readFile(file, 'utf8').then((text) => text.split('\n')[0] ?? '');
      t.regex(await header(job.exports!.trades), /^trade,entry_time,entry_price,exit_time/);
      t.is(await header(job.exports!.equity), 'time,close,position,equity,buy_and_hold');
    }
  },
);

test.serial(
  'a worker killed with SIGKILL mid-job is restarted and resumes; no job is trained twice from scratch',
  async (t) => {
    t.timeout(TEST_TIMEOUT_MS);
    const dirs = tempRunDirs(t);
    const run = runCli(
      [
        'train',
        '--headless',
        ...runArgs(dirs, { workers: 2, pairs: ['BTC-USD', 'ETH-USD', 'SOL-USD'], variants: 2, episodes: 3 }),
      ],
      { env: { CI: 'true' }, timeout: RUN_TIMEOUT_MS },
    );
    // Kill worker 1 while it trains episode 2 of a job. The worker logs an episode's line after that
    // episode's checkpoint is on disk, straight into its log file, so the first job whose "episode 1/3"
    // is logged and whose "episode 2/3" is not yet has a checkpoint to resume from and most of its
    // training ahead. The status file cannot say this: it is written at most once a second and an
    // episode here is shorter, so a status naming episode 2 may never be written (CI saw that).
    const victim = await waitFor(
      async () => {
        const log = await fs.readFile(workerLogFile(dirs.results, 1), 'utf8').catch(() => '');
        const finished = episodeCounts([log]);
        const jobId = [...finished.keys()]
          .filter((key) => key.endsWith(' episode 1'))
          .map((key) => key.slice(0, -' episode 1'.length))
          .find((id) => !finished.has(`${id} episode 2`));
        if (!jobId) return null;
        const read = await readJsonTolerant(workerStatusFile(dirs.results, 1), WorkerStatusSchema);
        return read.ok && read.value.pid ? { pid: read.value.pid, jobId } : null;
      },
      'worker 1 to log the first episode of a job and not its second',
      120_000,
      20,
    );
    process.kill(victim.pid, 'SIGKILL');
    const result = await run;
    t.is(result.exitCode, 0, String(result.stderr));

    const report = await readReport(dirs.results);
    t.is(report.jobs.length, 6);
    t.true(report.jobs.every((j) => j.status === 'done'));
    const worker1 = report.workers.find((w) => w.workerId === 1)!;
    t.true(worker1.restarts >= 1);
    t.true(worker1.exits.some((e) => e.signal === 'SIGKILL'));
    const interrupted = report.jobs.find((j) => j.jobId === victim.jobId)!;
    // Killed in episode 2: it resumed from the checkpoint of episode 1, or of a later one if it had
    // just finished when the kill landed; never from scratch.
    t.true(interrupted.resumedFromEpisode >= 1);

    // Every job's first episode was trained exactly once, across both processes of worker 1.
    const log = await fs.readFile(workerLogFile(dirs.results, 1), 'utf8');
    for (const job of report.jobs.filter((j) => j.workerId === 1)) {
      const firstEpisodes = log.split('\n').filter((l) => l.includes(`${job.jobId} episode 1/3`));
      t.is(firstEpisodes.length, 1, job.jobId);
    }
  },
);

test.serial(
  'a pair whose candle file is broken fails alone: the others finish, the report names it, exit code 1',
  async (t) => {
    t.timeout(TEST_TIMEOUT_MS);
    const dirs = tempRunDirs(t);
    // A missing file is refused by the preflight before anything starts (exit 2); a file that exists but
    // cannot be parsed is only found by the worker that loads it, and must fail that pair alone.
    const dataDir = makeTempDir('tw-broken-data-');
    t.teardown(dataDir.remove);
    await fs.copyFile(
      path.join(SHARED_DATA_DIR, 'BTC_USD_data.csv'),
      path.join(dataDir.dir, 'BTC_USD_data.csv'),
    );
    await fs.writeFile(path.join(dataDir.dir, 'ETH_USD_data.csv'), 'Datetime,Open,High\nnot,a,candle\n');
    const args = runArgs(dirs, {
      workers: 2,
      pairs: ['BTC-USD', 'ETH-USD'],
      variants: 1,
      episodes: 1,
      days: 60,
    });
    args[args.indexOf('--data-dir') + 1] = dataDir.dir;
    const result = await runCli(['train', ...args], { env: { CI: 'true' }, timeout: RUN_TIMEOUT_MS });
    t.is(result.exitCode, 1, String(result.stderr));
    const report = await readReport(dirs.results);
    t.is(report.outcome, 'completed-with-failures');
    t.is(report.jobs.find((j) => j.pair === 'BTC-USD')?.status, 'done');
    const failure = report.failures.find((f) => f.pair === 'ETH-USD');
    t.truthy(failure);
    t.regex(failure?.reason ?? '', /ETH_USD_data\.csv/);
    t.regex(String(result.stdout), /ETH-USD/);
  },
);

test.serial(
  'a supervisor killed outright leaves no worker running, and rerunning the same command resumes the run',
  async (t) => {
    t.timeout(TEST_TIMEOUT_MS);
    const dirs = tempRunDirs(t);
    const args = [
      'train',
      '--headless',
      ...runArgs(dirs, { workers: 2, pairs: ['BTC-USD', 'ETH-USD'], variants: 2, episodes: 10 }),
    ];
    const first = runCli(args, { env: { CI: 'true' }, timeout: RUN_TIMEOUT_MS });
    // Let the first job of worker 1 finish, and the second start, before the supervisor dies. Ten
    // episodes keep the second job running past the worker's 2 s check that its supervisor lives.
    const status = await waitFor(
      async () => {
        const read = await readJsonTolerant(workerStatusFile(dirs.results, 1), WorkerStatusSchema);
        return read.ok && read.value.jobsDone >= 1 && read.value.state === 'training' ? read.value : null;
      },
      'worker 1 to finish a job and train the next',
      120_000,
      50,
    );
    first.kill('SIGKILL');
    await first;
    // Orphaned workers notice the supervisor is gone, checkpoint and exit on their own.
    await waitFor(() => !isAlive(status.pid), 'the orphaned worker 1 to stop', 20_000, 100);
    const stopped = await readJsonTolerant(workerStatusFile(dirs.results, 1), WorkerStatusSchema);
    t.like(stopped, { ok: true, value: { state: 'stopped' } });

    const second = await runCli(args, { env: { CI: 'true' }, timeout: RUN_TIMEOUT_MS });
    t.is(second.exitCode, 0, String(second.stderr));
    const report = await readReport(dirs.results);
    t.is(report.jobs.length, 4);
    t.true(report.jobs.every((j) => j.status === 'done'));
    // The job finished before the kill was not trained again.
    const log = await fs.readFile(workerLogFile(dirs.results, 1), 'utf8');
    t.is(log.split('\n').filter((l) => l.includes('BTC-USD/base episode 1/10')).length, 1);
    t.regex(log, /resuming: 1 of 2 jobs already done/);
  },
);
