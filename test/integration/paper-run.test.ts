import { promises as fs } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { PaperReportSchema, paperLedgerFile, paperReportFile, readJsonTolerant } from '../../shared/index.js';
import { startPaperRun } from '../../supervisor/index.js';
import { backtest } from '../../worker/backtest.js';
import { readCandleCsv } from '../../worker/market-data/index.js';
import { loadAgent } from '../../worker/model/index.js';
import { readLedger } from '../../worker/paper/ledger.js';
import { tradesCsv } from '../../worker/run-exports.js';
import { launchChromium } from '../helpers/chromium.js';
import { runCli, SHARED_DATA_DIR } from '../helpers/cli.js';
import { repoRoot } from '../helpers/run-fixture.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { shellQuote, startTmuxSession, tmuxAvailable } from '../helpers/tmux.js';
import { type TrainedModel, trainSmallModel } from '../helpers/trained-model.js';
import { waitFor } from '../helpers/wait-for.js';

// Paper traders as workers of the supervisor (issue 9): `trading-workers paper` over a replay, its
// worker SIGKILLed and restarted by the supervisor, and the dashboard and the page showing it.

const tmp = makeTempDir('tw-paper-run-');
test.after.always(tmp.remove);
const modelsDir = path.join(tmp.dir, 'models');
let trained: Promise<TrainedModel> | undefined;
/** A freshly trained BTC-USD model where a run keeps its best model: models/worker_1_BTC_USD_model. */
const model = () => {
  trained ??= (async () => {
    const m = await trainSmallModel(path.join(tmp.dir, 'train'), { pair: 'BTC-USD', days: 120 });
    await fs.cp(m.modelDir, path.join(modelsDir, 'worker_1_BTC_USD_model'), { recursive: true });
    return { ...m, modelDir: path.join(modelsDir, 'worker_1_BTC_USD_model') };
  })();
  return trained;
};

const withoutTimes = async (results: string) => {
  const ledger = await readLedger(paperLedgerFile(results, 'BTC-USD'));
  return ledger.candles.map(({ at: _at, ...line }) => line);
};
let reference: Awaited<ReturnType<typeof withoutTimes>> | undefined;

test.serial(
  'paper --replay: one trader per pair under the supervisor, ending where backtest ends',
  async (t) => {
    const m = await model();
    const results = path.join(tmp.dir, 'straight');
    const replay = () =>
      runCli(
        [
          'paper',
          '--models',
          modelsDir,
          '--replay',
          SHARED_DATA_DIR,
          '--speed',
          '1000000',
          '--headless',
          '--results',
          results,
        ],
        { env: { CI: 'true' } },
      );
    const run = await replay();
    t.is(run.exitCode, 0, String(run.stderr));
    const stdout = String(run.stdout);
    t.regex(stdout, /worker 1 {2}BTC-USD {2}(long|flat) @ [\d.]+ · 2023-\d\d-\d\d \d\d:00 {2}equity/);
    t.regex(stdout, /paper run finished: 1\/1 traders done, 0 failed/);
    t.regex(stdout, /^BTC-USD +done +(flat|long) +\d+\.\d\d +[-+]\d+\.\d\d% +[-+]\d+\.\d\d%/m);
    t.regex(String(run.stderr), /BTC-USD: model .*worker_1_BTC_USD_model/);

    const report = await readJsonTolerant(paperReportFile(results), PaperReportSchema);
    t.true(report.ok);
    if (!report.ok) return;
    t.is(report.value.outcome, 'completed');
    const trader = report.value.traders[0]!;
    const agent = await loadAgent(m.modelDir);
    const series = await readCandleCsv(path.join(SHARED_DATA_DIR, 'BTC_USD_data.csv'), 'BTC-USD', 'data-dir');
    const bt = backtest(agent, series, { feeRate: 0.001, initialCash: 10_000 });
    agent.dispose();
    t.is(trader.equity, bt.agent.values.at(-1)!);
    t.is(trader.trades, bt.agent.metrics.trades);
    const dir = path.dirname(paperLedgerFile(results, 'BTC-USD'));
    t.is(await fs.readFile(path.join(dir, 'trades.csv'), 'utf8'), tradesCsv(bt.trades));
    reference = await withoutTimes(results);

    // The same command again resumes the finished run: nothing is decided twice.
    const again = await replay();
    t.is(again.exitCode, 0, String(again.stderr));
    t.regex(String(again.stderr), /resuming paper run paper-/);
    t.deepEqual(await withoutTimes(results), reference);
  },
);

