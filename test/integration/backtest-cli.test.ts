import { promises as fs } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { parse } from 'csv-parse/sync';
import { BacktestReportSchema, EvalMetricsSchema, type Significance } from '../../shared/index.js';
import { writeEnsembleManifest } from '../../worker/model/index.js';
import { runCli, SHARED_DATA_DIR } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

// Issue 9: "backtest on the run's test slice equals the run's metrics to the last digit", through
// the real command line: train-pair (the worker's job loop) on real candles, then backtest its model.

const tmp = makeTempDir('tw-backtest-');
test.after.always(tmp.remove);

interface Trained {
  metrics: unknown;
  baselines: { buyAndHold: unknown; matchedRandom: unknown };
  significance: Significance;
  costSensitivity: unknown;
  annualization: number;
  modelPath: string;
  data: { testFrom: string; testRows: number };
}
let trained: Promise<Trained> | undefined;
const trainOnce = () => {
  trained ??= (async () => {
    const run = await runCli([
      'train-pair',
      'ETH-USD',
      '--data-dir',
      SHARED_DATA_DIR,
      '--days',
      '120',
      '--episodes',
      '1',
      '--json',
      '--out',
      path.join(tmp.dir, 'models'),
    ]);
    if (run.exitCode !== 0) throw new Error(`train-pair failed: ${run.stderr}`);
    return JSON.parse(String(run.stdout)) as Trained;
  })();
  return trained;
};

/** `backtest MODEL --data-dir <shared data> … --out <tmp>/OUT` through the real command line. */
const backtest = (model: string, out: string, ...options: string[]) =>
  runCli(['backtest', model, '--data-dir', SHARED_DATA_DIR, ...options, '--out', path.join(tmp.dir, out)]);

test.serial(
  'backtest of a freshly trained model on its held-out hours equals the run’s metrics exactly',
  async (t) => {
    const job = await trainOnce();
    const out = path.join(tmp.dir, 'bt');
    const run = await backtest(job.modelPath, 'bt', '--json');
    t.is(run.exitCode, 0, String(run.stderr));
    const report = BacktestReportSchema.parse(JSON.parse(String(run.stdout)));
    t.deepEqual(report.metrics, EvalMetricsSchema.parse(job.metrics));
    t.deepEqual(report.baselines, job.baselines);
    // The training's significance, seeded alike: only the deflated Sharpe differs (a model folder
    // does not know the trials it was chosen among, so backtest counts one configuration).
    const { deflatedSharpe, configurations, ...figures } = report.significance!;
    const { deflatedSharpe: _d, configurations: trainedConfigurations, ...trainedFigures } = job.significance;
    t.deepEqual(figures, trainedFigures);
    t.is(configurations, 1);
    t.true(trainedConfigurations >= 1);
    t.is(deflatedSharpe === null, _d === null);
    t.deepEqual(report.costSensitivity, job.costSensitivity);
    t.is(report.annualization, job.annualization);
    t.is(report.from, job.data.testFrom);
    t.is(report.hours, job.data.testRows);
    t.is(report.inSampleHours, 0);
    t.is(report.pair, 'ETH-USD');
    const trades = parse(await fs.readFile(path.join(out, 'trades.csv'), 'utf8'), { columns: true });
    t.is(trades.length, report.metrics.trades);
    const equity = parse(await fs.readFile(path.join(out, 'equity.csv'), 'utf8'), {
      columns: true,
    }) as Record<string, string>[];
    t.is(equity.length, report.hours);
    t.is(Number(equity.at(-1)!.equity), report.metrics.finalValue);
    t.deepEqual(JSON.parse(await fs.readFile(path.join(out, 'backtest.json'), 'utf8')), report);
  },
);

test.serial('an ensemble of that one model backtests to the same numbers', async (t) => {
  const job = await trainOnce();
  const manifest = await writeEnsembleManifest(path.join(tmp.dir, 'ensemble-one'), {
    pair: 'ETH-USD',
    members: [{ dir: job.modelPath }],
    chosenBy: 'test',
  });
  const run = await backtest(manifest, 'bt-ens', '--json');
  t.is(run.exitCode, 0, String(run.stderr));
  const report = BacktestReportSchema.parse(JSON.parse(String(run.stdout)));
  t.is(report.kind, 'ensemble');
  t.deepEqual(report.metrics, EvalMetricsSchema.parse(job.metrics));
  t.deepEqual(report.baselines, job.baselines);
});

