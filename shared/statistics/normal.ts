import cdf from '@stdlib/stats-base-dists-normal-cdf';
import quantile from '@stdlib/stats-base-dists-normal-quantile';

/** Φ(x): the standard normal cumulative distribution function (stdlib, erfc-based, double precision). */
export function normalCdf(x: number): number {
  return cdf(x, 0, 1);
}

/** Φ⁻¹(p): the standard normal quantile for p in [0, 1] (stdlib, erfcinv-based); ±Infinity at 0 and 1. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new Error(`normalQuantile: p is ${String(p)}, need a probability in [0, 1]`);
  return quantile(p, 0, 1);
}