test.serial(
  'the supervisor restarts a paper worker SIGKILLed three times; the ledger ends the same',
  async (t) => {
    const m = await model();
    t.truthy(reference, 'needs the first test’s ledger');
    const results = path.join(tmp.dir, 'killed');
    const handle = await startPaperRun({
      workers: 1,
      pairs: ['BTC-USD'],
      models: { 'BTC-USD': m.modelDir },
      feed: { mode: 'replay', dir: SHARED_DATA_DIR, speed: 120_000, from: null, to: null },
      feeRate: 0.001,
      initialCash: 10_000,
      resultsDir: results,
      modelsDir,
      cacheDir: path.join(tmp.dir, 'cache'),
      runtime: 'local',
      fresh: false,
      restartPolicy: { baseDelayMs: 100, maxDelayMs: 500 },
    });
    const ledger = paperLedgerFile(results, 'BTC-USD');
    const lines = async () => (await fs.readFile(ledger, 'utf8').catch(() => '')).split('\n').length - 1;
    const total = reference!.length + 1;
    const seed = Date.now() % 997;
    const kills: number[] = [];
    for (const [i, share] of [0.15, 0.45, 0.75].entries()) {
      const at = Math.round(total * (share + ((seed * (i + 3)) % 100) / 1000));
      const pid = await waitFor(
        async () => {
          const w = handle.store.getSnapshot().workers[0];
          return (await lines()) >= at && w?.process === 'running' && w.pid ? w.pid : null;
        },
        `ledger line ${at} with worker 1 running (seed ${seed})`,
        120_000,
        5,
      );
      process.kill(pid, 'SIGKILL');
      kills.push(await lines());
    }
    const { exitCode, report } = await handle.done;
    t.is(exitCode, 0);
    t.is(report.workers[0]!.restarts, 3);
    t.true(report.workers[0]!.exits.slice(0, 3).every((e) => e.signal === 'SIGKILL'));
    t.deepEqual(await withoutTimes(results), reference, `killed at ledger lines ${kills.join(', ')}`);
  },
);

test.serial(
  'the dashboard in tmux shows a paper replay: traders, positions, equity against buy-and-hold',
  async (t) => {
    if (!tmuxAvailable()) throw new Error('tmux is not installed: the terminal end-to-end test needs it');
    await model();
    const results = path.join(tmp.dir, 'tmux');
    const args = [
      'paper',
      '--models',
      modelsDir,
      '--replay',
      SHARED_DATA_DIR,
      '--speed',
      '3600',
      '--results',
      results,
    ];
    const command = `env -u CI node --import tsx cli.ts ${args.map(shellQuote).join(' ')}; echo "RUN-EXIT $?"; sleep 120`;
    const session = await startTmuxSession({ command, columns: 120, rows: 40, cwd: repoRoot });
    try {
      // The trader's row is drawn before its first decision (0/575, —); wait for a decided candle.
      const traderRow =
        /BTC-USD +trading +(flat|long) +[\d.]+ +[-+]?\d+\.\d\d% +[-+]?\d+\.\d\d% +[-+]?\d+\.\d\d% +\d+ +\d+\/575 +(flat|long) @ [\d.]+ · 2023-/;
      const screen = await session.waitForScreen(
        (s) =>
          /Worker 1 +◈ trading/.test(s) && /Paper traders · 1 pair · replay/.test(s) && traderRow.test(s),
        'the trader on the dashboard with a decided candle',
        90_000,
      );
      t.regex(screen, /pair +state +position +equity +P\/L % +B&H % +vs B&H +trades +candles +last decision/);
      t.regex(screen, traderRow);
      await session.sendKeys('q');
      await session.waitForScreen((s) => s.includes('quit and stop the run? y/n'), 'the quit question');
      await session.sendKeys('y');
      const end = await session.waitForScreen((s) => /RUN-EXIT \d/.test(s), 'the run to stop', 60_000);
      t.regex(end, /Paper run paper-\S+: 1 trader/);
      t.regex(end, /BTC-USD +stopped/);
    } finally {
      await session.kill();
    }
  },
);

test.serial(
  'the page in Chromium shows a paper replay: the traders table and the equity chart',
  async (t) => {
    await model();
    const results = path.join(tmp.dir, 'page');
    const run = runCli(
      [
        'paper',
        '--models',
        modelsDir,
        '--replay',
        SHARED_DATA_DIR,
        '--speed',
        '7200',
        '--headless',
        '--http',
        '0',
        '--results',
        results,
      ],
      { env: { CI: 'true' } },
    );
    let stderr = '';
    run.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const browser = await launchChromium();
    try {
      const url = await waitFor(
        () => /HTTP mirror: (http:\/\/\S+)/.exec(stderr)?.[1],
        'the mirror URL',
        60_000,
      );
      const page = await browser.newPage({ viewport: { width: 1366, height: 1000 } });
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(url);
      // biome-ignore lint/performance/useDomNodeTextContent: rendered text (hidden elements excluded) is what a person reads
      const visibleText = () => page.locator('body').innerText();
      const text = await waitFor(
        async () => {
          const body = await visibleText();
          return /BTC-USD\s+trading\s+(flat|long)/.test(body) && /\d+\/575/.test(body) ? body : null;
        },
        'the trader on the page',
        90_000,
        100,
      );
      t.regex(text, /Paper traders/);
      t.notRegex(text, /Leaderboard/);
      const candles = async () => Number(/(\d+)\/575/.exec(await visibleText())?.[1] ?? -1);
      const first = await candles();
      // It moves without a reload, and the equity chart is drawn.
      await waitFor(
        async () => (await candles()) > first,
        'the candle count to move on the page',
        30_000,
        100,
      );
      // Drawn once the trader has two points to plot.
      const charts = await waitFor(
        () =>
          page.$$eval(
            '#paper-charts canvas',
            (cs) => (cs as HTMLCanvasElement[]).filter((c) => c.getBoundingClientRect().width > 50).length,
          ),
        'the paper equity chart',
        30_000,
        100,
      );
      t.true(charts >= 1, `${charts} paper charts drawn`);
      t.deepEqual(problems, []);
    } finally {
      await browser.close();
      run.kill('SIGINT');
      await run;
    }
  },
);
