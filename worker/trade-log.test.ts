import { readFile } from 'node:fs/promises';
import test from 'ava';
import { parse } from 'csv-parse/sync';
import { loadRealCandles } from '../test/helpers/real-candles.js';
import { makeTempDir } from '../test/helpers/temp-dir.js';
import { buyAndHold, evaluatePolicy } from './evaluate.js';
import { computeFeatures, fitFeatureSettings } from './features.js';
import { tradeReturns } from './metrics.js';
import { writeRunExports } from './run-exports.js';
import { equityLog, tradeLog } from './trade-log.js';

// A real pass to export: a momentum rule (long after an up hour) on the last 500 ETH-USD hours.
function realRun() {
  const series = loadRealCandles('ETH_USD');
  const n = series.close.length;
  const features = computeFeatures(series, fitFeatureSettings(series, { windowSize: 12, trainEnd: n - 500 }));
  const options = { start: n - 500, end: n, feeRate: 0.001 };
  const agent = evaluatePolicy((obs) => (obs[0]! > 0 ? 1 : 0), series, features, options);
  const hold = buyAndHold(series, features, options);
  const run = {
    times: agent.times,
    close: series.close.slice(n - 500),
    values: agent.values,
    positions: agent.positions,
  };
  return { agent, hold, run };
}

test('trades are the metrics’ round trips with prices, fees and P/L', (t) => {
  const { agent, run } = realRun();
  const trades = tradeLog(run, 0.001);
  t.is(trades.length, agent.metrics.trades);
  t.true(trades.length > 50);
  t.deepEqual(
    trades.map((x) => x.pnlPct),
    tradeReturns(agent.values, agent.positions).map((r) => r * 100),
  );
  // Flat hours keep the value, so the trades compound to the run's P/L.
  const growth = trades.reduce((g, x) => g * (1 + x.pnlPct / 100), 1);
  t.true(Math.abs(growth - (1 + agent.metrics.pnlPct / 100)) < 1e-9);
  const first = trades[0]!;
  const k = run.positions.indexOf(1);
  t.is(first.entryTime, new Date(run.times[k]!).toISOString());
  t.is(first.entryPrice, run.close[k]!);
  t.is(first.entryFee, run.values[k]! * 0.001);
  t.true(first.exitFee > 0 && !first.open);
  t.true(trades.slice(0, -1).every((x) => !x.open));
  t.true(trades.every((x) => x.hours >= 1));
});

test('trades.csv and equity.csv read back with a CSV parser: header, every row, exact numbers', async (t) => {
  const { agent, hold, run } = realRun();
  const dir = makeTempDir('tw-exports-');
  t.teardown(dir.remove);
  const files = await writeRunExports(dir.dir, run, hold.values, 0.001);
  const trades = parse(await readFile(files.trades, 'utf8'), { columns: true }) as Record<string, string>[];
  t.deepEqual(Object.keys(trades[0]!), [
    'trade',
    'entry_time',
    'entry_price',
    'exit_time',
    'exit_price',
    'entry_fee',
    'exit_fee',
    'pnl_usd',
    'pnl_pct',
    'hours',
    'open',
  ]);
  const log = tradeLog(run, 0.001);
  t.is(trades.length, log.length);
  t.deepEqual(
    trades.map((r) => Number(r.pnl_pct)),
    log.map((x) => x.pnlPct),
  );
  t.true(trades.every((r) => r.open === 'True' || r.open === 'False'));
  const equity = parse(await readFile(files.equity, 'utf8'), { columns: true }) as Record<string, string>[];
  t.is(equity.length, 500);
  t.deepEqual(Object.keys(equity[0]!), ['time', 'close', 'position', 'equity', 'buy_and_hold']);
  t.is(Number(equity[499]!.equity), agent.metrics.finalValue);
  t.is(Number(equity[499]!.buy_and_hold), hold.metrics.finalValue);
  t.is(equity[499]!.position, '');
  t.is(equity[0]!.time, new Date(run.times[0]!).toISOString());
  t.deepEqual(
    equityLog(run, hold.values)
      .map((r) => r.position)
      .slice(0, 5),
    Array.from(run.positions.slice(0, 5), (p) => (p ? 'long' : 'flat')),
  );
});

test('misaligned inputs are refused naming what differs', (t) => {
  const { run, hold } = realRun();
  t.throws(() => tradeLog({ ...run, close: run.close.slice(1) }, 0.001), {
    message: /tradeLog: times \(500\), close \(499\)/,
  });
  t.throws(() => equityLog(run, hold.values.slice(1)), {
    message: /buy-and-hold has 499 values, the run 500/,
  });
});
