import { STATISTICS_DEFAULTS } from './defaults.js';
import { sharpe } from './sharpe.js';
import { checkDecisionSeries, type DecisionSeries, replayInto } from './simulate-equity.js';
import { checkFeeRate, checkPositive } from './validate.js';

/** The same decisions replayed at one fee. */
export interface CostPoint {
  /** Fee per side, a fraction of the traded value (0.001 = 0.1 %). */
  feeRate: number;
  /** P/L of the pooled series at that fee, in %. */
  pnlPct: number;
  /** Annualised Sharpe at that fee; null when the returns have no variance. */
  sharpe: number | null;
}

/** Options of cost sensitivity: the agent's decisions and the fees to try. */
export interface CostSensitivityOptions extends DecisionSeries {
  /** Fees per side; default 0, 0.05 %, 0.1 %, 0.2 % and 0.5 %. */
  fees?: readonly number[];
  /** Periods per year for annualising; default 8760 (hourly). */
  periodsPerYear?: number;
}

/**
 * The P/L and Sharpe of the same decisions at each fee per side: how much of an agent's edge is
 * left when trading costs more (or less) than assumed in training.
 */
export function costSensitivity(options: CostSensitivityOptions): CostPoint[] {
  const fn = 'costSensitivity';
  if (options === null || typeof options !== 'object') throw new Error(`${fn}: options must be an object`);
  const starts = checkDecisionSeries(fn, options);
  const {
    moves,
    positions,
    fees = STATISTICS_DEFAULTS.costFees,
    periodsPerYear = STATISTICS_DEFAULTS.periodsPerYear,
  } = options;
  if (!Array.isArray(fees) || fees.length === 0) throw new Error(`${fn}: fees must be a non-empty array`);
  for (const [i, fee] of fees.entries()) checkFeeRate(fn, `fees[${i}]`, fee);
  checkPositive(fn, 'periodsPerYear', periodsPerYear);
  const returns = new Float64Array(moves.length);
  return fees.map((feeRate) => {
    const { pnlPct } = replayInto(
      moves,
      positions,
      starts,
      feeRate,
      STATISTICS_DEFAULTS.initialCash,
      returns,
      null,
    );
    return { feeRate, pnlPct, sharpe: sharpe(returns, periodsPerYear) };
  });
}
