import test from 'ava';
import { loadRealCandles } from '../test/helpers/real-candles.js';
import { Action, TradingEnvironment } from './environment.js';
import { computeFeatures, FEATURE_VERSION, type FeatureMatrix, fitFeatureSettings } from './features.js';
import type { CandleSeries } from './market-data/index.js';
import { Rng } from './rng.js';
import { splitIndex } from './split.js';

const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

/** A hand-made feature matrix: one column equal to the candle index. */
function indexFeatures(rows: number): FeatureMatrix {
  return {
    data: Float32Array.from({ length: rows }, (_, i) => i),
    rows,
    width: 1,
    firstValidIndex: 0,
    names: ['index'],
    settings: { version: FEATURE_VERSION, windowSize: 2, returnScale: 1 },
  };
}

test('fills at the close, earns the next hour, pays the fee per side (hand-computed)', (t) => {
  const close = Float64Array.of(100, 100, 110, 99, 99, 108.9);
  const env = new TradingEnvironment({ close }, indexFeatures(6), { start: 0, end: 6, feeRate: 0.001 });
  t.is(env.steps, 5);
  t.is(env.observationSize, 2);
  t.deepEqual(Array.from(env.reset()), [0, 0]); // row 0, flat
  // t=0 long: fee 10,000 · 0.999 = 9,990; 100 → 100 earns nothing.   reward log 0.999
  // t=1 long: 9,990 · 110/100 = 10,989.                                reward log 1.1
  // t=2 flat: fee 10,989 · 0.999 = 10,978.011; cash earns nothing.     reward log 0.999
  // t=3 flat: 10,978.011 unchanged.                                    reward 0
  // t=4 long: fee 10,978.011 · 0.999 = 10,967.032989; · 108.9/99 (1.1) = 12,063.7362879. reward log 0.999 + log 1.1
  const script: [number, number, number, number[]][] = [
    [Action.long, 9990, Math.log(0.999), [1, 1]],
    [Action.long, 10_989, Math.log(1.1), [2, 1]],
    [Action.flat, 10_978.011, Math.log(0.999), [3, 0]],
    [Action.flat, 10_978.011, 0, [4, 0]],
    [Action.long, 12_063.7362879, Math.log(0.999) + Math.log(1.1), [5, 1]],
  ];
  let total = 0;
  for (const [i, [action, value, reward, observation]] of script.entries()) {
    const result = env.step(action);
    t.true(near(result.value, value), `value at step ${i}: ${result.value}`);
    t.true(near(result.reward, reward), `reward at step ${i}: ${result.reward}`);
    t.deepEqual(Array.from(result.observation), observation);
    t.is(result.done, i === 4);
    total += result.reward;
  }
  // Rewards add up to the log of the total growth.
  t.true(near(total, Math.log(12_063.7362879 / 10_000)));
  t.throws(() => env.step(Action.flat), {
    message: /step\(\) after the episode ended at candle 5; call reset\(\)/,
  });
  // reset() starts over, flat, with the initial cash.
  env.reset();
  t.is(env.value, 10_000);
  t.is(env.position, Action.flat);
  t.is(env.time, 0);
});

test('a zero fee and a sub-range: decisions at start … end − 2', (t) => {
  const close = Float64Array.of(1, 2, 4, 8, 16);
  const env = new TradingEnvironment({ close }, indexFeatures(5), {
    start: 1,
    end: 4,
    feeRate: 0,
    initialCash: 1,
  });
  t.is(env.steps, 2);
  t.deepEqual(Array.from(env.reset()), [1, 0]);
  t.is(env.step(Action.long).value, 2); // 2 → 4
  const last = env.step(Action.long); // 4 → 8, close[end − 1]; close[4] is never read
  t.is(last.value, 4);
  t.true(last.done);
  t.deepEqual(Array.from(last.observation), [3, 1]);
});

test('observationAt writes the feature row and the position into a caller buffer at an offset', (t) => {
  const env = new TradingEnvironment({ close: Float64Array.of(1, 2, 3) }, indexFeatures(3), {
    start: 0,
    end: 3,
  });
  const out = new Float32Array(6).fill(-1);
  env.observationAt(2, 1, out, 2);
  env.observationAt(1, 0, out, 4);
  t.deepEqual(Array.from(out), [-1, -1, 2, 1, 1, 0]);
});

test('step reuses its result and observation objects (no allocation in the hot loop)', (t) => {
  const c = loadRealCandles('BTC_USD');
  const f = computeFeatures(c, fitFeatureSettings(c, { windowSize: 24, trainEnd: 7008 }));
  const env = new TradingEnvironment(c, f, { start: f.firstValidIndex, end: 7008 });
  const first = env.reset();
  const r1 = env.step(1);
  const r2 = env.step(0);
  t.is(r1, r2);
  t.is(r1.observation, first);
  // Throughput of a full episode loop with a cheap policy, for the report.
  const episodes = 20;
  const started = performance.now();
  let steps = 0;
  for (let e = 0; e < episodes; e++) {
    let obs = env.reset();
    for (let done = false; !done; steps++) {
      const result = env.step(obs[0]! > 0 ? 1 : 0);
      obs = result.observation;
      done = result.done;
    }
  }
  const perSecond = steps / ((performance.now() - started) / 1000);
  t.log(`${steps} steps, ${Math.round(perSecond).toLocaleString('en')} steps/s`);
  t.is(steps, episodes * env.steps);
  t.true(perSecond > 100_000);
});

