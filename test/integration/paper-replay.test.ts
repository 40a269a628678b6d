import { promises as fs } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { execa, type ResultPromise } from 'execa';
import {
  type PaperConfig,
  PaperConfigSchema,
  paperLedgerFile,
  readJsonTolerant,
  WorkerStatusSchema,
  workerConfigFile,
  workerStatusFile,
  writeJsonAtomic,
} from '../../shared/index.js';
import { backtest } from '../../worker/backtest.js';
import { readCandleCsv } from '../../worker/market-data/index.js';
import { loadAgent } from '../../worker/model/index.js';
import { readLedger } from '../../worker/paper/ledger.js';
import { equityCsv, tradesCsv } from '../../worker/run-exports.js';
import { equityLog } from '../../worker/trade-log.js';
import { assertLedgerIsBacktest } from '../helpers/ledger-backtest.js';
import { SHARED_DATA_DIR } from '../helpers/real-candles.js';
import { repoRoot } from '../helpers/run-fixture.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { type TrainedModel, trainSmallModel } from '../helpers/trained-model.js';
import { waitFor } from '../helpers/wait-for.js';

// Issue 9: "a paper replay of one pair over its test slice (fee 0.1 %) ends with exactly the trades
// and final equity that backtest gives on the same hours; the same replay with its worker SIGKILLed
// three times at random moments ends with the same ledger (no duplicate, no missing candle)".

const tmp = makeTempDir('tw-paper-replay-');
test.after.always(tmp.remove);
let trained: Promise<TrainedModel> | undefined;
const model = () => {
  trained ??= trainSmallModel(tmp.dir, { pair: 'BTC-USD', days: 120, episodes: 1 });
  return trained;
};

async function writeConfig(resultsDir: string, modelDir: string, speed: number): Promise<string> {
  const config: PaperConfig = {
    schema: 1,
    kind: 'paper',
    runId: 'paper-replay-test',
    workerId: 1,
    jobs: [{ jobId: 'BTC-USD/paper', pair: 'BTC-USD', model: modelDir }],
    feed: { mode: 'replay', dir: SHARED_DATA_DIR, speed, from: null, to: null },
    feeRate: 0.001,
    initialCash: 10_000,
    resultsDir,
    createdAt: new Date().toISOString(),
  };
  PaperConfigSchema.parse(config);
  const file = workerConfigFile(resultsDir, 1);
  await writeJsonAtomic(file, config);
  return file;
}

/** The worker process, as the local runtime starts it (node itself, the worker's own entry). */
function startWorker(config: string): ResultPromise {
  return execa(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'worker', 'main.ts'), '--config', config],
    {
      cwd: repoRoot,
      reject: false,
      all: true,
    },
  );
}

const countLines = async (file: string) => {
  try {
    return (await fs.readFile(file, 'utf8')).split('\n').length - 1;
  } catch {
    return 0;
  }
};

/** The ledger's lines without their wall-clock times (the only field a restart may change). */
async function ledgerContent(resultsDir: string) {
  const ledger = await readLedger(paperLedgerFile(resultsDir, 'BTC-USD'));
  const { at: _s, ...start } = ledger.start!;
  return {
    start,
    candles: ledger.candles.map(({ at: _c, ...line }) => line),
    end: ledger.end?.reason ?? null,
  };
}

let reference: Awaited<ReturnType<typeof ledgerContent>> | undefined;

test.serial(
  'a paper replay of the test slice ends with exactly the trades and final equity of backtest',
  async (t) => {
    const m = await model();
    const results = path.join(tmp.dir, 'straight');
    const run = await startWorker(await writeConfig(results, m.modelDir, 1_000_000));
    t.is(run.exitCode, 0, String(run.all));
    const status = await readJsonTolerant(workerStatusFile(results, 1), WorkerStatusSchema);
    t.true(status.ok);
    if (!status.ok) return;
    t.is(status.value.state, 'done');
    const trader = status.value.paper![0]!;
    t.is(trader.state, 'done');

    const agent = await loadAgent(m.modelDir);
    const series = await readCandleCsv(path.join(SHARED_DATA_DIR, 'BTC_USD_data.csv'), 'BTC-USD', 'data-dir');
    const bt = backtest(agent, series, { feeRate: 0.001, initialCash: 10_000 });
    agent.dispose();
    const ledger = await readLedger(paperLedgerFile(results, 'BTC-USD'));
    // Every hour of the backtest, once, in order: decisions on all but the last, which settles.
    t.is(ledger.candles.length, bt.end - bt.start);
    t.is(ledger.candles[0]!.candleTime, new Date(series.times[bt.start]!).toISOString());
    assertLedgerIsBacktest(t, ledger.candles, bt);
    t.is(ledger.candles.at(-1)!.action, null);
    t.is(ledger.candles.at(-1)!.markedEquity, bt.agent.values.at(-1)!);
    t.true(bt.trades.length > 5);
    const dir = path.dirname(paperLedgerFile(results, 'BTC-USD'));
    t.is(await fs.readFile(path.join(dir, 'trades.csv'), 'utf8'), tradesCsv(bt.trades));
    t.is(
      await fs.readFile(path.join(dir, 'equity.csv'), 'utf8'),
      equityCsv(equityLog(bt.run, bt.buyAndHold.values)),
    );
    t.is(trader.trades, bt.trades.length);
    t.is(trader.candles, bt.end - bt.start - 1);
    t.is(trader.candlesTotal, bt.end - bt.start - 1);
    reference = await ledgerContent(results);
  },
);

test.serial(
  'the same replay with its worker SIGKILLed three times at random moments ends with the same ledger',
  async (t) => {
    const m = await model();
    t.truthy(reference, 'needs the uninterrupted replay of the test before');
    if (!reference) return;
    const results = path.join(tmp.dir, 'killed');
    const config = await writeConfig(results, m.modelDir, 120_000);
    const ledgerFile = paperLedgerFile(results, 'BTC-USD');
    const total = reference.candles.length + 2;
    const seed = Date.now() % 1000;
    let state = seed;
    const random = () => {
      state = (state * 16807) % 2147483647;
      return state / 2147483647;
    };
    const kills: number[] = [];
    for (const [low, high] of [
      [0.1, 0.3],
      [0.4, 0.6],
      [0.7, 0.9],
    ] as const) {
      const at = Math.round(total * (low + (high - low) * random()));
      const worker = startWorker(config);
      await waitFor(
        async () => (await countLines(ledgerFile)) >= at,
        `ledger line ${at} (seed ${seed})`,
        120_000,
        5,
      );
      worker.kill('SIGKILL');
      const ended = await worker;
      t.is(ended.signal, 'SIGKILL', `seed ${seed}`);
      kills.push(await countLines(ledgerFile));
    }
    t.true(
      kills.every((k, i) => i === 0 || k >= kills[i - 1]!),
      `lines at the kills: ${kills.join(', ')}`,
    );
    const last = await startWorker(config);
    t.is(last.exitCode, 0, String(last.all));
    t.regex(String(last.all), /resuming after /);
    t.deepEqual(
      await ledgerContent(results),
      reference,
      `kills at ledger lines ${kills.join(', ')} (seed ${seed})`,
    );
  },
);
