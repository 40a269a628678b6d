import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {
  bestModelDir,
  SupervisorStatusSchema,
  TrainingReportSchema,
  trainingReportFile,
} from '../../shared/index.js';
import { requestCommand } from '../../supervisor/command-files.js';
import { startRun } from '../../supervisor/run.js';
import { fakePids, fakeWorker, livePids, testRunOptions } from '../helpers/run-fixture.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

const behave = (spec: Record<number, string>) => ({ FAKE_WORKER_BEHAVIOUR: JSON.stringify(spec) });

test.serial(
  'a run finishes: exit 0, a valid report with every job, supervisor status finished',
  async (t) => {
    const { dir, remove } = makeTempDir();
    t.teardown(remove);
    const options = testRunOptions(dir);
    const handle = await startRun(options, { workerEntry: fakeWorker, workerEnv: behave({}) });
    t.false(handle.resumed);
    const { exitCode, report } = await handle.done;
    t.is(exitCode, 0);
    const onDisk = TrainingReportSchema.parse(
      JSON.parse(readFileSync(trainingReportFile(options.resultsDir), 'utf8')),
    );
    t.is(onDisk.runId, handle.plan.runId);
    t.is(onDisk.outcome, 'completed');
    t.is(onDisk.jobs.length, 6);
    t.is(onDisk.bestModels.length, 3);
    t.deepEqual(
      report.workers.map((w) => [w.workerId, w.state, w.jobsDone, w.restarts]),
      [
        [1, 'done', 4, 0],
        [2, 'done', 2, 0],
      ],
    );
    const status = SupervisorStatusSchema.parse(
      JSON.parse(readFileSync(path.join(options.resultsDir, 'supervisor_status.json'), 'utf8')),
    );
    t.true(status.finished);
    const aggregated = JSON.parse(
      readFileSync(path.join(options.resultsDir, 'aggregated_results.json'), 'utf8'),
    );
    t.is(aggregated.jobsDone, 6);
    const log = readFileSync(path.join(options.resultsDir, 'logs', 'worker_1.log'), 'utf8');
    t.regex(log, /fake worker 1 attempt 1 behaviour finish/, 'worker output goes to its log file');
    const state = handle.store.getSnapshot();
    t.true(state.finished);
    t.is(state.progress.jobsDone, 6);
    t.true(
      state.workers[0]!.logTail.some((l) => /fake worker 1 attempt 1 behaviour finish/.test(l)),
      'the log follows into the state for the dashboard and the mirror',
    );
    t.deepEqual(livePids(options.resultsDir, [1, 2]), []);
  },
);

test.serial('followLogs false (a plain headless run): the same run, without polling the logs', async (t) => {
  const { dir, remove } = makeTempDir();
  t.teardown(remove);
  const options = testRunOptions(dir);
  const handle = await startRun(options, {
    workerEntry: fakeWorker,
    workerEnv: behave({}),
    followLogs: false,
  });
  const { exitCode } = await handle.done;
  t.is(exitCode, 0);
  const log = readFileSync(path.join(options.resultsDir, 'logs', 'worker_1.log'), 'utf8');
  t.regex(log, /fake worker 1 attempt 1 behaviour finish/, 'the log file is written all the same');
  t.deepEqual(
    handle.store.getSnapshot().workers.map((w) => w.logTail),
    [[], []],
  );
});

test.serial('a crash is restarted with backoff and counted; the run still ends with exit 0', async (t) => {
  const { dir, remove } = makeTempDir();
  t.teardown(remove);
  const options = testRunOptions(dir, {
    restartPolicy: { baseDelayMs: 150, maxDelayMs: 1_000, jitter: 0, maxRestarts: 3 },
  });
  const handle = await startRun(options, { workerEntry: fakeWorker, workerEnv: behave({ 1: 'fail-once' }) });
  const backoff = await waitFor(
    () => handle.store.getSnapshot().workers.find((w) => w.workerId === 1 && w.process === 'backoff'),
    'worker 1 in backoff',
  );
  t.is(backoff.restarts, 1);
  const wait = (backoff.nextRestartAt ?? 0) - Date.now();
  t.true(wait > 0 && wait <= 150, `restart scheduled after the 150 ms backoff (${wait} ms left)`);
  const { exitCode, report } = await handle.done;
  t.is(exitCode, 0);
  const w1 = report.workers.find((w) => w.workerId === 1);
  t.is(w1?.restarts, 1);
  t.is(w1?.exits[0]?.code, 1);
  t.regex(w1?.exits[0]?.reason ?? '', /exited with code 1/);
  t.is(fakePids(options.resultsDir, 1).length, 2);
  // the second start waited for the backoff: its log line comes after the first exit by ≥ 150 ms
  t.is(report.jobs.length, 6);
});

