/** A half-open index range [start, end) over a candle series. */
export interface IndexRange {
  start: number;
  end: number;
}

/**
 * Index of the first held-out candle: candles [splitIndex, n) form the test slice (the last
 * `testFraction` of the series, rounded to whole candles) and are never seen in training.
 */
export function splitIndex(n: number, testFraction: number): number {
  if (!Number.isInteger(n) || n < 4) throw new Error(`splitIndex: n must be an integer ≥ 4, got ${n}`);
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new Error(`splitIndex: testFraction must be in (0, 1), got ${testFraction}`);
  }
  const testRows = Math.round(n * testFraction);
  // Both sides need two candles: one decision and the close that settles it.
  if (testRows < 2 || n - testRows < 2) {
    throw new Error(
      `splitIndex: testFraction ${testFraction} of ${n} candles leaves a side with fewer than 2`,
    );
  }
  return n - testRows;
}

/**
 * The training and test ranges for a series of `n` candles whose features are valid from
 * `firstValidIndex`. Training decides at hours [firstValidIndex, split − 1) and its last reward
 * settles at close[split − 1]; the test episode decides from close[split]. The move from
 * close[split − 1] to close[split] belongs to neither, so no training reward reads a test candle.
 */
export function chronologicalSplit(
  n: number,
  testFraction: number,
  firstValidIndex: number,
): { train: IndexRange; test: IndexRange } {
  const split = splitIndex(n, testFraction);
  if (!Number.isInteger(firstValidIndex) || firstValidIndex < 0) {
    throw new Error(
      `chronologicalSplit: firstValidIndex must be a non-negative integer, got ${firstValidIndex}`,
    );
  }
  if (split - firstValidIndex < 2) {
    throw new Error(
      `chronologicalSplit: ${n} candles with testFraction ${testFraction} leave ${split - firstValidIndex} training candles after the ${firstValidIndex}-candle feature warm-up; need at least 2`,
    );
  }
  return { train: { start: firstValidIndex, end: split }, test: { start: split, end: n } };
}
