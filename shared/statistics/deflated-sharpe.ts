import { STATISTICS_DEFAULTS } from './defaults.js';
import { skewnessAndKurtosis } from './moments.js';
import { normalCdf, normalQuantile } from './normal.js';
import { perPeriodSharpe } from './sharpe.js';
import { checkFiniteSeries, checkInteger, checkPositive } from './validate.js';

/** Euler–Mascheroni constant γ, in the expected maximum of N normal draws. */
const EULER_GAMMA = 0.5772156649015329;

/** Inputs of the deflated Sharpe ratio. */
export interface DeflatedSharpeOptions {
  /** The selected strategy's returns (the out-of-sample series). */
  returns: ArrayLike<number>;
  /** Configurations tried before this one was picked (variants × seeds × episodes considered); ≥ 1. */
  trials: number;
  /**
   * Variance across the trials of their ANNUALISED Sharpe estimates (the unit sharpe() returns);
   * divided by periodsPerYear before use. When omitted, the trials are taken to differ by
   * estimation noise alone: the variance of a Sharpe estimate on these T returns when the true
   * Sharpe is 0, 1 / (T − 1) per period (Lo, 2002; at SR = 0 skewness and kurtosis drop out).
   */
  sharpeVariance?: number;
  /** Periods per year for annualising; default 8760 (hourly). */
  periodsPerYear?: number;
}

/** The deflated Sharpe ratio and what went into it. */
export interface DeflatedSharpe {
  /**
   * Probability that the true Sharpe exceeds SR0, the best Sharpe expected from `trials` unskilled
   * configurations; a quant reads dsr ≥ 0.95 as significant. null when the returns have no variance.
   */
  dsr: number | null;
  /** Annualised Sharpe of the returns (null without variance) and SR0 annualised. */
  sharpe: number | null;
  sr0: number;
  /** The same per period: the units the formula works in. */
  sharpePerPeriod: number | null;
  sr0PerPeriod: number;
  trials: number;
  /** The annualised variance of trial Sharpes used, and whether it was given or the fallback. */
  sharpeVariance: number;
  sharpeVarianceSource: 'given' | 'estimation-noise';
  /** Skewness and non-excess kurtosis of the returns (population moments, as scipy's defaults). */
  skewness: number | null;
  kurtosis: number | null;
  observations: number;
}

/**
 * Deflated Sharpe ratio (Bailey & López de Prado, 2014): the probabilistic Sharpe ratio of the
 * returns against SR0 = √V·((1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e))), the expected maximum
 * Sharpe of N unskilled trials whose estimates vary with variance V:
 * DSR = Φ((SR − SR0)·√(T − 1) / √(1 − γ₃·SR + (γ₄ − 1)/4·SR²)), all per period. With one trial
 * nothing was selected, SR0 = 0 and the DSR is the probabilistic Sharpe ratio against 0.
 */
export function deflatedSharpeRatio(options: DeflatedSharpeOptions): DeflatedSharpe {
  const fn = 'deflatedSharpeRatio';
  if (options === null || typeof options !== 'object') throw new Error(`${fn}: options must be an object`);
  const { returns, trials, sharpeVariance, periodsPerYear = STATISTICS_DEFAULTS.periodsPerYear } = options;
  checkFiniteSeries(fn, 'returns', returns, 2);
  checkInteger(fn, 'trials', trials, 1);
  checkPositive(fn, 'periodsPerYear', periodsPerYear);
  if (sharpeVariance !== undefined && !(sharpeVariance >= 0 && Number.isFinite(sharpeVariance))) {
    throw new Error(`${fn}: sharpeVariance is ${String(sharpeVariance)}, need a finite number ≥ 0`);
  }
  const T = returns.length;
  const variancePerPeriod = sharpeVariance === undefined ? 1 / (T - 1) : sharpeVariance / periodsPerYear;
  const sr0PerPeriod = trials === 1 ? 0 : Math.sqrt(variancePerPeriod) * expectedMaxOfStandardNormals(trials);
  const annualise = Math.sqrt(periodsPerYear);
  const described = {
    sr0: sr0PerPeriod * annualise,
    sr0PerPeriod,
    trials,
    sharpeVariance: variancePerPeriod * periodsPerYear,
    sharpeVarianceSource: sharpeVariance === undefined ? ('estimation-noise' as const) : ('given' as const),
    observations: T,
  };
  const sr = perPeriodSharpe(returns);
  if (Number.isNaN(sr)) {
    return { dsr: null, sharpe: null, sharpePerPeriod: null, skewness: null, kurtosis: null, ...described };
  }
  const { skewness, kurtosis } = skewnessAndKurtosis(returns);
  // ≥ (1 − γ₃·SR/2)² ≥ 0 since γ₄ ≥ 1 + γ₃²; 0 only for a two-point distribution, known exactly.
  const spread = 1 - skewness * sr + ((kurtosis - 1) / 4) * sr * sr;
  const dsr =
    spread > 0
      ? normalCdf(((sr - sr0PerPeriod) * Math.sqrt(T - 1)) / Math.sqrt(spread))
      : sr > sr0PerPeriod
        ? 1
        : 0;
  return { dsr, sharpe: sr * annualise, sharpePerPeriod: sr, skewness, kurtosis, ...described };
}

/** E[max of N iid standard normals] ≈ (1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e)), for N ≥ 2. */
export function expectedMaxOfStandardNormals(trials: number): number {
  return (
    (1 - EULER_GAMMA) * normalQuantile(1 - 1 / trials) +
    EULER_GAMMA * normalQuantile(1 - 1 / (trials * Math.E))
  );
}
