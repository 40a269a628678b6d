import test from 'ava';
import { assertClose } from '../../test/helpers/approx.js';
import { realMoves, switchingPositions } from '../../test/helpers/real-moves.js';
import { Rng } from '../rng.js';
import { costSensitivity } from './cost-sensitivity.js';
import { simulateEquity } from './simulate-equity.js';

const { moves } = realMoves('BTC_USD', 1750);

test('each fee replays the same decisions: the figures of simulateEquity at that fee', (t) => {
  const rng = new Rng(1);
  const positions = switchingPositions(1750, 0.03, () => rng.next());
  const segmentStarts = [0, 700, 1400];
  const points = costSensitivity({ moves, positions, segmentStarts });
  t.deepEqual(
    points.map((p) => p.feeRate),
    [0, 0.0005, 0.001, 0.002, 0.005],
  );
  for (const point of points) {
    const replay = simulateEquity({ moves, positions, segmentStarts, feeRate: point.feeRate });
    t.is(point.pnlPct, replay.pnlPct);
    t.is(point.sharpe, replay.sharpe);
  }
  for (let i = 1; i < points.length; i++) {
    t.true(points[i]!.pnlPct < points[i - 1]!.pnlPct, 'a dearer fee costs P/L when the agent trades');
    t.true(points[i]!.sharpe! < points[i - 1]!.sharpe!);
  }
});

test('buy-and-hold pays one fee: P/L = close ratio · (1 − fee) − 1', (t) => {
  const growth = moves.reduce((g, m) => g * m, 1);
  const points = costSensitivity({ moves, positions: new Uint8Array(1750).fill(1), fees: [0, 0.002] });
  assertClose(t, points[0]!.pnlPct, (growth - 1) * 100, 1e-9);
  assertClose(t, points[1]!.pnlPct, (growth * 0.998 - 1) * 100, 1e-9);
});

test('bad inputs name the argument', (t) => {
  const ok = { moves: [1.01, 0.99], positions: [1, 0] };
  t.throws(() => costSensitivity({ ...ok, fees: [0.001, -0.1] }), {
    message: /costSensitivity: fees\[1\] is -0.1, need a fee per side in \[0, 1\)/,
  });
  t.throws(() => costSensitivity({ ...ok, fees: [] }), {
    message: /costSensitivity: fees must be a non-empty array/,
  });
  t.throws(() => costSensitivity({ ...ok, positions: [1] }), {
    message: /costSensitivity: moves has 2 values but positions has 1/,
  });
  t.throws(() => costSensitivity({ ...ok, periodsPerYear: 0 }), {
    message: /costSensitivity: periodsPerYear is 0/,
  });
});
