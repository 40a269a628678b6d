import { readFileSync, statSync } from 'node:fs';
import test from 'ava';
import { type AggregatedResults, AggregatedResultsSchema, aggregatedResultsFile } from '../shared/index.js';
import { makeTempDir } from '../test/helpers/temp-dir.js';
import { waitFor } from '../test/helpers/wait-for.js';
import { jobResult, workerResults } from '../test/helpers/worker-results-fixture.js';
import { collectResults } from './results-collector.js';

const RUN = 'run-test';
const jobs = [
  jobResult({ pair: 'BTC-USD', variant: 'base', sharpe: 0.9 }),
  jobResult({ pair: 'BTC-USD', variant: 'fast-lr', sharpe: 1.4 }),
  jobResult({ pair: 'ETH-USD', variant: 'base', sharpe: 0.2 }),
];

function collector(t: { teardown: (f: () => void) => void }, fileIntervalMs: number) {
  const { dir, remove } = makeTempDir();
  t.teardown(remove);
  const seen: AggregatedResults[] = [];
  const problems: string[] = [];
  const results = collectResults({
    resultsDir: dir,
    runId: RUN,
    jobsTotal: 3,
    now: Date.now,
    onAggregated: (a) => seen.push(a),
    onProblem: (m) => problems.push(m),
    delayMs: 1,
    minIntervalMs: 1,
    fileIntervalMs,
  });
  t.teardown(() => results.stop());
  const file = aggregatedResultsFile(dir);
  const onDisk = (): number | null => {
    try {
      return AggregatedResultsSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).jobsDone;
    } catch {
      return null;
    }
  };
  return { results, seen, problems, onDisk, file };
}

test('the views get every aggregate; the file is spaced out, and flush writes the latest', async (t) => {
  const { results, seen, problems, onDisk, file } = collector(t, 60_000);
  t.true(results.accept(1, workerResults(1, jobs.slice(0, 1))));
  results.schedule();
  await waitFor(async () => onDisk() === 1, 'the first aggregate on disk', 5_000, 5);
  const firstWrite = statSync(file).mtimeMs;

  t.true(results.accept(1, workerResults(1, jobs.slice(0, 2))));
  results.schedule();
  await waitFor(async () => seen.at(-1)?.jobsDone === 2, 'the second aggregate in the views', 5_000, 5);
  // Within the file interval the file keeps the first aggregate: no second ~1 MB rewrite yet.
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.is(onDisk(), 1);
  t.is(statSync(file).mtimeMs, firstWrite);

  t.true(results.accept(1, workerResults(1, jobs)));
  const final = await results.flush();
  t.is(final.jobsDone, 3);
  t.is(onDisk(), 3, 'flush writes at once, whatever the interval');
  t.deepEqual(problems, []);
});

test('an aggregate held back by the file interval is written when it ends, without a flush', async (t) => {
  const { results, seen, onDisk } = collector(t, 300);
  results.accept(1, workerResults(1, jobs.slice(0, 1)));
  results.schedule();
  await waitFor(async () => onDisk() === 1, 'the first aggregate on disk', 5_000, 5);
  results.accept(2, workerResults(2, jobs.slice(1)));
  results.schedule();
  await waitFor(async () => seen.at(-1)?.jobsDone === 3, 'the second aggregate in the views', 5_000, 5);
  await waitFor(async () => onDisk() === 3, 'the held-back aggregate on disk', 5_000, 10);
  t.pass();
});

test("another run's results are refused with a problem naming the file, and never aggregated", (t) => {
  const { results, problems } = collector(t, 60_000);
  t.false(results.accept(2, workerResults(2, jobs, [], 'run-other')));
  t.is(results.results(2), undefined);
  t.regex(problems[0] ?? '', /worker_2_results\.json: run run-other is not this run \(run-test\); ignored/);
});
