import { promises as fs } from 'node:fs';
import test from 'ava';
import { parse } from 'yaml';
import {
  checkComposeServices,
  composeWorkerServices,
  defaultComposeFile,
  observeContainer,
  runComposeText,
} from './docker-runtime.js';

test('the project compose file defines worker-1 … worker-4', async (t) => {
  const text = await fs.readFile(defaultComposeFile(), 'utf8');
  t.deepEqual(composeWorkerServices(text), [1, 2, 3, 4]);
  t.notThrows(() => checkComposeServices(defaultComposeFile(), [1, 2, 3, 4]));
});

test('a plan with more workers than compose services fails before anything starts, naming them', (t) => {
  const error = t.throws(() => checkComposeServices(defaultComposeFile(), [1, 2, 3, 4, 5, 6]));
  t.regex(
    error?.message ?? '',
    /defines worker-1, worker-2, worker-3, worker-4, but the plan needs worker-5, worker-6/,
  );
  t.regex(error?.message ?? '', /--workers 4/);
});

test('an unreadable compose file is named', (t) => {
  const error = t.throws(() => checkComposeServices('/nonexistent/compose.yml', [1]));
  t.regex(error?.message ?? '', /cannot read \/nonexistent\/compose\.yml/);
});

test('the run compose file mounts each folder once at its own path, cuts the network, sets the pids limit', (t) => {
  const text = runComposeText(
    {
      image: 'img',
      user: { uid: 1000, gid: 1000 },
      mounts: [
        { path: '/r', readOnly: false },
        { path: '/src', readOnly: true },
      ],
      network: false,
      limits: { memory: '2g', pids: 99, tmpfsSize: '64m' },
      labels: {},
    },
    [1, 2],
    'run-7',
  );
  t.regex(text, /^# Written by the supervisor for run run-7/);
  const parsed = parse(text) as { services: Record<string, Record<string, unknown>> };
  t.deepEqual(Object.keys(parsed.services), ['worker-1', 'worker-2']);
  t.deepEqual(parsed.services['worker-2'], {
    volumes: ['/r:/r:rw', '/src:/src:ro'],
    network_mode: 'none',
    pids_limit: 99,
    labels: { 'trading-workers.worker': '2' },
  });
});

test('a container is seen as the engine says it: killed for memory is named as such', (t) => {
  const seen = observeContainer(
    { Id: 'x', Name: '/p_worker-1_1', State: { Status: 'exited', ExitCode: 137, OOMKilled: true } },
    '2g',
  );
  t.deepEqual(seen, {
    name: 'p_worker-1_1',
    state: 'exited',
    running: false,
    exitCode: 137,
    detail: 'killed for memory (limit 2g, TW_MEMORY)',
  });
  t.true(observeContainer({ Id: 'y', Name: '/a', State: { Status: 'running', ExitCode: 0 } }, '2g').running);
});
