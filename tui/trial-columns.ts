import type { TrialRow, TrialStatus } from '../shared/index.js';
import { DASH, formatFixed, formatPct } from './format.js';
import {
  findColumn,
  fitColumns,
  nextSortIn,
  sortRows,
  type TableColumn,
  type TableSort,
} from './table-columns.js';

// The trials table (every job of the plan with its variant's hyperparameters, validation and
// out-of-sample figures), as Ray Tune, TensorBoard's HParams and W&B list trials. One column list for
// the dashboard's trials view and `trading-workers status`: a new column (significance) is one entry.

export type TrialColumnId =
  | 'pair'
  | 'variant'
  | 'worker'
  | 'status'
  | 'learningRate'
  | 'gamma'
  | 'epsilon'
  | 'turnover'
  | 'valSharpe'
  | 'valPnl'
  | 'pnl'
  | 'sharpe'
  | 'maxDrawdown'
  | 'trades'
  | 'buyAndHold'
  | 'episode';

export type TrialColumn = TableColumn<TrialRow, TrialColumnId>;
export type TrialSort = TableSort<TrialColumnId>;

const STATUS_TEXT: Record<TrialStatus, string> = {
  pending: '○ pending',
  running: '● running',
  done: '✔ done',
  failed: '✖ failed',
};
const STATUS_RANK: Record<TrialStatus, number> = { running: 0, pending: 1, done: 2, failed: 3 };

/** `5e-4`, `2e-3`: learning rates as people write them. */
function scientific(value: number): string {
  const [mantissa, exponent] = value.toExponential().split('e');
  return `${Number(mantissa).toString()}e${Number(exponent)}`;
}

/** Every column in display order. */
export const TRIAL_COLUMNS: readonly TrialColumn[] = [
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
    title: 'variant',
    width: 13,
    align: 'left',
    priority: 0,
    bestFirst: 'asc',
    value: (r) => r.variant,
    text: (r) => `${r.variant}${r.best ? ' ★' : ''}`,
  },
  {
    id: 'status',
    title: 'status',
    width: 9,
    align: 'left',
    priority: 1,
    bestFirst: 'asc',
    value: (r) => STATUS_RANK[r.status],
    text: (r) => STATUS_TEXT[r.status],
  },
  {
    id: 'worker',
    title: 'wkr',
    width: 3,
    align: 'right',
    priority: 9,
    bestFirst: 'asc',
    value: (r) => r.workerId,
    text: (r) => `W${r.workerId}`,
  },
  {
    id: 'learningRate',
    title: 'lr',
    width: 5,
    align: 'right',
    priority: 3,
    bestFirst: 'desc',
    value: (r) => r.hyperparameters.learningRate,
    text: (r) => scientific(r.hyperparameters.learningRate),
  },
  {
    id: 'gamma',
    title: 'γ',
    width: 4,
    align: 'right',
    priority: 3,
    bestFirst: 'desc',
    value: (r) => r.hyperparameters.gamma,
    text: (r) => String(r.hyperparameters.gamma),
  },
  {
    id: 'epsilon',
    title: 'ε→end@',
    width: 8,
    align: 'right',
    priority: 4,
    bestFirst: 'desc',
    value: (r) => r.hyperparameters.epsilonDecayFraction,
    text: (r) =>
      `${r.hyperparameters.epsilonEnd}@${Math.round(r.hyperparameters.epsilonDecayFraction * 100)}%`,
  },
  {
    id: 'turnover',
    title: 'turn',
    width: 4,
    align: 'right',
    priority: 8,
    bestFirst: 'desc',
    value: (r) => r.hyperparameters.turnoverPenalty,
    text: (r) => `${r.hyperparameters.turnoverPenalty}×`,
  },
  {
    id: 'valSharpe',
    title: 'val Shrp',
    width: 9,
    align: 'right',
    priority: 2,
    bestFirst: 'desc',
    value: (r) => r.validation?.sharpe ?? null,
    text: (r) => formatFixed(r.validation?.sharpe),
  },
  {
    id: 'valPnl',
    title: 'val P/L',
    width: 8,
    align: 'right',
    priority: 5,
    bestFirst: 'desc',
    value: (r) => r.validation?.pnlPct ?? null,
    text: (r) => formatPct(r.validation?.pnlPct),
  },
  {
    id: 'pnl',
    title: 'P/L',
    width: 8,
    align: 'right',
    priority: 1,
    bestFirst: 'desc',
    value: (r) => r.metrics?.pnlPct ?? null,
    text: (r) => formatPct(r.metrics?.pnlPct),
  },
  {
    id: 'sharpe',
    title: 'Sharpe',
    width: 6,
    align: 'right',
    priority: 2,
    bestFirst: 'desc',
    value: (r) => r.metrics?.sharpe ?? null,
    text: (r) => formatFixed(r.metrics?.sharpe),
  },
  {
    id: 'maxDrawdown',
    title: 'max DD',
    width: 6,
    align: 'right',
    priority: 6,
    bestFirst: 'asc',
    value: (r) => r.metrics?.maxDrawdownPct ?? null,
    text: (r) => (r.metrics ? `${formatFixed(r.metrics.maxDrawdownPct, 1)}%` : DASH),
  },
  {
    id: 'trades',
    title: 'trades',
    width: 6,
    align: 'right',
    priority: 7,
    bestFirst: 'desc',
    value: (r) => r.metrics?.trades ?? null,
    text: (r) => (r.metrics ? String(r.metrics.trades) : DASH),
  },
  {
    id: 'buyAndHold',
    title: 'B&H P/L',
    width: 8,
    align: 'right',
    priority: 4,
    bestFirst: 'desc',
    value: (r) => r.buyAndHoldPnlPct,
    text: (r) => formatPct(r.buyAndHoldPnlPct),
  },
  {
    id: 'episode',
    title: 'kept ep',
    width: 7,
    align: 'right',
    priority: 10,
    bestFirst: 'asc',
    value: (r) => r.selectedEpisode,
    text: (r) => (r.selectedEpisode === null ? DASH : String(r.selectedEpisode)),
  },
];

