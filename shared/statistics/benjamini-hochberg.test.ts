import test from 'ava';
import { assertClose } from '../../test/helpers/approx.js';
import { benjaminiHochberg } from './benjamini-hochberg.js';

// Benjamini & Hochberg (1995), section 4: 15 p-values; at a 5 % false discovery rate the four
// smallest are rejected (Bonferroni would reject three). Adjusted p-values from a plain numpy
// step-up, as R's p.adjust(p, "BH") (test/reference/statistics_reference.py, "bh_1995").
const P = [
  0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528,
  0.759, 1,
];
const ADJUSTED = [
  0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.06385714285714286, 0.06385714285714286, 0.0645, 0.0765,
  0.48600000000000004, 0.5811818181818182, 0.714875, 0.7532307692307694, 0.8132142857142857, 1,
];

test('the 1995 paper’s example: four rejections, adjusted p-values as R', (t) => {
  const result = benjaminiHochberg(P);
  t.deepEqual(result.rejected, [true, true, true, true, ...Array(11).fill(false)]);
  t.is(result.rejectedCount, 4);
  assertClose(t, result.expectedByChance, 0.75, 1e-15);
  t.is(result.alpha, 0.05);
  for (const [i, q] of result.adjusted.entries()) assertClose(t, q, ADJUSTED[i]!, 1e-12, `adjusted[${i}]`);
});

test('input order is kept and adjusted p-values are monotone in the raw ones', (t) => {
  const order = [7, 2, 14, 0, 9, 4, 11, 1, 13, 3, 8, 12, 5, 10, 6];
  const shuffled = order.map((i) => P[i]!);
  const result = benjaminiHochberg(shuffled);
  order.forEach((i, at) => {
    assertClose(t, result.adjusted[at], ADJUSTED[i]!, 1e-12, `adjusted of P[${i}]`);
    t.is(result.rejected[at], i < 4);
  });
  for (let a = 0; a < P.length; a++) {
    for (let b = 0; b < P.length; b++) {
      if (shuffled[a]! < shuffled[b]!) t.true(result.adjusted[a]! <= result.adjusted[b]!);
    }
  }
});

test('step-up: a p-value above its own threshold is rejected when a larger one passes', (t) => {
  // m = 4, alpha 0.05: thresholds 0.0125, 0.025, 0.0375, 0.05. 0.03 > 0.025 fails its own, but
  // 0.04 ≤ 0.05 passes at rank 4, so all four are rejected; with 0.04 third and 0.06 fourth, only
  // rank 1 passes; at alpha 0.1 (thresholds 0.025, 0.05, 0.075, 0.1) all four pass.
  const result = benjaminiHochberg([0.01, 0.03, 0.035, 0.04]);
  t.deepEqual(result.rejected, [true, true, true, true]);
  t.deepEqual(benjaminiHochberg([0.01, 0.03, 0.04, 0.06]).rejected, [true, false, false, false]);
  t.deepEqual(benjaminiHochberg([0.01, 0.03, 0.04, 0.06], 0.1).rejected, [true, true, true, true]);
});

test('an empty family rejects nothing; nothing significant gives no rejection', (t) => {
  t.deepEqual(benjaminiHochberg([]), {
    rejected: [],
    adjusted: [],
    rejectedCount: 0,
    expectedByChance: 0,
    alpha: 0.05,
  });
  t.is(benjaminiHochberg([0.2, 0.5, 0.9, 1]).rejectedCount, 0);
});

test('bad p-values and alpha name the argument', (t) => {
  t.throws(() => benjaminiHochberg([0.01, 1.2]), {
    message: 'benjaminiHochberg: pValues[1] is 1.2, need a probability in [0, 1]',
  });
  t.throws(() => benjaminiHochberg([Number.NaN]), { message: /benjaminiHochberg: pValues\[0\] is NaN/ });
  t.throws(() => benjaminiHochberg([0.01], 0), {
    message: /benjaminiHochberg: alpha is 0, need a number strictly between 0 and 1/,
  });
  t.throws(() => benjaminiHochberg('0.01' as unknown as number[]), {
    message: /benjaminiHochberg: pValues must be an array of p-values/,
  });
});
