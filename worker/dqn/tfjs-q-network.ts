import * as tf from '@tensorflow/tfjs';
import {
  ADAM_BETA1,
  ADAM_BETA2,
  ADAM_EPSILON,
  type AdamState,
  parameterLayout,
  type TrainingBatch,
} from './mlp.js';
import { checkStateShape, type EngineState, type QEngine, type QEngineConfig } from './q-engine.js';

/** Builds the Q-network as a tf.sequential: ReLU dense hidden layers and a linear head. */
export function buildSequentialQNetwork(inputSize: number, hiddenLayers: readonly number[], actions: number) {
  const model = tf.sequential();
  hiddenLayers.forEach((units, i) => {
    model.add(
      tf.layers.dense({
        units,
        activation: 'relu',
        kernelInitializer: 'zeros',
        ...(i === 0 ? { inputShape: [inputSize] } : {}),
      }),
    );
  });
  model.add(tf.layers.dense({ units: actions, activation: 'linear', kernelInitializer: 'zeros' }));
  return model;
}

/** Copies a flat parameter array (mlp.ts layout) into a model's weights. */
export function setFlatWeights(model: tf.LayersModel, params: Float32Array): void {
  const weights = model.getWeights();
  const total = weights.reduce((sum, w) => sum + w.size, 0);
  if (total !== params.length) {
    throw new Error(`setFlatWeights: ${params.length} parameters given, the model has ${total}`);
  }
  let offset = 0;
  const values = weights.map((w) => {
    const t = tf.tensor(params.subarray(offset, offset + w.size), w.shape, 'float32');
    offset += w.size;
    return t;
  });
  model.setWeights(values);
  tf.dispose(values);
}

/** Reads a model's weights into one flat array (mlp.ts layout). */
export function getFlatWeights(model: tf.LayersModel): Float32Array {
  const weights = model.getWeights();
  const total = weights.reduce((sum, w) => sum + w.size, 0);
  const out = new Float32Array(total);
  let offset = 0;
  for (const w of weights) {
    out.set(w.dataSync() as Float32Array, offset);
    offset += w.size;
  }
  return out;
}

/** The fields of tf.train.adam (tfjs 4.22) a checkpoint must read and restore; none has a sync public API. */
interface AdamInternals {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
  iterations_: number;
}

function adamInternals(optimizer: tf.AdamOptimizer): AdamInternals {
  const internals = optimizer as unknown as AdamInternals;
  if (!(internals.accBeta1 instanceof tf.Variable) || !Array.isArray(internals.accumulatedFirstMoment)) {
    throw new Error(
      'tfjs AdamOptimizer internals changed: cannot checkpoint the tfjs engine with this tfjs version',
    );
  }
  return internals;
}

/**
 * The reference implementation: the same network, Huber loss on the taken action, global-norm
 * clipping and Adam as the JS kernel, written with TensorFlow.js. Also a selectable training
 * engine; every tensor it creates is disposed (tf.memory().numTensors stays flat).
 */
export class TfjsQNetwork implements QEngine {
  readonly kind = 'tfjs' as const;
  readonly online: tf.Sequential;
  readonly target: tf.Sequential;
  private optimizer: tf.AdamOptimizer;
  private readonly paramCount: number;

  constructor(
    private readonly config: QEngineConfig,
    initialParams: Float32Array,
  ) {
    this.paramCount = parameterLayout({
      inputSize: config.inputSize,
      hiddenLayers: config.hiddenLayers,
      outputSize: config.actions,
    }).count;
    this.online = buildSequentialQNetwork(config.inputSize, config.hiddenLayers, config.actions);
    this.target = buildSequentialQNetwork(config.inputSize, config.hiddenLayers, config.actions);
    this.target.trainable = false;
    setFlatWeights(this.online, initialParams);
    setFlatWeights(this.target, initialParams);
    this.optimizer = tf.train.adam(config.learningRate, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON);
  }

  qValues(obs: Float32Array, out: Float32Array): void {
    const q = tf.tidy(() => this.online.apply(tf.tensor2d(obs, [1, this.config.inputSize])) as tf.Tensor);
    out.set(q.dataSync() as Float32Array);
    q.dispose();
  }

  /** Online Q-values for a batch of observations (row-major), for the reference tests. */
  qValuesBatch(obs: Float32Array, n: number): Float32Array {
    const q = tf.tidy(
      () =>
        this.online.apply(
          tf.tensor2d(obs.subarray(0, n * this.config.inputSize), [n, this.config.inputSize]),
        ) as tf.Tensor,
    );
    const values = Float32Array.from(q.dataSync() as Float32Array);
    q.dispose();
    return values;
  }

