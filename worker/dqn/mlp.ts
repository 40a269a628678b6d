import type { Rng } from '../rng.js';

/*
 * Why a hand-written kernel: the Q-network is tiny (≈26 → 64 → 64 → 2). For a network this size a
 * tfjs call costs far more in dispatch, tensor bookkeeping and (on wasm) copies than in arithmetic:
 * `npm run bench` measured the common layers-API DQN (model.predict per step, model.fit per update)
 * at a few hundred environment steps/s, while these loops over Float32Arrays run the same network,
 * loss, clipping and Adam many times faster. tfjs-q-network.ts is the reference implementation;
 * mlp.test.ts holds this kernel to it (same weights, same batches → same Q-values, loss, gradients
 * and weights after several Adam steps).
 *
 * Parameter layout (one flat Float32Array, so copying, Adam and checkpoints are one loop each):
 * for every dense layer, its kernel [in × out] in row-major order (tfjs's kernel shape [in, out],
 * in dataSync order), then its bias [out]. Hidden layers use ReLU; the head is linear.
 */

/** Adam constants: tfjs / Keras defaults, used identically by both engines. */
export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPSILON = 1e-7;

export interface MlpShape {
  inputSize: number;
  hiddenLayers: readonly number[];
  outputSize: number;
}

/** Layer widths from input to output, e.g. [26, 64, 64, 2]. */
export function layerSizes(shape: MlpShape): number[] {
  for (const [name, value] of [
    ['inputSize', shape.inputSize],
    ['outputSize', shape.outputSize],
    ...shape.hiddenLayers.map((h, i) => [`hiddenLayers[${i}]`, h] as const),
  ] as const) {
    if (!Number.isInteger(value) || value <= 0) {
      throw new Error(`MLP shape: ${name} must be a positive integer, got ${value}`);
    }
  }
  return [shape.inputSize, ...shape.hiddenLayers, shape.outputSize];
}

/** Where each layer's kernel and bias start in the flat parameter array. */
export interface LayerOffsets {
  kernel: number;
  bias: number;
  inSize: number;
  outSize: number;
}

/** The offsets of every layer and the total parameter count. */
export function parameterLayout(shape: MlpShape): { layers: LayerOffsets[]; count: number } {
  const sizes = layerSizes(shape);
  const layers: LayerOffsets[] = [];
  let offset = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const inSize = sizes[l]!;
    const outSize = sizes[l + 1]!;
    layers.push({ kernel: offset, bias: offset + inSize * outSize, inSize, outSize });
    offset += inSize * outSize + outSize;
  }
  return { layers, count: offset };
}

/** Glorot-uniform kernels and zero biases (tfjs's dense defaults), drawn from a seeded Rng. */
export function initGlorotUniform(shape: MlpShape, rng: Rng): Float32Array {
  const { layers, count } = parameterLayout(shape);
  const params = new Float32Array(count);
  for (const layer of layers) {
    const limit = Math.sqrt(6 / (layer.inSize + layer.outSize));
    const n = layer.inSize * layer.outSize;
    for (let k = 0; k < n; k++) params[layer.kernel + k] = (rng.next() * 2 - 1) * limit;
  }
  return params;
}

/** A batch of transitions as the trainer reads them (row-major, `size` rows). */
export interface TrainingBatch {
  size: number;
  obs: Float32Array;
  actions: Uint8Array;
  rewards: Float32Array;
  nextObs: Float32Array;
  dones: Uint8Array;
}

/**
 * Forward and backward passes over preallocated buffers: no allocation per call once built.
 * One instance serves any parameter array of its shape (online and target networks share it).
 */
export class MlpKernel {
  readonly sizes: number[];
  readonly layers: LayerOffsets[];
  readonly paramCount: number;
  readonly maxBatch: number;
  /** Post-activation outputs per layer, maxBatch rows each (index 0 unused: the input). */
  private readonly acts: Float64Array[];
  /** Gradients with respect to each layer's output, maxBatch rows each. */
  private readonly deltas: Float64Array[];

  constructor(shape: MlpShape, maxBatch: number) {
    const layout = parameterLayout(shape);
    this.sizes = layerSizes(shape);
    this.layers = layout.layers;
    this.paramCount = layout.count;
    this.maxBatch = Math.max(1, maxBatch);
    this.acts = this.sizes.map((s) => new Float64Array(s * this.maxBatch));
    this.deltas = this.sizes.map((s) => new Float64Array(s * this.maxBatch));
  }

  get outputSize(): number {
    return this.sizes[this.sizes.length - 1]!;
  }

  /** Forward pass for `n` rows of `x`; writes n × outputSize values to `out`. Keeps activations for backward. */
  forward(params: Float32Array, x: Float32Array, n: number, out: Float32Array | Float64Array): void {
    if (n > this.maxBatch) throw new Error(`MlpKernel: batch ${n} exceeds maxBatch ${this.maxBatch}`);
    const last = this.layers.length - 1;
    for (let l = 0; l <= last; l++) {
      const { kernel, bias, inSize, outSize } = this.layers[l]!;
      const input: Float32Array | Float64Array = l === 0 ? x : this.acts[l]!;
      const output = this.acts[l + 1]!;
      for (let b = 0; b < n; b++) {
        const inBase = b * inSize;
        const outBase = b * outSize;
        for (let j = 0; j < outSize; j++) output[outBase + j] = params[bias + j]!;
        for (let i = 0; i < inSize; i++) {
          const a = input[inBase + i]!;
          if (a === 0) continue;
          const row = kernel + i * outSize;
          for (let j = 0; j < outSize; j++) output[outBase + j]! += a * params[row + j]!;
        }
        if (l < last) {
          for (let j = 0; j < outSize; j++) if (output[outBase + j]! < 0) output[outBase + j] = 0;
        }
      }
    }
    const result = this.acts[last + 1]!;
    const width = this.outputSize;
    for (let k = 0; k < n * width; k++) out[k] = result[k]!;
  }

