import { writeFileSync } from 'node:fs';
import test from 'ava';
import {
  type JobResult,
  type JsonValidator,
  jobResultFile,
  SCHEMA_VERSION,
  type WorkerConfig,
  type WorkerResults,
  WorkerResultsSchema,
  workerResultsFile,
  writeJsonAtomic,
} from '../shared/index.js';
import { makeTempDir } from '../test/helpers/temp-dir.js';
import { jobResult, workerResults } from '../test/helpers/worker-results-fixture.js';
import { recordJobResult } from '../worker/job-journal.js';
import { WorkerResultsFile } from './worker-results-file.js';
import { workerResultsValidator } from './worker-results-validator.js';

const RUN = 'run-test';
const jobs = ['BTC-USD', 'ETH-USD'].flatMap((pair, p) =>
  ['base', 'fast-lr', 'explore-long'].map((variant, v) =>
    jobResult({ pair, variant, sharpe: 0.1 * (p + v), pnlPct: 1 + p + v }),
  ),
);
const config = (resultsDir: string) => ({ resultsDir, workerId: 1, runId: RUN }) as WorkerConfig;

/** A worker's results folder, written the way run-worker.ts writes it, and a reader counting whole reads. */
function setUp(t: { teardown(f: () => void): void }) {
  const tmp = makeTempDir();
  t.teardown(tmp.remove);
  const validator = workerResultsValidator();
  let wholeReads = 0;
  const counting: JsonValidator<WorkerResults> = {
    safeParse: (data) => {
      wholeReads++;
      return validator.safeParse(data);
    },
  };
  const problems: string[] = [];
  const reader = new WorkerResultsFile(tmp.dir, 1, counting, (m) => problems.push(m));
  const written: JobResult[] = [];
  /** The job's own file first, then the whole file, as the worker does after each job. */
  const finish = async (job: JobResult, best: { pair: string; jobId: string; variant: string }[] = []) => {
    await recordJobResult(config(tmp.dir), job);
    written.splice(0, written.length, ...written.filter((j) => j.jobId !== job.jobId), job);
    await writeJsonAtomic(workerResultsFile(tmp.dir, 1), workerResults(1, [...written], best, RUN));
  };
  return { dir: tmp.dir, reader, finish, problems, wholeReads: () => wholeReads, written };
}

test('after the first read, each finished job comes from its own file: the same jobs as the whole file, which is not parsed again', async (t) => {
  const s = setUp(t);
  t.is(await s.reader.read(), undefined, 'nothing written yet');
  for (const [n, job] of jobs.entries()) {
    await s.finish(job);
    const value = await s.reader.read();
    const whole = WorkerResultsSchema.parse(workerResults(1, jobs.slice(0, n + 1), [], RUN));
    t.deepEqual(value?.jobs, whole.jobs, `after ${n + 1} jobs`);
    t.is(value?.runId, RUN);
  }
  t.is(s.wholeReads(), 1, 'only the first results file was parsed');
  t.deepEqual(s.problems, []);
});

test('a job finished again (a failed job rerun) replaces its earlier result and goes last, as in the worker', async (t) => {
  const s = setUp(t);
  const failed = jobResult({ pair: 'BTC-USD', variant: 'base', status: 'failed', error: 'no data' });
  await s.finish(failed);
  await s.reader.read();
  await s.finish(jobs[1] as JobResult);
  await s.reader.read();
  const rerun = { ...(jobs[0] as JobResult), finishedAt: '2025-06-01T12:00:00.000Z' };
  await s.finish(rerun);
  const value = await s.reader.read();
  t.deepEqual(
    value?.jobs.map((j) => [j.jobId, j.status]),
    [
      ['BTC-USD/fast-lr', 'done'],
      ['BTC-USD/base', 'done'],
    ],
  );
  t.deepEqual(value?.jobs, WorkerResultsSchema.parse(workerResults(1, s.written, [], RUN)).jobs);
  t.is(value?.updatedAt, rerun.finishedAt, 'updatedAt follows the newest job');
});

test('best models come from the whole file: at the first read, and again after refresh()', async (t) => {
  const s = setUp(t);
  const first = jobs[0] as JobResult;
  await s.finish(first, [{ pair: first.pair, jobId: first.jobId, variant: first.variant }]);
  t.deepEqual(
    (await s.reader.read())?.bestModels.map((b) => b.jobId),
    [first.jobId],
  );
  const better = jobs[2] as JobResult;
  await s.finish(better, [{ pair: better.pair, jobId: better.jobId, variant: better.variant }]);
  // Between whole reads the best models can lag: the job files do not carry them.
  t.deepEqual(
    (await s.reader.read())?.bestModels.map((b) => b.jobId),
    [first.jobId],
  );
  s.reader.refresh();
  const value = await s.reader.read();
  t.deepEqual(
    value?.bestModels.map((b) => b.jobId),
    [better.jobId],
  );
  t.deepEqual(value, WorkerResultsSchema.parse(workerResults(1, s.written, [better], RUN)));
  t.is(s.wholeReads(), 2);
});

test('a change the job files cannot explain (a rebuilt results file) is read whole', async (t) => {
  const s = setUp(t);
  await s.finish(jobs[0] as JobResult);
  await s.reader.read();
  // A restarted worker rebuilds its results file from the job files: no job file is new.
  const rebuilt = {
    ...workerResults(1, [jobs[0] as JobResult], [], RUN),
    updatedAt: '2025-06-02T00:00:00.000Z',
  };
  await writeJsonAtomic(workerResultsFile(s.dir, 1), rebuilt);
  t.is((await s.reader.read())?.updatedAt, rebuilt.updatedAt);
  t.is(s.wholeReads(), 2);
});

test('a damaged job file is named, and the whole file is read instead', async (t) => {
  const s = setUp(t);
  await s.finish(jobs[0] as JobResult);
  await s.reader.read();
  await s.finish(jobs[1] as JobResult);
  const damaged = jobResultFile(s.dir, 1, (jobs[1] as JobResult).jobId);
  writeFileSync(damaged, '{"schema": 1, "runId": "run-te');
  const value = await s.reader.read();
  t.is(s.problems.length, 1);
  t.true(s.problems[0]?.startsWith(`${damaged}: invalid JSON`), s.problems[0]);
  t.deepEqual(value?.jobs, WorkerResultsSchema.parse(workerResults(1, s.written, [], RUN)).jobs);
  t.is(s.wholeReads(), 2);
});

test("a job file of another run is not taken as this run's job", async (t) => {
  const s = setUp(t);
  await s.finish(jobs[0] as JobResult);
  await s.reader.read();
  const stray = jobs[3] as JobResult;
  await writeJsonAtomic(jobResultFile(s.dir, 1, stray.jobId), {
    schema: SCHEMA_VERSION,
    runId: 'run-old',
    workerId: 1,
    job: stray,
  });
  await s.finish(jobs[1] as JobResult);
  const value = await s.reader.read();
  t.deepEqual(
    value?.jobs.map((j) => j.jobId),
    [(jobs[0] as JobResult).jobId, (jobs[1] as JobResult).jobId],
  );
  t.is(s.wholeReads(), 1);
});
