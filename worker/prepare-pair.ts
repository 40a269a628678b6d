import type { DataSettings, DataSummary, EnvironmentSettings } from '../shared/index.js';
import { computeFeatures, type FeatureMatrix, fitFeatureSettings } from './features.js';
import { type CandleSeries, type LoadCandlesDeps, loadCandles } from './market-data/index.js';
import { chronologicalSplit, type IndexRange, splitIndex } from './split.js';

/** A pair ready to train on: its candles, features (fitted on the training slice only) and split. */
export interface PreparedPair {
  pair: string;
  series: CandleSeries;
  features: FeatureMatrix;
  train: IndexRange;
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
  const { train, test } = chronologicalSplit(n, environment.testFraction, features.firstValidIndex);
  return {
    pair,
    series,
    features,
    train,
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
      gaps: series.gaps,
      warnings: series.warnings,
    },
  };
}
