import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { CommandReplySchema, readJsonTolerant, type SupervisorCommand } from '../../shared/index.js';
import { requestCommand, watchCommands, writeCommand } from '../../supervisor/command-files.js';
import { startRun } from '../../supervisor/run.js';
import { createLocalRuntime } from '../../supervisor/runtime/local-runtime.js';
import { runCli } from '../helpers/cli.js';
import { fakePids, fakeWorker, testRunOptions } from '../helpers/run-fixture.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

// Issue 10, problem 3: command files cannot escape commands/, leak files, get lost or be replayed.

interface Intake {
  results: string;
  commands: string;
  executed: SupervisorCommand[];
  problems: string[];
  close(): Promise<void>;
}

async function intake(t: { teardown(fn: () => unknown): void }, since = Date.now()): Promise<Intake> {
  const { dir, remove } = makeTempDir();
  const results = path.join(dir, 'results');
  const executed: SupervisorCommand[] = [];
  const problems: string[] = [];
  const watcher = watchCommands(
    results,
    async (command) => {
      executed.push(command);
      return { ok: true, message: `did ${command.type}` };
    },
    (message) => problems.push(message),
    { since },
  );
  await watcher.ready;
  t.teardown(async () => {
    await watcher.close();
    remove();
  });
  return {
    results,
    commands: path.join(results, 'commands'),
    executed,
    problems,
    close: () => watcher.close(),
  };
}

const commandJson = (id: string, command: SupervisorCommand = { type: 'restart', workerId: 1 }) =>
  JSON.stringify({ schema: 1, id, issuedAt: new Date().toISOString(), issuedBy: 'test', command });

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    out.push(path.relative(dir, path.join(entry.parentPath, entry.name)));
  }
  return out.sort();
}

test.serial('an id that is a path writes nothing outside commands/', async (t) => {
  const c = await intake(t);
  const root = path.dirname(c.results);
  await fs.writeFile(path.join(c.commands, 'x.json'), commandJson('../../../x/pwned'));
  await fs.writeFile(path.join(c.commands, 'y.json'), commandJson('../nested/deeper/y'));
  await waitFor(() => c.problems.length >= 2, 'both refused');
  t.deepEqual(c.executed, [], 'neither command is carried out');
  t.true(
    c.problems.every((p) => /id/.test(p)),
    c.problems.join('\n'),
  );
  await waitFor(async () => (await fs.readdir(c.commands)).length === 0, 'both removed');
  t.deepEqual(await filesUnder(root), ['results', 'results/commands'], 'no reply, no folder anywhere else');
});

test.serial('a symlink, a FIFO or an oversized file is refused without being read', async (t) => {
  const c = await intake(t);
  const secret = path.join(path.dirname(c.results), 'secret.txt');
  await fs.writeFile(secret, 'SECRET-VALUE that must not leak');
  await fs.symlink(secret, path.join(c.commands, 'evil.json'));
  execFileSync('mkfifo', [path.join(c.commands, 'pipe.json')]);
  await fs.writeFile(path.join(c.commands, 'big.json'), commandJson('big').padEnd(100_000, ' '));
  await waitFor(() => c.problems.length >= 3, 'three refusals');
  // The intake did not block on the FIFO: a valid command after them is carried out.
  const { id } = await writeCommand(c.results, { type: 'stop' });
  await waitFor(() => c.executed.length === 1, 'the valid command');
  t.deepEqual(c.executed, [{ type: 'stop' }]);
  t.false(c.problems.join('\n').includes('SECRET'), c.problems.join('\n'));
  t.regex(c.problems.join('\n'), /evil\.json: .*symbolic link/);
  t.regex(c.problems.join('\n'), /pipe\.json: .*not a regular file/);
  t.regex(c.problems.join('\n'), /big\.json: .*larger than/);
  t.is(await fs.readFile(secret, 'utf8'), 'SECRET-VALUE that must not leak', 'the target is untouched');
  await waitFor(async () => (await fs.readdir(c.commands)).every((n) => n === `${id}.reply`), 'all removed');
});

test.serial('invalid JSON is reported without quoting the file', async (t) => {
  const c = await intake(t);
  await fs.writeFile(path.join(c.commands, 'bad.json'), 'SECRET-VAL{');
  await waitFor(() => c.problems.length === 1, 'the refusal');
  t.regex(c.problems[0]!, /bad\.json: .*not valid JSON/);
  t.false(c.problems[0]!.includes('SECRET'));
});

test.serial('a command written in place in two parts is carried out once it is whole', async (t) => {
  const c = await intake(t);
  const text = commandJson('two-parts', { type: 'stop' });
  const file = path.join(c.commands, 'two-parts.json');
  // Another program may write the file in place (not renamed into the folder): the first half is seen.
  await fs.writeFile(file, text.slice(0, 20));
  await new Promise((resolve) => setTimeout(resolve, 300));
  await fs.appendFile(file, text.slice(20));
  await waitFor(() => c.executed.length === 1, 'the whole command');
  t.deepEqual(c.executed, [{ type: 'stop' }]);
  t.deepEqual(c.problems, [], 'the half-written file was not refused');
});

