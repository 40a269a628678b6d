import type { LeaderboardRow } from '../../shared/index.js';
import {
  formatFixed,
  formatInterval,
  formatPct,
  formatPValue,
  formatRatio,
  formatSignificant,
} from '../format.js';
import {
  findColumn,
  fitColumns,
  nextSortIn,
  sortRows,
  type TableColumn,
  type TableSort,
} from '../table-columns.js';

export { cell, RANK_WIDTH, type SortDirection } from '../table-columns.js';

/** A leaderboard column the dashboard can show and sort by. */
export type LeaderboardColumnId =
  | 'pair'
  | 'variant'
  | 'pnl'
  | 'winRate'
  | 'sharpe'
  | 'maxDrawdown'
  | 'trades'
  | 'buyAndHold'
  | 'vsBuyAndHold'
  | 'significant'
  | 'sharpeInterval'
  | 'pVsBuyAndHold'
  | 'pVsRandom'
  | 'deflatedSharpe'
  | 'sortino'
  | 'exposure'
  | 'worker';

export type LeaderboardSort = TableSort<LeaderboardColumnId>;

export type LeaderboardColumn = TableColumn<LeaderboardRow, LeaderboardColumnId>;

/** Every column in display order. */
export const LEADERBOARD_COLUMNS: readonly LeaderboardColumn[] = [
  {
    id: 'pair',
    title: 'pair',
    width: 9,
    align: 'left',
    priority: 0,
    bestFirst: 'asc',
    value: (r) => r.pair,
    text: (r) => r.pair,
  },
  {
    id: 'variant',
    title: 'best variant',
    width: 13,
    align: 'left',
    priority: 1,
    bestFirst: 'asc',
    value: (r) => r.variant,
    text: (r) => r.variant,
  },
  {
    id: 'pnl',
    title: 'P/L',
    width: 8,
    align: 'right',
    priority: 0,
    bestFirst: 'desc',
    value: (r) => r.metrics.pnlPct,
    text: (r) => formatPct(r.metrics.pnlPct),
  },
  {
    id: 'buyAndHold',
    title: 'B&H P/L',
    width: 8,
    align: 'right',
    priority: 1,
    bestFirst: 'desc',
    value: (r) => r.buyAndHoldPnlPct,
    text: (r) => formatPct(r.buyAndHoldPnlPct),
  },
  {
    id: 'vsBuyAndHold',
    title: 'vs B&H',
    width: 8,
    align: 'right',
    priority: 7,
    bestFirst: 'desc',
    value: (r) => r.metrics.pnlPct - r.buyAndHoldPnlPct,
    text: (r) => formatPct(r.metrics.pnlPct - r.buyAndHoldPnlPct),
  },
  {
    // Issue 8: a P/L above buy-and-hold is only a win when it survives the correction across rows.
    id: 'significant',
    title: 'sig',
    width: 3,
    align: 'right',
    priority: 1,
    bestFirst: 'desc',
    value: (r) => (r.evidence ? (r.evidence.significant ? 1 : 0) : null),
    text: (r) => formatSignificant(r.evidence),
  },
  {
    id: 'winRate',
    title: 'win',
    width: 4,
    align: 'right',
    priority: 4,
    bestFirst: 'desc',
    value: (r) => r.metrics.winRate,
    text: (r) => formatRatio(r.metrics.winRate),
  },
  {
    id: 'sharpe',
    title: 'Sharpe',
    width: 6,
    align: 'right',
    priority: 2,
    bestFirst: 'desc',
    value: (r) => r.metrics.sharpe,
    text: (r) => formatFixed(r.metrics.sharpe),
  },
  {
    id: 'sharpeInterval',
    title: '95% CI',
    width: 12,
    align: 'right',
    priority: 6,
    bestFirst: 'desc',
    value: (r) => r.evidence?.sharpeLow ?? null,
    text: (r) => formatInterval(r.evidence?.sharpeLow, r.evidence?.sharpeHigh),
  },
  {
    id: 'pVsBuyAndHold',
    title: 'p B&H',
    width: 5,
    align: 'right',
    priority: 6,
    bestFirst: 'asc',
    value: (r) => r.evidence?.pVsBuyAndHold ?? null,
    text: (r) => formatPValue(r.evidence?.pVsBuyAndHold),
  },
  {
    id: 'pVsRandom',
    title: 'p rnd',
    width: 5,
    align: 'right',
    priority: 7,
    bestFirst: 'asc',
    value: (r) => r.evidence?.pVsRandom ?? null,
    text: (r) => formatPValue(r.evidence?.pVsRandom),
  },
  {
    id: 'deflatedSharpe',
    title: 'DSR',
    width: 4,
    align: 'right',
    priority: 7,
    bestFirst: 'desc',
    value: (r) => r.evidence?.deflatedSharpe ?? null,
    text: (r) => formatFixed(r.evidence?.deflatedSharpe),
  },
  {
    id: 'sortino',
    title: 'Sortino',
    width: 7,
    align: 'right',
    priority: 9,
    bestFirst: 'desc',
    value: (r) => r.metrics.sortino,
    text: (r) => formatFixed(r.metrics.sortino),
  },
  {
    id: 'maxDrawdown',
    title: 'max DD',
    width: 7,
    align: 'right',
    priority: 3,
    bestFirst: 'asc',
    value: (r) => r.metrics.maxDrawdownPct,
    text: (r) => `${formatFixed(r.metrics.maxDrawdownPct, 1)}%`,
  },
  {
    id: 'trades',
    title: 'trades',
    width: 6,
    align: 'right',
    priority: 5,
    bestFirst: 'desc',
    value: (r) => r.metrics.trades,
    text: (r) => String(r.metrics.trades),
  },
  {
    id: 'exposure',
    title: 'in mkt',
    width: 6,
    align: 'right',
    priority: 10,
    bestFirst: 'desc',
    value: (r) => r.metrics.exposure,
    text: (r) => formatRatio(r.metrics.exposure),
  },
  {
    id: 'worker',
    title: 'worker',
    width: 6,
    align: 'right',
    priority: 8,
    bestFirst: 'asc',
    value: (r) => r.workerId,
    text: (r) => `W${r.workerId}`,
  },
];

