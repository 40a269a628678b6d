import { loadRealCandles } from './real-candles.js';

/**
 * Hourly price ratios close[t + 1] / close[t] of the last `hours` hours of a real pair
 * (../shared/data), and the simple returns of holding it: the inputs the statistics see.
 */
export function realMoves(stem = 'BTC_USD', hours = 1750): { moves: Float64Array; returns: Float64Array } {
  const close = loadRealCandles(stem).close;
  if (hours + 1 > close.length)
    throw new Error(`realMoves: ${stem} has ${close.length} candles, need ${hours + 1}`);
  const first = close.length - hours - 1;
  const moves = new Float64Array(hours);
  const returns = new Float64Array(hours);
  for (let k = 0; k < hours; k++) {
    moves[k] = close[first + k + 1]! / close[first + k]!;
    returns[k] = close[first + k + 1]! / close[first + k]! - 1;
  }
  return { moves, returns };
}

/** A seeded position series that switches with the given probability per hour (a stand-in agent). */
export function switchingPositions(
  length: number,
  switchProbability: number,
  next: () => number,
): Uint8Array {
  const positions = new Uint8Array(length);
  let held = 0;
  for (let k = 0; k < length; k++) {
    if (next() < switchProbability) held = 1 - held;
    positions[k] = held;
  }
  return positions;
}
