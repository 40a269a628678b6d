import type { EvalMetrics } from '../shared/index.js';

const ROWS: [string, (m: EvalMetrics) => string][] = [
  ['P/L %', (m) => m.pnlPct.toFixed(2)],
  ['P/L USD (on 10,000)', (m) => m.pnlUsd.toFixed(2)],
  ['win rate', (m) => (m.winRate === null ? '—' : `${(m.winRate * 100).toFixed(1)}%`)],
  ['Sharpe', (m) => m.sharpe?.toFixed(2) ?? '—'],
  ['Sortino', (m) => m.sortino?.toFixed(2) ?? '—'],
  ['max drawdown %', (m) => m.maxDrawdownPct.toFixed(2)],
  ['trades', (m) => String(m.trades)],
  ['exposure', (m) => `${(m.exposure * 100).toFixed(1)}%`],
];

/** The metrics of several policies side by side (agent, buy & hold, random …), a column each. */
export function formatMetricsTable(
  columns: readonly { name: string; metrics: EvalMetrics | null | undefined }[],
): string {
  const header = ['', ...columns.map((c) => c.name)];
  const table = [
    header,
    ...ROWS.map(([name, f]) => [name, ...columns.map((c) => (c.metrics ? f(c.metrics) : '—'))]),
  ];
  const widths = header.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  return table
    .map((r) =>
      r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '),
    )
    .join('\n');
}
