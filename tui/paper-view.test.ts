import test from 'ava';
import { emptyWorkerView } from '../shared/index.js';
import { paperTrader } from '../test/helpers/paper-status-fixture.js';
import { paperDecisionLines, paperProgressLine } from './headless/paper-lines.js';
import { formatPaperTable, paperRows } from './paper-view.js';

const state = {
  workers: [
    { ...emptyWorkerView(1), paper: [paperTrader()] },
    {
      ...emptyWorkerView(2),
      paper: [
        paperTrader({
          pair: 'ETH-USD',
          position: 'flat',
          equity: 9_800,
          lastDecision: null,
          candlesTotal: null,
          mode: 'live' as const,
        }),
      ],
    },
  ],
};

test('one row per trader with P/L and buy-and-hold since start, across workers', (t) => {
  const rows = paperRows(state);
  t.deepEqual(
    rows.map((r) => [r.workerId, r.pair, r.position]),
    [
      [1, 'BTC-USD', 'long'],
      [2, 'ETH-USD', 'flat'],
    ],
  );
  t.is(rows[0]!.pnlPct.toFixed(4), '2.5000');
  t.is(rows[0]!.buyAndHoldPct.toFixed(4), '4.0000');
  t.is(rows[0]!.vsBuyAndHold.toFixed(4), '-1.5000');
  t.is(rows[0]!.lastDecision, 'long @ 30123.5 · 2023-10-23 13:00');
  t.deepEqual(formatPaperTable(rows), [
    'pair     state    position    equity   P/L %   B&H %  vs B&H  trades  candles  last decision',
    'BTC-USD  trading  long      10250.00  +2.50%  +4.00%  -1.50%       7  120/575  long @ 30123.5 · 2023-10-23 13:00',
    'ETH-USD  trading  flat       9800.00  -2.00%  +4.00%  -6.00%       7      120  —',
  ]);
});

test('headless: a line per new decision (live: every one; replay: a change of position), progress per trader', (t) => {
  const seen = new Map<string, string>();
  t.deepEqual(paperDecisionLines(state, seen), [
    'worker 1  BTC-USD  long @ 30123.5 · 2023-10-23 13:00  equity 10250.00 (+2.50%) vs buy & hold +4.00%',
  ]);
  t.deepEqual(paperDecisionLines(state, seen), []);
  // Same position a candle later in a replay: nothing new to say.
  const later = { workers: [{ ...state.workers[0]!, paper: [paperTrader({ candles: 121 })] }] };
  t.deepEqual(paperDecisionLines(later, seen), []);
  t.is(paperProgressLine(state), 'progress  BTC-USD 120/575 +2.50%  ETH-USD 120 -2.00%');
});
