import test from 'ava';
import { assertClose } from '../../test/helpers/approx.js';
import { normalCdf, normalQuantile } from './normal.js';

// scipy.stats.norm 1.17 (test/reference/statistics_reference.py, "normal_cdf" / "normal_quantile").
const CDF: [number, number][] = [
  [-8, 6.22096057427174e-16],
  [-3, 0.0013498980316300933],
  [-1.959963984540054, 0.025],
  [0, 0.5],
  [0.5, 0.6914624612740131],
  [2, 0.9772498680518208],
  [6, 0.9999999990134123],
];
const QUANTILE: [number, number][] = [
  [1e-12, -7.034483825301131],
  [1e-4, -3.7190164854556804],
  [1e-20, -9.262340089798409],
  [0.025, -1.9599639845400545],
  [0.5, 0],
  [0.9, 1.2815515655446004],
  [0.975, 1.959963984540054],
  [1 - 1e-10, 6.361340889697422],
];

test('Φ matches scipy to 1e-13 relative, far into the tails', (t) => {
  for (const [x, expected] of CDF) {
    const actual = normalCdf(x);
    t.true(Math.abs(actual - expected) <= 1e-13 * expected, `Φ(${x}) = ${actual}, scipy ${expected}`);
  }
});

test('Φ⁻¹ matches scipy to 1e-13 and inverts Φ', (t) => {
  for (const [p, expected] of QUANTILE) assertClose(t, normalQuantile(p), expected, 1e-13, `Φ⁻¹(${p})`);
  for (const x of [-5, -1, 0.3, 2.5]) assertClose(t, normalQuantile(normalCdf(x)), x, 1e-12, `Φ⁻¹(Φ(${x}))`);
  t.is(normalQuantile(0), Number.NEGATIVE_INFINITY);
  t.is(normalQuantile(1), Number.POSITIVE_INFINITY);
});

test('Φ⁻¹ refuses what is not a probability', (t) => {
  for (const p of [-0.1, 1.5, Number.NaN]) {
    t.throws(() => normalQuantile(p), { message: /normalQuantile: p is .*, need a probability in \[0, 1\]/ });
  }
});
