import { STATISTICS_DEFAULTS } from './defaults.js';
import { checkOpenUnit } from './validate.js';

/** The Benjamini–Hochberg decisions for a family of p-values, in the order given. */
export interface BenjaminiHochberg {
  /** True where the null is rejected at false discovery rate alpha. */
  rejected: boolean[];
  /** BH-adjusted p-values (q-values): rejected[i] ⇔ adjusted[i] ≤ alpha; monotone in the raw p-values. */
  adjusted: number[];
  /** How many were rejected. */
  rejectedCount: number;
  /**
   * alpha · m: how many of the m p-values fall below alpha by chance alone when no null is false
   * (no pair has skill), the count to print beside the number found significant.
   */
  expectedByChance: number;
  alpha: number;
}

/**
 * Benjamini–Hochberg step-up procedure (1995): with p₍₁₎ ≤ … ≤ p₍ₘ₎, reject the k smallest for the
 * largest k with p₍ₖ₎ ≤ k·alpha/m. Adjusted p-values are min over j ≥ k of m·p₍ⱼ₎/j, capped at 1
 * (R's p.adjust(method = "BH")). An empty family rejects nothing.
 */
export function benjaminiHochberg(
  pValues: readonly number[],
  alpha: number = STATISTICS_DEFAULTS.alpha,
): BenjaminiHochberg {
  const fn = 'benjaminiHochberg';
  if (!Array.isArray(pValues)) throw new Error(`${fn}: pValues must be an array of p-values`);
  checkOpenUnit(fn, 'alpha', alpha);
  const m = pValues.length;
  pValues.forEach((p, i) => {
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      throw new Error(`${fn}: pValues[${i}] is ${String(p)}, need a probability in [0, 1]`);
    }
  });
  // Ties keep their input order so the result does not depend on the sort's stability.
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[a]! - pValues[b]! || a - b);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const i = order[rank - 1]!;
    running = Math.min(running, (pValues[i]! * m) / rank);
    adjusted[i] = running;
  }
  const rejected = adjusted.map((q) => q <= alpha);
  return {
    rejected,
    adjusted,
    rejectedCount: rejected.filter(Boolean).length,
    expectedByChance: alpha * m,
    alpha,
  };
}
