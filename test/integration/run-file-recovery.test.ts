import { promises as fs } from 'node:fs';
import test, { type ExecutionContext } from 'ava';
import {
  RunFileSchema,
  readJsonTolerant,
  runFile,
  runFileCopy,
  workerConfigFile,
} from '../../shared/index.js';
import { planRun } from '../../supervisor/plan.js';
import { resultsFolderProblem } from '../../supervisor/prepare-run.js';
import { startRun } from '../../supervisor/run.js';
import { fakeWorker, testRunOptions } from '../helpers/run-fixture.js';
import { makeTempDir } from '../helpers/temp-dir.js';

// Issue 10, problem 5: a damaged run.json is recovered, never answered with "--fresh".

/** A finished run of the fake workers in a temporary folder, removed after the test. */
async function finishedRun(t: ExecutionContext) {
  const { dir, remove } = makeTempDir();
  t.teardown(remove);
  const options = testRunOptions(dir);
  const first = await startRun(options, { workerEntry: fakeWorker });
  t.is((await first.done).exitCode, 0);
  return { dir, options, runId: first.plan.runId };
}

const truncate = async (file: string) => fs.writeFile(file, (await fs.readFile(file, 'utf8')).slice(0, 30));

test.serial(
  'a corrupt run.json is recovered from its copy, then from the worker configs; the run resumes',
  async (t) => {
    const { options, runId } = await finishedRun(t);

    await truncate(runFile(options.resultsDir));
    const fromCopy = await startRun(options, { workerEntry: fakeWorker });
    t.true(fromCopy.resumed);
    t.is(fromCopy.plan.runId, runId);
    t.true(
      fromCopy.notices.some((n) => /recovered .*run\.json from .*run\.backup\.json/.test(n)),
      fromCopy.notices.join('\n'),
    );
    t.is((await fromCopy.done).report.jobs.length, 6);
    t.true(
      (await readJsonTolerant(runFile(options.resultsDir), RunFileSchema)).ok,
      'run.json is whole again',
    );

    await truncate(runFile(options.resultsDir));
    await fs.rm(runFileCopy(options.resultsDir));
    const fromConfigs = await startRun(options, { workerEntry: fakeWorker });
    t.true(fromConfigs.resumed);
    t.is(fromConfigs.plan.runId, runId);
    t.true(
      fromConfigs.notices.some((n) => /recovered .*run\.json from the worker configs/.test(n)),
      fromConfigs.notices.join('\n'),
    );
    const { report } = await fromConfigs.done;
    t.is(report.jobs.length, 6, 'nothing lost, nothing redone');
  },
);

test.serial(
  'when nothing says which run the folder holds, the error names the files and not --fresh',
  async (t) => {
    const { options } = await finishedRun(t);
    await truncate(runFile(options.resultsDir));
    await truncate(runFileCopy(options.resultsDir));
    await truncate(workerConfigFile(options.resultsDir, 1));
    const error = await t.throwsAsync(() => startRun(options, { workerEntry: fakeWorker }));
    t.regex(error?.message ?? '', /run\.json/);
    t.regex(error?.message ?? '', /run\.backup\.json/);
    t.notRegex(error?.message ?? '', /--fresh/);
  },
);

test.serial(
  'the preflight reads a recoverable folder without writing and finds no problem; an unknown one it names',
  async (t) => {
    const { dir, options } = await finishedRun(t);
    const plan = planRun(options, new Date());

    await truncate(runFile(options.resultsDir));
    const damaged = await fs.readFile(runFile(options.resultsDir), 'utf8');
    t.is(await resultsFolderProblem(options, plan), null, 'recoverable from the copy: no problem');
    t.is(await fs.readFile(runFile(options.resultsDir), 'utf8'), damaged, 'the preflight wrote nothing');

    const other = testRunOptions(dir, { pairs: ['BTC-USD'] });
    t.regex(
      (await resultsFolderProblem(other, planRun(other, new Date()))) ?? '',
      /holds a different run .*Pass --fresh/,
    );

    await truncate(runFileCopy(options.resultsDir));
    await truncate(workerConfigFile(options.resultsDir, 1));
    const problem = (await resultsFolderProblem(options, plan)) ?? '';
    t.regex(problem, /nothing says which run they belong to/);
    t.notRegex(problem, /--fresh/);
  },
);
