import type { Rng } from '../rng.js';
import { jsKernelOps, type KernelOps, wasmKernelOps } from './kernel-ops.js';

/*
 * Why a hand-written kernel: the Q-network is tiny (≈21 → 64 → 64 → 2). For a network this size a
 * tfjs call costs far more in dispatch, tensor bookkeeping and copies than in arithmetic. When this
 * kernel was written, plain-JS loops over Float32Arrays ran ≈2.4× the common layers-API DQN
 * (model.predict per step, model.fit per update) on tfjs's wasm backend; the same loops in
 * WebAssembly SIMD (kernel.wat, through kernel-ops.ts) run far faster still. `npm run bench`
 * measures the current figures; the README's Speed section has them. tfjs-q-network.ts is the reference: mlp.test.ts holds this kernel to it (same weights,
 * same batches → same Q-values, loss, gradients, and weights after several Adam steps), and the
 * plain-JS loops to the WebAssembly ones bit for bit.
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

// Every buffer starts on a 16-byte boundary (v128 loads, Float64Array views).
const ALIGN = 16;

/** How many of each in-place buffer an MlpKernel reserves (its memory never grows), and its loops. */
export interface MlpKernelOptions {
  /** Parameter arrays from allocParams() (default 2: online and target). */
  params?: number;
  /** Input batches from allocInput() (default 2: states and next states). */
  inputs?: number;
  /** Adam states from allocAdamState() (default 1). */
  adam?: number;
  /** Run the plain-JS loops even where WebAssembly SIMD is available (tests compare the two). */
  plainJs?: boolean;
}

type Slot = 'params' | 'inputs' | 'adam';

/**
 * Forward and backward passes, gradient clipping and Adam over preallocated buffers in one
 * WebAssembly.Memory: no allocation per call once built. The loops run in kernel-ops.ts (WebAssembly
 * SIMD, or the same loops in plain JS); this class lays out the memory and sequences the calls.
 * One instance serves any parameter array of its shape (online and target networks share it).
 * Parameters from allocParams() and inputs from allocInput() are used in place; others are copied in.
 */
export class MlpKernel {
  readonly sizes: number[];
  readonly layers: LayerOffsets[];
  readonly paramCount: number;
  readonly maxBatch: number;
  /** True when the WebAssembly SIMD loops run (else the same loops in plain JS). */
  readonly simd: boolean;
  /** Gradients written by lossAndGradients (flat parameter layout). */
  readonly gradients: Float32Array;
  private readonly memory: WebAssembly.Memory;
  private readonly heap: Float32Array;
  private readonly ops: KernelOps;
  // Byte offsets into the memory.
  private readonly inputAt: number;
  private readonly activationAt: number[];
  private readonly deltaAt: number[];
  private readonly transposedAt: number;
  private readonly zerosAt: number;
  private readonly scratchAt: number;
  private readonly gradientAt: number;
  private readonly scratchParamsAt: number;
  private readonly free: Record<Slot, number[]>;

  constructor(shape: MlpShape, maxBatch: number, options: MlpKernelOptions = {}) {
    const layout = parameterLayout(shape);
    this.sizes = layerSizes(shape);
    this.layers = layout.layers;
    this.paramCount = layout.count;
    this.maxBatch = Math.max(1, maxBatch);
    const widest = Math.max(...this.sizes);
    const maxKernel = Math.max(...this.layers.map((l) => l.inSize * l.outSize));
    // Every buffer is laid out first and the memory made once: it never grows, so views stay valid.
    let top = 0;
    const take = (bytes: number) => {
      const at = top;
      top += Math.ceil(bytes / ALIGN) * ALIGN;
      return at;
    };
    const batchBytes = (width: number) => 4 * width * this.maxBatch;
    this.inputAt = take(batchBytes(this.sizes[0]!));
    this.activationAt = this.sizes.map((size, l) => (l === 0 ? this.inputAt : take(batchBytes(size))));
    this.deltaAt = this.sizes.map((size) => take(batchBytes(size)));
    this.transposedAt = take(4 * maxKernel);
    this.zerosAt = take(4 * widest);
    this.scratchAt = take(8 * Math.max(widest, this.maxBatch));
    this.gradientAt = take(4 * this.paramCount);
    this.scratchParamsAt = take(4 * this.paramCount);
    this.free = {
      params: Array.from({ length: options.params ?? 2 }, () => take(4 * this.paramCount)),
      inputs: Array.from({ length: options.inputs ?? 2 }, () => take(batchBytes(this.sizes[0]!))),
      adam: Array.from({ length: options.adam ?? 1 }, () => take(16 * this.paramCount)),
    };
    this.memory = new WebAssembly.Memory({ initial: Math.ceil(top / 65536) + 1 });
    this.heap = new Float32Array(this.memory.buffer);
    const wasm = options.plainJs ? null : wasmKernelOps(this.memory);
    this.simd = wasm !== null;
    this.ops = wasm ?? jsKernelOps(this.memory);
    this.gradients = this.heap.subarray(this.gradientAt >> 2, (this.gradientAt >> 2) + this.paramCount);
  }

