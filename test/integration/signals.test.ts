import { promises as fs } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { checkpointDir, readJsonTolerant, WorkerStatusSchema, workerStatusFile } from '../../shared/index.js';
import { readReport, runArgs, runCli, tempRunDirs } from '../helpers/cli.js';
import { isAlive } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

// Issue 10, problem 6: signals as users expect them, on the real CLI and real workers.

const RUN = { workers: 1, pairs: ['BTC-USD'], variants: 1, episodes: 50, days: 90 };

/** Starts `train` headless and waits until its worker trains; returns the CLI process and the worker's pid. */
async function trainingRun(t: Parameters<typeof tempRunDirs>[0], episode = 1) {
  const dirs = tempRunDirs(t);
  const cli = runCli(['train', '--headless', ...runArgs(dirs, RUN)], { env: { CI: 'true' } });
  t.teardown(() => {
    cli.kill('SIGKILL');
  });
  const status = await waitFor(
    async () => {
      const read = await readJsonTolerant(workerStatusFile(dirs.results, 1), WorkerStatusSchema);
      const s = read.ok ? read.value : null;
      return s && s.state === 'training' && (s.current?.episode ?? 0) >= episode && s.current!.step > 0
        ? s
        : null;
    },
    'the worker to train',
    120_000,
    50,
  );
  t.teardown(() => {
    if (isAlive(status.pid)) process.kill(status.pid, 'SIGKILL');
  });
  return { dirs, cli, workerPid: status.pid };
}

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const) {
  test.serial(
    `${signal} stops gracefully, writes the report, exits ${code} and says how to resume`,
    async (t) => {
      const { dirs, cli } = await trainingRun(t);
      cli.kill(signal);
      const result = await cli;
      t.is(result.exitCode, code, String(result.stderr));
      const report = await readReport(dirs.results);
      t.is(report.outcome, 'stopped');
      t.regex(report.workers[0]?.exits.at(-1)?.reason ?? '', new RegExp(`stopped: received ${signal}`));
      const lines = String(result.stderr).trim().split('\n');
      t.regex(
        lines.at(-1) ?? '',
        new RegExp(
          `stopped by ${signal}; rerun the same command to resume: .*train .*--results ${dirs.results}`,
        ),
      );
    },
  );
}

test.serial('a second Ctrl-C stops the workers at once (SIGKILL), keeping their checkpoints', async (t) => {
  // In episode 2, so episode 1's checkpoint is on disk.
  const { dirs, cli, workerPid } = await trainingRun(t, 2);
  // A worker that cannot act on SIGTERM: the graceful stop would wait out its 10 s grace.
  process.kill(workerPid, 'SIGSTOP');
  cli.kill('SIGINT');
  await new Promise((resolve) => setTimeout(resolve, 500));
  const second = Date.now();
  cli.kill('SIGINT');
  const result = await cli;
  const took = Date.now() - second;
  t.is(result.exitCode, 130, String(result.stderr));
  t.true(took < 8_000, `exited ${took} ms after the second Ctrl-C, not after the 10 s grace`);
  t.regex(String(result.stderr), /SIGINT again: stopping the workers now/);
  const report = await readReport(dirs.results);
  t.is(report.workers[0]?.exits.at(-1)?.signal, 'SIGKILL');
  t.false(isAlive(workerPid));
  const checkpoint = path.join(checkpointDir(dirs.results, 1, 'BTC-USD/base'), 'latest.json');
  t.true(
    await fs.access(checkpoint).then(
      () => true,
      () => false,
    ),
    'the episode checkpoint is kept',
  );
});