  /**
   * Mean Huber loss of Q(s, a_taken) against `targets`, and its gradient with respect to every
   * parameter (written to `grads`, same layout as params). Returns the loss.
   */
  lossAndGradients(
    params: Float32Array,
    x: Float32Array,
    actions: Uint8Array,
    targets: Float64Array,
    n: number,
    delta: number,
    grads: Float64Array,
  ): number {
    const width = this.outputSize;
    const depth = this.layers.length;
    const q = this.acts[depth]!;
    this.forward(params, x, n, q);
    const dq = this.deltas[depth]!;
    dq.fill(0, 0, n * width);
    let loss = 0;
    for (let b = 0; b < n; b++) {
      const a = actions[b]!;
      const err = q[b * width + a]! - targets[b]!;
      const absErr = Math.abs(err);
      const quadratic = Math.min(absErr, delta);
      loss += 0.5 * quadratic * quadratic + delta * (absErr - quadratic);
      dq[b * width + a] = Math.min(delta, Math.max(-delta, err)) / n;
    }
    grads.fill(0);
    for (let l = depth - 1; l >= 0; l--) {
      const { kernel, bias, inSize, outSize } = this.layers[l]!;
      const input: Float32Array | Float64Array = l === 0 ? x : this.acts[l]!;
      const dOut = this.deltas[l + 1]!;
      const dIn = this.deltas[l]!;
      for (let b = 0; b < n; b++) {
        const inBase = b * inSize;
        const outBase = b * outSize;
        for (let j = 0; j < outSize; j++) grads[bias + j]! += dOut[outBase + j]!;
        for (let i = 0; i < inSize; i++) {
          const a = input[inBase + i]!;
          const row = kernel + i * outSize;
          if (a === 0) {
            // No kernel gradient from a zero input, and a clamped ReLU passes nothing back.
            if (l > 0) dIn[inBase + i] = 0;
            continue;
          }
          if (l === 0) {
            for (let j = 0; j < outSize; j++) grads[row + j]! += a * dOut[outBase + j]!;
            continue;
          }
          let back = 0;
          for (let j = 0; j < outSize; j++) {
            const d = dOut[outBase + j]!;
            grads[row + j]! += a * d;
            back += params[row + j]! * d;
          }
          // ReLU derivative: a hidden activation here is > 0 (zeros were skipped above).
          dIn[inBase + i] = back;
        }
      }
    }
    return loss / n;
  }
}

/** Scales `grads` in place so their global L2 norm is at most `clipNorm`; returns the norm before clipping. */
export function clipByGlobalNorm(grads: Float64Array, clipNorm: number): number {
  let sum = 0;
  for (let k = 0; k < grads.length; k++) sum += grads[k]! * grads[k]!;
  const norm = Math.sqrt(sum);
  const scale = clipNorm / Math.max(norm, clipNorm);
  if (scale !== 1) for (let k = 0; k < grads.length; k++) grads[k]! *= scale;
  return norm;
}

/** Adam's moments and bias-correction powers, in the form checkpoints store. */
export interface AdamState {
  m: Float64Array;
  v: Float64Array;
  /**
   * beta1^(t+1) and beta2^(t+1) after t steps: the bias corrections the next step uses, accumulated
   * by multiplication and starting at beta1 / beta2, exactly as tf.train.adam keeps them.
   */
  beta1Power: number;
  beta2Power: number;
  step: number;
}

/** A fresh Adam state for `count` parameters. */
export function createAdamState(count: number): AdamState {
  return {
    m: new Float64Array(count),
    v: new Float64Array(count),
    beta1Power: ADAM_BETA1,
    beta2Power: ADAM_BETA2,
    step: 0,
  };
}

/** One Adam step with bias correction (the update of tf.train.adam), in place on params. */
export function adamStep(
  params: Float32Array,
  grads: Float64Array,
  state: AdamState,
  learningRate: number,
): void {
  const c1 = 1 - state.beta1Power;
  const c2 = 1 - state.beta2Power;
  state.beta1Power *= ADAM_BETA1;
  state.beta2Power *= ADAM_BETA2;
  state.step++;
  const { m, v } = state;
  for (let k = 0; k < params.length; k++) {
    const g = grads[k]!;
    const mk = ADAM_BETA1 * m[k]! + (1 - ADAM_BETA1) * g;
    const vk = ADAM_BETA2 * v[k]! + (1 - ADAM_BETA2) * g * g;
    m[k] = mk;
    v[k] = vk;
    params[k]! -= (learningRate * (mk / c1)) / (Math.sqrt(vk / c2) + ADAM_EPSILON);
  }
}