  get outputSize(): number {
    return this.sizes[this.sizes.length - 1]!;
  }

  /** A zeroed parameter array inside the kernel's memory (used in place, without copying). */
  allocParams(): Float32Array {
    const at = this.take('params');
    return this.heap.subarray(at >> 2, (at >> 2) + this.paramCount);
  }

  /** A zeroed batch of maxBatch input rows inside the kernel's memory (read in place). */
  allocInput(): Float32Array {
    const at = this.take('inputs');
    return this.heap.subarray(at >> 2, (at >> 2) + this.maxBatch * this.sizes[0]!);
  }

  /** A fresh Adam state whose moments live in the kernel's memory, as adamStep() needs them. */
  allocAdamState(): AdamState {
    const at = this.take('adam') >> 3;
    const wide = new Float64Array(this.memory.buffer);
    return {
      m: wide.subarray(at, at + this.paramCount),
      v: wide.subarray(at + this.paramCount, at + 2 * this.paramCount),
      beta1Power: ADAM_BETA1,
      beta2Power: ADAM_BETA2,
      step: 0,
    };
  }

  private take(kind: Slot): number {
    const at = this.free[kind].shift();
    if (at === undefined) throw new Error(`MlpKernel: every ${kind} slot is taken`);
    return at;
  }

  /** Byte offset of `params` in the memory, copying them into the scratch slot when they live elsewhere. */
  private paramsAt(params: Float32Array): number {
    if (params.length !== this.paramCount) {
      throw new Error(`MlpKernel: ${params.length} parameters given, the network has ${this.paramCount}`);
    }
    if (params.buffer === this.memory.buffer) return params.byteOffset;
    this.heap.set(params, this.scratchParamsAt >> 2);
    return this.scratchParamsAt;
  }