/** The order `s` walks through in the trials view. */
export const TRIAL_SORT_ORDER: readonly TrialColumnId[] = [
  'valSharpe',
  'pnl',
  'sharpe',
  'valPnl',
  'maxDrawdown',
  'trades',
  'learningRate',
  'gamma',
  'status',
  'pair',
];

/** Trials start sorted by what variants are chosen on: the validation Sharpe, best first. */
export const DEFAULT_TRIAL_SORT: TrialSort = { column: 'valSharpe', direction: 'desc' };

export function trialColumn(id: TrialColumnId): TrialColumn {
  return findColumn(TRIAL_COLUMNS, id);
}

export function nextTrialSort(sort: TrialSort): TrialSort {
  return nextSortIn(TRIAL_COLUMNS, TRIAL_SORT_ORDER, sort);
}

/** Trials of one pair (or all with null), sorted; plan order breaks ties. */
export function sortTrials(
  trials: readonly TrialRow[],
  sort: TrialSort,
  pair: string | null = null,
): TrialRow[] {
  const order = new Map(trials.map((t, i) => [t.jobId, i]));
  const shown = pair === null ? trials : trials.filter((t) => t.pair === pair);
  return sortRows(
    TRIAL_COLUMNS,
    shown,
    sort,
    (a, b) => (order.get(a.jobId) ?? 0) - (order.get(b.jobId) ?? 0),
  );
}

/** The trial columns that fit in `width`, the sort column always kept. */
export function trialColumnsForWidth(width: number, sortColumn: TrialColumnId): TrialColumn[] {
  return fitColumns(TRIAL_COLUMNS, width, sortColumn);
}

/** The pairs of the trials in plan order (the filter walks them). */
export function trialPairs(trials: readonly TrialRow[]): string[] {
  return [...new Set(trials.map((t) => t.pair))];
}
