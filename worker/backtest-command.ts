import path from 'node:path';
import { type BacktestReport, type DataSettings, SCHEMA_VERSION, writeJsonAtomic } from '../shared/index.js';
import { commandFailure, pairMessage, withAgent } from './agent-command.js';
import { backtest } from './backtest.js';
import { formatEvidence } from './format-job-result.js';
import { loadCandles } from './market-data/index.js';
import type { TradingAgent } from './model/index.js';
import { writeRunExports } from './run-exports.js';

export const BACKTEST_JSON = 'backtest.json';

export interface BacktestCommandOptions {
  /** Model folder or ensemble (folder or manifest). */
  model: string;
  /** The pair to test on; default the model's own. */
  pair: string | null;
  data: DataSettings;
  from: number | null;
  to: number | null;
  feeRate: number;
  initialCash: number;
  /** Periods per year annualising Sharpe and Sortino (default 8760); a run's `--annualization` to match it. */
  annualization?: number;
  /** Where trades.csv, equity.csv and backtest.json go; default backtests/<model folder name>. */
  outDir: string | null;
  json: boolean;
  progress?: (line: string) => void;
  print?: (text: string) => void;
  fetch?: typeof fetch;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** backtests/<name of the model folder, or of the ensemble's folder>. */
export function defaultBacktestDir(model: string): string {
  const resolved = path.resolve(model);
  const name = resolved.endsWith('.json')
    ? `${path.basename(path.dirname(resolved))}${path.basename(resolved) === 'ensemble.json' ? '' : `_${path.basename(resolved, '.json')}`}`
    : path.basename(resolved);
  return path.resolve('backtests', name);
}

/**
 * `trading-workers backtest MODEL_DIR`: runs a saved model or ensemble over candles with the
 * training evaluation's functions, prints its metrics beside buy-and-hold and random, and writes
 * trades.csv, equity.csv and backtest.json. Returns the exit code (2: the model is refused,
 * 1: the candles could not be loaded or do not cover the range).
 */
export async function runBacktestCommand(options: BacktestCommandOptions): Promise<number> {
  const progress = options.progress ?? ((line) => process.stderr.write(`${line}\n`));
  const print = options.print ?? ((text) => process.stdout.write(`${text}\n`));
  return withAgent(options.model, async (agent) => {
    const pair = options.pair ?? agent.pair;
    if (!pair) return commandFailure(`${agent.source} does not record its pair: name it with --pair`, 2);
    if (agent.pair && pair !== agent.pair)
      progress(`note: ${agent.source} was trained for ${agent.pair}; testing it on ${pair}`);
    let series: Awaited<ReturnType<typeof loadCandles>>;
    let result: ReturnType<typeof backtest>;
    try {
      series = await loadCandles(pair, options.data, { log: progress, fetch: options.fetch });
      for (const warning of series.warnings) progress(`warning: ${warning}`);
      result = backtest(agent, series, {
        from: options.from,
        to: options.to,
        feeRate: options.feeRate,
        initialCash: options.initialCash,
        annualization: options.annualization,
      });
    } catch (error) {
      return commandFailure(pairMessage(pair, error), 1);
    }
    const outDir = options.outDir ?? defaultBacktestDir(options.model);
    const files = await writeRunExports(outDir, result.run, result.buyAndHold.values, options.feeRate);
    const report: BacktestReport = {
      schema: SCHEMA_VERSION,
      model: agent.source,
      kind: agent.kind,
      pair,
      from: iso(series.times[result.start]!),
      to: iso(series.times[result.end - 1]!),
      hours: result.end - result.start,
      feeRate: options.feeRate,
      initialCash: options.initialCash,
      inSampleHours: result.inSampleHours,
      data: { source: series.source, file: series.file, rows: series.times.length },
      metrics: result.agent.metrics,
      baselines: { buyAndHold: result.buyAndHold.metrics, matchedRandom: result.assessed.matchedRandom },
      randomSeed: result.randomSeed,
      annualization: result.annualization,
      significance: result.assessed.significance,
      costSensitivity: result.assessed.costSensitivity,
      files: { trades: files.trades, equity: files.equity },
      createdAt: new Date().toISOString(),
    };
    const reportFile = path.join(outDir, BACKTEST_JSON);
    await writeJsonAtomic(reportFile, report);
    print(options.json ? JSON.stringify(report) : formatBacktest(report, reportFile, agent));
    return 0;
  });
}

function formatBacktest(report: BacktestReport, reportFile: string, agent: TradingAgent): string {
  const what = agent.kind === 'ensemble' ? `ensemble of ${agent.models.length}` : 'model';
  const sample =
    report.inSampleHours === null
      ? 'the model does not record its training period: some hours may be in-sample'
      : report.inSampleHours === 0
        ? 'out-of-sample: none of these hours was used in training or validation'
        : `IN-SAMPLE: ${report.inSampleHours} of these ${report.hours} hours were used in training or validation`;
  return [
    `${report.pair} — backtest of ${report.model} (${what}), ${report.hours} hours ${report.from.slice(0, 16)} → ${report.to.slice(0, 16)}, fee ${(report.feeRate * 100).toFixed(3)}%`,
    sample,
    ...formatEvidence({
      metrics: report.metrics,
      buyAndHold: report.baselines.buyAndHold,
      matchedRandom: report.baselines.matchedRandom,
      significance: report.significance,
      costSensitivity: report.costSensitivity,
    }),
    `trades: ${report.files.trades}`,
    `equity: ${report.files.equity}`,
    `report: ${reportFile}`,
  ].join('\n');
}
