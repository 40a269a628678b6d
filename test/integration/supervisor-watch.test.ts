import { promises as fs } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {
  commandsDir,
  SCHEMA_VERSION,
  type WorkerStatus,
  workerStatusFile,
  writeJsonAtomic,
} from '../../shared/index.js';
import {
  describeCommand,
  requestCommand,
  watchCommands,
  writeCommand,
} from '../../supervisor/command-files.js';
import type { SupervisorEvent } from '../../supervisor/events.js';
import { tailLogs } from '../../supervisor/log-tail.js';
import { acquireRunLock } from '../../supervisor/run-lock.js';
import { watchResults } from '../../supervisor/watcher.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

const status = (workerId: number, seq: number): WorkerStatus => ({
  schema: SCHEMA_VERSION,
  runId: 'run-test',
  workerId,
  pid: 123,
  seq,
  state: 'training',
  startedAt: new Date().toISOString(),
  heartbeatAt: new Date().toISOString(),
  current: null,
  stepsPerSecond: 1,
  recentRewards: [],
  lastEpisode: null,
  jobsDone: 0,
  jobsFailed: 0,
  jobsTotal: 2,
  lastJobPnlPct: null,
  backend: 'cpu',
  memory: { rssMb: 1, heapUsedMb: 1, numTensors: null },
  lastError: null,
  message: null,
});

test.serial(
  'watcher: initial scan, changes in order, bad files reported once, temp files ignored',
  async (t) => {
    const { dir, remove } = makeTempDir();
    t.teardown(remove);
    await writeJsonAtomic(workerStatusFile(dir, 1), status(1, 0));
    const events: SupervisorEvent[] = [];
    const watcher = watchResults(dir, (e) => events.push(e));
    t.teardown(() => watcher.close());
    await watcher.ready;
    t.deepEqual(
      events.map((e) => e.type),
      ['status'],
      'the initial scan emits the existing status',
    );

    for (let seq = 1; seq <= 5; seq++) await writeJsonAtomic(workerStatusFile(dir, 2), status(2, seq));
    await waitFor(
      () => events.some((e) => e.type === 'status' && e.workerId === 2 && e.status.seq === 5),
      'worker 2 seq 5',
    );
    const seqs = events.flatMap((e) => (e.type === 'status' && e.workerId === 2 ? [e.status.seq] : []));
    t.deepEqual(
      seqs,
      [...seqs].sort((a, b) => a - b),
      'statuses arrive in write order',
    );

    await fs.writeFile(path.join(dir, 'worker_3_results.json'), '{"schema": 1, "runId"');
    await waitFor(() => events.some((e) => e.type === 'file-problem'), 'a file problem');
    const problem = events.find((e) => e.type === 'file-problem');
    t.regex(problem?.type === 'file-problem' ? problem.message : '', /worker_3_results\.json: invalid JSON/);

    await fs.writeFile(path.join(dir, '.tmp-worker_4_status.json.abc'), 'garbage');
    await fs.writeFile(path.join(dir, 'notes.txt'), 'not ours');
    await writeJsonAtomic(workerStatusFile(dir, 1), status(1, 9));
    await waitFor(() => events.some((e) => e.type === 'status' && e.status.seq === 9), 'worker 1 seq 9');
    t.is(events.filter((e) => e.type === 'file-problem').length, 1, 'temp and foreign files are ignored');
    t.false(
      events.some((e) => e.type === 'supervisor-status'),
      'run mode does not read supervisor files',
    );
  },
);

test.serial('watcher: a fleet-sized folder, natively and by polling (--watch-poll)', async (t) => {
  for (const usePolling of [false, true]) {
    const { dir, remove } = makeTempDir();
    t.teardown(remove);
    // 256 workers' status files, and the other files of a run folder the watcher must leave alone.
    await Promise.all(
      Array.from({ length: 256 }, (_, i) => writeJsonAtomic(workerStatusFile(dir, i + 1), status(i + 1, 1))),
    );
    await fs.mkdir(path.join(dir, 'logs'));
    await fs.writeFile(path.join(dir, 'logs', 'worker_1.log'), 'line\n');
    const events: SupervisorEvent[] = [];
    const watcher = watchResults(dir, (e) => events.push(e), { usePolling, pollIntervalMs: 50 });
    t.teardown(() => watcher.close());
    await watcher.ready;
    t.is(events.filter((e) => e.type === 'status').length, 256, `initial scan (polling: ${usePolling})`);
    await writeJsonAtomic(workerStatusFile(dir, 200), status(200, 2));
    await fs.appendFile(path.join(dir, 'logs', 'worker_1.log'), 'more\n');
    await waitFor(
      () => events.some((e) => e.type === 'status' && e.workerId === 200 && e.status.seq === 2),
      `worker 200 seq 2 (polling: ${usePolling})`,
    );
    t.is(events.filter((e) => e.type === 'status').length, 257, 'only the changed file was read again');
    t.false(events.some((e) => e.type === 'file-problem'));
    await watcher.close();
  }
});