  /** Byte offset of the first `n` rows of `x`, copying them in when they live elsewhere. */
  private rowsAt(x: Float32Array, n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > this.maxBatch) {
      throw new Error(`MlpKernel: batch ${n} is outside 1..maxBatch ${this.maxBatch}`);
    }
    const count = n * this.sizes[0]!;
    if (x.length < count) throw new Error(`MlpKernel: ${x.length} inputs given, ${n} rows need ${count}`);
    if (x.buffer === this.memory.buffer) return x.byteOffset;
    this.heap.set(x.length === count ? x : x.subarray(0, count), this.inputAt >> 2);
    return this.inputAt;
  }

  /**
   * C = relu?(init + A·B), `cols` wide (byte offsets; A(r, k) at a + r·sar + k·sak). The f32 SIMD
   * loop when cols is a multiple of 4, else the f64-accumulating one.
   */
  private product(
    a: number,
    sar: number,
    sak: number,
    b: number,
    init: number,
    c: number,
    rows: number,
    inner: number,
    cols: number,
    relu: boolean,
  ): void {
    const mm = cols % 4 === 0 ? this.ops.matmul : this.ops.matmulWide;
    mm(a, sar, sak, b, init, c, rows, inner, cols * 4, relu ? 1 : 0, this.scratchAt);
  }

  /** Every layer for `n` rows at byte offset `input`; the activations stay for the backward pass. */
  private forwardAt(p: number, input: number, n: number): void {
    const last = this.layers.length - 1;
    for (let l = 0; l <= last; l++) {
      const { kernel, bias, inSize, outSize } = this.layers[l]!;
      const from = l === 0 ? input : this.activationAt[l]!;
      const to = this.activationAt[l + 1]!;
      this.product(from, inSize * 4, 4, p + kernel * 4, p + bias * 4, to, n, inSize, outSize, l < last);
    }
  }

  /** Forward pass for `n` rows of `x`; writes n × outputSize values to `out`. Keeps activations for backward. */
  forward(params: Float32Array, x: Float32Array, n: number, out: Float32Array | Float64Array): void {
    const input = this.rowsAt(x, n);
    this.forwardAt(this.paramsAt(params), input, n);
    const result = this.activationAt[this.layers.length]! >> 2;
    const heap = this.heap;
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
    const input = this.rowsAt(x, n);
    const p = this.paramsAt(params);
    this.forwardAt(p, input, n);
    const q = this.activationAt[depth]! >> 2;
    const dq = this.deltaAt[depth]! >> 2;
    heap.fill(0, dq, dq + n * width);
    let loss = 0;
    for (let b = 0; b < n; b++) {
      const a = actions[b]!;
      const err = heap[q + b * width + a]! - targets[b]!;
      const absErr = Math.abs(err);
      const quadratic = Math.min(absErr, delta);
      loss += 0.5 * quadratic * quadratic + delta * (absErr - quadratic);
      heap[dq + b * width + a] = Math.min(delta, Math.max(-delta, err)) / n;
    }
    const ops = this.ops;
    const grads = this.gradientAt;
    for (let l = depth - 1; l >= 0; l--) {
      const { kernel, bias, inSize, outSize } = this.layers[l]!;
      const from = l === 0 ? input : this.activationAt[l]!;
      const dOut = this.deltaAt[l + 1]!;
      ops.columnSums(dOut, n, outSize * 4, grads + bias * 4);
      // Kernel gradient [in × out] = inputᵀ · dOut: A(r = i, k = b) reads the input transposed.
      this.product(from, 4, inSize * 4, dOut, this.zerosAt, grads + kernel * 4, inSize, n, outSize, false);
      if (l === 0) break;
      // Into the layer below: dOut · Wᵀ, through the ReLU (zero where it clamped).
      const dIn = this.deltaAt[l]!;
      ops.transpose(p + kernel * 4, this.transposedAt, inSize, outSize);
      this.product(dOut, outSize * 4, 4, this.transposedAt, this.zerosAt, dIn, n, outSize, inSize, false);
      ops.reluMask(dIn, from, n * inSize);
    }
    return loss / n;
  }

  /** Scales `gradients` so their global L2 norm is at most `clipNorm`; returns the norm before clipping. */
  clipGradients(clipNorm: number): number {
    const norm = Math.sqrt(this.ops.sumOfSquares(this.gradientAt, this.paramCount));
    const scale = clipNorm / Math.max(norm, clipNorm);
    if (scale !== 1) this.ops.scale(this.gradientAt, this.paramCount, scale);
    return norm;
  }

  /**
   * One Adam step with bias correction (the update of tf.train.adam) from `gradients`, in place on
   * params from allocParams() and a state from allocAdamState().
   */
  adamStep(params: Float32Array, state: AdamState, learningRate: number): void {
    for (const [name, array] of [
      ['params', params],
      ['adam.m', state.m],
      ['adam.v', state.v],
    ] as const) {
      if (array.buffer !== this.memory.buffer || array.length !== this.paramCount) {
        throw new Error(`MlpKernel.adamStep: ${name} must come from this kernel's alloc functions`);
      }
    }
    const c1 = 1 - state.beta1Power;
    const c2 = 1 - state.beta2Power;
    state.beta1Power *= ADAM_BETA1;
    state.beta2Power *= ADAM_BETA2;
    state.step++;
    this.ops.adam(
      params.byteOffset,
      this.gradientAt,
      state.m.byteOffset,
      state.v.byteOffset,
      this.paramCount,
      learningRate,
      c1,
      c2,
      ADAM_BETA1,
      1 - ADAM_BETA1,
      ADAM_BETA2,
      1 - ADAM_BETA2,
      ADAM_EPSILON,
    );
  }
}
