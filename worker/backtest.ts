import { type EquityCurve, HOURS_PER_YEAR, type Trials } from '../shared/index.js';
import { buyAndHold, downsampleEquity, type EpisodeRun, evaluatePolicy } from './evaluate.js';
import type { CandleSeries } from './market-data/index.js';
import { type TradingAgent, trainingPeriod } from './model/index.js';
import { assessSignificance, type SignificanceOutput } from './significance.js';
import { type TradedRun, type TradeRecord, tradeLog } from './trade-log.js';

export interface BacktestOptions {
  /** First decision hour (epoch ms, inclusive); default: see backtestRange. */
  from?: number | null;
  /** Last hour (epoch ms, inclusive): settles the last decision; default the last candle. */
  to?: number | null;
  feeRate: number;
  initialCash: number;
  /** Periods per year annualising Sharpe and Sortino (default 8760, hourly crypto). */
  annualization?: number;
  /** Seed of the bootstrap resamples and matched random policies; default the training's. */
  randomSeed?: number | null;
  /**
   * The trials the tested decisions were selected among, for the deflated Sharpe; default one
   * configuration (the model as tested, no selection counted).
   */
  trials?: readonly Trials[];
}

/** One configuration: the deflated Sharpe of a model whose selection is not known to the backtest. */
export const SINGLE_TRIAL: Trials = { seeds: 1, episodes: 1, configurations: 1, validationSharpes: [] };

export interface BacktestResult {
  agent: EpisodeRun;
  buyAndHold: EpisodeRun;
  /** The training's evidence on these hours: interval, p-values, matched random, cost sensitivity. */
  assessed: Omit<SignificanceOutput, 'returns'>;
  annualization: number;
  equityCurve: EquityCurve;
  /** Candle indices [start, end) of the series. */
  start: number;
  end: number;
  /** Hours of the range inside the model's training period (null when it does not record it). */
  inSampleHours: number | null;
  randomSeed: number;
  run: TradedRun;
  trades: TradeRecord[];
}

/**
 * The candle range [start, end) a backtest covers. From `from`, else from the model's held-out
 * start when the candles reach it (so a backtest of a run's own candles is its out-of-sample
 * evaluation), else from the first candle with its full feature history; to `to` or the end.
 */
export function backtestRange(
  agent: TradingAgent,
  times: Float64Array,
  options: Pick<BacktestOptions, 'from' | 'to'>,
): { start: number; end: number } {
  const n = times.length;
  const warmup = agent.warmupCandles;
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);
  let from = options.from ?? null;
  if (from === null) {
    const held = trainingPeriod(agent).heldOutFrom;
    if (held !== null && held >= times[warmup]! && held < times[n - 2]!) from = held;
  }
  let start = warmup;
  if (from !== null) while (start < n && times[start]! < from) start++;
  let end = n;
  if (options.to != null) while (end > 0 && times[end - 1]! > options.to) end--;
  if (n <= warmup + 1) {
    throw new Error(
      `${n} candles are too few: the features need ${warmup} hours of history before the first decision`,
    );
  }
  if (end - start < 2) {
    const asked = `${from === null ? 'start' : iso(from)} → ${options.to == null ? 'end' : iso(options.to)}`;
    throw new Error(
      `the range ${asked} leaves ${Math.max(0, end - start)} candle(s) after the ${warmup}-hour feature warm-up; candles cover ${iso(times[0]!)} → ${iso(times[n - 1]!)}`,
    );
  }
  return { start, end };
}

/**
 * Runs the agent over candles with the training evaluation's own functions (the same environment,
 * fees, metrics, buy-and-hold and significance), so on a run's held-out slice it gives that run's
 * out-of-sample numbers exactly; adds the trade log for trades.csv.
 */
export function backtest(
  agent: TradingAgent,
  series: CandleSeries,
  options: BacktestOptions,
): BacktestResult {
  const { start, end } = backtestRange(agent, series.times, options);
  const features = agent.features(series);
  const randomSeed = options.randomSeed ?? agent.randomSeed ?? 0;
  const annualization = options.annualization ?? HOURS_PER_YEAR;
  const evaluation = {
    start,
    end,
    feeRate: options.feeRate,
    initialCash: options.initialCash,
    annualization,
  };
  const agentRun = evaluatePolicy(agent.policy, series, features, evaluation);
  const heldRun = buyAndHold(series, features, evaluation);
  // The same figures a training job reports (worker/significance.ts), seeded the same way.
  const { returns: _returns, ...assessed } = assessSignificance({
    close: series.close,
    range: { start, end },
    agent: agentRun,
    buyAndHold: heldRun,
    feeRate: options.feeRate,
    annualization,
    seed: randomSeed,
    trials: options.trials ?? SINGLE_TRIAL,
  });
  const run: TradedRun = {
    times: agentRun.times,
    close: series.close.slice(start, end),
    values: agentRun.values,
    positions: agentRun.positions,
  };
  const period = trainingPeriod(agent);
  let inSampleHours: number | null = null;
  if (period.heldOutFrom !== null) {
    inSampleHours = 0;
    for (let k = start; k < end; k++) {
      const t = series.times[k]!;
      if (t < period.heldOutFrom && (period.from === null || t >= period.from)) inSampleHours++;
    }
  }
  return {
    agent: agentRun,
    buyAndHold: heldRun,
    assessed,
    annualization,
    equityCurve: downsampleEquity(agentRun.times, agentRun.values, heldRun.values),
    start,
    end,
    inSampleHours,
    randomSeed,
    run,
    trades: tradeLog(run, options.feeRate),
  };
}
