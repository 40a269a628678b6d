import test from 'ava';
import { Rng } from '../rng.js';
import { MlpKernel } from './mlp.js';
import { createSimdMatMul, jsMatMul } from './simd-matmul.js';

for (const variant of ['mm', 'mm16'] as const) {
  test(`SIMD ${variant} matches the plain-JS oracle for row-major and transposed A`, (t) => {
    const memory = new WebAssembly.Memory({ initial: 2 });
    const heap = new Float32Array(memory.buffer);
    const simd = createSimdMatMul(memory);
    t.not(simd, null, 'Node 20 supports WebAssembly SIMD');
    const fastMm = simd![variant];
    const js = jsMatMul(heap);
    // 32 columns: two 16-column blocks for mm16, eight vectors for mm.
    const cols = 32;
    const rng = new Rng(5);
    // A: 7×9 at float 0 (about a third zeros, as after a ReLU), B: 9×cols at 256, C: 7×cols at 1024.
    const fill = () => {
      for (let i = 0; i < 63; i++) heap[i] = rng.next() < 0.3 ? 0 : rng.normal();
      for (let i = 0; i < 9 * cols; i++) heap[256 + i] = rng.normal();
      for (let i = 0; i < 9 * cols; i++) heap[1024 + i] = rng.normal();
    };
    for (const [sar, sak, rows, inner] of [
      [9, 1, 7, 9],
      [1, 7, 9, 7],
    ] as const) {
      fill();
      const saved = heap.slice(0, 2048);
      fastMm(0, sar * 4, sak * 4, 256 * 4, 1024 * 4, rows, inner, cols * 4);
      const fast = heap.slice(1024, 1024 + rows * cols);
      heap.set(saved);
      js(0, sar * 4, sak * 4, 256 * 4, 1024 * 4, rows, inner, cols * 4);
      const slow = heap.slice(1024, 1024 + rows * cols);
      let worst = 0;
      for (let k = 0; k < fast.length; k++) worst = Math.max(worst, Math.abs(fast[k]! - slow[k]!));
      t.true(worst < 1e-5, `max difference ${worst}`);
      // By hand for one element in the second 16-column block: C[2][21] = C0 + Σ_k A(2, k) · B[k][21].
      let expected = saved[1024 + 2 * cols + 21]!;
      for (let k = 0; k < inner; k++) expected += saved[2 * sar + k * sak]! * saved[256 + k * cols + 21]!;
      t.true(Math.abs(fast[2 * cols + 21]! - expected) < 1e-5);
    }
  });
}

test('the MLP kernel runs on the SIMD path here', (t) => {
  t.true(new MlpKernel({ inputSize: 33, hiddenLayers: [64, 64], outputSize: 2 }, 64).simd);
});
