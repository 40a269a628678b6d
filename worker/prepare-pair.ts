import type { DataSettings, DataSummary, EnvironmentSettings } from '../shared/index.js';
import { computeFeatures, type FeatureMatrix, firstValidIndex, fitFeatureSettings } from './features.js';
import { type CandleSeries, type LoadCandlesDeps, loadCandles } from './market-data/index.js';
import { type Fold, type IndexRange, walkForwardFolds } from './split.js';

/** One walk-forward fold ready to train on: its ranges and features scaled on its training rows. */
export interface PreparedFold extends Fold {
  features: FeatureMatrix;
}

/**
 * A pair ready to train on: its candles and walk-forward folds, each with features whose scale is
 * fitted on that fold's training rows only. `features`, `train`, `validation` and `test` are the
 * last fold's (with one fold: the single split train | validation | test).
 */
export interface PreparedPair {
  pair: string;
  series: CandleSeries;
  folds: PreparedFold[];
  /** The whole out-of-sample part: the folds' test windows together, [first test start, n). */
  outOfSample: IndexRange;
  features: FeatureMatrix;
  train: IndexRange;
  validation: IndexRange;
  test: IndexRange;
  summary: DataSummary;
}

const iso = (ms: number | undefined) => new Date(ms ?? 0).toISOString();

/**
 * Loads a pair's candles and prepares its walk-forward folds (`environment.folds`, default 1):
 * per fold, the feature scale is fitted on the fold's training rows and the features computed once.
 * Every variant of the pair reuses the result.
 */
export async function preparePair(
  pair: string,
  data: DataSettings,
  environment: EnvironmentSettings,
  deps: LoadCandlesDeps = {},
): Promise<PreparedPair> {
  const series = await loadCandles(pair, data, deps);
  return prepareFolds(pair, series, environment);
}

/** The folds of a loaded series (see preparePair); pure, so tests can perturb candles. */
export function prepareFolds(
  pair: string,
  series: CandleSeries,
  environment: EnvironmentSettings,
): PreparedPair {
  const n = series.close.length;
  const folds = walkForwardFolds(n, {
    testFraction: environment.testFraction,
    validationFraction: environment.validationFraction,
    folds: environment.folds,
    firstValidIndex: firstValidIndex(environment.windowSize),
    label: pair,
  });
  const prepared = folds.map((fold): PreparedFold => {
    // Candles [0, train.end): the training rows and their feature warm-up, nothing later.
    const settings = fitFeatureSettings(series, {
      windowSize: environment.windowSize,
      trainEnd: fold.train.end,
    });
    return { ...fold, features: computeFeatures(series, settings) };
  });
  const first = prepared[0]!;
  const last = prepared.at(-1)!;
  const outOfSample = { start: first.test.start, end: n };
  return {
    pair,
    series,
    folds: prepared,
    outOfSample,
    features: last.features,
    train: last.train,
    validation: last.validation,
    test: last.test,
    summary: {
      source: series.source,
      file: series.file,
      rows: n,
      trainRows: last.train.end - last.train.start,
      testRows: outOfSample.end - outOfSample.start,
      from: iso(series.times[0]),
      to: iso(series.times[n - 1]),
      testFrom: iso(series.times[outOfSample.start]),
      validationRows: last.validation.end - last.validation.start,
      validationFrom: iso(series.times[last.validation.start]),
      gaps: series.gaps,
      warnings: series.warnings,
    },
  };
}
