import erfcinv from '@stdlib/math-base-special-erfcinv';
import cdf from '@stdlib/stats-base-dists-normal-cdf';

/** Φ(x): the standard normal cumulative distribution function (stdlib, erfc-based, double precision). */
export function normalCdf(x: number): number {
  return cdf(x, 0, 1);
}

/**
 * Φ⁻¹(p) = −√2 · erfcinv(2p): the standard normal quantile for p in [0, 1], ±Infinity at 0 and 1.
 * Through erfcinv rather than @stdlib's normal quantile, which computes erfinv(2p − 1) and loses
 * the lower tail to cancellation (Φ⁻¹(1e-12) off in the 6th digit, −∞ at 1e-20); this agrees with
 * scipy to 1e-13 (normal.test.ts).
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new Error(`normalQuantile: p is ${String(p)}, need a probability in [0, 1]`);
  const z = -Math.SQRT2 * erfcinv(2 * p);
  return z === 0 ? 0 : z;
}
