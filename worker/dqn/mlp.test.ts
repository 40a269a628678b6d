import * as tf from '@tensorflow/tfjs';
import test from 'ava';
import { Rng } from '../rng.js';
import { JsQEngine } from './js-q-engine.js';
import { initGlorotUniform, MlpKernel, parameterLayout, type TrainingBatch } from './mlp.js';
import type { QEngineConfig } from './q-engine.js';
import { TfjsQNetwork } from './tfjs-q-network.js';

const config: QEngineConfig = {
  inputSize: 26,
  hiddenLayers: [64, 64],
  actions: 2,
  maxBatch: 64,
  learningRate: 5e-3,
  gamma: 0.99,
  // A small delta so both the quadratic and the linear branch of the Huber loss are exercised.
  huberDelta: 0.05,
  clipNorm: 0.5,
};
const shape = { inputSize: config.inputSize, hiddenLayers: config.hiddenLayers, outputSize: config.actions };

function randomBatch(rng: Rng, n: number): TrainingBatch {
  const f = config.inputSize;
  const obs = Float32Array.from({ length: n * f }, () => rng.normal());
  const nextObs = Float32Array.from({ length: n * f }, () => rng.normal());
  return {
    size: n,
    obs,
    nextObs,
    actions: Uint8Array.from({ length: n }, () => rng.int(2)),
    rewards: Float32Array.from({ length: n }, () => rng.normal() * 0.1),
    dones: Uint8Array.from({ length: n }, () => (rng.next() < 0.1 ? 1 : 0)),
  };
}

/** Largest |a − b| relative to the largest |b| (a scale-aware comparison for whole arrays). */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 1e-12;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / scale;
}

test('parameter layout matches the tf.sequential weight order and sizes', (t) => {
  const { layers, count } = parameterLayout(shape);
  t.is(count, 26 * 64 + 64 + 64 * 64 + 64 + 64 * 2 + 2);
  t.deepEqual(
    layers.map((l) => [l.kernel, l.bias]),
    [
      [0, 1664],
      [1728, 5824],
      [5888, 6016],
    ],
  );
  const net = new TfjsQNetwork(config, initGlorotUniform(shape, new Rng(1)));
  t.deepEqual(
    net.online.getWeights().map((w) => w.shape),
    [[26, 64], [64], [64, 64], [64], [64, 2], [2]],
  );
  net.dispose();
});

test('Glorot-uniform init is seeded, within the limit, with zero biases', (t) => {
  const a = initGlorotUniform(shape, new Rng(7));
  const b = initGlorotUniform(shape, new Rng(7));
  t.deepEqual(a, b);
  const limit = Math.sqrt(6 / (26 + 64));
  for (let k = 0; k < 26 * 64; k++) t.true(Math.abs(a[k]!) <= limit);
  t.true(a.subarray(1664, 1728).every((v) => v === 0));
  t.notDeepEqual(a, initGlorotUniform(shape, new Rng(8)));
});

test('clipGradients scales to the norm only when above it', (t) => {
  const kernel = new MlpKernel(shape, 4);
  const g = kernel.gradients;
  g.fill(0);
  g[0] = 3;
  g[g.length - 1] = 4;
  t.is(kernel.clipGradients(10), 5);
  t.deepEqual([g[0], g[g.length - 1]], [3, 4]);
  t.is(kernel.clipGradients(1), 5);
  t.deepEqual([g[0], g[g.length - 1]], [Math.fround(0.6), Math.fround(0.8)]);
  t.true(g.subarray(1, g.length - 1).every((v) => v === 0));
});

test('bad shapes are clear errors', (t) => {
  t.throws(() => new MlpKernel({ inputSize: 0, hiddenLayers: [4], outputSize: 2 }, 1), {
    message: /inputSize/,
  });
  t.throws(() => new MlpKernel({ inputSize: 3, hiddenLayers: [4.5], outputSize: 2 }, 1), {
    message: /hiddenLayers\[0\]/,
  });
  const kernel = new MlpKernel(shape, 2);
  t.throws(
    () =>
      kernel.forward(new Float32Array(kernel.paramCount), new Float32Array(26 * 3), 3, new Float32Array(6)),
    {
      message: /maxBatch/,
    },
  );
});

