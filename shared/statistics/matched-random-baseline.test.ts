import test from 'ava';
import { realMoves, switchingPositions } from '../../test/helpers/real-moves.js';
import { Rng } from '../rng.js';
import { matchedRandomBaseline } from './matched-random-baseline.js';
import { simulateEquity } from './simulate-equity.js';

const { moves } = realMoves('BTC_USD', 1750);
const FEE = 0.001;

test('random policies match the agent’s exposure and switch rate; its own figures are the replay’s', (t) => {
  const rng = new Rng(3);
  // Asymmetric: enters rarely, stays long a while (exposure ≈ 1/3, switch rate ≈ 2 %).
  const positions = new Uint8Array(1750);
  for (let k = 0, held = 0; k < 1750; k++) {
    const u = rng.next();
    held = held === 0 ? (u < 0.01 ? 1 : 0) : u < 0.02 ? 0 : 1;
    positions[k] = held;
  }
  const result = matchedRandomBaseline({ moves, positions, feeRate: FEE, seed: 1 });
  const replay = simulateEquity({ moves, positions, feeRate: FEE });
  t.is(result.agent.pnlPct, replay.pnlPct);
  t.is(result.agent.sharpe, replay.sharpe ?? Number.NaN);
  t.is(result.agent.trades, replay.trades);
  t.is(result.agent.exposure, replay.exposure);
  t.is(result.agent.switchRate, replay.switchRate);
  t.is(result.count, 1000);
  t.is(result.degenerate, null);
  const { exposure, switchRate, trades, sharpe, pnlPct } = result.distribution;
  t.true(
    Math.abs(exposure.median - replay.exposure) < 0.08,
    `exposure ${exposure.median} vs ${replay.exposure}`,
  );
  t.true(
    Math.abs(switchRate.median - replay.switchRate) < 0.2 * replay.switchRate,
    `switch rate ${switchRate.median} vs ${replay.switchRate}`,
  );
  t.true(Math.abs(trades.median - replay.trades) <= 0.2 * replay.trades + 1, `trades ${trades.median}`);
  for (const summary of [exposure, switchRate, trades, sharpe, pnlPct]) {
    t.true(summary.p5 <= summary.median && summary.median <= summary.p95, JSON.stringify(summary));
  }
  t.true(result.pValue > 1 / 1001 && result.pValue <= 1);
});

test('an agent that knows the next hour beats every random policy: p = 1 / 1001', (t) => {
  const positions = Uint8Array.from(moves, (m) => (m > 1.002 ? 1 : 0));
  const result = matchedRandomBaseline({ moves, positions, feeRate: FEE, seed: 2 });
  t.is(result.pValue, 1 / 1001);
  t.true(result.agent.sharpe > result.distribution.sharpe.p95);
});

test('a stand-in agent with no information is not significant', (t) => {
  const rng = new Rng(8);
  const positions = switchingPositions(1750, 0.03, () => rng.next());
  const result = matchedRandomBaseline({ moves, positions, feeRate: FEE, seed: 4 });
  t.true(result.pValue > 0.05, `p = ${result.pValue}`);
});

test('always long: the chain reproduces buy-and-hold in every segment, p = 1', (t) => {
  const positions = new Uint8Array(1750).fill(1);
  const result = matchedRandomBaseline({
    moves,
    positions,
    segmentStarts: [0, 600, 1200],
    feeRate: FEE,
    seed: 5,
  });
  t.is(result.degenerate, 'always-long');
  t.is(result.pValue, 1);
  t.deepEqual(result.chain, {
    enterProbability: 1,
    exitProbability: 0,
    decisionsFromFlat: 3,
    decisionsFromLong: 1747,
  });
  t.is(result.distribution.sharpe.p5, result.agent.sharpe);
  t.is(result.distribution.sharpe.p95, result.agent.sharpe);
});

test('never long: no trades, Sharpe 0, p = 1 (a never-trading agent cannot be significant)', (t) => {
  const result = matchedRandomBaseline({ moves, positions: new Uint8Array(1750), feeRate: FEE, seed: 6 });
  t.is(result.degenerate, 'never-long');
  t.is(result.pValue, 1);
  t.is(result.agent.sharpe, 0);
  t.is(result.agent.trades, 0);
  t.deepEqual(result.distribution.pnlPct, { median: 0, p5: 0, p95: 0 });
});

test('seeded: the same seed gives the same distribution, another seed another one', (t) => {
  const rng = new Rng(10);
  const positions = switchingPositions(1750, 0.05, () => rng.next());
  const options = { moves, positions, feeRate: FEE, seed: 77, count: 1000 };
  const a = matchedRandomBaseline(options);
  t.deepEqual(matchedRandomBaseline(options), a);
  t.notDeepEqual(matchedRandomBaseline({ ...options, seed: 78 }).distribution, a.distribution);
});

test('bad inputs name the argument', (t) => {
  const ok = { moves: [1.01, 0.99, 1.02], positions: [0, 1, 1], feeRate: FEE, seed: 1 };
  t.notThrows(() => matchedRandomBaseline(ok));
  const cases: [object, RegExp][] = [
    [{ count: 999 }, /matchedRandomBaseline: count is 999, need an integer ≥ 1000/],
    [{ seed: Number.NaN }, /matchedRandomBaseline: seed is NaN, need an integer/],
    [{ feeRate: -0.001 }, /matchedRandomBaseline: feeRate is -0.001, need a fee per side in \[0, 1\)/],
    [{ positions: [0, 1] }, /matchedRandomBaseline: moves has 3 values but positions has 2/],
    [
      { positions: [0, 0.5, 1] },
      /matchedRandomBaseline: positions\[1\] is 0.5, need 0 \(flat\) or 1 \(long\)/,
    ],
    [{ moves: [] }, /matchedRandomBaseline: moves has 0 values, need at least 1/],
    [{ segmentStarts: [0, 5] }, /matchedRandomBaseline: segmentStarts\[1\] is 5/],
    [{ periodsPerYear: Number.POSITIVE_INFINITY }, /matchedRandomBaseline: periodsPerYear is Infinity/],
  ];
  for (const [change, message] of cases) {
    t.throws(() => matchedRandomBaseline({ ...ok, ...change } as typeof ok), { message });
  }
});
