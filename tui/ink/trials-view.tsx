import { Box, Text } from 'ink';
import type { TrialRow } from '../../shared/index.js';
import { fitWidth, plural } from '../format.js';
import { cell, RANK_WIDTH } from '../table-columns.js';
import { sortTrials, type TrialSort, trialColumn, trialColumnsForWidth } from '../trial-columns.js';
import { ColumnHeader, sortArrow, TableTitle } from './table-head.js';

export interface TrialsViewProps {
  trials: readonly TrialRow[];
  sort: TrialSort;
  /** Only this pair's trials, or all with null. */
  pair: string | null;
  /** Rows skipped from the top (PgUp/PgDn, g/G). */
  scroll: number;
  width: number;
  /** Data rows that fit. */
  rows: number;
}

/** Every job of the plan with its variant's hyperparameters and its figures, sortable, filterable by pair. */
export function TrialsView({ trials, sort, pair, scroll, width, rows }: TrialsViewProps) {
  const columns = trialColumnsForWidth(width, sort.column);
  const sorted = sortTrials(trials, sort, pair);
  const shown = sorted.slice(scroll, scroll + Math.max(0, rows));
  const arrow = sortArrow(sort);
  const done = trials.filter((t) => t.status === 'done').length;
  const range =
    sorted.length > shown.length ? ` · ${scroll + 1}–${scroll + shown.length} of ${sorted.length}` : '';
  const title = `Trials · ${pair ?? 'all pairs'} · ${plural(sorted.length, 'job')}${pair ? '' : `, ${done} done`}${range}`;
  const hint = `by ${trialColumn(sort.column).title} ${arrow} · s/S sort · f/F pair · t close`;
  return (
    <Box flexDirection="column" width={width}>
      <TableTitle title={title} hint={hint} width={width} />
      {sorted.length === 0 ? (
        <Text dimColor>no jobs yet: they appear with the workers' configs</Text>
      ) : (
        <>
          <ColumnHeader columns={columns} sort={sort} />
          {shown.map((row, i) => (
            <Text key={row.jobId} wrap="truncate-end" dimColor={row.status === 'pending'}>
              <Text dimColor>{fitWidth(String(scroll + i + 1), RANK_WIDTH, 'right')}</Text>
              {columns.map((column) => (
                <Text
                  key={column.id}
                  color={trialColor(column.id, row)}
                  bold={column.id === 'variant' && row.best}
                >
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

function trialColor(id: string, row: TrialRow): string | undefined {
  const signed = (v: number | null | undefined) =>
    v === null || v === undefined || v === 0 ? undefined : v > 0 ? 'green' : 'red';
  if (id === 'pnl') return signed(row.metrics?.pnlPct);
  if (id === 'valPnl') return signed(row.validation?.pnlPct);
  if (id === 'status')
    return { pending: 'gray', running: 'green', done: 'greenBright', failed: 'red' }[row.status];
  if (id === 'buyAndHold') return 'gray';
  return undefined;
}