  /** Loss and clipped gradients as tensors (call inside tf.tidy); the variable order is the flat layout's. */
  private lossAndGradientTensors(batch: TrainingBatch): {
    loss: tf.Scalar;
    grads: tf.Tensor[];
    vars: tf.Variable[];
  } {
    const { inputSize, actions, gamma, huberDelta, clipNorm } = this.config;
    const n = batch.size;
    const x = tf.tensor2d(batch.obs.subarray(0, n * inputSize), [n, inputSize]);
    const nextX = tf.tensor2d(batch.nextObs.subarray(0, n * inputSize), [n, inputSize]);
    const rewards = tf.tensor1d(batch.rewards.subarray(0, n));
    const notDone = tf.sub(1, tf.tensor1d(Float32Array.from(batch.dones.subarray(0, n))));
    const nextQ = this.target.apply(nextX) as tf.Tensor2D;
    const targets = tf.add(rewards, tf.mul(tf.mul(notDone, gamma), tf.max(nextQ, 1)));
    const mask = tf.oneHot(tf.tensor1d(Int32Array.from(batch.actions.subarray(0, n)), 'int32'), actions);
    const vars = this.online.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(() => {
      const q = this.online.apply(x, { training: true }) as tf.Tensor2D;
      const taken = tf.sum(tf.mul(q, mask), 1);
      return tf.losses.huberLoss(targets, taken, undefined, huberDelta) as tf.Scalar;
    }, vars);
    const list = vars.map((v) => grads[v.name]!);
    const norm = tf.sqrt(tf.addN(list.map((g) => tf.sum(tf.square(g)))));
    const scale = tf.div(clipNorm, tf.maximum(norm, clipNorm));
    return { loss: value, grads: list.map((g) => tf.mul(g, scale)), vars };
  }

  /** Loss and clipped gradients (flat layout) without applying them, for the reference tests. */
  lossAndClippedGradients(batch: TrainingBatch): { loss: number; grads: Float32Array } {
    const [loss, flat] = tf.tidy(() => {
      const { loss, grads } = this.lossAndGradientTensors(batch);
      return [loss, tf.concat(grads.map((g) => g.flatten()))];
    });
    const result = { loss: loss.dataSync()[0]!, grads: Float32Array.from(flat.dataSync() as Float32Array) };
    tf.dispose([loss, flat]);
    return result;
  }

  train(batch: TrainingBatch): number {
    const loss = tf.tidy(() => {
      const { loss, grads, vars } = this.lossAndGradientTensors(batch);
      this.optimizer.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: grads[i]! })));
      return loss;
    });
    const value = loss.dataSync()[0]!;
    loss.dispose();
    return value;
  }

  syncTarget(): void {
    tf.tidy(() => this.target.setWeights(this.online.getWeights()));
  }

  getState(): EngineState {
    const adam = adamInternals(this.optimizer);
    const moments = (list: AdamInternals['accumulatedFirstMoment']) => {
      const out = new Float64Array(this.paramCount);
      let offset = 0;
      for (const { variable } of list) {
        out.set(variable.dataSync() as Float32Array, offset);
        offset += variable.size;
      }
      return out;
    };
    const state: AdamState = {
      m: moments(adam.accumulatedFirstMoment),
      v: moments(adam.accumulatedSecondMoment),
      beta1Power: adam.accBeta1.dataSync()[0]!,
      beta2Power: adam.accBeta2.dataSync()[0]!,
      step: this.optimizer.iterations,
    };
    return { online: getFlatWeights(this.online), target: getFlatWeights(this.target), adam: state };
  }

  setState(state: EngineState): void {
    checkStateShape(state, this.paramCount);
    setFlatWeights(this.online, state.online);
    setFlatWeights(this.target, state.target);
    this.optimizer.dispose();
    this.optimizer = tf.train.adam(this.config.learningRate, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON);
    const adam = adamInternals(this.optimizer);
    tf.tidy(() => {
      adam.accBeta1.assign(tf.scalar(state.adam.beta1Power));
      adam.accBeta2.assign(tf.scalar(state.adam.beta2Power));
    });
    adam.iterations_ = state.adam.step;
    if (state.adam.step === 0) return;
    const vars = this.online.trainableWeights.map((w) => w.read() as tf.Variable);
    const moments = (values: Float64Array, suffix: string) => {
      let offset = 0;
      return vars.map((v) => {
        const slice = Float32Array.from(values.subarray(offset, offset + v.size));
        offset += v.size;
        const t = tf.tensor(slice, v.shape, 'float32');
        const variable = tf.variable(t, false);
        t.dispose();
        return { originalName: `${v.name}/${suffix}`, variable };
      });
    };
    adam.accumulatedFirstMoment = moments(state.adam.m, 'm');
    adam.accumulatedSecondMoment = moments(state.adam.v, 'v');
  }

  dispose(): void {
    this.optimizer.dispose();
    this.online.dispose();
    this.target.dispose();
  }
}
