import { readFile } from 'node:fs/promises';
import test from 'ava';
import { assembleKernel, generatedSource, KERNEL_GENERATED } from '../../scripts/assemble-kernel.mjs';
import { KERNEL_WASM_BASE64 } from './kernel-wasm.generated.js';

test('the committed kernel bytes are what kernel.wat assembles to (else: npm run build:kernel)', async (t) => {
  const assembled = await assembleKernel();
  t.true(assembled.length > 1000);
  t.deepEqual(
    new Uint8Array(Buffer.from(KERNEL_WASM_BASE64, 'base64')),
    assembled,
    'kernel-wasm.generated.ts is stale: run `npm run build:kernel`',
  );
  t.is(await readFile(KERNEL_GENERATED, 'utf8'), generatedSource(assembled));
  const exports = WebAssembly.Module.exports(new WebAssembly.Module(assembled)).map((e) => e.name);
  t.deepEqual(exports.sort(), [
    'adam',
    'columnSums',
    'matmul',
    'matmulWide',
    'reluMask',
    'scale',
    'sumOfSquares',
    'transpose',
  ]);
});
