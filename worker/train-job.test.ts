import { promises as fs } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { parse } from 'csv-parse/sync';
import { DEFAULT_ENVIRONMENT } from '../shared/index.js';
import { makeTempDir } from '../test/helpers/temp-dir.js';
import { trainSmallModel } from '../test/helpers/trained-model.js';
import { backtest } from './backtest.js';
import { loadCandles } from './market-data/index.js';
import { loadAgent } from './model/index.js';
import { equityCsv, tradesCsv } from './run-exports.js';
import { equityLog } from './trade-log.js';

test.serial(
  'a finished job leaves trades.csv and equity.csv of its out-of-sample hours beside its model',
  async (t) => {
    const tmp = makeTempDir('tw-train-job-');
    t.teardown(tmp.remove);
    const { result, modelDir, data } = await trainSmallModel(tmp.dir, { pair: 'ETH-USD', days: 120 });
    t.deepEqual(result.exports, {
      trades: path.join(modelDir, 'trades.csv'),
      equity: path.join(modelDir, 'equity.csv'),
    });
    const trades = await fs.readFile(result.exports!.trades, 'utf8');
    const equity = await fs.readFile(result.exports!.equity, 'utf8');

    // One equity row per held-out hour, from the test slice's first hour, ending at the job's P/L.
    const rows = parse(equity, { columns: true }) as Record<string, string>[];
    t.is(rows.length, result.data!.testRows);
    t.is(rows[0]!.time, result.data!.testFrom);
    const last = Number(rows.at(-1)!.equity);
    t.is((last / Number(rows[0]!.equity) - 1) * 100, result.metrics!.pnlPct);
    t.is(parse(trades, { columns: true }).length, result.metrics!.trades);

    // Exactly what `backtest` writes for the saved model on the same hours.
    const agent = await loadAgent(modelDir);
    t.teardown(() => agent.dispose());
    const bt = backtest(agent, await loadCandles('ETH-USD', data), {
      feeRate: DEFAULT_ENVIRONMENT.feeRate,
      initialCash: DEFAULT_ENVIRONMENT.initialCash,
    });
    t.is(trades, tradesCsv(bt.trades));
    t.is(equity, equityCsv(equityLog(bt.run, bt.buyAndHold.values)));
  },
);