test.serial('a command file name used again is carried out again', async (t) => {
  const c = await intake(t);
  const name = path.join(c.commands, 'same-name.json');
  for (const round of [1, 2, 3]) {
    await fs.writeFile(name, commandJson('same-name'));
    await waitFor(() => c.executed.length === round, `round ${round}`);
    await waitFor(
      async () =>
        !(await fs.access(name).then(
          () => true,
          () => false,
        )),
      'consumed',
    );
  }
  t.is(c.executed.length, 3);
});

test.serial('command files from before this supervisor started are discarded, not carried out', async (t) => {
  const { dir, remove } = makeTempDir();
  t.teardown(remove);
  const commands = path.join(dir, 'results', 'commands');
  await fs.mkdir(commands, { recursive: true });
  const old = path.join(commands, 'old-request.json');
  await fs.writeFile(old, commandJson('old-request', { type: 'stop' }));
  const hourAgo = new Date(Date.now() - 3_600_000);
  await fs.utimes(old, hourAgo, hourAgo);
  const executed: SupervisorCommand[] = [];
  const problems: string[] = [];
  const watcher = watchCommands(
    path.join(dir, 'results'),
    async (command) => {
      executed.push(command);
      return { ok: true, message: 'done' };
    },
    (m) => problems.push(m),
    { since: Date.now() - 1_000 },
  );
  await watcher.ready;
  t.teardown(() => watcher.close());
  await waitFor(() => problems.length === 1, 'the discard');
  t.regex(problems[0]!, /old-request\.json: discarded: .*before this supervisor started/);
  t.deepEqual(executed, []);
  t.deepEqual(await fs.readdir(commands), []);
});

test.serial('a command that arrives while the supervisor starts waits for it and is answered', async (t) => {
  const { dir, remove } = makeTempDir();
  t.teardown(remove);
  const options = testRunOptions(dir);
  // A runtime whose starts are slow, so the command certainly lands while the run is starting.
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const local = createLocalRuntime({
    resultsDir: options.resultsDir,
    workerEntry: fakeWorker,
    env: { FAKE_WORKER_BEHAVIOUR: 'forever' },
  });
  const runtime = {
    ...local,
    start: async (id: number) => {
      await gate;
      return local.start(id);
    },
  };
  const starting = startRun(options, { runtime });
  const commands = path.join(options.resultsDir, 'commands');
  await waitFor(
    () =>
      fs.access(commands).then(
        () => true,
        () => false,
      ),
    'the commands folder',
  );
  const asked = requestCommand(options.resultsDir, { type: 'stop' }, { timeoutMs: 30_000 });
  await waitFor(async () => (await fs.readdir(commands)).some((n) => n.endsWith('.json')), 'the request');
  release();
  const handle = await starting;
  const answer = await asked;
  t.true(answer.consumed);
  t.is(answer.message, 'stopping the run');
  const { report } = await handle.done;
  t.is(report.outcome, 'stopped');
  t.true(fakePids(options.resultsDir, 1).length <= 1);
});

test.serial(
  'restart N of a worker that does not exist exits non-zero; with no supervisor the answer comes at once',
  async (t) => {
    const { dir, remove } = makeTempDir();
    t.teardown(remove);
    const options = testRunOptions(dir, { stopGraceMs: 1_000 });
    const handle = await startRun(options, {
      workerEntry: fakeWorker,
      workerEnv: { FAKE_WORKER_BEHAVIOUR: 'forever' },
    });
    const unknown = await runCli(['restart', '9', '--results', options.resultsDir]);
    t.is(unknown.exitCode, 1, String(unknown.stderr));
    t.regex(String(unknown.stdout), /no worker 9 in this run \(workers 1–2\)/);
    const known = await runCli(['restart', '2', '--results', options.resultsDir]);
    t.is(known.exitCode, 0, String(known.stderr));
    t.regex(String(known.stdout), /worker 2: restarting/);
    // Answers come back quickly: the supervisor's side of each round trip, median of five.
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { file } = await writeCommand(options.resultsDir, { type: 'restart-failed' });
      const reply = file.replace(/\.json$/, '.reply');
      const started = Date.now();
      await waitFor(
        async () => (await readJsonTolerant(reply, CommandReplySchema)).ok,
        'the reply',
        10_000,
        5,
      );
      latencies.push(Date.now() - started);
      await fs.rm(reply, { force: true });
    }
    const median = [...latencies].sort((a, b) => a - b)[2]!;
    t.log(`command round trips (ms): ${latencies.join(', ')}`);
    t.true(median < 1_000, `median round trip ${median} ms`);
    await handle.stop('test over');
    await handle.done;

    const none = await runCli(['restart', '1', '--results', options.resultsDir]);
    t.is(none.exitCode, 1);
    t.regex(String(none.stdout), /no supervisor is running for .*results/);
    t.deepEqual(
      (await fs.readdir(path.join(options.resultsDir, 'commands')).catch(() => [])).filter((n) =>
        n.endsWith('.json'),
      ),
      [],
      'nothing left for a later supervisor to act on',
    );
  },
);
