import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { parse } from 'yaml';
import { detectCompose } from '../../supervisor/runtime/docker-runtime.js';
import { repoRoot } from '../helpers/run-fixture.js';
import { makeTempDir } from '../helpers/temp-dir.js';

// The compose file and Compose detection, without an engine. The Docker runtime itself runs on a
// real engine in test/integration/container-engine.test.ts.

const composeFile = path.join(repoRoot, 'docker-compose-workers.yml');

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

test.serial(
  "docker-compose-workers.yml passes Debian's `docker-compose config` as a careful operator runs it",
  async (t) => {
    const env = {
      ...process.env,
      TW_RESULTS_DIR: '/runs/a/results',
      TW_UID: '1234',
      TW_GID: '5678',
      TW_RUN_ID: 'run-1',
      TW_SUPERVISOR: 'host:42',
      TW_MEMORY: '768m',
    };
    const result = await execa('docker-compose', ['-f', composeFile, 'config'], { env, reject: false });
    t.is(result.exitCode, 0, String(result.stderr));
    const config = parse(String(result.stdout)) as { services: Record<string, Record<string, unknown>> };
    t.deepEqual(Object.keys(config.services).sort(), ['worker-1', 'worker-2', 'worker-3', 'worker-4']);
    for (const n of [1, 2, 3, 4]) {
      const s = config.services[`worker-${n}`]!;
      t.like(s, {
        restart: 'no',
        init: true,
        user: '1234:5678',
        read_only: true,
        cap_drop: ['ALL'],
        security_opt: ['no-new-privileges:true'],
        mem_limit: '768m',
        pids_limit: 256,
        tmpfs: ['/tmp:size=64m,mode=1777'],
        environment: { WORKER_ID: String(n), WORKER_CONFIG: `/runs/a/results/worker_${n}_config.json` },
        labels: {
          'trading-workers.run': 'run-1',
          'trading-workers.results': '/runs/a/results',
          'trading-workers.supervisor': 'host:42',
        },
      });
      t.deepEqual(s.command, [
        'node',
        'dist/worker/main.js',
        '--config',
        `/runs/a/results/worker_${n}_config.json`,
      ]);
      t.is(s.volumes, undefined, 'the mounts come from the run compose file only, so none is named twice');
    }
  },
);
