import { promises as fs } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { bestModelDir, checkpointDir, jobModelDir } from '../../shared/index.js';
import { startRun } from '../../supervisor/run.js';
import { runCli } from '../helpers/cli.js';
import { fakeWorker, testRunOptions } from '../helpers/run-fixture.js';
import { makeTempDir } from '../helpers/temp-dir.js';

// Issue 10, problem 2: `--fresh` removes what a run wrote and nothing else.

const exists = (file: string) =>
  fs.access(file).then(
    () => true,
    () => false,
  );

async function put(file: string, text = 'x') {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, text);
}

test.serial('--fresh removes exactly what the run wrote, and leaves and names everything else', async (t) => {
  const { dir, remove } = makeTempDir();
  t.teardown(remove);
  const options = testRunOptions(dir);
  const first = await startRun(options, { workerEntry: fakeWorker });
  t.is((await first.done).exitCode, 0);
  // What real workers write besides the fake's files: models, checkpoints of an unfinished job.
  const results = options.resultsDir;
  const models = options.modelsDir;
  await put(path.join(bestModelDir(models, 1, 'BTC-USD'), 'model.json'), 'old best');
  await put(path.join(jobModelDir(models, 'ETH-USD', 'fast-lr'), 'weights.bin'), 'old job');
  await put(path.join(checkpointDir(results, 2, 'SOL-USD/base'), 'ep-0001', 'checkpoint.json'), 'old ckpt');
  // What --runtime docker writes beside the results.
  await put(path.join(results, 'docker-compose.run.yml'), '# Written by the supervisor for run x\n');
  // What the user keeps in the same folders.
  const mine = [
    path.join(results, 'logs', 'server.log'),
    path.join(results, 'checkpoints', 'game.sav'),
    path.join(results, 'notes.txt'),
    path.join(models, 'jobs', 'resume.txt'),
    path.join(models, 'keep-me.txt'),
    path.join(models, 'worker_1_BTC-USD_model', 'mine.json'),
  ];
  for (const file of mine) await put(file, 'user data');

  const other = testRunOptions(dir, { pairs: ['BTC-USD', 'ETH-USD'], fresh: true });
  const fresh = await startRun(other, {
    workerEntry: fakeWorker,
    workerEnv: { FAKE_WORKER_BEHAVIOUR: 'forever' },
  });
  t.teardown(() => fresh.stop('teardown'));
  t.false(fresh.resumed);
  t.not(fresh.plan.runId, first.plan.runId);
  for (const file of mine) t.true(await exists(file), `${file} is kept`);
  t.false(await exists(bestModelDir(models, 1, 'BTC-USD')), 'the old best model is removed');
  t.false(await exists(jobModelDir(models, 'ETH-USD', 'fast-lr')), 'the old job model is removed');
  t.false(await exists(path.join(results, 'checkpoints', 'worker_2')), 'the old checkpoints are removed');
  t.false(await exists(path.join(results, 'training_report.json')), 'the old report is removed');
  t.false(
    await exists(path.join(results, 'docker-compose.run.yml')),
    "the docker run's compose file is removed",
  );
  const log = await fs.readFile(path.join(results, 'logs', 'worker_1.log'), 'utf8').catch(() => '');
  t.false(log.includes('behaviour finish'), 'the old log is removed (the new run writes its own)');
  const notice = fresh.notices.find((n) => n.startsWith('--fresh'));
  t.truthy(notice, fresh.notices.join('\n'));
  for (const name of [
    'logs/server.log',
    'checkpoints/game.sav',
    'notes.txt',
    'jobs/resume.txt',
    'keep-me.txt',
  ]) {
    t.true(notice?.includes(name), `the notice names ${name}: ${notice}`);
  }
});

test.serial('--fresh refuses a folder that holds no run, and removes nothing there', async (t) => {
  const { dir, remove } = makeTempDir();
  t.teardown(remove);
  // `--fresh --results ~`: a home folder with logs/, checkpoints/ and commands/ of its own.
  const home = path.join(dir, 'home');
  const files = [
    '.bashrc',
    'logs/server.log',
    'checkpoints/game.sav',
    'commands/todo.json',
    'worker_1_status.json',
  ];
  for (const name of files) await put(path.join(home, name), 'user data');
  const options = testRunOptions(dir, { resultsDir: home, fresh: true });
  await t.throwsAsync(() => startRun(options, { workerEntry: fakeWorker }), {
    message: /--fresh: .*home holds no run .*nothing was removed/,
  });
  const cli = await runCli([
    'train',
    '--headless',
    '--fresh',
    '--synthetic',
    '--results',
    home,
    '--models',
    path.join(dir, 'models'),
  ]);
  t.is(cli.exitCode, 2, String(cli.stderr));
  t.regex(String(cli.stderr), /holds no run/);
  for (const name of files) t.true(await exists(path.join(home, name)), `${name} is kept`);
  t.false(await exists(path.join(home, 'run.lock')), 'the refusal leaves no lock behind');
});

test.serial('--fresh on a new or empty folder simply starts', async (t) => {
  const { dir, remove } = makeTempDir();
  t.teardown(remove);
  const handle = await startRun(testRunOptions(dir, { fresh: true }), { workerEntry: fakeWorker });
  t.is((await handle.done).exitCode, 0);
});
