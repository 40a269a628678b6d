import test from 'ava';
import { InputError } from '../../shared/index.js';
import { attachRun } from '../../supervisor/attach.js';
import { startRun } from '../../supervisor/run.js';
import { fakePids, fakeWorker, testRunOptions } from '../helpers/run-fixture.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

test.serial('attach: same state read-only, commands go through files to the live supervisor', async (t) => {
  const { dir, remove } = makeTempDir();
  t.teardown(remove);
  const options = testRunOptions(dir, { stopGraceMs: 1_000 });
  const handle = await startRun(options, {
    workerEntry: fakeWorker,
    workerEnv: { FAKE_WORKER_BEHAVIOUR: JSON.stringify({ 1: 'forever', 2: 'finish' }) },
  });
  t.teardown(() => handle.stop('teardown'));
  const attached = await attachRun(options.resultsDir, { tickMs: 50 });
  t.teardown(() => attached.close());

  await waitFor(() => attached.canControl(), 'a live supervisor seen through supervisor_status.json');
  const state = await waitFor(() => {
    const s = attached.store.getSnapshot();
    return s.mode === 'attach' && s.workers.length === 2 && s.progress.jobsDone === 2 ? s : null;
  }, 'worker 2 results reduced in attach mode');
  t.is(state.runId, handle.plan.runId);
  t.true(state.supervisorConnected);

  const message = await attached.send({ type: 'restart', workerId: 1 });
  t.regex(message, /worker 1: restarting/);
  await waitFor(() => fakePids(options.resultsDir, 1).length === 2, 'worker 1 restarted by the command');
  await waitFor(
    () =>
      attached.store
        .getSnapshot()
        .workers.find((w) => w.workerId === 1)
        ?.logTail.some((l) => /attempt 2/.test(l)),
    'the log tail shows the second attempt',
  );

  await handle.stop('test over');
  await handle.done;
  await waitFor(() => !attached.canControl(), 'the finished supervisor no longer controls');
  await t.throwsAsync(() => attached.send({ type: 'restart', workerId: 1 }), {
    message: /not sent: no supervisor is running .*the run has finished.*read-only/s,
  });
  await waitFor(() => attached.store.getSnapshot().report !== null, 'the report reaches the attached view');
});

test.serial('attach to a folder that does not exist: clear error, bad input (exit 2)', async (t) => {
  await t.throwsAsync(() => attachRun('/nonexistent/results-folder'), {
    instanceOf: InputError,
    message:
      '--results /nonexistent/results-folder: cannot attach, no such folder; give the --results folder of a run',
  });
});
