import test from 'ava';
import { assertClose } from '../../test/helpers/approx.js';
import { realMoves } from '../../test/helpers/real-moves.js';
import { skewnessAndKurtosis } from './moments.js';
import { comparableSharpe, sharpe, sortino } from './sharpe.js';

// numpy / scipy on BTC-USD's last 1,750 hourly returns (test/reference/statistics_reference.py, "btc_returns").
const BTC = {
  sharpeAnnualised: 5.02311171299194,
  skewness: 0.873507273629357,
  kurtosis: 18.332959791383235,
};

test('Sharpe, skewness and kurtosis of real BTC returns match numpy and scipy', (t) => {
  const { returns } = realMoves('BTC_USD', 1750);
  assertClose(t, sharpe(returns), BTC.sharpeAnnualised, 1e-12, 'sharpe');
  const { skewness, kurtosis } = skewnessAndKurtosis(returns);
  assertClose(t, skewness, BTC.skewness, 1e-10, 'skewness');
  assertClose(t, kurtosis, BTC.kurtosis, 1e-10, 'kurtosis');
});

test('Sharpe by hand: mean / sample std · √periodsPerYear', (t) => {
  // returns 0.1, −0.1, 0, 0.1: mean 0.025, sample variance (0.075² + 0.125² + 0.025² + 0.075²) / 3 = 0.0091666…
  const returns = [0.1, -0.1, 0, 0.1];
  const perPeriod = 0.025 / Math.sqrt(0.0275 / 3);
  assertClose(t, sharpe(returns), perPeriod * Math.sqrt(8760), 1e-12);
  assertClose(t, sharpe(returns, 252), perPeriod * Math.sqrt(252), 1e-12);
  t.is(sharpe([0, 0, 0]), null);
  t.is(sharpe([0.01]), null);
  t.is(sharpe([]), null);
});

test('a series without variance compares as Sharpe 0 when it earns nothing, ±∞ otherwise', (t) => {
  t.is(comparableSharpe([0, 0, 0]), 0);
  t.is(comparableSharpe([0.01, 0.01, 0.01]), Number.POSITIVE_INFINITY);
  t.is(comparableSharpe([-0.01, -0.01]), Number.NEGATIVE_INFINITY);
  assertClose(t, comparableSharpe([0.1, -0.1, 0, 0.1]), 0.025 / Math.sqrt(0.0275 / 3), 1e-12);
});

test('Sortino by hand: mean / √(Σ min(r, 0)² / n) · √periodsPerYear', (t) => {
  assertClose(t, sortino([0.01, -0.02]), (-0.005 / Math.sqrt(0.0002)) * Math.sqrt(8760), 1e-12);
  assertClose(t, sortino([0.01, -0.02], 365), (-0.005 / Math.sqrt(0.0002)) * Math.sqrt(365), 1e-12);
  t.is(sortino([0.01, 0, 0.02]), null);
});

test('bad returns and periodsPerYear name the argument', (t) => {
  t.throws(() => sharpe([0.01, Number.NaN]), { message: 'sharpe: returns[1] is NaN, need a finite number' });
  t.throws(() => sharpe([0.01, 0.02], 0), {
    message: /sharpe: periodsPerYear is 0, need a positive finite number/,
  });
  t.throws(() => sortino([Number.POSITIVE_INFINITY]), { message: /sortino: returns\[0\] is Infinity/ });
  t.throws(() => sortino([0.01], -1), { message: /sortino: periodsPerYear is -1/ });
});
