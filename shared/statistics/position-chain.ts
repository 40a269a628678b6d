import type { Rng } from '../rng.js';

/**
 * A two-state Markov chain of positions (0 flat, 1 long) that starts flat at every segment, as the
 * agent does: its transition frequencies are what a matched random policy copies.
 */
export interface PositionChain {
  /** P(go long | flat the hour before); each segment's first decision counts as coming from flat. */
  enterProbability: number;
  /** P(go flat | long the hour before). */
  exitProbability: number;
  /** Decisions taken from flat, and from long: the counts behind the two frequencies. */
  decisionsFromFlat: number;
  decisionsFromLong: number;
}

/**
 * Fits the chain to a position series by counting transitions (maximum likelihood). `starts` are the
 * segment starts with a sentinel (positions.length) at the end. A position never held gives a
 * probability of leaving it of 1 by convention; it is never used, since the chain never gets there.
 */
export function fitPositionChain(positions: ArrayLike<number>, starts: Int32Array): PositionChain {
  let fromFlat = 0;
  let fromLong = 0;
  let enters = 0;
  let exits = 0;
  for (let s = 0; s + 1 < starts.length; s++) {
    let held = 0;
    for (let k = starts[s]!; k < starts[s + 1]!; k++) {
      const next = positions[k]!;
      if (held === 0) {
        fromFlat += 1;
        if (next === 1) enters += 1;
      } else {
        fromLong += 1;
        if (next === 0) exits += 1;
      }
      held = next;
    }
  }
  return {
    enterProbability: fromFlat > 0 ? enters / fromFlat : 1,
    exitProbability: fromLong > 0 ? exits / fromLong : 1,
    decisionsFromFlat: fromFlat,
    decisionsFromLong: fromLong,
  };
}

/**
 * Draws a position series from the chain into `out`, flat before each segment, using exactly one
 * uniform per hour whatever the state. That fixed consumption makes draws with the same seed
 * common random numbers: two agents of a pair with similar chains face nearly the same policies.
 */
export function drawPositions(chain: PositionChain, starts: Int32Array, rng: Rng, out: Uint8Array): void {
  const { enterProbability, exitProbability } = chain;
  for (let s = 0; s + 1 < starts.length; s++) {
    let held = 0;
    for (let k = starts[s]!; k < starts[s + 1]!; k++) {
      const u = rng.next();
      held = held === 0 ? (u < enterProbability ? 1 : 0) : u < exitProbability ? 0 : 1;
      out[k] = held;
    }
  }
}
