import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { TrainingReportSchema } from '../../shared/index.js';
import { readReport, runArgs, runCli, SHARED_DATA_DIR, tempRunDirs } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

// Issue 13 through the real command line: mistakes caught before anything starts (exit 2, one line,
// nothing written), the exit codes of every command, the conventions, and the everyday commands.

const stderrLines = (result: { stderr: unknown }) => String(result.stderr).trim().split('\n').filter(Boolean);

/** Runs `train ARGS` into fresh folders; asserts exit 2 with one line, and that nothing was written. */
async function rejected(
  t: import('ava').ExecutionContext,
  args: string[],
  message: RegExp,
  env: NodeJS.ProcessEnv = {},
) {
  const root = makeTempDir('tw-first-');
  t.teardown(root.remove);
  const results = path.join(root.dir, 'results');
  const result = await runCli(
    ['train', '--headless', '--results', results, '--models', path.join(root.dir, 'models'), ...args],
    {
      env,
    },
  );
  t.is(result.exitCode, 2, `${args.join(' ')}\n${result.stdout}\n${result.stderr}`);
  const lines = stderrLines(result);
  t.is(lines.length, 1, `one line: ${lines.join(' | ')}`);
  t.regex(lines[0] ?? '', message);
  t.deepEqual(readdirSync(root.dir), [], 'nothing written');
  return lines[0] ?? '';
}

test.serial(
  'item 1: a mistyped pair in --data-dir stops before any worker starts, with a did-you-mean',
  async (t) => {
    await rejected(
      t,
      ['--pairs', 'BTC-USDD', '--data-dir', SHARED_DATA_DIR],
      /^trading-workers: --pairs BTC-USDD: no candle file .*BTC_USDD_data\.csv .*; did you mean BTC-USD\?$/,
    );
    // train-pair too: exit 2 before it loads TensorFlow.js, not exit 1 after.
    const one = await runCli([
      'train-pair',
      'BTC-USDD',
      '--data-dir',
      SHARED_DATA_DIR,
      '--out',
      '/nonexistent-tw-out',
    ]);
    t.is(one.exitCode, 2);
    t.regex(String(one.stderr), /did you mean BTC-USD\?/);
  },
);

test.serial('item 1: bad HTTP flags stop before training, the message said once', async (t) => {
  const data = ['--pairs', 'BTC-USD', '--data-dir', SHARED_DATA_DIR];
  await rejected(
    t,
    [...data, '--http', '99999'],
    /--http 99999: the port must be a whole number from 0 to 65535/,
  );
  await rejected(t, [...data, '--http', 'abc'], /--http abc: the port must be/);
  const line = await rejected(
    t,
    [...data, '--http', '--http-host', '0.0.0.0'],
    /binding 0\.0\.0\.0 \(not loopback\) requires an access token/,
    { TRADING_WORKERS_HTTP_TOKEN: '' },
  );
  t.is(line.split('HTTP mirror').length - 1, 1, 'the prefix is not doubled');
});

test.serial(
  'item 1: a bad --seed and --workers 6 with the docker runtime are bad input (exit 2)',
  async (t) => {
    const data = ['--pairs', 'BTC-USD', '--data-dir', SHARED_DATA_DIR];
    await rejected(
      t,
      [...data, '--seed', '-1'],
      /--seed must be a whole number from 0 to 2147483647, got -1/,
    );
    await rejected(t, [...data, '--seed', 'abc'], /--seed .* got NaN/);
    await rejected(
      t,
      ['--workers', '6', '--runtime', 'docker', '--data-dir', SHARED_DATA_DIR],
      /worker-5, worker-6/,
    );
  },
);

