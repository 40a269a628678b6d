import test from 'ava';
import { loadRealCandles } from '../../test/helpers/real-candles.js';
import { switchingPositions } from '../../test/helpers/real-moves.js';
import { type EpisodeRun, evaluatePolicy } from '../../worker/evaluate.js';
import { computeFeatures, fitFeatureSettings } from '../../worker/features.js';
import { simpleReturns } from '../../worker/metrics.js';
import { Rng } from '../rng.js';
import { simulateEquity } from './simulate-equity.js';

const candles = loadRealCandles('BTC_USD');
const features = computeFeatures(candles, fitFeatureSettings(candles, { windowSize: 24, trainEnd: 7008 }));

/** The environment's run of a fixed position series over candles [start, end), and its moves. */
function environmentRun(start: number, end: number, positions: Uint8Array, feeRate: number) {
  let k = 0;
  const run: EpisodeRun = evaluatePolicy(() => positions[k++]!, candles, features, { start, end, feeRate });
  const moves = new Float64Array(end - start - 1);
  for (let i = 0; i < moves.length; i++) moves[i] = candles.close[start + i + 1]! / candles.close[start + i]!;
  return { run, moves };
}

test('one episode: returns, values and metrics are bit-for-bit the environment’s on real BTC candles', (t) => {
  // The real test slice 7008 … 8759: 1,751 decisions; a stand-in agent switching ~4 % of hours.
  const rng = new Rng(11);
  const positions = switchingPositions(1751, 0.04, () => rng.next());
  const { run, moves } = environmentRun(7008, 8760, positions, 0.001);
  const replay = simulateEquity({ moves, positions, feeRate: 0.001 });
  t.deepEqual(replay.values, run.values);
  t.deepEqual(replay.returns, simpleReturns(run.values));
  t.is(replay.pnlPct, run.metrics.pnlPct);
  t.is(replay.sharpe, run.metrics.sharpe);
  t.is(replay.maxDrawdownPct, run.metrics.maxDrawdownPct);
  t.is(replay.trades, run.metrics.trades);
  t.is(replay.exposure, run.metrics.exposure);
  t.true(run.metrics.trades > 10, 'the stand-in agent trades');
});
test('pooled folds: each restarts flat with fresh cash, returns equal the folds’ returns concatenated', (t) => {
  // Three contiguous test windows as walk-forward folds; the move across a boundary belongs to no fold.
  const folds = [
    [6000, 6600],
    [6600, 7300],
    [7300, 8760],
  ] as const;
  const feeRate = 0.002;
  const rng = new Rng(12);
  const movesParts: Float64Array[] = [];
  const positionParts: Uint8Array[] = [];
  const returnParts: Float64Array[] = [];
  const runs: EpisodeRun[] = [];
  for (const [start, end] of folds) {
    // Long at each fold's first and last hour: every fold pays its entry fee again, where an
    // unbroken series would have stayed long across the boundary without a fee.
    const positions = switchingPositions(end - start - 1, 0.05, () => rng.next());
    positions[0] = 1;
    positions[positions.length - 1] = 1;
    const { run, moves } = environmentRun(start, end, positions, feeRate);
    movesParts.push(moves);
    positionParts.push(positions);
    returnParts.push(simpleReturns(run.values));
    runs.push(run);
  }
  const concat = <T extends Float64Array | Uint8Array>(parts: T[], make: (n: number) => T) => {
    const out = make(parts.reduce((sum, p) => sum + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  const moves = concat(movesParts, (n) => new Float64Array(n));
  const positions = concat(positionParts, (n) => new Uint8Array(n));
  const segmentStarts = [0, movesParts[0]!.length, movesParts[0]!.length + movesParts[1]!.length];
  const replay = simulateEquity({ moves, positions, segmentStarts, feeRate });

  t.deepEqual(
    replay.returns,
    concat(returnParts, (n) => new Float64Array(n)),
  );
  // The first fold's curve is the environment's; the pooled P/L compounds the folds' growths.
  t.deepEqual(replay.values.subarray(0, runs[0]!.values.length), runs[0]!.values);
  const growth = runs.reduce((g, run) => g * (1 + run.metrics.pnlPct / 100), 1);
  t.true(Math.abs(replay.pnlPct - (growth - 1) * 100) < 1e-9, `${replay.pnlPct} vs ${(growth - 1) * 100}`);
  t.is(
    replay.trades,
    runs.reduce((sum, run) => sum + run.metrics.trades, 0),
  );
  const held = positions.reduce((sum, p) => sum + p, 0);
  t.is(replay.exposure, held / positions.length);
  // Without the restarts the same decisions would not pay the fee at the second and third fold starts.
  const unbroken = simulateEquity({ moves, positions, feeRate });
  t.not(unbroken.returns[segmentStarts[1]!], replay.returns[segmentStarts[1]!]);
});

test('a hand-made replay: fee on every change, flat at each segment start, switch rate counts the entries', (t) => {
  // moves 1.1, 0.9, 1.0, 1.1 | 1.2; positions 1, 1, 0, 1 | 1; fee 0.001; segments [0, 4].
  const replay = simulateEquity({
    moves: [1.1, 0.9, 1.0, 1.1, 1.2],
    positions: [1, 1, 0, 1, 1],
    segmentStarts: [0, 4],
    feeRate: 0.001,
  });
  const fold1 = 0.999 * 1.1 * 0.9 * 0.999 * 0.999 * 1.1;
  const fold2 = 0.999 * 1.2;
  t.true(Math.abs(replay.pnlPct - (fold1 * fold2 - 1) * 100) < 1e-9);
  t.true(Math.abs(replay.returns[4]! - (fold2 - 1)) < 1e-12);
  t.is(replay.trades, 3); // entries at 0, 3 and again at the second segment's start
  t.is(replay.switchRate, 4 / 5); // entries at 0, 3, 4 and the exit at 2
  t.is(replay.exposure, 4 / 5);
});

test('bad decision series name the argument', (t) => {
  const ok = { moves: [1.01, 0.99, 1.02], positions: [0, 1, 1], feeRate: 0.001 };
  t.notThrows(() => simulateEquity(ok));
  const cases: [object, RegExp][] = [
    [{ moves: [] }, /simulateEquity: moves has 0 values, need at least 1/],
    [{ moves: [1.01, Number.NaN, 1] }, /simulateEquity: moves\[1\] is NaN, need a finite number/],
    [{ moves: [1.01, 0, 1] }, /simulateEquity: moves\[1\] is 0, need a positive price ratio/],
    [{ positions: [0, 1] }, /simulateEquity: moves has 3 values but positions has 2; they must be aligned/],
    [{ positions: [0, 2, 1] }, /simulateEquity: positions\[1\] is 2, need 0 \(flat\) or 1 \(long\)/],
    [{ segmentStarts: [1] }, /simulateEquity: segmentStarts\[0\] is 1, need increasing integers from 0/],
    [{ segmentStarts: [0, 2, 2] }, /simulateEquity: segmentStarts\[2\] is 2/],
    [{ segmentStarts: [0, 3] }, /simulateEquity: segmentStarts\[1\] is 3, .* below moves.length 3/],
    [{ segmentStarts: [] }, /simulateEquity: segmentStarts must be a non-empty array starting with 0/],
    [{ feeRate: 1 }, /simulateEquity: feeRate is 1, need a fee per side in \[0, 1\)/],
    [{ feeRate: undefined }, /simulateEquity: feeRate is undefined/],
    [{ periodsPerYear: 0 }, /simulateEquity: periodsPerYear is 0/],
  ];
  for (const [change, message] of cases) {
    t.throws(() => simulateEquity({ ...ok, ...change } as Parameters<typeof simulateEquity>[0]), { message });
  }
});
