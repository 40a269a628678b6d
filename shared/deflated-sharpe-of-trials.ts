import type { DeflatedSharpeFigure, Trials } from './contract.js';
import { deflatedSharpeRatio } from './statistics/index.js';

/**
 * The deflated Sharpe of an out-of-sample series given every trial the selection chose among: the
 * trials of one job (its seeds × episodes, scope `job`) or of every variant of a pair (scope
 * `pair`). The configurations add up; the variance is that of all the trials' annualised validation
 * Sharpes together (sample variance), the spread a lucky pick is drawn from. With fewer than two
 * trial Sharpes the variance falls back to estimation noise (see deflatedSharpeRatio). Null when
 * the series has no variance (a policy that never trades has no Sharpe to deflate).
 */
export function deflatedSharpeOfTrials(
  returns: ArrayLike<number>,
  trials: readonly Trials[],
  periodsPerYear: number,
  scope: DeflatedSharpeFigure['scope'],
): DeflatedSharpeFigure | null {
  if (trials.length === 0) throw new Error('deflatedSharpeOfTrials: no trials');
  const configurations = trials.reduce((n, t) => n + t.configurations, 0);
  const sharpes = trials.flatMap((t) => t.validationSharpes);
  const result = deflatedSharpeRatio({
    returns,
    trials: configurations,
    sharpeVariance: sampleVariance(sharpes),
    periodsPerYear,
  });
  if (result.dsr === null) return null;
  return {
    probability: result.dsr,
    configurations,
    sharpeVariance: result.sharpeVariance,
    expectedMaxSharpe: result.sr0,
    scope,
  };
}

function sampleVariance(values: readonly number[]): number | undefined {
  if (values.length < 2) return undefined;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
}
