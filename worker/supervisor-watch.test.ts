import path from 'node:path';
import test from 'ava';
import { SCHEMA_VERSION, writeJsonAtomic } from '../shared/index.js';
import { makeTempDir } from '../test/helpers/temp-dir.js';
import { waitFor } from '../test/helpers/wait-for.js';
import { watchSupervisorStatus } from './supervisor-watch.js';

const status = (runId: string, heartbeatAt: string, finished = false) => ({
  schema: SCHEMA_VERSION,
  runId,
  pid: 1,
  runtime: 'docker',
  startedAt: '2026-01-01T00:00:00.000Z',
  heartbeatAt,
  finished,
  workers: [],
});

test('a worker sees its supervisor gone when the heartbeat stops changing, by its own clock', async (t) => {
  const { dir, remove } = makeTempDir();
  t.teardown(remove);
  const file = path.join(dir, 'supervisor_status.json');
  let clock = 0;
  const reasons: string[] = [];
  await writeJsonAtomic(file, status('run-a', '2026-01-01T00:00:01.000Z'));
  const stop = watchSupervisorStatus(file, 'run-a', (why) => reasons.push(why), {
    staleMs: 1_000,
    everyMs: 10,
    now: () => clock,
  });
  t.teardown(stop);
  // The heartbeat moves on while the clock runs: alive, whatever the heartbeat's own time says.
  for (let i = 2; i < 6; i++) {
    clock += 600;
    await writeJsonAtomic(file, status('run-a', `2020-01-01T00:00:0${i}.000Z`));
    await new Promise((r) => setTimeout(r, 40));
  }
  t.deepEqual(reasons, []);
  clock += 1_500;
  await waitFor(() => reasons.length === 1, 'the stale heartbeat to be noticed');
  t.regex(reasons[0]!, /no supervisor heartbeat in .*supervisor_status\.json for \d+ s/);
});

test('a status file of another run, or of a finished run, means the supervisor is gone', async (t) => {
  const { dir, remove } = makeTempDir();
  t.teardown(remove);
  for (const [file, content, expected] of [
    ['other.json', status('run-b', 'x'), /belongs to run run-b, not run-a/],
    ['finished.json', status('run-a', 'x', true), /finished the run/],
  ] as const) {
    const full = path.join(dir, file);
    await writeJsonAtomic(full, content);
    const reasons: string[] = [];
    const stop = watchSupervisorStatus(full, 'run-a', (why) => reasons.push(why), { everyMs: 10 });
    t.teardown(stop);
    await waitFor(() => reasons.length > 0, file);
    t.regex(reasons[0]!, expected);
  }
});

test('a missing status file counts as silence from the start of the watch', async (t) => {
  const { dir, remove } = makeTempDir();
  t.teardown(remove);
  let clock = 0;
  const reasons: string[] = [];
  const stop = watchSupervisorStatus(path.join(dir, 'nope.json'), 'run-a', (why) => reasons.push(why), {
    staleMs: 100,
    everyMs: 10,
    now: () => clock,
  });
  t.teardown(stop);
  await new Promise((r) => setTimeout(r, 50));
  t.deepEqual(reasons, []);
  clock = 200;
  await waitFor(() => reasons.length === 1, 'silence to be noticed');
});
