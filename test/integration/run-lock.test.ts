import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { RunLockSchema, readJsonTolerant, runLockFile } from '../../shared/index.js';
import { attachRun } from '../../supervisor/attach.js';
import { requestCommand } from '../../supervisor/command-files.js';
import { startRun } from '../../supervisor/run.js';
import { runCli } from '../helpers/cli.js';
import { fakePids, fakeWorker, testRunOptions } from '../helpers/run-fixture.js';
import { isAlive, makeTempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

// Issue 10, problem 1: one owner per results folder.

const forever = { FAKE_WORKER_BEHAVIOUR: 'forever' };

async function readLock(resultsDir: string) {
  const read = await readJsonTolerant(runLockFile(resultsDir), RunLockSchema);
  if (!read.ok) throw new Error(read.message);
  return read.value;
}

/** The pid of a process that has just exited: certainly not running. */
async function deadPid(): Promise<number> {
  const child = await execa(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout);
}

async function writeLock(resultsDir: string, lock: Record<string, unknown>) {
  await fs.mkdir(resultsDir, { recursive: true });
  await fs.writeFile(
    runLockFile(resultsDir),
    JSON.stringify({
      schema: 1,
      token: 'abcdef0123456789',
      startedAt: new Date(Date.now() - 60_000).toISOString(),
      command: 'trading-workers train',
      ...lock,
    }),
  );
}

test.serial(
  'a second supervisor on the same results folder exits 2 naming the owner; the first run goes on',
  async (t) => {
    const { dir, remove } = makeTempDir();
    t.teardown(remove);
    const options = testRunOptions(dir);
    const first = await startRun(options, { workerEntry: fakeWorker, workerEnv: forever });
    t.teardown(() => first.stop('teardown'));
    await waitFor(() => fakePids(options.resultsDir, 2).length === 1, 'worker 2 started');

    const owner = new RegExp(`pid ${process.pid} on ${os.hostname()}`);
    await t.throwsAsync(() => startRun(options, { workerEntry: fakeWorker, workerEnv: forever }), {
      message: owner,
    });
    const second = await runCli(
      [
        'train',
        '--headless',
        '--workers',
        '2',
        '--pairs',
        'BTC-USD,ETH-USD,SOL-USD',
        '--variants',
        '2',
      ].concat(
        ['--episodes', '1', '--synthetic', '--days', '30', '--seed', '7'],
        ['--results', options.resultsDir, '--models', options.modelsDir],
      ),
    );
    t.is(second.exitCode, 2, String(second.stderr));
    t.regex(String(second.stderr), owner);
    t.regex(String(second.stderr), /is in use by another supervisor/);
    t.is(fakePids(options.resultsDir, 1).length, 1, 'no second worker 1 was started');
    t.is((await readLock(options.resultsDir)).pid, process.pid, 'the lock still names the first owner');
    t.deepEqual(
      first.store.getSnapshot().workers.map((w) => w.process),
      ['running', 'running'],
    );
  },
);

test.serial('a lock whose owner is gone on this host is taken over, and the run says so', async (t) => {
  const { dir, remove } = makeTempDir();
  t.teardown(remove);
  const options = testRunOptions(dir);
  const dead = await deadPid();
  await writeLock(options.resultsDir, {
    pid: dead,
    host: os.hostname(),
    heartbeatAt: new Date().toISOString(),
  });
  const handle = await startRun(options, { workerEntry: fakeWorker });
  t.true(
    handle.notices.some((n) =>
      new RegExp(`took over .*pid ${dead} on ${os.hostname()}.*not running`).test(n),
    ),
    handle.notices.join('\n'),
  );
  const lock = await readLock(options.resultsDir);
  t.is(lock.pid, process.pid);
  t.not(lock.token, 'abcdef0123456789');
  t.is((await handle.done).exitCode, 0);
});

test.serial('a lock of another host is taken over only once its heartbeat is stale', async (t) => {
  const { dir, remove } = makeTempDir();
  t.teardown(remove);
  const options = testRunOptions(dir);
  await writeLock(options.resultsDir, {
    pid: 1234,
    host: 'elsewhere',
    heartbeatAt: new Date().toISOString(),
  });
  await t.throwsAsync(() => startRun(options, { workerEntry: fakeWorker }), {
    message: /pid 1234 on elsewhere/,
  });
  await writeLock(options.resultsDir, {
    pid: 1234,
    host: 'elsewhere',
    heartbeatAt: new Date(Date.now() - 10 * 60_000).toISOString(),
  });
  const handle = await startRun(options, { workerEntry: fakeWorker });
  t.true(
    handle.notices.some((n) => /took over .*pid 1234 on elsewhere.*no heartbeat for 600 s/.test(n)),
    handle.notices.join('\n'),
  );
  t.is((await handle.done).exitCode, 0);
});

test.serial(
  'the owner keeps its lease alive; dashboard and restart never take it; it is released at the end',
  async (t) => {
    const { dir, remove } = makeTempDir();
    t.teardown(remove);
    const options = testRunOptions(dir, { stopGraceMs: 1_000 });
    const handle = await startRun(options, {
      workerEntry: fakeWorker,
      workerEnv: forever,
      lock: { heartbeatMs: 100 },
    });
    t.teardown(() => handle.stop('teardown'));
    const before = await readLock(options.resultsDir);
    t.like(before, { pid: process.pid, host: os.hostname() });
    await waitFor(
      async () => (await readLock(options.resultsDir)).heartbeatAt !== before.heartbeatAt,
      'a newer heartbeat in the lock',
    );

    const attached = await attachRun(options.resultsDir, { tickMs: 100 });
    await waitFor(() => attached.canControl(), 'the attached view sees the supervisor');
    t.regex(await attached.send({ type: 'restart', workerId: 1 }), /worker 1: restarting/);
    const answer = await requestCommand(
      options.resultsDir,
      { type: 'restart', workerId: 2 },
      { timeoutMs: 3_000 },
    );
    t.true(answer.consumed);
    await attached.close();
    t.is((await readLock(options.resultsDir)).token, before.token, 'still the same owner');

    await handle.stop('test over');
    await t.throwsAsync(() => fs.access(runLockFile(options.resultsDir)), undefined, 'released at the end');
  },
);

test.serial(
  'a lock left by a killed supervisor does not keep the next run out; its workers are waited for',
  async (t) => {
    const { dir, remove } = makeTempDir();
    t.teardown(remove);
    const results = path.join(dir, 'results');
    // A supervisor that takes the lock and is then killed outright, before it can release it.
    const script = path.join(dir, 'hold.mjs');
    const runUrl = new URL('../../supervisor/run.ts', import.meta.url).href;
    const fixtureUrl = new URL('../helpers/run-fixture.ts', import.meta.url).href;
    await fs.writeFile(
      script,
      `const { startRun } = await import(${JSON.stringify(runUrl)});\n` +
        `const { fakeWorker, testRunOptions } = await import(${JSON.stringify(fixtureUrl)});\n` +
        `await startRun(testRunOptions(${JSON.stringify(dir)}), { workerEntry: fakeWorker, workerEnv: { FAKE_WORKER_BEHAVIOUR: 'orphan-slowly' } });\n` +
        `process.stdout.write('running\\n');\n`,
    );
    const holder = execa(process.execPath, ['--import', 'tsx', script], { reject: false });
    t.teardown(() => holder.kill('SIGKILL'));
    // Generous: a tsx process on a loaded 2-core machine can take well over 10 s to start.
    await waitFor(
      async () => (await readJsonTolerant(runLockFile(results), RunLockSchema)).ok,
      'the lock',
      60_000,
    );
    await waitFor(() => fakePids(results, 2).length === 1, 'its workers', 60_000);
    const orphans = [...fakePids(results, 1), ...fakePids(results, 2)];
    holder.kill('SIGKILL');
    await holder;
    // Its workers run on for a moment after their supervisor died: the next run waits for them.
    const aliveBefore = orphans.filter(isAlive);
    const handle = await startRun(testRunOptions(dir), { workerEntry: fakeWorker });
    t.true(handle.notices.some((n) => /took over/.test(n)));
    const waited = handle.notices.some((n) =>
      /waited for [12] workers? of an earlier supervisor of this folder to stop/.test(n),
    );
    // Orphans may all have ended on their own by the time the next run looks (a fast machine, or a
    // slow one): then there is nothing to wait for. If one was still running, the run must have waited.
    if (aliveBefore.length > 0 && !waited) t.log(`orphans alive just before: ${aliveBefore.join(', ')}`);
    t.true(
      waited || aliveBefore.length === 0 || orphans.every((pid) => !isAlive(pid)),
      handle.notices.join('\n'),
    );
    t.deepEqual(orphans.filter(isAlive), [], 'none of them runs beside the new workers');
    t.is((await handle.done).exitCode, 0);
  },
);