/** The order `s` walks through: the columns people rank by, most useful first. */
export const SORT_ORDER: readonly LeaderboardColumnId[] = [
  'pnl',
  'sharpe',
  'winRate',
  'maxDrawdown',
  'trades',
  'buyAndHold',
  'vsBuyAndHold',
  'significant',
  'pVsBuyAndHold',
  'deflatedSharpe',
  'pair',
];

/** The sort a fresh dashboard starts with: best out-of-sample P/L first. */
export const DEFAULT_SORT: LeaderboardSort = { column: 'pnl', direction: 'desc' };

/** The column definition of an id. */
export function columnById(id: LeaderboardColumnId): LeaderboardColumn {
  return findColumn(LEADERBOARD_COLUMNS, id);
}

/** The sort after pressing `s`: the next column of SORT_ORDER, in its best-first direction. */
export function nextSort(sort: LeaderboardSort): LeaderboardSort {
  return nextSortIn(LEADERBOARD_COLUMNS, SORT_ORDER, sort);
}

/** Rows sorted by a column; missing values (no trades → no Sharpe) always sink to the bottom. */
export function sortLeaderboard(rows: readonly LeaderboardRow[], sort: LeaderboardSort): LeaderboardRow[] {
  return sortRows(LEADERBOARD_COLUMNS, rows, sort, (a, b) => a.pair.localeCompare(b.pair));
}

/** The columns that fit in `width` (one space between), the sort column always kept, in display order. */
export function columnsForWidth(width: number, sortColumn: LeaderboardColumnId): LeaderboardColumn[] {
  return fitColumns(LEADERBOARD_COLUMNS, width, sortColumn);
}
