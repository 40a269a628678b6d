import test from 'ava';
import { observeTask, swarmCreateArgs } from './swarm-runtime.js';

const spec = {
  image: 'img:1',
  user: { uid: 1000, gid: 1000 },
  mounts: [
    { path: '/runs/r', readOnly: false },
    { path: '/srv/candles', readOnly: true },
  ],
  network: false,
  limits: { memory: '2g', pids: 256, tmpfsSize: '64m' },
  labels: { 'trading-workers.run': 'run-1' },
};

test('a worker service: restart policy none, hardened, the run folders bound, the worker id in its environment', (t) => {
  const args = swarmCreateArgs(spec, 'p-worker-2', 2, '/runs/r', 10_000, null);
  const joined = args.join(' ');
  t.deepEqual(args.slice(0, 5), ['service', 'create', '--detach', '--name', 'p-worker-2']);
  for (const part of [
    '--restart-condition none',
    '--no-resolve-image',
    '--init',
    '--read-only',
    '--cap-drop ALL',
    '--user 1000:1000',
    '--limit-memory 2g',
    '--limit-pids 256',
    '--stop-grace-period 10s',
    '--mount type=tmpfs,target=/tmp,tmpfs-size=64m,tmpfs-mode=1777',
    '--mount type=bind,source=/runs/r,target=/runs/r ',
    '--mount type=bind,source=/srv/candles,target=/srv/candles,readonly',
    '--env WORKER_ID=2',
    '--env WORKER_CONFIG=/runs/r/worker_2_config.json',
    '--env TRADING_WORKERS_SUPERVISOR_STATUS=/runs/r/supervisor_status.json',
    '--label trading-workers.run=run-1',
    '--container-label trading-workers.worker=2',
  ]) {
    t.true(joined.includes(part), part);
  }
  t.deepEqual(args.slice(-5), [
    'img:1',
    'node',
    'dist/worker/main.js',
    '--config',
    '/runs/r/worker_2_config.json',
  ]);
  t.false(joined.includes('--network'));
  t.true(
    swarmCreateArgs(spec, 'p-worker-2', 2, '/runs/r', 10_000, 'shared')
      .join(' ')
      .includes('--network shared'),
  );
});

test('a task is seen by its state; its error counts only when it says more than the exit code', (t) => {
  const running = observeTask(
    { ID: 't', ServiceID: 's', Slot: 1, Status: { State: 'running' } },
    'p-worker-1',
  );
  t.like(running, { name: 'p-worker-1.1', state: 'running', running: true, exitCode: null, detail: null });
  const failed = observeTask(
    {
      ID: 't',
      ServiceID: 's',
      Status: { State: 'failed', Err: 'task: non-zero exit (137)', ContainerStatus: { ExitCode: 137 } },
    },
    'p-worker-1',
  );
  t.like(failed, { running: false, exitCode: 137, detail: null });
  const rejected = observeTask(
    {
      ID: 't',
      ServiceID: 's',
      Status: {
        State: 'rejected',
        Err: 'invalid mount config for type "bind": bind source path does not exist: /runs/r',
      },
    },
    'p-worker-1',
  );
  t.like(rejected, { running: false, exitCode: null });
  t.regex(rejected.detail ?? '', /bind source path does not exist/);
});
