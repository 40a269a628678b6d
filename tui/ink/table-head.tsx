import { Text } from 'ink';
import { fitWidth, truncate } from '../format.js';
import { cell, RANK_WIDTH, type TableColumn, type TableSort } from '../table-columns.js';

/** A table's title on the left and its key hints on the right, on one line, kept apart when both are cut. */
export function TableTitle({ title, hint, width }: { title: string; hint: string; width: number }) {
  // The hint gives way first (down to half the line); two spaces always separate the two.
  const hintWidth = Math.min(Array.from(hint).length, Math.floor(width / 2));
  const titleWidth = Math.max(0, width - hintWidth - 2);
  return (
    <Text>
      <Text bold>{fitWidth(title, titleWidth)}</Text>
      {'  '}
      <Text dimColor>{truncate(hint, hintWidth)}</Text>
    </Text>
  );
}

/** The column header row: `#`, then each title, the sort column highlighted with its direction. */
export function ColumnHeader<Row, Id extends string>({
  columns,
  sort,
}: {
  columns: readonly TableColumn<Row, Id>[];
  sort: TableSort<Id>;
}) {
  return (
    <Text wrap="truncate-end">
      <Text dimColor>{fitWidth('#', RANK_WIDTH, 'right')}</Text>
      {columns.map((column) => {
        const active = column.id === sort.column;
        const label = active ? `${column.title}${sortArrow(sort)}` : column.title;
        return (
          <Text key={column.id} bold={active} color={active ? 'cyan' : undefined} dimColor={!active}>
            {` ${cell(column, label)}`}
          </Text>
        );
      })}
    </Text>
  );
}

/** ▼ for a descending sort, ▲ for an ascending one. */
export function sortArrow(sort: TableSort<string>): string {
  return sort.direction === 'desc' ? '▼' : '▲';
}
