import type { DashboardState } from '../../shared/index.js';
import { formatPct } from '../format.js';
import { decisionText, formatPaperTable, type PaperRow, paperRows } from '../paper-view.js';

/** A decision worth a line: every one when live (once an hour per pair), a change of position in a replay. */
function decisionKey(row: PaperRow): string | null {
  const d = row.trader.lastDecision;
  if (!d) return null;
  return row.mode === 'live' ? `${d.candleTime}` : `${d.position}`;
}

/** New decision lines since `seen` (updated in place), one per trader at most. */
export function paperDecisionLines(
  state: Pick<DashboardState, 'workers'>,
  seen: Map<string, string>,
): string[] {
  const lines: string[] = [];
  for (const row of paperRows(state)) {
    const key = decisionKey(row);
    if (key === null || seen.get(row.pair) === key) continue;
    seen.set(row.pair, key);
    lines.push(
      `worker ${row.workerId}  ${row.pair}  ${decisionText(row.trader)}  equity ${row.equity.toFixed(2)} (${formatPct(row.pnlPct)}) vs buy & hold ${formatPct(row.buyAndHoldPct)}`,
    );
  }
  return lines;
}

/** The throttled progress line of a paper run: each trader's candles and P/L. */
export function paperProgressLine(state: Pick<DashboardState, 'workers'>): string {
  const parts = paperRows(state).map(
    (r) =>
      `${r.pair} ${r.candlesTotal === null ? r.candles : `${r.candles}/${r.candlesTotal}`} ${formatPct(r.pnlPct)}`,
  );
  return `progress  ${parts.length > 0 ? parts.join('  ') : 'no trader has reported yet'}`;
}

/** The end of a paper run: every trader's final equity against buy-and-hold, trades and ledger. */
export function paperSummary(state: DashboardState): string[] {
  const rows = paperRows(state);
  const out = [`Paper run ${state.runId ?? '?'}: ${rows.length} trader${rows.length === 1 ? '' : 's'}`];
  if (rows.length === 0) return [...out, 'No trader reported.'];
  out.push(...formatPaperTable(rows));
  for (const r of rows) out.push(`  ${r.pair}: ledger ${r.trader.ledger}${r.error ? `  ✖ ${r.error}` : ''}`);
  return out;
}
