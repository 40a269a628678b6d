import type { Rng } from '../rng.js';
import { createSimdMatMul, jsMatMul, type MatMulAccumulate } from './simd-matmul.js';

/*
 * Why a hand-written kernel: the Q-network is tiny (≈33 → 64 → 64 → 2). For a network this size a
 * tfjs call costs far more in dispatch, tensor bookkeeping and copies than in arithmetic.
 * `npm run bench` (BTC-USD, batch 64, train every 4, a loaded 2-core machine) measured the common
 * layers-API DQN (model.predict per step, model.fit per update) at ≈140 env steps/s on tfjs's cpu
 * backend and ≈420 on wasm; plain-JS loops over Float32Arrays reached ≈1,000 (not 5× wasm), and
 * the same loops with their multiply-accumulate in hand-assembled WebAssembly SIMD
 * (simd-matmul.ts) ≈3,600 (≈9× wasm, ≈30× cpu). tfjs-q-network.ts is the reference implementation; mlp.test.ts holds
 * this kernel to it (same weights, same batches → same Q-values, loss, gradients, and weights
 * after several Adam steps).
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
 * Every buffer lives in one WebAssembly.Memory so the SIMD multiply-accumulate (simd-matmul.ts)
 * can read it; parameters made by allocParams() are used in place, others are copied in first.
 */
export class MlpKernel {
  readonly sizes: number[];
  readonly layers: LayerOffsets[];
  readonly paramCount: number;
  readonly maxBatch: number;
  /** True when the WebAssembly SIMD path runs (else the same loops in plain JS). */
  readonly simd: boolean;
  /** Gradients written by lossAndGradients (flat parameter layout). */
  readonly gradients: Float32Array;
  private readonly heap: Float32Array;
  private readonly mm: MatMulAccumulate;
  private readonly mm16: MatMulAccumulate;
  private readonly xOffset: number;
  private readonly actOffsets: number[];
  private readonly deltaOffsets: number[];
  private readonly transposedOffset: number;
  private readonly scratchParams: number;
  private readonly paramSlots: number[];
  private nextSlot = 0;
  private top = 0;

  constructor(shape: MlpShape, maxBatch: number, paramSlots = 2) {
    const layout = parameterLayout(shape);
    this.sizes = layerSizes(shape);
    this.layers = layout.layers;
    this.paramCount = layout.count;
    this.maxBatch = Math.max(1, maxBatch);
    const padded = (count: number) => Math.ceil(count / 4) * 4;
    const maxKernel = Math.max(...this.layers.map((l) => l.inSize * l.outSize));
    const total =
      padded(this.paramCount) * (paramSlots + 2) +
      this.sizes.reduce((sum, size) => sum + 2 * padded(size * this.maxBatch), 0) +
      padded(maxKernel);
    const memory = new WebAssembly.Memory({ initial: Math.ceil((total * 4) / 65536) + 1 });
    this.heap = new Float32Array(memory.buffer);
    const simd = createSimdMatMul(memory);
    this.simd = simd !== null;
    this.mm = simd?.mm ?? jsMatMul(this.heap);
    this.mm16 = simd?.mm16 ?? this.mm;
    const take = (count: number) => {
      const offset = this.top;
      this.top += padded(count);
      return offset;
    };
    this.actOffsets = this.sizes.map((size) => take(size * this.maxBatch));
    this.xOffset = this.actOffsets[0]!;
    this.deltaOffsets = this.sizes.map((size) => take(size * this.maxBatch));
    this.transposedOffset = take(maxKernel);
    const gradientOffset = take(this.paramCount);
    this.gradients = this.heap.subarray(gradientOffset, gradientOffset + this.paramCount);
    this.scratchParams = take(this.paramCount);
    this.paramSlots = Array.from({ length: paramSlots }, () => take(this.paramCount));
  }

  get outputSize(): number {
    return this.sizes[this.sizes.length - 1]!;
  }

  /** A zeroed parameter array inside the kernel's memory (used in place, without copying). */
  allocParams(): Float32Array {
    const offset = this.paramSlots[this.nextSlot++];
    if (offset === undefined)
      throw new Error(`MlpKernel: all ${this.paramSlots.length} parameter slots are taken`);
    return this.heap.subarray(offset, offset + this.paramCount);
  }

  /** Float index of `params` in the heap, copying it into the scratch slot when it lives elsewhere. */
  private paramOffset(params: Float32Array): number {
    if (params.length !== this.paramCount) {
      throw new Error(`MlpKernel: ${params.length} parameters given, the network has ${this.paramCount}`);
    }
    if (params.buffer === this.heap.buffer) return params.byteOffset >> 2;
    this.heap.set(params, this.scratchParams);
    return this.scratchParams;
  }

