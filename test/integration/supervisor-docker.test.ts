import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { startRun } from '../../supervisor/run.js';
import {
  composeProjectName,
  detectCompose,
  parseComposePs,
} from '../../supervisor/runtime/docker-runtime.js';
import {
  fakePids,
  fakeWorkerScript,
  fixturesDir,
  livePids,
  repoRoot,
  testRunOptions,
} from '../helpers/run-fixture.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

const composeFile = path.join(repoRoot, 'docker-compose-workers.yml');

function fakeDockerEnv(dir: string, behaviour: Record<number, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${path.join(fixturesDir, 'fake-docker')}${path.delimiter}${process.env.PATH ?? ''}`,
    FAKE_DOCKER_LOG: path.join(dir, 'docker-calls.ndjson'),
    FAKE_DOCKER_STATE: path.join(dir, 'docker-state'),
    FAKE_DOCKER_WORKER: fakeWorkerScript,
    FAKE_WORKER_BEHAVIOUR: JSON.stringify(behaviour),
  };
}

const calls = (dir: string): string[][] =>
  readFileSync(path.join(dir, 'docker-calls.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as string[]);

test.serial('docker runtime: compose up/logs/ps/stop against a fake docker; the run completes', async (t) => {
  const { dir, remove } = makeTempDir();
  t.teardown(remove);
  const env = fakeDockerEnv(dir, { 2: 'fail-once' });
  const options = testRunOptions(dir, { runtime: 'docker' });
  const handle = await startRun(options, { docker: { env, pollMs: 50 } });
  const { exitCode, report } = await handle.done;
  t.is(exitCode, 0);
  t.is(report.environment.runtime, 'docker');
  t.is(report.jobs.length, 6);
  const w2 = report.workers.find((w) => w.workerId === 2);
  t.is(w2?.restarts, 1, `the exit was seen by polling ps: ${JSON.stringify(w2?.exits)}`);

  const project = composeProjectName(options.resultsDir);
  const prefix = ['compose', '-f', composeFile, '-p', project];
  const recorded = calls(dir);
  t.deepEqual(recorded[0], ['compose', 'version'], 'compose v2 detected first');
  const ups = recorded.filter((c) => c.includes('up'));
  t.deepEqual(ups[0], [...prefix, 'up', '-d', '--no-deps', 'worker-1']);
  t.is(ups.filter((c) => c.at(-1) === 'worker-2').length, 2, 'worker-2 brought up again after its crash');
  t.true(recorded.some((c) => c.join(' ').startsWith([...prefix, 'logs', '--no-color', '-f'].join(' '))));
  t.true(recorded.some((c) => c.join(' ') === [...prefix, 'ps', '--all', '--format', 'json'].join(' ')));
  const log = readFileSync(path.join(options.resultsDir, 'logs', 'worker_1.log'), 'utf8');
  t.regex(log, /fake worker 1 attempt 1/, 'container logs are followed into the log file');
});

test.serial('docker runtime: stop uses `compose stop -t <grace s>` and ends the containers', async (t) => {
  const { dir, remove } = makeTempDir();
  t.teardown(remove);
  const env = fakeDockerEnv(dir, { 1: 'forever', 2: 'ignore-sigterm' });
  const options = testRunOptions(dir, { runtime: 'docker', stopGraceMs: 1_000 });
  const handle = await startRun(options, { docker: { env, pollMs: 50 } });
  await waitFor(() => fakePids(options.resultsDir, 2).length === 1, 'worker 2 running in its container');
  await handle.stop('test');
  const { report } = await handle.done;
  t.is(report.outcome, 'stopped');
  const project = composeProjectName(options.resultsDir);
  t.true(
    calls(dir).some(
      (c) =>
        c.join(' ') ===
        ['compose', '-f', composeFile, '-p', project, 'stop', '-t', '1', 'worker-2'].join(' '),
    ),
  );
  t.is(
    report.workers.find((w) => w.workerId === 2)?.exits[0]?.signal,
    'SIGKILL',
    'killed after the grace (137)',
  );
  t.deepEqual(livePids(options.resultsDir, [1, 2]), []);
});

test.serial('compose detection falls back to docker-compose v1, else a clear error', async (t) => {
  const { dir, remove } = makeTempDir();
  t.teardown(remove);
  const bin = path.join(dir, 'bin');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'docker'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
  writeFileSync(path.join(bin, 'docker-compose'), '#!/bin/sh\necho "docker-compose version 1.29.2"\n', {
    mode: 0o755,
  });
  t.deepEqual(await detectCompose({ PATH: bin }), { file: 'docker-compose', args: [], version: 1 });
  await t.throwsAsync(() => detectCompose({ PATH: path.join(dir, 'nowhere') }), {
    message: /Docker Compose not found.*--runtime local/s,
  });
});

test('parseComposePs reads both the JSON array and the one-object-per-line output', (t) => {
  const array =
    '[{"Service":"worker-1","State":"running","ExitCode":0},{"Service":"worker-2","State":"exited","ExitCode":3}]';
  const lines =
    '{"Service":"worker-1","State":"running","ExitCode":0}\n{"Service":"worker-2","State":"exited","ExitCode":3}\n';
  const expected = [
    { service: 'worker-1', running: true, exitCode: 0 },
    { service: 'worker-2', running: false, exitCode: 3 },
  ];
  t.deepEqual(parseComposePs(array), expected);
  t.deepEqual(parseComposePs(lines), expected);
  t.deepEqual(parseComposePs(''), []);
});

test.serial("docker-compose-workers.yml passes Debian's `docker-compose config`", async (t) => {
  const env = {
    ...process.env,
    TW_RESULTS_DIR: '/runs/a/results',
    TW_MODELS_DIR: '/runs/a/models',
    TW_DATA_DIR: '/runs/a/data',
    TW_SOURCE_DATA_DIR: '/srv/candles',
    TW_UID: '1234',
    TW_GID: '5678',
  };
  const result = await execa('docker-compose', ['-f', composeFile, 'config'], { env, reject: false });
  t.is(result.exitCode, 0, String(result.stderr));
  const text = String(result.stdout);
  for (const n of [1, 2, 3, 4]) {
    t.regex(text, new RegExp(`worker-${n}:`));
    t.regex(text, new RegExp(`WORKER_ID: '${n}'`));
    t.regex(text, new RegExp(`/runs/a/results/worker_${n}_config.json`));
  }
  t.regex(text, /\/runs\/a\/results:\/runs\/a\/results:rw/, 'results mounted at the same path');
  t.regex(text, /\/runs\/a\/models:\/runs\/a\/models:rw/);
  t.regex(text, /\/runs\/a\/data:\/runs\/a\/data:rw/);
  t.regex(text, /\/srv\/candles:\/srv\/candles:ro/);
  t.regex(text, /restart: "?no"?/);
  t.regex(text, /user: 1234:5678/);
  t.regex(text, /dist\/worker\/main\.js/);
  t.regex(text, /dockerfile: Dockerfile/);
});
