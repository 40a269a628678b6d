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

/**
 * Hourly moves at each slice boundary that belong to no slice. One is enough here, and it is what
 * the single split always had (the move close[b − 1] → close[b] is traded by neither side):
 * - label horizon: a decision at hour t is filled at close[t] and settled at close[t + 1], so the
 *   last reward of a slice [a, b) settles at close[b − 1], inside the slice;
 * - bootstrapped Q targets: an episode ends with a terminal transition at its slice's last close,
 *   so no target r + γ·max Q(s′) reads a state, and hence a candle, of a later slice;
 * - feature look-back: a row reads candles [t − 168, t] only, so a training row never reads a later
 *   slice (a validation or test row reading training candles is the past, as it would be live);
 * - fitted statistics (the feature scale) are fitted on the fold's training rows only.
 * A longer embargo protects against labels spanning several hours or training data *after* the test
 * data (k-fold cross-validation); neither happens in this expanding walk-forward.
 */
export const EMBARGO_HOURS = 1;

/** One walk-forward fold: ranges in the environment's convention (decisions at start … end − 2). */
export interface Fold {
  /** 1-based, in time order. */
  index: number;
  train: IndexRange;
  validation: IndexRange;
  test: IndexRange;
}

export interface WalkForwardOptions {
  /** The share of candles, at the end, that the test windows cover together. */
  testFraction: number;
  /** Each fold's validation slice: this share of what lies before its test window. */
  validationFraction: number;
  folds: number;
  /** First candle whose features have their full history (features.firstValidIndex). */
  firstValidIndex: number;
  embargoHours?: number;
  /** Named in errors (`BTC-USD: …`). */
  label?: string;
}

// Below these a slice says nothing: a day of validation, two of training, a day of test per fold.
const MIN_VALIDATION_HOURS = 24;
const MIN_TRAINING_HOURS = 48;
const MIN_TEST_HOURS = 24;

/**
 * Expanding-window walk-forward folds over `n` candles. The K test windows split the last
 * `testFraction` of the series (today's single test slice when K = 1) into contiguous windows of
 * decision hours: fold k decides at hours [test.start, test.end − 1) and its last decision settles
 * at close[test.end − 1], the close where fold k + 1 makes its first decision, so every hourly move
 * of the test part is traded exactly once across the folds. Each fold validates on the last
 * `validationFraction` of everything before its test window and trains on everything before that
 * (from the feature warm-up on), with `embargoHours` untraded moves at both boundaries.
 */
export function walkForwardFolds(n: number, options: WalkForwardOptions): Fold[] {
  const { testFraction, validationFraction, folds, firstValidIndex } = options;
  const embargo = options.embargoHours ?? EMBARGO_HOURS;
  const label = options.label ? `${options.label}: ` : '';
  if (!Number.isInteger(folds) || folds < 1) {
    throw new Error(`${label}folds must be a positive integer, got ${folds}`);
  }
  if (!Number.isInteger(embargo) || embargo < 1) {
    throw new Error(`${label}embargo must be a whole number of hours ≥ 1, got ${embargo}`);
  }
  if (!(validationFraction > 0 && validationFraction < 1)) {
    throw new Error(`${label}validationFraction must be in (0, 1), got ${validationFraction}`);
  }
  const { test } = chronologicalSplit(n, testFraction, firstValidIndex);
  // Decision hours of the whole test part: test.start … n − 2 (the last settles at close[n − 1]).
  const decisions = test.end - 1 - test.start;
  const perFold = Math.floor(decisions / folds);
  if (perFold < MIN_TEST_HOURS) {
    throw new Error(
      `${label}--folds ${folds} splits ${decisions} test hours into windows of ${perFold}; each needs ≥ ${MIN_TEST_HOURS} (fewer folds, or more --days)`,
    );
  }
  const boundary = (k: number) => test.start + Math.round((k * decisions) / folds);
  const out: Fold[] = [];
  for (let k = 1; k <= folds; k++) {
    const testStart = boundary(k - 1);
    const testRange = { start: testStart, end: boundary(k) + 1 };
    // `embargo` moves between validation's last settled close and the test's first decision.
    const validationEnd = testStart - (embargo - 1);
    const before = validationEnd - firstValidIndex;
    const validationRows = Math.round(before * validationFraction);
    const validationStart = validationEnd - validationRows;
    const trainEnd = validationStart - (embargo - 1);
    const trainRows = trainEnd - firstValidIndex;
    if (validationRows < MIN_VALIDATION_HOURS || trainRows < MIN_TRAINING_HOURS) {
      throw new Error(
        `${label}fold ${k} of ${folds}: ${before} candles before its test window are too few for a validation slice of ${validationFraction} (need ≥ ${MIN_VALIDATION_HOURS} validation and ≥ ${MIN_TRAINING_HOURS} training hours; ask for more --days)`,
      );
    }
    out.push({
      index: k,
      train: { start: firstValidIndex, end: trainEnd },
      validation: { start: validationStart, end: validationEnd },
      test: testRange,
    });
  }
  return out;
}