test('the JS kernel matches the tfjs reference: Q-values, loss, gradients, and weights after Adam steps', (t) => {
  const rng = new Rng(42);
  const params = initGlorotUniform(shape, rng.fork());
  const js = new JsQEngine(config, params);
  const ref = new TfjsQNetwork(config, params);
  // Make the target network differ from the online one, as it does between syncs.
  const warm = randomBatch(rng, 64);
  js.train(warm);
  ref.train(warm);
  js.syncTarget();
  ref.syncTarget();

  const batch = randomBatch(rng, 64);
  const jsQ = new Float32Array(64 * 2);
  new MlpKernel(shape, 64).forward(js.getState().online, batch.obs, 64, jsQ);
  t.true(relativeError(jsQ, ref.qValuesBatch(batch.obs, 64)) < 1e-5, 'Q-values');

  const jsGrad = js.lossAndClippedGradients(batch);
  const refGrad = ref.lossAndClippedGradients(batch);
  t.true(
    Math.abs(jsGrad.loss - refGrad.loss) / refGrad.loss < 1e-5,
    `loss ${jsGrad.loss} vs ${refGrad.loss}`,
  );
  t.true(relativeError(jsGrad.grads, refGrad.grads) < 1e-5, 'clipped gradients');
  t.true(jsGrad.grads.some((g) => g !== 0));

  for (let step = 0; step < 5; step++) {
    const b = randomBatch(rng, 64);
    const lj = js.train(b);
    const lr = ref.train(b);
    t.true(Math.abs(lj - lr) / lr < 1e-5, `step ${step}: loss ${lj} vs ${lr}`);
  }
  const sj = js.getState();
  const sr = ref.getState();
  // Adam divides by √v + 1e-7: for a gradient element near 1e-7 a float32 rounding difference
  // (summation order differs between XNNPACK/tfjs and our SIMD loop) moves that weight by a visible
  // fraction of one step. The weights are held to 1e-4 of their scale; what they compute, to 1e-5.
  t.true(relativeError(sj.online, sr.online) < 1e-4, `online weights ${relativeError(sj.online, sr.online)}`);
  t.true(relativeError(sj.target, sr.target) < 1e-4, `target weights ${relativeError(sj.target, sr.target)}`);
  const probe = randomBatch(rng, 64);
  const after = new Float32Array(64 * 2);
  new MlpKernel(shape, 64).forward(sj.online, probe.obs, 64, after);
  const afterRef = ref.qValuesBatch(probe.obs, 64);
  t.true(relativeError(after, afterRef) < 1e-5, `Q-values after training ${relativeError(after, afterRef)}`);
  t.true(relativeError(sj.adam.m, sr.adam.m) < 1e-4, 'Adam first moments');
  t.true(relativeError(sj.adam.v, sr.adam.v) < 1e-4, 'Adam second moments');
  t.is(sj.adam.step, 6);
  t.is(sr.adam.step, 6);
  t.true(Math.abs(sj.adam.beta1Power - sr.adam.beta1Power) < 1e-6);
  // The weights moved: the comparison above is not between two untouched copies.
  t.true(relativeError(sj.online, params) > 1e-3);
  ref.dispose();
});

for (const hiddenLayers of [
  [64, 64],
  [10, 12, 8],
]) {
  test(`WebAssembly and plain-JS loops train a ${hiddenLayers.join('×')} network to the same bits`, (t) => {
    const net = { ...shape, hiddenLayers };
    const rng = new Rng(8);
    const initial = initGlorotUniform(net, rng.fork());
    const kernels = [new MlpKernel(net, 64), new MlpKernel(net, 64, { plainJs: true })];
    t.deepEqual(
      kernels.map((k) => k.simd),
      [true, false],
    );
    const states = kernels.map((kernel) => {
      const params = kernel.allocParams();
      params.set(initial);
      return { kernel, params, adam: kernel.allocAdamState() };
    });
    for (let step = 0; step < 20; step++) {
      const batch = randomBatch(rng, step === 0 ? 1 : 64 - step);
      const targets = Float64Array.from({ length: batch.size }, () => rng.normal());
      const q = states.map(() => new Float32Array(batch.size * 2));
      const results = states.map(({ kernel, params, adam }, i) => {
        kernel.forward(params, batch.nextObs, batch.size, q[i]!);
        const loss = kernel.lossAndGradients(params, batch.obs, batch.actions, targets, batch.size, 0.05);
        const norm = kernel.clipGradients(0.5);
        const grads = kernel.gradients.slice();
        kernel.adamStep(params, adam, 1e-2);
        return { loss, norm, grads };
      });
      t.deepEqual(q[0], q[1], `step ${step}: Q-values`);
      t.deepEqual(results[0], results[1], `step ${step}: loss, norm and gradients`);
      t.deepEqual(states[0]!.params, states[1]!.params, `step ${step}: weights`);
      t.deepEqual(states[0]!.adam, states[1]!.adam, `step ${step}: Adam state`);
    }
    t.true(
      states[0]!.params.some((w, k) => Math.abs(w - initial[k]!) > 1e-3),
      'the weights moved',
    );
  });
}

test('the tfjs engine frees every tensor it makes', (t) => {
  const rng = new Rng(3);
  const params = initGlorotUniform(shape, rng.fork());
  const before = tf.memory().numTensors;
  const ref = new TfjsQNetwork(config, params);
  ref.train(randomBatch(rng, 64));
  const afterFirst = tf.memory().numTensors;
  const q = new Float32Array(2);
  for (let i = 0; i < 5; i++) {
    ref.qValues(randomBatch(rng, 1).obs, q);
    ref.train(randomBatch(rng, 64));
    ref.syncTarget();
    ref.getState();
    t.is(tf.memory().numTensors, afterFirst);
  }
  ref.setState(ref.getState());
  t.is(tf.memory().numTensors, afterFirst);
  ref.dispose();
  t.is(tf.memory().numTensors, before);
});
