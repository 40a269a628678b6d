import test from 'ava';
import { fitHints } from './footer-hints.js';

const hints = [
  { text: '↑↓ 1-9 select', rank: 6 },
  { text: 'r restart', rank: 2 },
  { text: 't trials', rank: 3 },
  { text: '? help', rank: 0 },
  { text: 'q quit', rank: 0 },
];

test('everything fits: every hint in its order', (t) => {
  t.is(fitHints(hints, 200), '↑↓ 1-9 select · r restart · t trials · ? help · q quit');
});

test('too narrow: the least important go first, help and quit stay', (t) => {
  t.is(fitHints(hints, 40), 'r restart · t trials · ? help · q quit');
  t.is(fitHints(hints, 30), 'r restart · ? help · q quit');
  t.is(fitHints(hints, 10), '? help · q quit');
});
