import * as tf from '@tensorflow/tfjs';
import test from 'ava';
import { currentBackend, describeEngine, selectBackend } from './backend.js';

test.serial('selectBackend falls back past the absent tfjs-node to wasm and reports it', async (t) => {
  const name = await selectBackend();
  // tfjs-node is an optional dependency that cannot install offline; wasm ships with the project.
  t.true(name === 'tfjs-node' || name === 'wasm');
  t.is(currentBackend(), name);
  t.is(
    tf.tidy(() => tf.add(tf.scalar(2), tf.scalar(3)).dataSync()[0]),
    5,
  );
});

test.serial('a preferred backend is used when available, and cpu prints no tfjs-node banner', async (t) => {
  const messages: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => messages.push(args.join(' '));
  try {
    t.is(await selectBackend('cpu'), 'cpu');
    tf.tidy(() => tf.ones([2]).sum().dataSync());
  } finally {
    console.warn = warn;
  }
  t.is(tf.getBackend(), 'cpu');
  t.false(messages.some((m) => m.includes('tfjs-node')));
  t.is(await selectBackend('wasm'), 'wasm');
  await t.throwsAsync(selectBackend('gpu' as never), { message: /unknown backend 'gpu'/ });
});

test('describeEngine names the trainer and the backend', (t) => {
  t.is(describeEngine('js', 'wasm'), 'js-kernel (wasm simd; tfjs wasm for model I/O)');
  t.is(describeEngine('tfjs', 'cpu'), 'tfjs-cpu');
});
