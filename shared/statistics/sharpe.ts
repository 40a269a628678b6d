import { HOURS_PER_YEAR } from './defaults.js';
import { checkFiniteSeries, checkPositive } from './validate.js';

/**
 * Per-period Sharpe ratio mean / sample std (n − 1) of the first `n` values, risk-free 0; NaN when
 * n < 2 or the std is 0. Unchecked: the statistics call it inside resampling loops.
 */
export function perPeriodSharpe(returns: ArrayLike<number>, n = returns.length): number {
  if (n < 2) return Number.NaN;
  let mean = 0;
  for (let k = 0; k < n; k++) mean += returns[k]!;
  mean /= n;
  let ss = 0;
  for (let k = 0; k < n; k++) ss += (returns[k]! - mean) ** 2;
  const std = Math.sqrt(ss / (n - 1));
  return std > 0 ? mean / std : Number.NaN;
}

/**
 * Annualised Sharpe ratio: mean / sample std (n − 1) · √periodsPerYear, risk-free 0; null when the
 * std is 0 or n < 2. The one definition of the project (worker/metrics.ts delegates here).
 */
export function sharpe(returns: ArrayLike<number>, periodsPerYear: number = HOURS_PER_YEAR): number | null {
  checkFiniteSeries('sharpe', 'returns', returns, 0);
  checkPositive('sharpe', 'periodsPerYear', periodsPerYear);
  const perPeriod = perPeriodSharpe(returns);
  return Number.isNaN(perPeriod) ? null : perPeriod * Math.sqrt(periodsPerYear);
}

/**
 * The Sharpe ratio that resampled statistics compare, defined for every series: a series without
 * variance has Sharpe 0 when it earns nothing (a flat policy: no return, no risk), ±Infinity
 * otherwise (a constant non-zero return). Per period, unchecked.
 */
export function comparableSharpe(returns: ArrayLike<number>, n = returns.length): number {
  const s = perPeriodSharpe(returns, n);
  if (!Number.isNaN(s)) return s;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += returns[k]!;
  return sum === 0 ? 0 : sum > 0 ? Infinity : -Infinity;
}

/**
 * Annualised Sortino ratio: mean / downside deviation · √periodsPerYear, where the downside deviation
 * is √(Σ min(r, 0)² / n) over all n returns (target 0); null when no return is negative.
 */
export function sortino(returns: ArrayLike<number>, periodsPerYear: number = HOURS_PER_YEAR): number | null {
  checkFiniteSeries('sortino', 'returns', returns, 0);
  checkPositive('sortino', 'periodsPerYear', periodsPerYear);
  const n = returns.length;
  if (n < 1) return null;
  let mean = 0;
  let downside = 0;
  for (let k = 0; k < n; k++) {
    const r = returns[k]!;
    mean += r;
    if (r < 0) downside += r * r;
  }
  if (!(downside > 0)) return null;
  return (mean / n / Math.sqrt(downside / n)) * Math.sqrt(periodsPerYear);
}
