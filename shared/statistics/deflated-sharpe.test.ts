import test from 'ava';
import { assertClose } from '../../test/helpers/approx.js';
import { realMoves } from '../../test/helpers/real-moves.js';
import { deflatedSharpeRatio, expectedMaxOfStandardNormals } from './deflated-sharpe.js';

// A plain numpy/scipy implementation of Bailey & López de Prado (2014) on BTC-USD's last 1,750
// hourly returns (test/reference/statistics_reference.py, "btc_returns").
const BTC = {
  sharpePerPeriod: 0.05366866393642661,
  skewness: 0.873507273629357,
  kurtosis: 18.332959791383235,
  trials1: { dsr: 0.9888174326481225, sr0PerPeriod: 0 },
  trials10Variance2_5: { dsr: 0.8753418426855258, sr0PerPeriod: 0.02660037320459152 },
  trials100Variance2_5: { dsr: 0.6789153516048873, sr0PerPeriod: 0.042750574120556516 },
  trials40Fallback: { dsr: 0.5223173829832645, sr0PerPeriod: 0.05235354844467696 },
};
const { returns } = realMoves('BTC_USD', 1750);

test('matches the reference implementation on real BTC returns', (t) => {
  const cases = [
    [{ trials: 1 }, BTC.trials1],
    [{ trials: 10, sharpeVariance: 2.5 }, BTC.trials10Variance2_5],
    [{ trials: 100, sharpeVariance: 2.5 }, BTC.trials100Variance2_5],
    [{ trials: 40 }, BTC.trials40Fallback],
  ] as const;
  for (const [options, expected] of cases) {
    const result = deflatedSharpeRatio({ returns, ...options });
    const what = JSON.stringify(options);
    assertClose(t, result.dsr, expected.dsr, 1e-10, `dsr ${what}`);
    assertClose(t, result.sr0PerPeriod, expected.sr0PerPeriod, 1e-12, `sr0 ${what}`);
    assertClose(t, result.sharpePerPeriod, BTC.sharpePerPeriod, 1e-12, 'sharpe per period');
    assertClose(t, result.skewness, BTC.skewness, 1e-10, 'skewness');
    assertClose(t, result.kurtosis, BTC.kurtosis, 1e-10, 'kurtosis');
    assertClose(t, result.sharpe, BTC.sharpePerPeriod * Math.sqrt(8760), 1e-12, 'annualised sharpe');
    assertClose(t, result.sr0, expected.sr0PerPeriod * Math.sqrt(8760), 1e-12, 'annualised sr0');
    t.is(result.observations, 1750);
    t.is(result.trials, options.trials);
  }
});

test('the variance fallback is the estimation noise of a Sharpe on T returns, reported in annual units', (t) => {
  const fallback = deflatedSharpeRatio({ returns, trials: 40 });
  t.is(fallback.sharpeVarianceSource, 'estimation-noise');
  assertClose(t, fallback.sharpeVariance, 8760 / 1749, 1e-12);
  // Passing that variance explicitly gives the same answer.
  const given = deflatedSharpeRatio({ returns, trials: 40, sharpeVariance: 8760 / 1749 });
  t.is(given.sharpeVarianceSource, 'given');
  assertClose(t, given.dsr, fallback.dsr!, 1e-12);
});

test('more trials, a higher bar: SR0 rises and the DSR falls', (t) => {
  let previous = deflatedSharpeRatio({ returns, trials: 1, sharpeVariance: 1 });
  for (const trials of [2, 5, 20, 100, 1000]) {
    const next = deflatedSharpeRatio({ returns, trials, sharpeVariance: 1 });
    t.true(next.sr0 > previous.sr0 && next.dsr! < previous.dsr!, `${trials} trials`);
    previous = next;
  }
});

test('the expected maximum of N standard normals is close to the true one', (t) => {
  // Exact E[max] of N iid N(0, 1): 1.5388 (N = 10), 2.5076 (N = 100), 3.2414 (N = 1000).
  // Bailey & López de Prado's approximation is within a few percent.
  for (const [n, exact] of [
    [10, 1.5388],
    [100, 2.5076],
    [1000, 3.2414],
  ] as const) {
    const approx = expectedMaxOfStandardNormals(n);
    t.true(Math.abs(approx - exact) < 0.03 * exact, `N = ${n}: ${approx} vs ${exact}`);
  }
});

test('returns without variance have no deflated Sharpe', (t) => {
  const result = deflatedSharpeRatio({ returns: new Float64Array(100), trials: 5 });
  t.is(result.dsr, null);
  t.is(result.sharpe, null);
  t.is(result.skewness, null);
});

test('bad inputs name the argument', (t) => {
  const cases: [object, RegExp][] = [
    [{ returns: [], trials: 2 }, /deflatedSharpeRatio: returns has 0 values, need at least 2/],
    [{ returns: [0.01, Number.NaN], trials: 2 }, /deflatedSharpeRatio: returns\[1\] is NaN/],
    [{ returns, trials: 0 }, /deflatedSharpeRatio: trials is 0, need an integer ≥ 1/],
    [{ returns, trials: 2.5 }, /deflatedSharpeRatio: trials is 2.5/],
    [
      { returns, trials: 2, sharpeVariance: -1 },
      /deflatedSharpeRatio: sharpeVariance is -1, need a finite number ≥ 0/,
    ],
    [{ returns, trials: 2, sharpeVariance: Number.NaN }, /deflatedSharpeRatio: sharpeVariance is NaN/],
    [{ returns, trials: 2, periodsPerYear: 0 }, /deflatedSharpeRatio: periodsPerYear is 0/],
  ];
  for (const [options, message] of cases) {
    t.throws(() => deflatedSharpeRatio(options as Parameters<typeof deflatedSharpeRatio>[0]), { message });
  }
});
