import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { simdAvailable } from './kernel-ops.js';
import type { EngineKind } from './q-engine.js';

/** The tfjs backends this project knows, fastest first. */
export type BackendName = 'tfjs-node' | 'wasm' | 'cpu';

const ORDER: readonly BackendName[] = ['tfjs-node', 'wasm', 'cpu'];

// The optional package's name lives in a variable so TypeScript does not demand its types when it is absent.
const TFJS_NODE = '@tensorflow/tfjs-node';

let wasmRegistered = false;

async function tryTfjsNode(): Promise<boolean> {
  try {
    await import(TFJS_NODE);
  } catch {
    return false;
  }
  // tfjs-node registers 'tensorflow' on its own copy of tfjs-core; it counts only if it is ours.
  return tf.findBackend('tensorflow') != null && (await tf.setBackend('tensorflow'));
}

async function tryWasm(): Promise<boolean> {
  try {
    if (!wasmRegistered) {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      // In Node the .wasm binaries are read from the package's dist folder, not fetched from a CDN.
      const require = createRequire(import.meta.url);
      const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
      wasm.setWasmPaths(`${dist}${path.sep}`);
      // One thread: four worker processes share two cores, and tiny DQN ops gain nothing from more
      // (threads spun idle under load in the bench).
      wasm.setThreadsCount(1);
      wasmRegistered = true;
    }
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

async function tryCpu(): Promise<boolean> {
  if (!(await tf.setBackend('cpu'))) return false;
  // The CPU backend prints a "Hi, looks like you are running TensorFlow.js in Node.js … tfjs-node"
  // banner on its first tensor; we already chose it knowingly and report the backend ourselves.
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!args.some((a) => typeof a === 'string' && a.includes('tfjs-node'))) warn(...args);
  };
  try {
    tf.tidy(() => tf.scalar(0));
  } finally {
    console.warn = warn;
  }
  return true;
}

const ATTEMPTS: Record<BackendName, () => Promise<boolean>> = {
  'tfjs-node': tryTfjsNode,
  wasm: tryWasm,
  cpu: tryCpu,
};

/**
 * Activates the best available tfjs backend: `preferred` first when given, then tfjs-node (an
 * optional dependency), wasm, cpu. Returns the backend actually running.
 */
export async function selectBackend(preferred?: BackendName): Promise<BackendName> {
  if (preferred !== undefined && !ORDER.includes(preferred)) {
    throw new Error(`selectBackend: unknown backend '${String(preferred)}' (expected ${ORDER.join(', ')})`);
  }
  const order = preferred ? [preferred, ...ORDER.filter((b) => b !== preferred)] : ORDER;
  for (const name of order) {
    if (await ATTEMPTS[name]()) {
      await tf.ready();
      return name;
    }
  }
  throw new Error(
    'selectBackend: no TensorFlow.js backend could be initialised (tried tfjs-node, wasm, cpu)',
  );
}

/** The running tfjs backend in this project's names ('tensorflow' is reported as tfjs-node). */
export function currentBackend(): BackendName | string {
  const name = tf.getBackend();
  return name === 'tensorflow' ? 'tfjs-node' : name;
}

/** A one-line description of what trains and what runs tfjs, for the status file and the report. */
export function describeEngine(engine: EngineKind, backend: string = currentBackend()): string {
  if (engine === 'tfjs') return `tfjs-${backend}`;
  return `js-kernel (${simdAvailable() ? 'wasm simd' : 'plain js'}; tfjs ${backend} for model I/O)`;
}
