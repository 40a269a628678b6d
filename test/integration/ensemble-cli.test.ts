import { promises as fs } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {
  BacktestReportSchema,
  EnsembleResultsSchema,
  ensembleResultsFile,
  readJsonTolerant,
} from '../../shared/index.js';
import { readReport, runArgs, runCli, SHARED_DATA_DIR, tempRunDirs } from '../helpers/cli.js';

// Issue 9: `trading-workers ensemble --results DIR` after a run trained with --no-ensemble.

test.serial(
  'train --no-ensemble leaves none; ensemble --results builds it, equal to a backtest of its manifest',
  async (t) => {
    t.timeout(600_000);
    const dirs = tempRunDirs(t);
    const train = await runCli(
      [
        'train',
        '--headless',
        '--no-ensemble',
        ...runArgs(dirs, { workers: 1, pairs: ['BTC-USD', 'SOL-USD'], variants: 2, episodes: 1, days: 120 }),
      ],
      { timeout: 540_000 },
    );
    t.is(train.exitCode, 0, String(train.stderr));
    t.is((await readReport(dirs.results)).ensembles, undefined);
    await t.throwsAsync(fs.access(ensembleResultsFile(dirs.results)));
    t.false((await fs.readdir(dirs.models)).includes('ensembles'));
    t.false(String(train.stdout).includes('ensemble of'));

    const run = await runCli(['ensemble', '--results', dirs.results]);
    t.is(run.exitCode, 0, String(run.stderr));
    t.regex(String(run.stdout), /^Ensembles of run run-\S+ \(majority vote, a tie holds cash\)/);
    t.regex(String(run.stdout), /^BTC-USD +2 +[-+]?\d+\.\d\d%/m);
    t.regex(String(run.stdout), /^SOL-USD +2 +[-+]?\d+\.\d\d%/m);
    const read = await readJsonTolerant(ensembleResultsFile(dirs.results), EnsembleResultsSchema);
    if (!read.ok) return t.fail(read.message);
    const results = read.value;
    t.deepEqual(
      results.ensembles.map((e) => [e.pair, e.members.map((m) => m.variant)]),
      [
        ['BTC-USD', ['base', 'fast-lr']],
        ['SOL-USD', ['base', 'fast-lr']],
      ],
    );
    // The report now names them too.
    t.deepEqual((await readReport(dirs.results)).ensembles, results);

    // Its figures are a backtest of its manifest on the same hours.
    const btc = results.ensembles[0]!;
    const backtest = await runCli([
      'backtest',
      btc.manifest,
      '--data-dir',
      SHARED_DATA_DIR,
      '--json',
      '--out',
      path.join(dirs.results, 'bt'),
    ]);
    t.is(backtest.exitCode, 0, String(backtest.stderr));
    const report = BacktestReportSchema.parse(JSON.parse(String(backtest.stdout)));
    t.is(report.from, btc.from);
    t.is(report.hours, btc.hours);
    t.deepEqual(report.metrics, btc.metrics);
    t.is(
      await fs.readFile(path.join(dirs.results, 'bt', 'trades.csv'), 'utf8'),
      await fs.readFile(btc.exports!.trades, 'utf8'),
    );
  },
);

test('ensemble --results on a folder without a run: one line naming it, exit 2', async (t) => {
  const dirs = tempRunDirs(t);
  const run = await runCli(['ensemble', '--results', dirs.results]);
  t.is(run.exitCode, 2);
  t.regex(
    String(run.stderr),
    new RegExp(
      `--results ${dirs.results.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: no worker_N_config\\.json of a training run`,
    ),
  );
  const missing = await runCli(['ensemble', '--results', path.join(dirs.results, 'nope')]);
  t.is(missing.exitCode, 2);
  t.regex(String(missing.stderr), /nope: no such folder/);
});
