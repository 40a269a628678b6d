import type { ExecutionContext } from 'ava';
import type { LedgerCandle } from '../../shared/index.js';
import type { BacktestResult } from '../../worker/backtest.js';

/**
 * Asserts that a ledger's candle lines are the backtest's hours, bit for bit: the equity marked at
 * every close, and every decision but the last line's (settled, in a replay; pending, live).
 */
export function assertLedgerIsBacktest(
  t: ExecutionContext,
  candles: readonly LedgerCandle[],
  bt: BacktestResult,
): void {
  t.deepEqual(
    candles.map((l) => l.markedEquity),
    Array.from(bt.agent.values),
  );
  t.deepEqual(
    candles.slice(0, -1).map((l) => (l.action === 'long' ? 1 : 0)),
    Array.from(bt.agent.positions),
  );
}