  /** C[rows × cols] += A(r, k) · B[k][·] via SIMD when cols is a multiple of 4, else plain loops (float indices). */
  private multiplyAdd(
    a: number,
    sar: number,
    sak: number,
    b: number,
    c: number,
    rows: number,
    inner: number,
    cols: number,
  ): void {
    if (cols % 4 === 0) {
      const mm = cols % 16 === 0 ? this.mm16 : this.mm;
      mm(a * 4, sar * 4, sak * 4, b * 4, c * 4, rows, inner, cols * 4);
      return;
    }
    const heap = this.heap;
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < inner; k++) {
        const x = heap[a + r * sar + k * sak]!;
        if (x === 0) continue;
        for (let j = 0; j < cols; j++) heap[c + r * cols + j]! += x * heap[b + k * cols + j]!;
      }
    }
  }

  /** Forward pass for `n` rows of `x`; writes n × outputSize values to `out`. Keeps activations for backward. */
  forward(params: Float32Array, x: Float32Array, n: number, out: Float32Array | Float64Array): void {
    if (n > this.maxBatch) throw new Error(`MlpKernel: batch ${n} exceeds maxBatch ${this.maxBatch}`);
    const p = this.paramOffset(params);
    const heap = this.heap;
    heap.set(x.subarray(0, n * this.sizes[0]!), this.xOffset);
    const last = this.layers.length - 1;
    for (let l = 0; l <= last; l++) {
      const { kernel, bias, inSize, outSize } = this.layers[l]!;
      const input = this.actOffsets[l]!;
      const output = this.actOffsets[l + 1]!;
      for (let b = 0; b < n; b++) heap.copyWithin(output + b * outSize, p + bias, p + bias + outSize);
      this.multiplyAdd(input, inSize, 1, p + kernel, output, n, inSize, outSize);
      if (l < last) {
        for (let k = output; k < output + n * outSize; k++) if (heap[k]! < 0) heap[k] = 0;
      }
    }
    const result = this.actOffsets[last + 1]!;
    for (let k = 0; k < n * this.outputSize; k++) out[k] = heap[result + k]!;
  }

  /**
   * Mean Huber loss of Q(s, a_taken) against `targets`, and its gradient with respect to every
   * parameter (written to `gradients`, same layout as params). Returns the loss.
   */
  lossAndGradients(
    params: Float32Array,
    x: Float32Array,
    actions: Uint8Array,
    targets: Float64Array,
    n: number,
    delta: number,
  ): number {
    const heap = this.heap;
    const width = this.outputSize;
    const depth = this.layers.length;
    const qOffset = this.actOffsets[depth]!;
    this.forward(params, x, n, heap.subarray(qOffset, qOffset + n * width));
    const p = this.paramOffset(params);
    const grads = this.gradients;
    const dq = this.deltaOffsets[depth]!;
    heap.fill(0, dq, dq + n * width);
    let loss = 0;
    for (let b = 0; b < n; b++) {
      const a = actions[b]!;
      const err = heap[qOffset + b * width + a]! - targets[b]!;
      const absErr = Math.abs(err);
      const quadratic = Math.min(absErr, delta);
      loss += 0.5 * quadratic * quadratic + delta * (absErr - quadratic);
      heap[dq + b * width + a] = Math.min(delta, Math.max(-delta, err)) / n;
    }
    for (let l = depth - 1; l >= 0; l--) {
      const { kernel, bias, inSize, outSize } = this.layers[l]!;
      const input = this.actOffsets[l]!;
      const dOut = this.deltaOffsets[l + 1]!;
      const dIn = this.deltaOffsets[l]!;
      for (let j = 0; j < outSize; j++) {
        let s = 0;
        for (let b = 0; b < n; b++) s += heap[dOut + b * outSize + j]!;
        grads[bias + j] = s;
      }
      // Kernel gradient [in × out] = inputᵀ · dOut: A(r = i, k = b) reads the input transposed.
      grads.fill(0, kernel, kernel + inSize * outSize);
      this.multiplyAdd(input, 1, inSize, dOut, grads.byteOffset / 4 + kernel, inSize, n, outSize);
      if (l === 0) break;
      // Into the layer below: dOut · Wᵀ, through the ReLU (zero where it clamped).
      const wt = this.transposedOffset;
      for (let i = 0; i < inSize; i++) {
        for (let j = 0; j < outSize; j++) heap[wt + j * inSize + i] = heap[p + kernel + i * outSize + j]!;
      }
      heap.fill(0, dIn, dIn + n * inSize);
      this.multiplyAdd(dOut, outSize, 1, wt, dIn, n, outSize, inSize);
      for (let k = 0; k < n * inSize; k++) if (heap[input + k] === 0) heap[dIn + k] = 0;
    }
    return loss / n;
  }
}

/** Scales `grads` in place so their global L2 norm is at most `clipNorm`; returns the norm before clipping. */
export function clipByGlobalNorm(grads: Float32Array | Float64Array, clipNorm: number): number {
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
  grads: Float32Array | Float64Array,
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
