import path from 'node:path';
import { pathToFileURL } from 'node:url';
import test from 'ava';
import { SCHEMA_VERSION, workerConfigFile, writeJsonAtomic } from '../../shared/index.js';
import { createLocalRuntime } from '../../supervisor/runtime/local-runtime.js';
import type { WorkerExit } from '../../supervisor/runtime/types.js';
import { resolveWorkerEntry } from '../../supervisor/runtime/worker-entry.js';
import { fakeWorker, repoRoot } from '../helpers/run-fixture.js';
import { isAlive, makeTempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

test('worker entry: tsx loader + worker/main.ts from sources, dist/worker/main.js from the build', (t) => {
  const fromSource = resolveWorkerEntry(
    pathToFileURL(path.join(repoRoot, 'supervisor/runtime/worker-entry.ts')).href,
  );
  t.is(fromSource.file, process.execPath, 'node itself, not npm or a shell');
  t.is(fromSource.args[0], '--import');
  t.regex(fromSource.args[1] ?? '', /tsx/);
  t.is(fromSource.args[2], path.join(repoRoot, 'worker', 'main.ts'));
  const fromDist = resolveWorkerEntry(
    pathToFileURL(path.join(repoRoot, 'dist/supervisor/runtime/worker-entry.js')).href,
  );
  t.is(fromDist.file, process.execPath);
  t.true(
    fromDist.args.includes(path.join(repoRoot, 'dist', 'worker', 'main.js')) ||
      fromDist.args.includes(path.join(repoRoot, 'worker', 'main.ts')),
  );
});

test.serial(
  'local runtime: one exit per process, idempotent stop with SIGKILL after the grace',
  async (t) => {
    const { dir, remove } = makeTempDir();
    t.teardown(remove);
    await writeJsonAtomic(workerConfigFile(dir, 1), {
      schema: SCHEMA_VERSION,
      runId: 'r',
      workerId: 1,
      jobs: [],
      episodes: 1,
      resultsDir: dir,
      modelsDir: dir,
      seed: 1,
    });
    const runtime = createLocalRuntime({
      resultsDir: dir,
      workerEntry: fakeWorker,
      env: { FAKE_WORKER_BEHAVIOUR: 'ignore-sigterm' },
    });
    t.teardown(() => runtime.dispose());
    const exits: [number, WorkerExit][] = [];
    runtime.onExit((id, exit) => exits.push([id, exit]));
    const { pid } = await runtime.start(1);
    t.truthy(pid);
    t.deepEqual(await runtime.start(1), { pid }, 'starting a running worker is a no-op');
    t.true(runtime.isRunning(1));
    await waitFor(
      async () => (await import('node:fs')).existsSync(path.join(dir, 'worker_1_status.json')),
      'a status',
    );
    const first = runtime.stop(1, { graceMs: 200 });
    const second = runtime.stop(1, { graceMs: 200 });
    t.is(first, second, 'stop stores its promise');
    await first;
    t.false(isAlive(pid!));
    t.deepEqual(exits, [[1, { code: null, signal: 'SIGKILL' }]]);
    t.false(runtime.isRunning(1));
    await runtime.stop(1, { graceMs: 200 });
    t.is(exits.length, 1);
  },
);
