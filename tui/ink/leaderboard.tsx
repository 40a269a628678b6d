import { Box, Text } from 'ink';
import type { LeaderboardRow, MultipleTesting } from '../../shared/index.js';
import { fitWidth, plural, sharpeTitle, significanceCount } from '../format.js';
import {
  cell,
  columnById,
  columnsForWidth,
  type LeaderboardSort,
  RANK_WIDTH,
  sortLeaderboard,
} from './leaderboard-columns.js';
import { ColumnHeader, sortArrow, TableTitle } from './table-head.js';

export interface LeaderboardProps {
  rows: readonly LeaderboardRow[];
  sort: LeaderboardSort;
  width: number;
  /** Data rows that fit; the rest is counted in the title. */
  maxRows: number;
  /** The correction across rows (aggregated_results.json), counted in the title when known. */
  multipleTesting?: MultipleTesting;
}

/** The best variant per pair and each pair's ensemble, out-of-sample, sorted by the chosen column (title + header + rows). */
export function Leaderboard({ rows, sort, width, maxRows, multipleTesting }: LeaderboardProps) {
  const columns = columnsForWidth(width, sort.column);
  const sorted = sortLeaderboard(rows, sort);
  const shown = sorted.slice(0, Math.max(0, maxRows));
  const arrow = sortArrow(sort);
  const hidden = sorted.length - shown.length;
  const sharpe = sharpeTitle(rows);
  const scale =
    (sharpe === 'Sharpe' ? '' : ` · ${sharpe}`) +
    (multipleTesting ? ` · ${significanceCount(multipleTesting, true)}` : '');
  // Rows are pairs' best variants plus their ensembles (issue 9): count each kind.
  const pairs = new Set(rows.map((r) => r.pair)).size;
  const ensembles = rows.filter((r) => r.kind === 'ensemble').length;
  const counted = `${plural(pairs, 'pair')}${ensembles > 0 ? `, ${plural(ensembles, 'ensemble')}` : ''}`;
  const title = `Leaderboard · ${counted}${scale}${hidden > 0 ? ` (${hidden} more below)` : ''}`;
  const sortText = `sorted by ${columnById(sort.column).title} ${arrow}  s next · S reverse`;
  return (
    <Box flexDirection="column" width={width}>
      <TableTitle title={title} hint={sortText} width={width} />
      {rows.length === 0 ? (
        <Text dimColor>no finished jobs yet: the best variant per pair appears here as results arrive</Text>
      ) : (
        <>
          <ColumnHeader columns={columns} sort={sort} />
          {shown.map((row, i) => (
            <Text key={row.jobId} wrap="truncate-end">
              <Text dimColor>{fitWidth(String(i + 1), RANK_WIDTH, 'right')}</Text>
              {columns.map((column) => (
                <Text key={column.id} color={cellColor(column.id, row)} bold={column.id === 'pair'}>
                  {` ${cell(column, column.text(row))}`}
                </Text>
              ))}
            </Text>
          ))}
        </>
      )}
    </Box>
  );
}

/**
 * Losses are red; gains are green only on rows significant after the correction (or on older results
 * without significance), so a lucky row never reads as a win.
 */
export function cellColor(id: string, row: LeaderboardRow): string | undefined {
  const provenOrUnknown = row.evidence === undefined || row.evidence.significant;
  const signed = (v: number) => (v > 0 ? (provenOrUnknown ? 'green' : undefined) : v < 0 ? 'red' : undefined);
  if (id === 'pnl') return signed(row.metrics.pnlPct);
  if (id === 'vsBuyAndHold') return signed(row.metrics.pnlPct - row.buyAndHoldPnlPct);
  if (id === 'significant') return row.evidence?.significant ? 'green' : undefined;
  if (id === 'buyAndHold') return 'gray';
  return undefined;
}