test.serial('give-up after maxRestarts: that worker fails, the others finish, exit 1', async (t) => {
  const { dir, remove } = makeTempDir();
  t.teardown(remove);
  const options = testRunOptions(dir, {
    restartPolicy: { baseDelayMs: 20, maxDelayMs: 50, jitter: 0, maxRestarts: 2 },
  });
  const handle = await startRun(options, {
    workerEntry: fakeWorker,
    workerEnv: behave({ 2: 'always-fail' }),
  });
  const { exitCode, report } = await handle.done;
  t.is(exitCode, 1);
  t.is(report.outcome, 'completed-with-failures');
  const w2 = report.workers.find((w) => w.workerId === 2);
  t.is(w2?.state, 'failed');
  t.is(w2?.restarts, 2);
  t.is(fakePids(options.resultsDir, 2).length, 3, 'first start + 2 restarts');
  t.true(
    report.failures.some((f) => f.workerId === 2 && /gave up after 2 consecutive restarts/.test(f.reason)),
  );
  t.is(report.workers.find((w) => w.workerId === 1)?.jobsDone, 4, 'worker 1 finished its jobs');
  t.is(handle.store.getSnapshot().workers.find((w) => w.workerId === 2)?.process, 'failed');
});

test.serial('a stalled worker (no heartbeat) is stopped and restarted', async (t) => {
  const { dir, remove } = makeTempDir();
  t.teardown(remove);
  const options = testRunOptions(dir, {
    // well above a node start on a loaded 2-core machine, so only the hanging attempt stalls
    restartPolicy: { baseDelayMs: 20, maxDelayMs: 50, jitter: 0, maxRestarts: 3, stallAfterMs: 2_000 },
    heartbeatCheckMs: 50,
  });
  const handle = await startRun(options, { workerEntry: fakeWorker, workerEnv: behave({ 1: 'hang-once' }) });
  const { exitCode, report } = await handle.done;
  t.is(exitCode, 0);
  const w1 = report.workers.find((w) => w.workerId === 1);
  t.is(w1?.restarts, 1);
  t.regex(w1?.exits[0]?.reason ?? '', /stalled: no heartbeat/);
  t.is(fakePids(options.resultsDir, 1).length, 2);
});

test.serial(
  'stop: SIGTERM, SIGKILL after the grace for a worker ignoring it; no process survives',
  async (t) => {
    const { dir, remove } = makeTempDir();
    t.teardown(remove);
    const options = testRunOptions(dir, { stopGraceMs: 400 });
    const handle = await startRun(options, {
      workerEntry: fakeWorker,
      workerEnv: behave({ 1: 'forever', 2: 'ignore-sigterm' }),
    });
    await waitFor(
      () => handle.store.getSnapshot().workers.every((w) => w.state === 'training'),
      'both workers training',
    );
    const pids = [...fakePids(options.resultsDir, 1), ...fakePids(options.resultsDir, 2)];
    t.is(pids.length, 2);
    const started = Date.now();
    await handle.stop('test');
    const took = Date.now() - started;
    const { exitCode, report } = await handle.done;
    t.is(exitCode, 1);
    t.is(report.outcome, 'stopped');
    t.true(took >= 350, `stop waited for the grace (${took} ms)`);
    t.deepEqual(livePids(options.resultsDir, [1, 2]), [], 'no worker outlives the stop');
    const w2 = report.workers.find((w) => w.workerId === 2);
    t.is(w2?.exits[0]?.signal, 'SIGKILL');
    t.is(report.workers.find((w) => w.workerId === 1)?.exits[0]?.code, 0);
    await handle.stop('again');
    t.pass('stop is idempotent');
  },
);

