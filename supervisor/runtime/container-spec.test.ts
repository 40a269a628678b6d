import test from 'ava';
import {
  containerLimits,
  containerUser,
  DEFAULT_LIMITS,
  parseSupervisorIdentity,
  runLabels,
  runMounts,
  supervisorIdentity,
} from './container-spec.js';

test('each folder is mounted once: a folder named twice is one mount, read-write if any use writes it', (t) => {
  t.deepEqual(
    runMounts({ resultsDir: '/r', modelsDir: '/m', cacheDir: '/d', sourceDataDir: null }),
    [
      { path: '/r', readOnly: false },
      { path: '/m', readOnly: false },
      { path: '/d', readOnly: false },
    ],
    'without --data-dir: no second mount of the cache (the old "Duplicate mount points")',
  );
  t.deepEqual(
    runMounts({ resultsDir: '/r', modelsDir: '/m', cacheDir: '/d', sourceDataDir: '/src' }).at(-1),
    {
      path: '/src',
      readOnly: true,
    },
  );
  t.deepEqual(runMounts({ resultsDir: '/r/', modelsDir: '/r', cacheDir: '/d', sourceDataDir: '/d' }), [
    { path: '/r', readOnly: false },
    { path: '/d', readOnly: false },
  ]);
});

test('limits come from TW_MEMORY, TW_PIDS, TW_TMPFS_SIZE; a bad value names its variable', (t) => {
  t.deepEqual(containerLimits({}), DEFAULT_LIMITS);
  t.deepEqual(containerLimits({ TW_MEMORY: '768m', TW_PIDS: '64', TW_TMPFS_SIZE: '16m' }), {
    memory: '768m',
    pids: 64,
    tmpfsSize: '16m',
  });
  t.throws(() => containerLimits({ TW_MEMORY: 'lots' }), {
    message: /TW_MEMORY must be a size .* got 'lots'/,
  });
  t.throws(() => containerLimits({ TW_PIDS: '8' }), {
    message: /TW_PIDS must be a whole number of at least 32, got '8'/,
  });
  t.throws(() => containerLimits({ TW_TMPFS_SIZE: '-1' }), { message: /TW_TMPFS_SIZE/ });
});

test('containers run as the results folder’s owner; never root unless TW_UID=0 says so', (t) => {
  t.deepEqual(containerUser({}, { uid: 1001, gid: 1002 }), { uid: 1001, gid: 1002, handOver: false });
  t.deepEqual(containerUser({}, { uid: 0, gid: 0 }), { uid: 1000, gid: 1000, handOver: true });
  t.deepEqual(containerUser({ TW_UID: '4242', TW_GID: '7' }, { uid: 0, gid: 0 }), {
    uid: 4242,
    gid: 7,
    handOver: false,
  });
  t.deepEqual(containerUser({ TW_UID: '0' }, { uid: 1001, gid: 1001 }), { uid: 0, gid: 0, handOver: false });
  t.throws(() => containerUser({ TW_UID: 'me' }, { uid: 0, gid: 0 }), {
    message: /TW_UID must be a numeric id, got 'me'/,
  });
});

test('labels tie a container to its run, its results folder and its supervisor', (t) => {
  t.deepEqual(runLabels('run-1', '/x/results/', 'h:1'), {
    'trading-workers.project': 'ai-trading-workers',
    'trading-workers.run': 'run-1',
    'trading-workers.results': '/x/results',
    'trading-workers.supervisor': 'h:1',
  });
  t.deepEqual(parseSupervisorIdentity(supervisorIdentity(123, 'box:a')), { host: 'box:a', pid: 123 });
  t.is(parseSupervisorIdentity(''), null);
});
