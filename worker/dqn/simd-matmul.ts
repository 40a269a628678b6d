/*
 * A 128-bit-SIMD multiply-accumulate in WebAssembly, hand-assembled (no toolchain is available
 * here, and the function is tiny). Why: `npm run bench` measured the plain-JS kernel at ≈1.7× the
 * layers-API baseline on tfjs's wasm backend, short of the 5× target; JS has no SIMD and every
 * typed-array access is bounds-checked, while f32x4 does four multiply-adds per instruction
 * (a training update went from ≈3.6 to ≈1.0 ms of CPU).
 *
 * mm(a, sar, sak, b, c, R, K, N4): for r < R, j < N:  C[r][j] += Σ_k A(r, k) · B[k][j]
 *   A(r, k) is the f32 at byte a + r·sar + k·sak (any strides: row-major, or transposed);
 *   B and C are row-major f32 with N columns, N a multiple of 4, passed as N4 = N·4 bytes;
 *   zero A(r, k) are skipped (ReLU outputs are about half zeros). R, K, N ≥ 1. Pointers in bytes.
 */

// biome-ignore format: one instruction group per line keeps the hand assembly readable
const MM_BODY = [
  0x03, 0x06, 0x7f, 0x01, 0x7d, 0x01, 0x7b, // locals: 6 × i32 (r k j cRow bRow aRow), f32 x, v128 s
  0x41, 0x00, 0x21, 0x08, // r = 0
  0x03, 0x40, // loop r
  0x20, 0x04, 0x20, 0x08, 0x20, 0x07, 0x6c, 0x6a, 0x21, 0x0b, // cRow = c + r·N4
  0x20, 0x00, 0x20, 0x08, 0x20, 0x01, 0x6c, 0x6a, 0x21, 0x0d, // aRow = a + r·sar
  0x41, 0x00, 0x21, 0x09, // k = 0
  0x03, 0x40, // loop k
  0x20, 0x0d, 0x20, 0x09, 0x20, 0x02, 0x6c, 0x6a, 0x2a, 0x02, 0x00, // f32.load(aRow + k·sak)
  0x22, 0x0e, 0x43, 0x00, 0x00, 0x00, 0x00, 0x5c, // x ≠ 0 ?
  0x04, 0x40, // if
  0x20, 0x0e, 0xfd, 0x13, 0x21, 0x0f, // s = f32x4.splat(x)
  0x20, 0x03, 0x20, 0x09, 0x20, 0x07, 0x6c, 0x6a, 0x21, 0x0c, // bRow = b + k·N4
  0x41, 0x00, 0x21, 0x0a, // j = 0
  0x03, 0x40, // loop j
  0x20, 0x0b, 0x20, 0x0a, 0x6a, // address cRow + j (for the store)
  0x20, 0x0b, 0x20, 0x0a, 0x6a, 0xfd, 0x00, 0x04, 0x00, // v128.load C
  0x20, 0x0f, // s
  0x20, 0x0c, 0x20, 0x0a, 0x6a, 0xfd, 0x00, 0x04, 0x00, // v128.load B
  0xfd, 0xe6, 0x01, // f32x4.mul
  0xfd, 0xe4, 0x01, // f32x4.add
  0xfd, 0x0b, 0x04, 0x00, // v128.store
  0x20, 0x0a, 0x41, 0x10, 0x6a, 0x22, 0x0a, 0x20, 0x07, 0x49, 0x0d, 0x00, // j += 16; while j < N4
  0x0b, // end loop j
  0x0b, // end if
  0x20, 0x09, 0x41, 0x01, 0x6a, 0x22, 0x09, 0x20, 0x06, 0x49, 0x0d, 0x00, // k += 1; while k < K
  0x0b, // end loop k
  0x20, 0x08, 0x41, 0x01, 0x6a, 0x22, 0x08, 0x20, 0x05, 0x49, 0x0d, 0x00, // r += 1; while r < R
  0x0b, // end loop r
  0x0b, // end function
];

function section(id: number, payload: number[]): number[] {
  return [id, ...uleb(payload.length), ...payload];
}

function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

const name = (s: string) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];

/** The module's bytes: imports env.memory, exports mm. */
function moduleBytes(): Uint8Array<ArrayBuffer> {
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]; // "\0asm", version 1
  return Uint8Array.from([
    ...header,
    ...section(1, [0x01, 0x60, 0x08, ...new Array(8).fill(0x7f), 0x00]),
    ...section(2, [0x01, ...name('env'), ...name('memory'), 0x02, 0x00, 0x01]),
    ...section(3, [0x01, 0x00]),
    ...section(7, [0x01, ...name('mm'), 0x00, 0x00]),
    ...section(10, [0x01, ...uleb(MM_BODY.length), ...MM_BODY]),
  ]);
}

export type MatMulAccumulate = (
  a: number,
  sar: number,
  sak: number,
  b: number,
  c: number,
  rows: number,
  inner: number,
  n4: number,
) => void;

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null where WebAssembly SIMD is unavailable (the caller then uses plain JS). */
function simdModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(moduleBytes());
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** Instantiates mm over `memory`, or returns null when WebAssembly SIMD is not available. */
export function createSimdMatMul(memory: WebAssembly.Memory): MatMulAccumulate | null {
  const module = simdModule();
  if (!module) return null;
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports.mm as MatMulAccumulate;
}

/** The same contract as the SIMD mm, in plain JS over a Float32Array of the same memory (fallback and test oracle). */
export function jsMatMul(heap: Float32Array): MatMulAccumulate {
  return (a, sar, sak, b, c, rows, inner, n4) => {
    const n = n4 >> 2;
    for (let r = 0; r < rows; r++) {
      const cRow = (c >> 2) + r * n;
      for (let k = 0; k < inner; k++) {
        const x = heap[(a + r * sar + k * sak) >> 2]!;
        if (x === 0) continue;
        const bRow = (b >> 2) + k * n;
        for (let j = 0; j < n; j++) heap[cRow + j]! += x * heap[bRow + j]!;
      }
    }
  };
}
