import test from 'ava';
import { formatZodIssues, JobResultSchema, WorkerResultsSchema } from '../shared/index.js';
import { jobResult, workerResults } from '../test/helpers/worker-results-fixture.js';
import { workerResultsValidator } from './worker-results-validator.js';

const PAIRS = ['BTC-USD', 'ETH-USD', 'SOL-USD'];
const VARIANTS = ['base', 'fast-lr', 'explore-long', 'short-horizon'];
// A worker's jobs in the order it finishes them, with the walk-forward evidence newer files carry.
const allJobs = PAIRS.flatMap((pair, p) =>
  VARIANTS.map((variant, v) =>
    jobResult({ pair, variant, sharpe: 0.1 * (p + v) - 0.2, pVsBuyAndHold: 0.01 * (1 + p + v) }),
  ),
);
/** The file as the worker writes it after `n` jobs, read back through JSON as the supervisor reads it. */
const fileAfter = (n: number): unknown => JSON.parse(JSON.stringify(workerResults(1, allJobs.slice(0, n))));

/** Counts the job validations zod does while `f` runs. */
function countingJobValidations<T>(f: () => T): { value: T; validated: number } {
  const original = JobResultSchema.safeParse;
  let validated = 0;
  JobResultSchema.safeParse = ((data: unknown) => {
    validated++;
    return original.call(JobResultSchema, data);
  }) as typeof original;
  try {
    return { value: f(), validated };
  } finally {
    JobResultSchema.safeParse = original;
  }
}

test('as the file grows a job at a time: the same value as the whole schema, validating only the new job', (t) => {
  const validator = workerResultsValidator();
  for (let n = 1; n <= allJobs.length; n++) {
    const data = fileAfter(n);
    const { value, validated } = countingJobValidations(() => validator.safeParse(data));
    t.true(value.success);
    t.deepEqual(value.success ? value.data : null, WorkerResultsSchema.parse(data), `after ${n} jobs`);
    t.is(validated, 1, `after ${n} jobs only the new one is validated`);
  }
  // A reread of the same file validates nothing again.
  t.is(countingJobValidations(() => validator.safeParse(fileAfter(allJobs.length))).validated, 0);
});

test('a job that changed under the same id is validated again, and its error names the field as the whole schema does', (t) => {
  const validator = workerResultsValidator();
  t.true(validator.safeParse(fileAfter(3)).success);

  const retried = fileAfter(3) as { jobs: { metrics: { sharpe: unknown; pnlPct: number } }[] };
  retried.jobs[1]!.metrics.pnlPct = 9.75; // the job was trained again after a restart
  const again = countingJobValidations(() => validator.safeParse(retried));
  t.is(again.validated, 1);
  t.true(again.value.success);
  t.is(again.value.success ? again.value.data.jobs[1]!.metrics?.pnlPct : null, 9.75);

  const damaged = fileAfter(3) as typeof retried;
  damaged.jobs[2]!.metrics.sharpe = 'high';
  const read = validator.safeParse(damaged);
  const whole = WorkerResultsSchema.safeParse(damaged);
  t.false(read.success);
  t.false(whole.success);
  if (read.success || whole.success) return;
  t.is(formatZodIssues(read.error), formatZodIssues(whole.error));
  t.regex(formatZodIssues(read.error), /^jobs\.2\.metrics\.sharpe: /);

  // A damaged read forgets nothing: the good jobs are still known and not validated again.
  const after = countingJobValidations(() => validator.safeParse(retried));
  t.true(after.value.success);
  t.is(after.validated, 0);
});

test('an envelope error names its field, as the whole schema does', (t) => {
  const validator = workerResultsValidator();
  const data = fileAfter(2) as Record<string, unknown>;
  delete data.runId;
  data.workerId = 0;
  const read = validator.safeParse(data);
  const whole = WorkerResultsSchema.safeParse(data);
  t.false(read.success);
  if (read.success || whole.success) return t.fail('both must refuse it');
  t.is(formatZodIssues(read.error), formatZodIssues(whole.error));
  t.regex(formatZodIssues(read.error), /runId: .*; workerId: /);
});

test('jobs without a usable id are validated each time, and refused with the whole schema’s message', (t) => {
  const validator = workerResultsValidator();
  const data = fileAfter(2) as { jobs: Record<string, unknown>[] };
  data.jobs[0]!.jobId = 42;
  const read = validator.safeParse(data);
  const whole = WorkerResultsSchema.safeParse(data);
  t.false(read.success);
  if (read.success || whole.success) return t.fail('both must refuse it');
  t.is(formatZodIssues(read.error), formatZodIssues(whole.error));
  t.regex(formatZodIssues(read.error), /^jobs\.0\.jobId: /);
});
