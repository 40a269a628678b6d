import { fitWidth } from './format.js';

// A table driven by a list of columns (title, width, alignment, how to sort and print a row): the
// leaderboard and the trials table are two such lists, so a new column is one entry in one place.

export type SortDirection = 'asc' | 'desc';

export interface TableSort<Id extends string> {
  column: Id;
  direction: SortDirection;
}

export interface TableColumn<Row, Id extends string> {
  id: Id;
  title: string;
  width: number;
  align: 'left' | 'right';
  /** Lower number = kept longer when the terminal is narrow. */
  priority: number;
  /** The direction a first press of `s` sorts in (best first). */
  bestFirst: SortDirection;
  value(row: Row): number | string | null;
  text(row: Row): string;
}

/** Width of the rank column (`#12`). */
export const RANK_WIDTH = 3;

/** The column definition of an id (throws on an unknown id: a programming error). */
export function findColumn<Row, Id extends string>(
  columns: readonly TableColumn<Row, Id>[],
  id: Id,
): TableColumn<Row, Id> {
  const column = columns.find((c) => c.id === id);
  if (!column) throw new Error(`unknown column "${id}"`);
  return column;
}

/** Rows sorted by a column; missing values always sink to the bottom; `tie` orders equal rows. */
export function sortRows<Row, Id extends string>(
  columns: readonly TableColumn<Row, Id>[],
  rows: readonly Row[],
  sort: TableSort<Id>,
  tie: (a: Row, b: Row) => number,
): Row[] {
  const column = findColumn(columns, sort.column);
  const sign = sort.direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const va = column.value(a);
    const vb = column.value(b);
    if (va === null || vb === null) return va === vb ? tie(a, b) : va === null ? 1 : -1;
    if (typeof va === 'string' || typeof vb === 'string')
      return sign * String(va).localeCompare(String(vb)) || tie(a, b);
    return sign * (va - vb) || tie(a, b);
  });
}

/** The sort after pressing `s`: the next column of `order`, in its best-first direction. */
export function nextSortIn<Row, Id extends string>(
  columns: readonly TableColumn<Row, Id>[],
  order: readonly Id[],
  sort: TableSort<Id>,
): TableSort<Id> {
  const at = order.indexOf(sort.column);
  const column = order[(at + 1) % order.length] ?? sort.column;
  return { column, direction: findColumn(columns, column).bestFirst };
}

/** The columns that fit in `width` (one space between, after the rank), the sort column always kept. */
export function fitColumns<Row, Id extends string>(
  columns: readonly TableColumn<Row, Id>[],
  width: number,
  sortColumn: Id,
): TableColumn<Row, Id>[] {
  const byPriority = [...columns].sort((a, b) =>
    a.id === sortColumn ? -1 : b.id === sortColumn ? 1 : a.priority - b.priority,
  );
  const chosen = new Set<Id>();
  let used = RANK_WIDTH;
  for (const column of byPriority) {
    if (used + 1 + column.width > width) continue;
    chosen.add(column.id);
    used += 1 + column.width;
  }
  return columns.filter((c) => chosen.has(c.id));
}

/** One cell padded to its column. */
export function cell<Row, Id extends string>(column: TableColumn<Row, Id>, text: string): string {
  return fitWidth(text, column.width, column.align);
}