test.serial('restart through a command file from another shell, and through send()', async (t) => {
  const { dir, remove } = makeTempDir();
  t.teardown(remove);
  const options = testRunOptions(dir, { stopGraceMs: 1_000 });
  const handle = await startRun(options, {
    workerEntry: fakeWorker,
    workerEnv: behave({ 1: 'forever', 2: 'forever' }),
  });
  t.teardown(() => handle.stop('teardown'));
  await waitFor(() => fakePids(options.resultsDir, 2).length === 1, 'worker 2 started');
  const first = fakePids(options.resultsDir, 2)[0]!;
  const result = await requestCommand(
    options.resultsDir,
    { type: 'restart', workerId: 2 },
    { timeoutMs: 3_000 },
  );
  t.true(result.consumed, result.message);
  await waitFor(() => fakePids(options.resultsDir, 2).length === 2, 'worker 2 restarted');
  await waitFor(() => livePids(options.resultsDir, [2]).length === 1, 'only the new worker 2 alive');
  t.false(livePids(options.resultsDir, [2]).includes(first));
  t.deepEqual(await fs.readdir(path.join(options.resultsDir, 'commands')), []);
  // The supervisor's answer comes back to the other shell through a reply file.
  const unknown = await requestCommand(
    options.resultsDir,
    { type: 'restart', workerId: 9 },
    { timeoutMs: 3_000 },
  );
  t.regex(unknown.message, /^no worker 9 in this run \(workers 1–2\)$/);
  t.deepEqual(await fs.readdir(path.join(options.resultsDir, 'commands')), []);

  t.regex(await handle.send({ type: 'restart', workerId: 9 }), /no worker 9/);
  t.regex(await handle.send({ type: 'restart', workerId: 1 }), /worker 1: restarting/);
  await waitFor(() => fakePids(options.resultsDir, 1).length === 2, 'worker 1 restarted');
  await waitFor(
    () => handle.store.getSnapshot().workers.find((w) => w.workerId === 1)?.restarts === 1,
    'restart counted in the state',
  );
  await handle.send({ type: 'stop' });
  const { report } = await handle.done;
  t.is(report.workers.find((w) => w.workerId === 2)?.restarts, 1);
  t.is(report.workers.find((w) => w.workerId === 2)?.exits[0]?.reason, 'restart requested');
  t.deepEqual(livePids(options.resultsDir, [1, 2]), []);
});

test.serial(
  'rerun with the same plan resumes; a different plan needs --fresh; --fresh starts over',
  async (t) => {
    const { dir, remove } = makeTempDir();
    t.teardown(remove);
    const options = testRunOptions(dir);
    const first = await startRun(options, { workerEntry: fakeWorker });
    t.is((await first.done).exitCode, 0);

    const again = await startRun(options, { workerEntry: fakeWorker });
    t.true(again.resumed);
    t.is(again.plan.runId, first.plan.runId);
    const { exitCode, report } = await again.done;
    t.is(exitCode, 0);
    t.is(report.jobs.length, 6, 'jobs already done count, none retrained');
    const results = JSON.parse(readFileSync(path.join(options.resultsDir, 'worker_1_results.json'), 'utf8'));
    t.is(results.jobs.length, 4, 'no job trained twice');

    const other = testRunOptions(dir, { pairs: ['BTC-USD', 'ETH-USD'] });
    await t.throwsAsync(() => startRun(other, { workerEntry: fakeWorker }), {
      message: /different run.*--fresh/s,
    });

    await fs.mkdir(options.modelsDir, { recursive: true });
    await fs.mkdir(bestModelDir(options.modelsDir, 1, 'BTC-USD'));
    await fs.writeFile(path.join(options.modelsDir, 'keep-me.txt'), 'user file');
    const fresh = await startRun({ ...other, fresh: true }, { workerEntry: fakeWorker });
    t.false(fresh.resumed);
    t.not(fresh.plan.runId, '');
    const models = await fs.readdir(options.modelsDir);
    t.true(models.includes('keep-me.txt'));
    t.false(models.includes(path.basename(bestModelDir(options.modelsDir, 1, 'BTC-USD'))));
    t.is((await fresh.done).report.jobs.length, 4);
  },
);
