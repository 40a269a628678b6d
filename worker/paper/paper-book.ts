import type { LedgerCandle, PositionName } from '../../shared/index.js';
import { Action } from '../environment.js';

/** A paper portfolio between two candles: what the next candle's line is computed from. */
export interface PaperBook {
  /** Position held since the last fill (0 flat, 1 long). */
  position: number;
  /** Value after the last fill. */
  equity: number;
  /** Buy-and-hold's value after its fill (it buys at the first candle and never sells). */
  buyAndHold: number;
  /** Close of the last candle, null before the first. */
  lastClose: number | null;
  /** Sequence number of the last candle line (0 before the first). */
  seq: number;
}

/** A fresh book holding `initialCash` in cash. */
export function openBook(initialCash: number): PaperBook {
  return { position: Action.flat, equity: initialCash, buyAndHold: initialCash, lastClose: null, seq: 0 };
}

const NAMES: readonly PositionName[] = ['flat', 'long'];

/**
 * The ledger line of one closed candle and the book after it. The arithmetic is the training
 * environment's, operation for operation (worker/environment.ts: a change of position multiplies
 * the value by 1 − fee, an hour long multiplies it by close[t+1] / close[t]), so a replay ends with
 * exactly the equity a backtest of the same hours gives. `action` null settles the candle without
 * a decision (the last candle of a replay, as the last close of a backtest).
 */
export function stepBook(
  book: PaperBook,
  candle: { time: number; close: number },
  action: number | null,
  feeRate: number,
  extra: { qValues: number[][]; late: boolean; at: string },
): { line: LedgerCandle; book: PaperBook } {
  const move = book.lastClose === null ? null : candle.close / book.lastClose;
  const marked = move !== null && book.position === Action.long ? book.equity * move : book.equity;
  const bought = book.lastClose !== null;
  const buyAndHoldMarked = bought && move !== null ? book.buyAndHold * move : book.buyAndHold;
  const position = action ?? book.position;
  const equity = action !== null && action !== book.position ? marked * (1 - feeRate) : marked;
  const buyAndHold = !bought && action !== null ? buyAndHoldMarked * (1 - feeRate) : buyAndHoldMarked;
  const line: LedgerCandle = {
    type: 'candle',
    seq: book.seq + 1,
    candleTime: new Date(candle.time).toISOString(),
    price: candle.close,
    markedEquity: marked,
    action: action === null ? null : NAMES[action]!,
    fee: marked - equity,
    position: NAMES[position]!,
    cash: position === Action.long ? 0 : equity,
    units: position === Action.long ? equity / candle.close : 0,
    equity,
    buyAndHoldMarked,
    buyAndHoldEquity: buyAndHold,
    qValues: extra.qValues,
    late: extra.late,
    at: extra.at,
  };
  return { line, book: { position, equity, buyAndHold, lastClose: candle.close, seq: book.seq + 1 } };
}

/** The book a ledger's last candle line leaves (for a restart). */
export function bookAfter(line: LedgerCandle): PaperBook {
  return {
    position: line.position === 'long' ? Action.long : Action.flat,
    equity: line.equity,
    buyAndHold: line.buyAndHoldEquity,
    lastClose: line.price,
    seq: line.seq,
  };
}
