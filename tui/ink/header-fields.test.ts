import test from 'ava';
import { fieldsWidth, fitHeaderFields, mirrorLabel, shortBackend } from './header-fields.js';

const field = (id: string, text: string, priority: number) => ({ id, text, priority });

test('fields are dropped whole, least important first, until both groups fit with a gap', (t) => {
  const left = [
    field('title', 'AI Trading Workers', 6),
    field('run', 'run-20261202T032959Z', 3),
    field('badge', ' RUN ', 0),
  ];
  const right = [
    field('runtime', 'local', 4),
    field('backend', 'kernel·simd', 5),
    field('web', 'web http://127.0.0.1:8502', 2),
  ];
  const gaps = { left: 1, right: 3, between: 2 };
  const at = (width: number) => {
    const kept = fitHeaderFields(left, right, width, gaps);
    return [...kept.left, ...kept.right].map((f) => f.id);
  };
  t.deepEqual(at(200), ['title', 'run', 'badge', 'runtime', 'backend', 'web']);
  t.deepEqual(at(80), ['run', 'badge', 'runtime', 'backend', 'web']);
  t.deepEqual(at(60), ['run', 'badge', 'web']);
  t.deepEqual(at(40), ['badge', 'web']);
  t.deepEqual(at(10), ['badge']);
  for (const width of [30, 60, 80, 100, 120, 200]) {
    const kept = fitHeaderFields(left, right, width, gaps);
    const used =
      fieldsWidth(kept.left, 1) +
      fieldsWidth(kept.right, 3) +
      (kept.left.length && kept.right.length ? 2 : 0);
    t.true(used <= width, `${width}: ${used}`);
  }
});

test('the backend label is short; the mirror says its URL or why it is off', (t) => {
  t.is(shortBackend('js-kernel (wasm simd; tfjs wasm for model I/O)'), 'kernel·simd');
  t.is(shortBackend('js-kernel (plain js; tfjs cpu for model I/O)'), 'kernel·js');
  t.is(shortBackend('tfjs-wasm'), 'tfjs-wasm');
  t.is(mirrorLabel({ url: 'http://127.0.0.1:8502/', error: null }), 'web http://127.0.0.1:8502');
  t.is(
    mirrorLabel({
      url: null,
      error: 'port 8502 is already in use (EADDRINUSE on 127.0.0.1:8502); the HTTP mirror is off',
    }),
    'web off: port 8502 in use',
  );
});
