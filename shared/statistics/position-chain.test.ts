import test from 'ava';
import { Rng } from '../rng.js';
import { drawPositions, fitPositionChain } from './position-chain.js';

test('fits transition frequencies by counting, each segment starting flat', (t) => {
  // positions 1 1 0 1 | 1 0 (segments start at 0 and 4):
  // from flat: k0 (enter), k3 (enter), k4 (segment start, enter) → 3 of 3 enter;
  // from long: k1 (stay), k2 (exit), k5 (exit) → 2 of 3 exit.
  const chain = fitPositionChain([1, 1, 0, 1, 1, 0], Int32Array.of(0, 4, 6));
  t.deepEqual(chain, {
    enterProbability: 1,
    exitProbability: 2 / 3,
    decisionsFromFlat: 3,
    decisionsFromLong: 3,
  });
  // Without the segment restart, k4 would come from long and stay.
  t.deepEqual(fitPositionChain([1, 1, 0, 1, 1, 0], Int32Array.of(0, 6)), {
    enterProbability: 1,
    exitProbability: 2 / 4,
    decisionsFromFlat: 2,
    decisionsFromLong: 4,
  });
});

test('a position never held has probability 1 of leaving it, never used', (t) => {
  t.deepEqual(fitPositionChain([0, 0, 0], Int32Array.of(0, 3)), {
    enterProbability: 0,
    exitProbability: 1,
    decisionsFromFlat: 3,
    decisionsFromLong: 0,
  });
});

test('draws reproduce the fitted chain and restart flat at each segment', (t) => {
  const starts = Int32Array.of(0, 5000, 10_000);
  const chain = { enterProbability: 0.05, exitProbability: 0.2, decisionsFromFlat: 0, decisionsFromLong: 0 };
  const out = new Uint8Array(10_000);
  const rng = new Rng(1);
  let firstLong = 0;
  const draws = 40;
  let fromFlat = 0;
  let enters = 0;
  let fromLong = 0;
  let exits = 0;
  for (let d = 0; d < draws; d++) {
    drawPositions(chain, starts, rng, out);
    const fitted = fitPositionChain(out, starts);
    fromFlat += fitted.decisionsFromFlat;
    enters += fitted.enterProbability * fitted.decisionsFromFlat;
    fromLong += fitted.decisionsFromLong;
    exits += fitted.exitProbability * fitted.decisionsFromLong;
    firstLong += out[0]! + out[5000]!;
  }
  t.true(Math.abs(enters / fromFlat - 0.05) < 0.005, `enter ${enters / fromFlat}`);
  t.true(Math.abs(exits / fromLong - 0.2) < 0.01, `exit ${exits / fromLong}`);
  // A segment's first decision comes from flat: long with probability 0.05, not the stationary 0.2.
  t.true(firstLong <= 12, `${firstLong} of ${2 * draws} segment starts long`);
});

test('one uniform per hour: the same seed gives the same draws whatever the chain (common random numbers)', (t) => {
  const starts = Int32Array.of(0, 300);
  const a = new Uint8Array(300);
  const b = new Uint8Array(300);
  const rngA = new Rng(9);
  const rngB = new Rng(9);
  drawPositions(
    { enterProbability: 0.1, exitProbability: 0.1, decisionsFromFlat: 0, decisionsFromLong: 0 },
    starts,
    rngA,
    a,
  );
  drawPositions(
    { enterProbability: 0.9, exitProbability: 0.9, decisionsFromFlat: 0, decisionsFromLong: 0 },
    starts,
    rngB,
    b,
  );
  // Both consumed exactly 300 uniforms, so both generators are in the same state.
  t.is(rngA.nextUint32(), rngB.nextUint32());
});
