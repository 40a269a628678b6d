/**
 * The q-quantile of an ascending array by linear interpolation between order statistics at
 * h = (n − 1)·q: numpy.quantile's default ("linear", Hyndman & Fan type 7), so reference values
 * computed with numpy match.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new Error('quantileSorted: sorted is empty');
  if (!(q >= 0 && q <= 1)) throw new Error(`quantileSorted: q is ${String(q)}, need a number in [0, 1]`);
  const h = (n - 1) * q;
  const below = Math.floor(h);
  const lo = sorted[below]!;
  const fraction = h - below;
  if (fraction === 0 || below + 1 >= n) return lo;
  const hi = sorted[below + 1]!;
  // Equal neighbours (possibly ±Infinity) would give Infinity − Infinity = NaN.
  return lo === hi ? lo : lo + (hi - lo) * fraction;
}

/** Median and 5th / 95th percentiles of a distribution of draws. */
export interface DistributionSummary {
  median: number;
  p5: number;
  p95: number;
}

/** Median, 5th and 95th percentiles (numpy's linear rule) of `values`; sorts `values` in place. */
export function summariseInPlace(values: Float64Array): DistributionSummary {
  values.sort();
  return {
    median: quantileSorted(values, 0.5),
    p5: quantileSorted(values, 0.05),
    p95: quantileSorted(values, 0.95),
  };
}
