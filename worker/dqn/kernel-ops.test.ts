import test from 'ava';
import { Rng } from '../rng.js';
import { jsKernelOps, type KernelOps, simdAvailable, wasmKernelOps } from './kernel-ops.js';
import { MlpKernel } from './mlp.js';

// One layout for every case (byte offsets): A, B, init, C, scratch, and room for m and v.
const A = 0;
const B = 16_384;
const INIT = 49_152;
const C = 53_248;
const SCRATCH = 90_112;
const PAGES = 3;

/** Two memories with the same random contents (about a third zeros, as after a ReLU): wasm's and JS's. */
function twins(seed: number): {
  wasm: KernelOps;
  js: KernelOps;
  wasmHeap: Float32Array;
  jsHeap: Float32Array;
} {
  const wasmMemory = new WebAssembly.Memory({ initial: PAGES });
  const jsMemory = new WebAssembly.Memory({ initial: PAGES });
  const rng = new Rng(seed);
  const wasmHeap = new Float32Array(wasmMemory.buffer);
  for (let i = 0; i < wasmHeap.length; i++) wasmHeap[i] = rng.next() < 0.35 ? 0 : rng.normal();
  const jsHeap = new Float32Array(jsMemory.buffer);
  jsHeap.set(wasmHeap);
  const wasm = wasmKernelOps(wasmMemory);
  if (!wasm) throw new Error('Node 20 supports WebAssembly SIMD: the kernel must compile here');
  return { wasm, js: jsKernelOps(jsMemory), wasmHeap, jsHeap };
}

