import type { DashboardState, PaperTraderStatus } from '../shared/index.js';
import { DASH, formatPct } from './format.js';

// What every view shows of a paper run, computed once: one row per trader, across workers.

/** One paper trader as the views list it. */
export interface PaperRow {
  workerId: number;
  pair: string;
  state: PaperTraderStatus['state'];
  mode: PaperTraderStatus['mode'];
  position: PaperTraderStatus['position'];
  equity: number;
  /** P/L since start, %. */
  pnlPct: number;
  buyAndHoldPct: number;
  /** pnlPct − buyAndHoldPct, percentage points. */
  vsBuyAndHold: number;
  trades: number;
  candles: number;
  candlesTotal: number | null;
  /** `long @ 42,123.5 · 12-30 19:00` (the last decision), or `—`. */
  lastDecision: string;
  error: string | null;
  trader: PaperTraderStatus;
}

const pct = (value: number, base: number) => (value / base - 1) * 100;

/** `long @ 42123.5 · 2023-12-30 19:00` */
export function decisionText(trader: PaperTraderStatus): string {
  const d = trader.lastDecision;
  if (!d) return DASH;
  return `${d.action} @ ${d.price} · ${d.candleTime.slice(0, 10)} ${d.candleTime.slice(11, 16)}`;
}

/** Every trader of every worker, in worker order. */
export function paperRows(state: Pick<DashboardState, 'workers'>): PaperRow[] {
  return state.workers.flatMap((w) =>
    (w.paper ?? []).map((t): PaperRow => {
      const pnlPct = pct(t.equity, t.initialCash);
      const buyAndHoldPct = pct(t.buyAndHoldEquity, t.initialCash);
      return {
        workerId: w.workerId,
        pair: t.pair,
        state: t.state,
        mode: t.mode,
        position: t.position,
        equity: t.equity,
        pnlPct,
        buyAndHoldPct,
        vsBuyAndHold: pnlPct - buyAndHoldPct,
        trades: t.trades,
        candles: t.candles,
        candlesTotal: t.candlesTotal,
        lastDecision: decisionText(t),
        error: t.error,
        trader: t,
      };
    }),
  );
}

/** The columns of the paper table, with their cell text. */
export const PAPER_COLUMNS: { title: string; right: boolean; text: (row: PaperRow) => string }[] = [
  { title: 'pair', right: false, text: (r) => r.pair },
  { title: 'state', right: false, text: (r) => r.state },
  { title: 'position', right: false, text: (r) => r.position },
  { title: 'equity', right: true, text: (r) => r.equity.toFixed(2) },
  { title: 'P/L %', right: true, text: (r) => formatPct(r.pnlPct) },
  { title: 'B&H %', right: true, text: (r) => formatPct(r.buyAndHoldPct) },
  { title: 'vs B&H', right: true, text: (r) => formatPct(r.vsBuyAndHold) },
  { title: 'trades', right: true, text: (r) => String(r.trades) },
  {
    title: 'candles',
    right: true,
    text: (r) => (r.candlesTotal === null ? String(r.candles) : `${r.candles}/${r.candlesTotal}`),
  },
  { title: 'last decision', right: false, text: (r) => r.lastDecision },
];

/** The paper traders as a plain text table (headless summary, logs). */
export function formatPaperTable(rows: readonly PaperRow[]): string[] {
  const table = [PAPER_COLUMNS.map((c) => c.title), ...rows.map((r) => PAPER_COLUMNS.map((c) => c.text(r)))];
  const widths = PAPER_COLUMNS.map((_, i) => Math.max(...table.map((r) => Array.from(r[i]!).length)));
  return table.map((r) =>
    r
      .map((cell, i) => {
        const gap = ' '.repeat(widths[i]! - Array.from(cell).length);
        return PAPER_COLUMNS[i]!.right ? gap + cell : cell + gap;
      })
      .join('  ')
      .trimEnd(),
  );
}
