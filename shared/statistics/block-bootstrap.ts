import { Rng } from '../rng.js';
import { type BootstrapMethod, STATISTICS_DEFAULTS } from './defaults.js';
import { quantileSorted } from './quantile.js';
import { comparableSharpe, sharpe } from './sharpe.js';
import { checkFiniteSeries, checkInteger, checkOpenUnit, checkPositive, checkSeed } from './validate.js';

/** Options of the block bootstraps (interval and paired test). */
export interface BlockBootstrapOptions {
  /** Seed of the resampling stream: the same seed draws the same blocks, so the same figures. */
  seed: number;
  /** Resamples drawn; default 2,000, fewer than 2,000 is refused (issue 8). */
  resamples?: number;
  /**
   * Block length in periods: the mean length for 'stationary', the fixed length for 'circular'.
   * Default 24 (one day of hourly returns; see STATISTICS_DEFAULTS.blockLength for the measurement).
   */
  blockLength?: number;
  /**
   * 'stationary' (default): Politis & Romano (1994), blocks start at a uniform hour and end with
   * probability 1 / blockLength after each hour (geometric lengths), wrapping around the end.
   * 'circular': Politis & Romano (1992), blocks of exactly blockLength hours from uniform starts,
   * wrapping around the end, the last one cut to fit.
   */
  method?: BootstrapMethod;
  /** Two-sided level of the interval; default 0.95. */
  level?: number;
  /** Periods per year for annualising; default 8760 (hourly). */
  periodsPerYear?: number;
}

/** The options with every default filled in and checked. */
export interface ResolvedBootstrapOptions {
  seed: number;
  resamples: number;
  blockLength: number;
  method: BootstrapMethod;
  level: number;
  periodsPerYear: number;
}

/** Fills the defaults and checks every option against a series of `n` returns; throws naming the option. */
export function resolveBootstrapOptions(
  fn: string,
  options: BlockBootstrapOptions,
  n: number,
): ResolvedBootstrapOptions {
  if (options === null || typeof options !== 'object') throw new Error(`${fn}: options must be an object`);
  const d = STATISTICS_DEFAULTS;
  const {
    seed,
    resamples = d.resamples,
    blockLength = d.blockLength,
    method = d.method,
    level = d.level,
    periodsPerYear = d.periodsPerYear,
  } = options;
  checkSeed(fn, seed);
  checkInteger(fn, 'resamples', resamples, d.minResamples);
  checkInteger(fn, 'blockLength', blockLength, 1);
  if (blockLength > n) {
    throw new Error(`${fn}: blockLength ${blockLength} is longer than the ${n} returns to resample`);
  }
  if (method !== 'stationary' && method !== 'circular') {
    throw new Error(`${fn}: method is ${String(method)}, need 'stationary' or 'circular'`);
  }
  checkOpenUnit(fn, 'level', level);
  checkPositive(fn, 'periodsPerYear', periodsPerYear);
  return { seed, resamples, blockLength, method, level, periodsPerYear };
}

/**
 * Draws the hour indices of block-bootstrap resamples of a series of n periods into a reused
 * buffer. One resampler per call of a statistic; `fill` allocates nothing.
 */
export class BlockResampler {
  private readonly rng: Rng;

  constructor(
    private readonly n: number,
    private readonly blockLength: number,
    private readonly method: BootstrapMethod,
    seed: number,
  ) {
    this.rng = new Rng(seed);
  }

  /** Writes the indices of the next resample into `indices` (length n). */
  fill(indices: Int32Array): void {
    const { n, blockLength, rng } = this;
    if (this.method === 'circular') {
      let i = 0;
      while (i < n) {
        const start = rng.int(n);
        for (let j = 0; j < blockLength && i < n; j++, i++) {
          const k = start + j;
          indices[i] = k < n ? k : k - n;
        }
      }
      return;
    }
    const endProbability = 1 / blockLength;
    let k = rng.int(n);
    indices[0] = k;
    for (let i = 1; i < n; i++) {
      if (rng.next() < endProbability) k = rng.int(n);
      else k = k + 1 < n ? k + 1 : 0;
      indices[i] = k;
    }
  }
}

/** Writes values[indices[i]] into out[i]. */
export function gather(values: ArrayLike<number>, indices: Int32Array, out: Float64Array): void {
  for (let i = 0; i < indices.length; i++) out[i] = values[indices[i]!]!;
}

/**
 * The bootstrap distribution of the per-period Sharpe ratio (comparableSharpe: a resample without
 * variance counts as 0 when it earns nothing), one value per resample, in drawing order.
 */
export function bootstrapSharpeDistribution(
  returns: ArrayLike<number>,
  options: BlockBootstrapOptions,
): Float64Array {
  const fn = 'bootstrapSharpeDistribution';
  checkFiniteSeries(fn, 'returns', returns, 2);
  const o = resolveBootstrapOptions(fn, options, returns.length);
  return sharpeDistribution(returns, o);
}

function sharpeDistribution(returns: ArrayLike<number>, o: ResolvedBootstrapOptions): Float64Array {
  const n = returns.length;
  const resampler = new BlockResampler(n, o.blockLength, o.method, o.seed);
  const indices = new Int32Array(n);
  const sample = new Float64Array(n);
  const draws = new Float64Array(o.resamples);
  for (let b = 0; b < o.resamples; b++) {
    resampler.fill(indices);
    gather(returns, indices, sample);
    draws[b] = comparableSharpe(sample);
  }
  return draws;
}

/** A bootstrap interval of the annualised Sharpe ratio and how it was drawn. */
export interface SharpeInterval {
  /** The annualised Sharpe of the series itself; null when it has no variance (then so are low and high). */
  estimate: number | null;
  /** Percentile bounds (1 − level) / 2 and (1 + level) / 2 of the resampled annualised Sharpes. */
  low: number | null;
  high: number | null;
  level: number;
  method: BootstrapMethod;
  blockLength: number;
  resamples: number;
}

/**
 * Percentile interval of the annualised Sharpe ratio by a block bootstrap that keeps serial
 * dependence (stationary or circular blocks), seeded. A series without variance (a policy that
 * never trades) has no Sharpe and no interval.
 */
export function blockBootstrapSharpeInterval(
  returns: ArrayLike<number>,
  options: BlockBootstrapOptions,
): SharpeInterval {
  const fn = 'blockBootstrapSharpeInterval';
  checkFiniteSeries(fn, 'returns', returns, 2);
  const o = resolveBootstrapOptions(fn, options, returns.length);
  const estimate = sharpe(returns, o.periodsPerYear);
  const described = { level: o.level, method: o.method, blockLength: o.blockLength, resamples: o.resamples };
  if (estimate === null) return { estimate, low: null, high: null, ...described };
  const draws = sharpeDistribution(returns, o);
  draws.sort();
  const annualise = Math.sqrt(o.periodsPerYear);
  return {
    estimate,
    low: quantileSorted(draws, (1 - o.level) / 2) * annualise,
    high: quantileSorted(draws, (1 + o.level) / 2) * annualise,
    ...described,
  };
}
