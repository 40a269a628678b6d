import test from 'ava';
import { DEFAULT_ENVIRONMENT } from '../shared/index.js';
import { loadRealCandles } from '../test/helpers/real-candles.js';
import { TradingEnvironment } from './environment.js';
import { fitFeatureSettings } from './features.js';
import { type PreparedFold, prepareFolds } from './prepare-pair.js';
import { splitIndex } from './split.js';

const THREE_FOLDS = { ...DEFAULT_ENVIRONMENT, folds: 3 };

/** Every training observation and reward a fold's agent can see, under a fixed action sequence. */
function trainingView(series: ReturnType<typeof loadRealCandles>, fold: PreparedFold): number[] {
  const env = new TradingEnvironment(series, fold.features, fold.train);
  const seen = Array.from(env.reset());
  for (let k = 0; k < env.steps; k++) {
    const result = env.step(k % 7 < 3 ? 1 : 0);
    seen.push(result.reward, ...result.observation);
  }
  return seen;
}

test('one fold: features scaled on the training rows only, no longer on training + validation', (t) => {
  const series = loadRealCandles('BTC_USD');
  const prepared = prepareFolds('BTC-USD', series, DEFAULT_ENVIRONMENT);
  t.deepEqual(prepared.train, { start: 168, end: 5982 });
  t.deepEqual(prepared.test, { start: 7008, end: 8760 });
  t.deepEqual(prepared.outOfSample, prepared.test);
  t.deepEqual(
    prepared.features.settings,
    fitFeatureSettings(series, { windowSize: DEFAULT_ENVIRONMENT.windowSize, trainEnd: 5982 }),
  );
  // The scale older versions fitted up to the test slice (validation rows included) differs.
  const withValidation = fitFeatureSettings(series, { windowSize: 12, trainEnd: splitIndex(8760, 0.2) });
  t.not(prepared.features.settings.returnScale, withValidation.returnScale);
  t.is(prepared.summary.testRows, 1752);
  t.is(prepared.summary.trainRows, 5982 - 168);
  t.is(prepared.summary.validationRows, 7008 - 5982);
});

test('no fitted statistic reads a row outside its fold: perturbing validation and test rows changes nothing a fold trains on', (t) => {
  const reference = prepareFolds('ETH-USD', loadRealCandles('ETH_USD'), THREE_FOLDS);
  t.is(reference.folds.length, 3);
  for (const fold of reference.folds) {
    const series = loadRealCandles('ETH_USD');
    // Scramble every candle from the fold's validation slice on (its validation and test rows too).
    for (let i = fold.train.end; i < series.close.length; i++) {
      const f = 1 + (i % 2 ? 0.3 : -0.2);
      series.close[i]! *= f;
      series.high[i]! *= f * 1.01;
      series.low[i]! *= f;
      series.volume[i]! *= 3;
    }
    const perturbed = prepareFolds('ETH-USD', series, THREE_FOLDS).folds[fold.index - 1]!;
    t.deepEqual(perturbed.features.settings, fold.features.settings, `fold ${fold.index} settings`);
    t.deepEqual(
      trainingView(series, perturbed),
      trainingView(loadRealCandles('ETH_USD'), fold),
      `fold ${fold.index} training observations and rewards`,
    );
  }
  // The check can fail: a perturbed training row does move the fitted scale.
  const series = loadRealCandles('ETH_USD');
  const first = reference.folds[0]!;
  for (let i = first.train.end - 500; i < first.train.end; i++)
    series.close[i]! *= 1 + (i % 2 ? 0.05 : -0.05);
  t.not(
    prepareFolds('ETH-USD', series, THREE_FOLDS).folds[0]!.features.settings.returnScale,
    first.features.settings.returnScale,
  );
});

test('each fold has its own scale, fitted on its own (expanding) training rows', (t) => {
  const series = loadRealCandles('SOL_USD');
  const { folds } = prepareFolds('SOL-USD', series, THREE_FOLDS);
  for (const fold of folds) {
    t.deepEqual(
      fold.features.settings,
      fitFeatureSettings(series, { windowSize: 12, trainEnd: fold.train.end }),
    );
  }
  t.is(new Set(folds.map((f) => f.features.settings.returnScale)).size, 3);
});
