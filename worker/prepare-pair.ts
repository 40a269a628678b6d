import type { DataSettings, DataSummary, EnvironmentSettings } from '../shared/index.js';
import { computeFeatures, type FeatureMatrix, fitFeatureSettings } from './features.js';
import { type CandleSeries, type LoadCandlesDeps, loadCandles } from './market-data/index.js';
import { chronologicalSplit, type IndexRange, splitIndex } from './split.js';

/**
 * A pair ready to train on: its candles, features (scale fitted on the training part only) and the
 * chronological split: train | validation (the end of the training part) | test (held out).
 */
export interface PreparedPair {
  pair: string;
  series: CandleSeries;
  features: FeatureMatrix;
  train: IndexRange;
  validation: IndexRange;
  test: IndexRange;
  summary: DataSummary;
}

const iso = (ms: number | undefined) => new Date(ms ?? 0).toISOString();

/**
 * Loads a pair's candles, fits the feature scale on the training slice, computes features once and
 * splits chronologically. Every variant of the pair reuses the result.
 */
export async function preparePair(
  pair: string,
  data: DataSettings,
  environment: EnvironmentSettings,
  deps: LoadCandlesDeps = {},
): Promise<PreparedPair> {
  const series = await loadCandles(pair, data, deps);
  const n = series.close.length;
  const trainEnd = splitIndex(n, environment.testFraction);
  const settings = fitFeatureSettings(series, { windowSize: environment.windowSize, trainEnd });
  const features = computeFeatures(series, settings);
  const split = chronologicalSplit(n, environment.testFraction, features.firstValidIndex);
  const { train, validation } = carveValidation(split.train, environment.validationFraction, pair);
  const test = split.test;
  return {
    pair,
    series,
    features,
    train,
    validation,
    test,
    summary: {
      source: series.source,
      file: series.file,
      rows: n,
      trainRows: train.end - train.start,
      testRows: test.end - test.start,
      from: iso(series.times[0]),
      to: iso(series.times[n - 1]),
      testFrom: iso(series.times[test.start]),
      validationRows: validation.end - validation.start,
      validationFrom: iso(series.times[validation.start]),
      gaps: series.gaps,
      warnings: series.warnings,
    },
  };
}

/**
 * Splits the training range into training and validation: the last `fraction` of it validates. As
 * with the test split, the move across the boundary belongs to neither side.
 */
export function carveValidation(
  train: IndexRange,
  fraction: number,
  pair: string,
): { train: IndexRange; validation: IndexRange } {
  const rows = train.end - train.start;
  const validationRows = Math.round(rows * fraction);
  if (validationRows < 24 || rows - validationRows < 48) {
    throw new Error(
      `${pair}: ${rows} training candles are too few for a validation slice of ${fraction} (need ≥ 24 validation and ≥ 48 training hours; ask for more --days)`,
    );
  }
  const start = train.end - validationRows;
  return { train: { start: train.start, end: start }, validation: { start, end: train.end } };
}
