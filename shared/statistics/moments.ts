/** Arithmetic mean; NaN for an empty series. */
export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let k = 0; k < values.length; k++) sum += values[k]!;
  return sum / values.length;
}

/** Sample standard deviation (divisor n − 1), two-pass; NaN when n < 2. */
export function sampleStd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return Number.NaN;
  const m = mean(values);
  let ss = 0;
  for (let k = 0; k < n; k++) ss += (values[k]! - m) ** 2;
  return Math.sqrt(ss / (n - 1));
}

/**
 * Skewness m₃ / m₂^1.5 and non-excess (Pearson) kurtosis m₄ / m₂² from the population central
 * moments (divisor n): scipy.stats.skew and scipy.stats.kurtosis(fisher=False) with their default
 * bias=True, the estimators Bailey & López de Prado plug into the deflated Sharpe ratio. NaN when
 * the series has no variance.
 */
export function skewnessAndKurtosis(values: ArrayLike<number>): { skewness: number; kurtosis: number } {
  const n = values.length;
  const m = mean(values);
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let k = 0; k < n; k++) {
    const d = values[k]! - m;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  if (!(m2 > 0)) return { skewness: Number.NaN, kurtosis: Number.NaN };
  return { skewness: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2) };
}
