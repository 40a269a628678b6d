import {
  blockBootstrapSharpeInterval,
  type CostSensitivityPoint,
  costSensitivity,
  deflatedSharpeOfTrials,
  matchedRandomBaseline,
  pairedSharpeTest,
  type RandomDistribution,
  type Significance,
  STATISTICS_DEFAULTS,
  type Trials,
} from '../shared/index.js';
import { simpleReturns } from './metrics.js';
import type { IndexRange } from './split.js';

export interface SignificanceInput {
  close: ArrayLike<number>;
  /** The pooled out-of-sample range the runs below cover (decisions at start … end − 2). */
  range: IndexRange;
  /** The job's decisions and their equity over the range (the vote's pooled run). */
  agent: { positions: Uint8Array; values: Float64Array };
  /** Buy-and-hold's equity over the same range. */
  buyAndHold: { values: Float64Array };
  feeRate: number;
  annualization: number;
  /** The pair's evaluation seed: resampled blocks and random policies are the same for every variant. */
  seed: number;
  /** The trials the decisions were selected among: one job's, or several (an ensemble's members'). */
  trials: Trials | readonly Trials[];
}

export interface SignificanceOutput {
  significance: Significance;
  matchedRandom: RandomDistribution;
  costSensitivity: CostSensitivityPoint[];
  /** The agent's hourly returns the figures were computed on. */
  returns: Float64Array;
}

/**
 * The evidence on a job's pooled out-of-sample decisions, evaluation only (no training), seeded:
 * a block-bootstrap 95 % interval of its Sharpe, the paired one-sided p-value against buy-and-hold
 * on the same hours (the same blocks for both), random policies matched on its exposure and switch
 * rate, the deflated Sharpe with the job's own trials, and the same decisions at other fees.
 */
export function assessSignificance(input: SignificanceInput): SignificanceOutput {
  const { close, range, agent, annualization: periodsPerYear, seed } = input;
  const hours = range.end - range.start - 1;
  if (agent.positions.length !== hours || agent.values.length !== hours + 1) {
    throw new Error(
      `assessSignificance: ${agent.positions.length} positions and ${agent.values.length} values for ${hours} hours`,
    );
  }
  const moves = new Float64Array(hours);
  for (let k = 0; k < hours; k++) moves[k] = close[range.start + k + 1]! / close[range.start + k]!;
  const returns = simpleReturns(agent.values);
  const benchmark = simpleReturns(input.buyAndHold.values);
  // A window shorter than a day (a paper trader's first hours, a short backtest) cannot hold one 24 h
  // block: its blocks shrink to the window, and the interval says which length it used.
  const blockLength = Math.min(STATISTICS_DEFAULTS.blockLength, Math.max(1, hours));
  const interval = blockBootstrapSharpeInterval(returns, { seed, periodsPerYear, blockLength });
  const paired = pairedSharpeTest(returns, benchmark, { seed, periodsPerYear, blockLength });
  const random = matchedRandomBaseline({
    moves,
    positions: agent.positions,
    feeRate: input.feeRate,
    seed,
    periodsPerYear,
  });
  const trials = Array.isArray(input.trials) ? (input.trials as readonly Trials[]) : [input.trials as Trials];
  const deflated = deflatedSharpeOfTrials(returns, trials, periodsPerYear, 'job');
  const d = random.distribution;
  return {
    significance: {
      sharpe: interval,
      pVsBuyAndHold: paired.pValue,
      pVsRandom: random.pValue,
      deflatedSharpe: deflated,
      configurations: trials.reduce((n, t) => n + t.configurations, 0),
      observations: hours,
      seed,
    },
    matchedRandom: {
      policies: random.count,
      seed,
      enterProbability: random.chain.enterProbability,
      exitProbability: random.chain.exitProbability,
      exposure: random.agent.exposure,
      switchRate: random.agent.switchRate,
      pnlPct: d.pnlPct,
      sharpe: d.sharpe,
      maxDrawdownPct: d.maxDrawdownPct,
      trades: d.trades,
      pValue: random.pValue,
      degenerate: random.degenerate,
    },
    costSensitivity: costSensitivity({ moves, positions: agent.positions, periodsPerYear }),
    returns,
  };
}