test.serial(
  'item 1: --runtime docker without an engine stops at once instead of restarting workers',
  async (t) => {
    const started = Date.now();
    await rejected(
      t,
      ['--pairs', 'BTC-USD', '--runtime', 'docker', '--data-dir', SHARED_DATA_DIR],
      /--runtime docker: (the Docker engine does not answer|Docker Compose not found)/,
      { DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    );
    t.true(Date.now() - started < 60_000);
  },
);

test.serial('item 1: without network or cache, Yahoo is asked once and the run does not start', async (t) => {
  const line = await rejected(
    t,
    [
      '--pairs',
      'BTC-USD,ETH-USD',
      '--variants',
      '1',
      '--episodes',
      '1',
      '--data',
      '/nonexistent-cache-dir-tw',
    ],
    /cannot reach Yahoo Finance .* --offline, --data-dir DIR or --synthetic$/,
  );
  t.regex(line, /none of the 2 pairs is in the cache/);
});

test.serial(
  'item 1: a results folder holding another plan is exit 2 before anything is written there',
  async (t) => {
    const dirs = tempRunDirs(t);
    writeFileSync(
      path.join(dirs.results, 'run.json'),
      JSON.stringify({
        schema: 1,
        runId: 'run-x',
        fingerprint: 'abc',
        createdAt: 'x',
        pairs: ['ETH-USD'],
        workers: 1,
      }),
    );
    const before = readdirSync(dirs.results);
    const result = await runCli([
      'train',
      '--headless',
      ...runArgs(dirs, { workers: 1, pairs: ['BTC-USD'], variants: 1, episodes: 1 }),
    ]);
    t.is(result.exitCode, 2);
    t.regex(String(result.stderr), /holds a different run \(run-x: ETH-USD on 1 worker,/);
    t.deepEqual(readdirSync(dirs.results), before);
  },
);

test.serial(
  'exit codes: dashboard, status and logs on a folder that does not exist exit 2 at once',
  async (t) => {
    const commands = [['dashboard', '--headless'], ['status'], ['logs']];
    const results = await Promise.all(
      commands.map((command) =>
        runCli([...command, '--results', '/nonexistent-results-tw'], { timeout: 180_000 }),
      ),
    );
    for (const [i, result] of results.entries()) {
      const command = commands[i] ?? [];
      t.is(result.exitCode, 2, command.join(' '));
      t.is(
        String(result.stderr).trim(),
        'trading-workers: --results /nonexistent-results-tw: no such folder',
      );
      t.false(existsSync('/nonexistent-results-tw'));
    }
  },
);

test.serial('item 2: -h is help, with examples; restart foo names no flag', async (t) => {
  const [top, train] = await Promise.all([runCli(['-h']), runCli(['train', '-h'])]);
  t.is(top.exitCode, 0);
  t.regex(String(top.stdout), /Examples:[\s\S]*Exit codes: 0 done, 1 a job or worker failed, 2 bad input/);
  t.is(train.exitCode, 0);
  t.regex(String(train.stdout), /Examples:\n\s+trading-workers train /);
  const foo = await runCli(['restart', 'foo']);
  t.is(foo.exitCode, 2);
  t.is(
    String(foo.stderr).trim(),
    'trading-workers: worker must be a number from 1 to 64 or "failed", got "foo"',
  );
});

// Item 2 (`--json`), item 4 (the summary), item 8 (status and logs), and the exit codes of a run whose
// job failed: one small real run on real candles, one of whose two pairs has a broken file. The next
// tests read its folder (each test stays short: the machine is shared and the runner's timeout is per
// test).
let failedRun: { results: string; models: string; runId: string } | null = null;

test.serial(
  'a run with a failed job: exit 1, --json on stdout, a summary that agrees with itself',
  async (t) => {
    t.timeout(600_000);
    const root = makeTempDir('tw-failed-run-');
    const dirs = { results: path.join(root.dir, 'results'), models: path.join(root.dir, 'models') };
    const data = makeTempDir('tw-data-');
    t.teardown(data.remove);
    copyFileSync(path.join(SHARED_DATA_DIR, 'BTC_USD_data.csv'), path.join(data.dir, 'BTC_USD_data.csv'));
    writeFileSync(path.join(data.dir, 'ETH_USD_data.csv'), 'Datetime,Open,High,Low,Close,Adj Close,Volume\n');
    const args = runArgs(dirs, {
      workers: 2,
      pairs: ['BTC-USD', 'ETH-USD'],
      variants: 1,
      episodes: 1,
      days: 60,
    }).map((a) => (a === SHARED_DATA_DIR ? data.dir : a));
    const run = await runCli(['train', ...args, '--json']);
    t.is(run.exitCode, 1, String(run.stderr));
    // --json: stdout is the report alone, progress and the summary went to stderr.
    const report = TrainingReportSchema.parse(JSON.parse(String(run.stdout)));
    t.is(report.outcome, 'completed-with-failures');
    const stderr = String(run.stderr);
    t.regex(stderr, /^Run run-\S+: 1\/2 jobs done, 1 job failed, /m);
    t.regex(stderr, /^Failures \(1: 1 job failed\):$/m);
    t.regex(stderr, new RegExp(`^Report: +${dirs.results}/training_report\\.json$`, 'm'));
    t.regex(stderr, new RegExp(`^Models: +${dirs.models} `, 'm'));
    t.regex(stderr, new RegExp(`^Logs: +${dirs.results}/logs$`, 'm'));
    t.notRegex(stderr, /1 workers/);
    failedRun = { ...dirs, runId: report.runId };
    lastCleanup = root.remove;
  },
);

let lastCleanup: () => void = () => {};
test.after.always(() => lastCleanup());

test.serial(
  'status of that run: workers with CPU and memory, every job, exit 1 for its failed job',
  async (t) => {
    t.timeout(300_000);
    const run = failedRun;
    if (!run) return t.fail('the run before did not finish');
    const [status, json] = await Promise.all([
      runCli(['status', '--results', run.results]),
      runCli(['status', '--json', '--results', run.results]),
    ]);
    t.is(status.exitCode, 1, 'a failed job shows in the exit code');
    t.regex(String(status.stdout), /^worker +state +pid +job +episode +jobs +restarts +CPU +memory/m);
    t.regex(String(status.stdout), /ETH-USD +base +✖ failed/);
    const parsed = JSON.parse(String(json.stdout));
    t.is(parsed.workers.length, 2);
    for (const w of parsed.workers as { cpuPct: unknown; memoryMb: unknown }[]) {
      t.is(typeof w.cpuPct, 'number');
      t.is(typeof w.memoryMb, 'number');
    }
    t.deepEqual(
      parsed.jobs.map((j: { jobId: string; status: string }) => `${j.jobId} ${j.status}`),
      ['BTC-USD/base done', 'ETH-USD/base failed'],
    );
  },
);

test.serial(
  'logs of that run: prefixed and merged, one worker as is, -n, -f ends with the run',
  async (t) => {
    t.timeout(300_000);
    const run = failedRun;
    if (!run) return t.fail('the run before did not finish');
    const [all, one, followed, missing] = await Promise.all([
      runCli(['logs', '--results', run.results]),
      runCli(['logs', '1', '-n', '2', '--results', run.results]),
      runCli(['logs', '-f', '--results', run.results], { timeout: 120_000 }),
      runCli(['logs', '7', '--results', run.results]),
    ]);
    t.is(all.exitCode, 0);
    const lines = String(all.stdout).trim().split('\n');
    t.true(
      lines.every((l) => /^worker [12] \| /.test(l)),
      'every line says whose it is',
    );
    t.true(lines.some((l) => l.startsWith('worker 1 | ')) && lines.some((l) => l.startsWith('worker 2 | ')));
    t.is(String(one.stdout).trim().split('\n').length, 2);
    t.false(String(one.stdout).startsWith('worker 1 |'), 'one worker: its lines as they are');
    t.is(followed.exitCode, 0, 'following a finished run ends by itself');
    t.is(missing.exitCode, 2);
    t.regex(String(missing.stderr), /worker 7: no such worker .* \(workers 1, 2\)/);
  },
);

test.serial(
  'dashboard and restart on that run: the viewer ends, no supervisor takes a restart',
  async (t) => {
    t.timeout(300_000);
    const run = failedRun;
    if (!run) return t.fail('the run before did not finish');
    const [dashboard, restart] = await Promise.all([
      runCli(['dashboard', '--headless', '--results', run.results], { timeout: 120_000 }),
      runCli(['restart', '1', '--results', run.results]),
    ]);
    t.is(dashboard.exitCode, 0, 'a viewer of a finished run ends by itself');
    t.regex(String(dashboard.stdout), /Failures \(1: 1 job failed\)/);
    t.is(restart.exitCode, 1, 'no supervisor answers a finished run');
    t.is((await readReport(run.results)).runId, run.runId);
  },
);

test.serial(
  'a run where everything finishes exits 0 and prints the report as JSON with --json',
  async (t) => {
    const dirs = tempRunDirs(t);
    const run = await runCli([
      'train',
      ...runArgs(dirs, { workers: 1, pairs: ['SOL-USD'], variants: 1, episodes: 1, days: 60 }),
      '--json',
    ]);
    t.is(run.exitCode, 0, String(run.stderr));
    const report = TrainingReportSchema.parse(JSON.parse(String(run.stdout)));
    t.is(report.outcome, 'completed');
    t.regex(String(run.stderr), /^Run run-\S+: 1\/1 job done, no failures, /m);
    const status = await runCli(['status', '--results', dirs.results]);
    t.is(status.exitCode, 0);
    mkdirSync(path.join(dirs.results, 'empty'));
    const empty = await runCli(['status', '--results', path.join(dirs.results, 'empty')]);
    t.is(empty.exitCode, 2);
    t.regex(String(empty.stderr), /holds no run/);
  },
);