test('bad ranges, actions and options name what is wrong', (t) => {
  const close = Float64Array.of(1, 2, 3);
  const f = { ...indexFeatures(3), firstValidIndex: 1 };
  t.throws(() => new TradingEnvironment({ close }, f, { start: 0, end: 3 }), {
    message: /firstValidIndex 1/,
  });
  t.throws(() => new TradingEnvironment({ close }, f, { start: 1, end: 4 }), { message: /range \[1, 4\)/ });
  t.throws(() => new TradingEnvironment({ close }, f, { start: 2, end: 3 }), {
    message: /at least 2 candles/,
  });
  t.throws(() => new TradingEnvironment({ close }, f, { start: 1, end: 3, feeRate: -0.1 }), {
    message: /feeRate -0.1/,
  });
  t.throws(() => new TradingEnvironment({ close }, indexFeatures(4), { start: 1, end: 3 }), {
    message: /features have 4 rows, series has 3 candles/,
  });
  const env = new TradingEnvironment({ close }, f, { start: 1, end: 3 });
  env.reset();
  t.throws(() => env.step(2), { message: /action must be 0 \(flat\) or 1 \(long\), got 2/ });
  t.throws(() => env.step(0.5), { message: /got 0.5/ });
});

// ---------------------------------------------------------------- no look-ahead (issue 2, required)

/** A fixed policy that depends on every input, the position included. */
function fixedPolicy(observation: Float32Array): number {
  let score = 0;
  for (let k = 0; k < observation.length - 1; k++) score += observation[k]! * ((k % 3) - 1);
  score += 0.7 * observation[observation.length - 1]!;
  return score > 0 ? Action.long : Action.flat;
}

/** Every candle after `after` is changed (prices by up to ±30 %, volume ×0.5–3.5), staying valid. */
function perturbAfter(candles: CandleSeries, after: number, seed: number): CandleSeries {
  const rng = new Rng(seed);
  const c = { ...candles, open: candles.open.slice(), high: candles.high.slice(), low: candles.low.slice() };
  c.close = candles.close.slice();
  c.volume = candles.volume.slice();
  for (let i = after + 1; i < c.close.length; i++) {
    const factor = Math.exp(0.1 * rng.normal());
    c.close[i]! *= factor;
    c.open[i]! *= factor;
    c.high[i] = Math.max(c.high[i]!, c.close[i]!, c.open[i]!) * (1 + 0.01 * rng.next());
    c.low[i] = Math.min(c.low[i]!, c.close[i]!, c.open[i]!) * (1 - 0.01 * rng.next());
    c.volume[i]! *= 0.5 + 3 * rng.next();
  }
  return c;
}

/** Observations, actions and values of the fixed policy over [start, end), up to decision hour `upTo`. */
function trace(candles: CandleSeries, f: FeatureMatrix, start: number, end: number, upTo: number) {
  const env = new TradingEnvironment(candles, f, { start, end });
  const count = upTo - start + 1;
  const observations = new Float32Array(count * env.observationSize);
  const actions = new Uint8Array(count);
  const values = new Float64Array(count);
  let obs = env.reset();
  for (let k = 0; k < count; k++) {
    observations.set(obs, k * env.observationSize);
    values[k] = env.value;
    actions[k] = fixedPolicy(obs);
    if (k + 1 < count) obs = env.step(actions[k]!).observation;
  }
  return { observations, actions, values };
}

test('no look-ahead: perturbing every candle after t changes no feature, observation or action up to t', (t) => {
  const candles = loadRealCandles('BTC_USD');
  const n = candles.close.length;
  const split = splitIndex(n, 0.2);
  const settings = fitFeatureSettings(candles, { windowSize: 24, trainEnd: split });
  const original = computeFeatures(candles, settings);
  const start = original.firstValidIndex;
  const full = trace(candles, original, start, n, n - 2);
  t.true(full.actions.some((a) => a === 1) && full.actions.some((a) => a === 0), 'the policy trades');

  for (const [i, at] of [start, start + 37, 3000, split - 1, split, split + 500, n - 2].entries()) {
    const perturbed = perturbAfter(candles, at, 100 + i);
    // Settings stay fixed for training hours; for test hours (at ≥ split) refitting must give the same scale.
    const refit = fitFeatureSettings(perturbed, { windowSize: 24, trainEnd: split });
    if (at >= split - 1) t.deepEqual(refit, settings, `refit at ${at}`);
    const f = computeFeatures(perturbed, settings);
    const w = f.width;
    t.deepEqual(
      f.data.subarray(0, (at + 1) * w),
      original.data.subarray(0, (at + 1) * w),
      `features up to ${at}`,
    );
    // The perturbation is real: the next row differs.
    t.notDeepEqual(
      f.data.subarray((at + 1) * w, (at + 2) * w),
      original.data.subarray((at + 1) * w, (at + 2) * w),
    );

    const after = trace(perturbed, f, start, n, at);
    const count = at - start + 1;
    t.deepEqual(
      after.observations,
      full.observations.subarray(0, count * (w + 1)),
      `observations up to ${at}`,
    );
    t.deepEqual(after.actions, full.actions.subarray(0, count), `actions up to ${at}`);
    t.deepEqual(after.values, full.values.subarray(0, count), `values up to ${at}`);
  }
});