test.serial('a range reaching into the training hours says so; the fee is honoured', async (t) => {
  const job = await trainOnce();
  const run = await backtest(
    job.modelPath,
    'bt-in-sample',
    ...['--from', '2023-10-01', '--to', '2023-11-30T23:00Z', '--fee', '0.2%'],
  );
  t.is(run.exitCode, 0, String(run.stderr));
  const stdout = String(run.stdout);
  t.regex(
    stdout,
    /^ETH-USD — backtest of .* \(model\), 1464 hours 2023-10-01T00:00 → 2023-11-30T23:00, fee 0\.200%/,
  );
  t.regex(stdout, /IN-SAMPLE: \d+ of these 1464 hours were used in training or validation/);
  t.regex(stdout, /P\/L %\s+-?\d+\.\d\d\s+-?\d+\.\d\d\s+-?\d+\.\d\d/);
  t.regex(stdout, /trades: .*trades\.csv\nequity: .*equity\.csv\nreport: .*backtest\.json$/m);
});

test.serial(
  '--annualization: a run trained with another annualisation backtests to its own figures',
  async (t) => {
    const job = await trainOnce();
    const run = await backtest(job.modelPath, 'bt-2190', '--annualization', '2190', '--json');
    t.is(run.exitCode, 0, String(run.stderr));
    const report = BacktestReportSchema.parse(JSON.parse(String(run.stdout)));
    t.is(report.annualization, 2190);
    // Sharpe scales with √annualization: √(2190 / 8760) = 1/2; everything else is the same run. The agent
    // of a one-episode run may never trade (no variance, no Sharpe); buy-and-hold always has one.
    const trainedHold = EvalMetricsSchema.parse(job.baselines.buyAndHold).sharpe!;
    const hold = report.baselines.buyAndHold.sharpe!;
    t.true(Math.abs(hold - trainedHold / 2) < 1e-9, `${hold} vs ${trainedHold}`);
    const trainedAgent = EvalMetricsSchema.parse(job.metrics).sharpe;
    if (trainedAgent !== null) t.true(Math.abs(report.metrics.sharpe! - trainedAgent / 2) < 1e-9);
    t.is(report.metrics.pnlPct, EvalMetricsSchema.parse(job.metrics).pnlPct);
  },
);

test.serial('bad input: one line naming the problem, exit 2 (model, fee) or 1 (candles)', async (t) => {
  const job = await trainOnce();
  const cases: [string[], number, RegExp][] = [
    [
      ['backtest', path.join(tmp.dir, 'no-model'), '--data-dir', SHARED_DATA_DIR],
      2,
      /no-model: not a model folder/,
    ],
    [
      ['backtest', job.modelPath, '--data-dir', SHARED_DATA_DIR, '--fee', '12%'],
      2,
      /--fee must be a fraction like 0\.001/,
    ],
    [
      ['backtest', job.modelPath, '--data-dir', SHARED_DATA_DIR, '--annualization', '0'],
      2,
      /--annualization must be a number of periods per year above 0, got 0/,
    ],
    [
      ['backtest', job.modelPath, '--data-dir', SHARED_DATA_DIR, '--from', '2024-03-01'],
      1,
      /^trading-workers: ETH-USD: the range 2024-03-01T00:00 → end leaves 0 candle\(s\)/,
    ],
    [
      ['backtest', job.modelPath, '--offline', '--data', path.join(tmp.dir, 'empty-cache')],
      1,
      /ETH-USD: no cached candles at/,
    ],
  ];
  for (const [args, code, message] of cases) {
    const run = await runCli(args);
    t.is(run.exitCode, code, args.join(' '));
    const lines = String(run.stderr)
      .split('\n')
      .filter((l) => l.startsWith('trading-workers:'));
    t.is(lines.length, 1, args.join(' '));
    t.regex(lines[0] ?? '', message);
    t.is(String(run.stdout), '');
  }
});