test.serial('command files: a written command is executed once and its file deleted', async (t) => {
  const { dir, remove } = makeTempDir();
  t.teardown(remove);
  const seen: string[] = [];
  const problems: string[] = [];
  const lease = await acquireRunLock(dir);
  t.teardown(() => lease.release());
  const watcher = watchCommands(
    dir,
    async (command) => {
      seen.push(JSON.stringify(command));
      return { ok: true, message: `${describeCommand(command)}: done` };
    },
    (m) => problems.push(m),
  );
  t.teardown(() => watcher.close());
  await watcher.ready;

  const result = await requestCommand(dir, { type: 'restart', workerId: 2 }, { timeoutMs: 3_000 });
  t.true(result.consumed);
  t.is(result.message, 'restart of worker 2: done');
  t.deepEqual(seen, ['{"type":"restart","workerId":2}']);
  t.deepEqual(await fs.readdir(commandsDir(dir)), []);

  await fs.writeFile(
    path.join(commandsDir(dir), 'bogus.json'),
    '{"schema":1,"id":"x","command":{"type":"dance"}}',
  );
  await waitFor(() => problems.length > 0, 'a problem about the bogus command');
  t.regex(
    problems[0] ?? '',
    /bogus\.json: not a command \(issuedAt: invalid_type; .*command\.type: invalid_union\)/,
  );
  t.is(seen.length, 1);
});

test.serial('command files: nobody listening → not consumed, withdrawn, clear message', async (t) => {
  const { dir, remove } = makeTempDir();
  t.teardown(remove);
  const unowned = await requestCommand(dir, { type: 'restart-failed' }, { timeoutMs: 300 });
  t.false(unowned.consumed);
  t.regex(unowned.message, /not sent: no supervisor is running for .* \(no run\.lock\)/);
  // A lock held, but nobody carries out commands: the request is withdrawn after the timeout.
  const lease = await acquireRunLock(dir);
  t.teardown(() => lease.release());
  const result = await requestCommand(dir, { type: 'restart-failed' }, { timeoutMs: 300 });
  t.false(result.consumed);
  t.regex(result.message, /no supervisor picked it up/);
  t.deepEqual(await fs.readdir(commandsDir(dir)), []);
  await t.throwsAsync(() => writeCommand(dir, { type: 'restart', workerId: 0 }), {
    message: /invalid command/,
  });
});

test.serial('log tail: only appended bytes, partial lines held back, capped', async (t) => {
  const { dir, remove } = makeTempDir();
  t.teardown(remove);
  const file = path.join(dir, 'worker_1.log');
  await fs.writeFile(file, `${Array.from({ length: 300 }, (_, i) => `old ${i}`).join('\n')}\n`);
  const events: SupervisorEvent[] = [];
  const tail = tailLogs(new Map([[1, file]]), (e) => events.push(e), { pollMs: 10_000, maxLines: 200 });
  t.teardown(() => tail.close());
  await tail.poll();
  t.is(tail.lines(1).length, 200);
  t.is(tail.lines(1).at(-1), 'old 299');
  await fs.appendFile(file, 'new 1\nnew 2 (partial');
  await tail.poll();
  t.deepEqual(tail.lines(1).slice(-2), ['old 299', 'new 1']);
  await fs.appendFile(file, ' end)\n');
  await tail.poll();
  t.deepEqual(tail.lines(1).slice(-1), ['new 2 (partial end)']);
  const last = events.at(-1);
  t.deepEqual(last, { type: 'log-lines', workerId: 1, lines: ['new 2 (partial end)'] });
});