/** Index of the first float whose bits differ (-1 when the memories are identical). */
function firstDifference(a: Float32Array, b: Float32Array): number {
  const x = new Uint32Array(a.buffer);
  const y = new Uint32Array(b.buffer);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

test('the kernel compiles and the MLP kernel runs on the SIMD path here', (t) => {
  t.true(simdAvailable());
  t.true(new MlpKernel({ inputSize: 33, hiddenLayers: [64, 64], outputSize: 2 }, 64).simd);
});

for (const op of ['matmul', 'matmulWide'] as const) {
  // 64 and 36 columns exercise the 16-wide blocks and the 4-wide rest; 2, 3, 5 only the wide op.
  const widths = op === 'matmul' ? [64, 36, 4] : [2, 3, 5, 64];
  for (const cols of widths) {
    for (const [label, rows, inner, sar, sak] of [
      ['row-major A', 7, 21, 21 * 4, 4],
      ['transposed A', 9, 13, 4, 9 * 4],
      ['one row', 1, 64, 0, 4],
    ] as const) {
      test(`${op}, ${cols} columns, ${label}: WebAssembly and JS agree to the bit, and by hand`, (t) => {
        for (const relu of [0, 1]) {
          const { wasm, js, wasmHeap, jsHeap } = twins(cols * 100 + rows + relu);
          const before = wasmHeap.slice();
          wasm[op](A, sar, sak, B, INIT, C, rows, inner, cols * 4, relu, SCRATCH);
          js[op](A, sar, sak, B, INIT, C, rows, inner, cols * 4, relu, SCRATCH);
          // Scratch is the wasm loop's own; everything else must match bit for bit.
          wasmHeap.fill(0, SCRATCH / 4);
          jsHeap.fill(0, SCRATCH / 4);
          t.is(firstDifference(wasmHeap, jsHeap), -1);
          // Only C changed, and C[r][j] is what it should be (tolerance: rounding order only).
          t.deepEqual(wasmHeap.subarray(0, C / 4), before.subarray(0, C / 4));
          t.deepEqual(
            wasmHeap.subarray(C / 4 + rows * cols, SCRATCH / 4),
            before.subarray(C / 4 + rows * cols, SCRATCH / 4),
          );
          const r = rows - 1;
          const j = cols - 1;
          let expected = before[INIT / 4 + j]!;
          for (let k = 0; k < inner; k++)
            expected += before[(A + r * sar + k * sak) / 4]! * before[B / 4 + k * cols + j]!;
          if (relu) expected = Math.max(0, expected);
          t.true(Math.abs(wasmHeap[C / 4 + r * cols + j]! - expected) < 1e-4, `C[${r}][${j}]`);
        }
      });
    }
  }
}

test('matmul skips zero terms the way a zero product would add nothing, and clamps with relu', (t) => {
  const { wasm, wasmHeap } = twins(1);
  wasmHeap.fill(0, A / 4, A / 4 + 8);
  wasmHeap[A / 4 + 3] = 2;
  for (let j = 0; j < 4; j++) wasmHeap[INIT / 4 + j] = j - 2;
  for (let k = 0; k < 8; k++) for (let j = 0; j < 4; j++) wasmHeap[B / 4 + k * 4 + j] = k === 3 ? 0.5 : 1000;
  wasm.matmul(A, 32, 4, B, INIT, C, 1, 8, 16, 0, SCRATCH);
  t.deepEqual(Array.from(wasmHeap.subarray(C / 4, C / 4 + 4)), [-1, 0, 1, 2]);
  wasm.matmul(A, 32, 4, B, INIT, C, 1, 8, 16, 1, SCRATCH);
  t.deepEqual(Array.from(wasmHeap.subarray(C / 4, C / 4 + 4)), [0, 0, 1, 2]);
});

for (const cols of [64, 2, 3]) {
  test(`columnSums over ${cols} columns: WebAssembly and JS agree to the bit`, (t) => {
    const { wasm, js, wasmHeap, jsHeap } = twins(cols);
    wasm.columnSums(A, 11, cols * 4, C);
    js.columnSums(A, 11, cols * 4, C);
    t.is(firstDifference(wasmHeap, jsHeap), -1);
    let sum = 0;
    for (let r = 0; r < 11; r++) sum += jsHeap[A / 4 + r * cols + 1]!;
    t.is(wasmHeap[C / 4 + 1], Math.fround(sum));
  });
}

test('reluMask zeroes the gradient where the activation was zero, for any count', (t) => {
  for (const count of [64, 7]) {
    const { wasm, js, wasmHeap, jsHeap } = twins(count);
    const before = wasmHeap.slice();
    wasm.reluMask(C, A, count);
    js.reluMask(C, A, count);
    t.is(firstDifference(wasmHeap, jsHeap), -1);
    for (let k = 0; k < count; k++) {
      t.is(wasmHeap[C / 4 + k], before[A / 4 + k] === 0 ? 0 : before[C / 4 + k]);
    }
    t.is(wasmHeap[C / 4 + count], before[C / 4 + count]);
  }
});

test('transpose, sumOfSquares and scale: WebAssembly and JS agree to the bit', (t) => {
  const { wasm, js, wasmHeap, jsHeap } = twins(9);
  wasm.transpose(A, C, 5, 7);
  js.transpose(A, C, 5, 7);
  t.is(firstDifference(wasmHeap, jsHeap), -1);
  t.is(wasmHeap[C / 4 + 6 * 5 + 4], wasmHeap[A / 4 + 4 * 7 + 6]);
  for (const count of [101, 100]) {
    t.is(wasm.sumOfSquares(B, count), js.sumOfSquares(B, count));
    wasm.scale(B, count, 0.3);
    js.scale(B, count, 0.3);
    t.is(firstDifference(wasmHeap, jsHeap), -1);
  }
});

test('adam: WebAssembly and JS agree to the bit over f32 params and f64 moments, even and odd counts', (t) => {
  for (const count of [1_000, 999]) {
    const { wasm, js, wasmHeap, jsHeap } = twins(count);
    // m and v: f64 moments (v ≥ 0) in the upper part of the memory.
    const m = 98_304;
    const v = m + 8 * count;
    for (const heap of [wasmHeap, jsHeap]) {
      const wide = new Float64Array(heap.buffer);
      for (let k = 0; k < count; k++) {
        wide[m / 8 + k] = heap[A / 4 + k]! * 1e-3;
        wide[v / 8 + k] = heap[A / 4 + k]! ** 2 * 1e-6;
      }
    }
    const before = wasmHeap.slice();
    for (let step = 0; step < 3; step++) {
      const c = [0.1 + step * 0.09, 0.001 + step * 0.001] as const;
      wasm.adam(C, B, m, v, count, 1e-3, c[0], c[1], 0.9, 1 - 0.9, 0.999, 1 - 0.999, 1e-7);
      js.adam(C, B, m, v, count, 1e-3, c[0], c[1], 0.9, 1 - 0.9, 0.999, 1 - 0.999, 1e-7);
    }
    t.is(firstDifference(wasmHeap, jsHeap), -1);
    t.notDeepEqual(wasmHeap.subarray(C / 4, C / 4 + count), before.subarray(C / 4, C / 4 + count));
  }
});
