import { KERNEL_WASM_BASE64 } from './kernel-wasm.generated.js';

/*
 * The loops of the Q-network kernel, over one WebAssembly.Memory: in WebAssembly SIMD (kernel.wat,
 * assembled into kernel-wasm.generated.ts) where the runtime supports it, else the same loops in
 * plain JS. The JS twin is also the oracle: kernel-ops.test.ts holds the two to the same bits.
 * Every pointer is a byte offset into the memory; kernel.wat documents each function's rounding.
 */

/** The kernel's loops; see kernel.wat for each one's exact arithmetic. */
export interface KernelOps {
  /** C[r][·] = relu?(init[·] + Σ_k A(r, k)·B[k][·]), N a multiple of 4, f32 products and sums. */
  matmul: MatMul;
  /** The same for any N, every term added in f64 and rounded to f32 (the 2-wide head). */
  matmulWide: MatMul;
  /** out[j] = f32(Σ_r f64(D[r][j])). */
  columnSums(d: number, rows: number, n4: number, out: number): void;
  /** D[k] = 0 where act[k] = 0. */
  reluMask(d: number, act: number, count: number): void;
  /** dst = srcᵀ for a rows × cols matrix. */
  transpose(src: number, dst: number, rows: number, cols: number): void;
  /** Σ_k f64(p[k])², k ascending. */
  sumOfSquares(p: number, count: number): number;
  /** p[k] = f32(f64(p[k])·scale). */
  scale(p: number, count: number, scale: number): void;
  /** One bias-corrected Adam step over f32 params and grads with f64 moments. */
  adam(
    p: number,
    g: number,
    m: number,
    v: number,
    count: number,
    learningRate: number,
    c1: number,
    c2: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    epsilon: number,
  ): void;
}

/**
 * A(r, k) is the f32 at a + r·sar + k·sak; B and C row-major with N = n4 / 4 columns; init one row
 * of N values; relu 1 clamps negatives to 0; scratch holds 8 · inner bytes. rows, inner ≥ 1.
 */
export type MatMul = (
  a: number,
  sar: number,
  sak: number,
  b: number,
  init: number,
  c: number,
  rows: number,
  inner: number,
  n4: number,
  relu: number,
  scratch: number,
) => void;

let compiled: WebAssembly.Module | null | undefined;

/** The compiled kernel.wat, or null where this runtime lacks WebAssembly SIMD. */
function kernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(Buffer.from(KERNEL_WASM_BASE64, 'base64'));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** Whether the WebAssembly SIMD kernel runs here (else the plain-JS loops do the same work). */
export function simdAvailable(): boolean {
  return kernelModule() !== null;
}

/** The WebAssembly SIMD loops over `memory`, or null when the runtime cannot compile them. */
export function wasmKernelOps(memory: WebAssembly.Memory): KernelOps | null {
  const module = kernelModule();
  if (!module) return null;
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelOps;
}

/** The same loops in plain JS over the same memory: the fallback, and the tests' oracle. */
export function jsKernelOps(memory: WebAssembly.Memory): KernelOps {
  // Views are made per call: a memory that grew detaches the old buffer.
  const f32 = () => new Float32Array(memory.buffer);
  const matmul =
    (wide: boolean): MatMul =>
    (a, sar, sak, b, init, c, rows, inner, n4, relu) => {
      const heap = f32();
      const n = n4 >> 2;
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < n; j++) {
          let sum = heap[(init >> 2) + j]!;
          for (let k = 0; k < inner; k++) {
            const x = heap[(a + r * sar + k * sak) >> 2]!;
            const w = heap[(b >> 2) + k * n + j]!;
            // f32: zero terms skipped, the product rounded, then the sum. Wide: every term, the
            // exact product, one rounding (skipping could change at most the sign of a zero).
            if (wide) sum = Math.fround(sum + x * w);
            else if (x !== 0) sum = Math.fround(sum + Math.fround(x * w));
          }
          heap[(c >> 2) + r * n + j] = relu && sum < 0 ? 0 : sum;
        }
      }
    };
  return {
    matmul: matmul(false),
    matmulWide: matmul(true),
    columnSums(d, rows, n4, out) {
      const heap = f32();
      const n = n4 >> 2;
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let r = 0; r < rows; r++) sum += heap[(d >> 2) + r * n + j]!;
        heap[(out >> 2) + j] = sum;
      }
    },
    reluMask(d, act, count) {
      const heap = f32();
      for (let k = 0; k < count; k++) if (heap[(act >> 2) + k] === 0) heap[(d >> 2) + k] = 0;
    },
    transpose(src, dst, rows, cols) {
      const bits = new Int32Array(memory.buffer);
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) bits[(dst >> 2) + j * rows + i] = bits[(src >> 2) + i * cols + j]!;
      }
    },
    sumOfSquares(p, count) {
      const heap = f32();
      let sum = 0;
      for (let k = 0; k < count; k++) sum += heap[(p >> 2) + k]! * heap[(p >> 2) + k]!;
      return sum;
    },
    scale(p, count, factor) {
      const heap = f32();
      for (let k = 0; k < count; k++) heap[(p >> 2) + k]! *= factor;
    },
    adam(p, g, m, v, count, learningRate, c1, c2, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon) {
      const heap = f32();
      const wide = new Float64Array(memory.buffer);
      for (let k = 0; k < count; k++) {
        const grad = heap[(g >> 2) + k]!;
        const mk = beta1 * wide[(m >> 3) + k]! + oneMinusBeta1 * grad;
        const vk = beta2 * wide[(v >> 3) + k]! + oneMinusBeta2 * grad * grad;
        wide[(m >> 3) + k] = mk;
        wide[(v >> 3) + k] = vk;
        heap[(p >> 2) + k]! -= (learningRate * (mk / c1)) / (Math.sqrt(vk / c2) + epsilon);
      }
    },
  };
}
