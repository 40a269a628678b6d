import { Box, Text } from 'ink';
import type { DashboardState } from '../../shared/index.js';
import { fitWidth } from '../format.js';
import { PAPER_COLUMNS, type PaperRow, paperRows } from '../paper-view.js';

export interface PaperTradersProps {
  state: Pick<DashboardState, 'workers'>;
  width: number;
  /** Data rows that fit; the rest is counted in the title. */
  maxRows: number;
}

// Columns dropped first when the terminal is narrow (the pair, position and P/L always stay).
const DROP_ORDER = ['last decision', 'state', 'equity', 'candles', 'trades', 'B&H %'];

function widths(rows: readonly PaperRow[]): number[] {
  return PAPER_COLUMNS.map((c) => Math.max(c.title.length, ...rows.map((r) => Array.from(c.text(r)).length)));
}

function signedColor(value: number): string | undefined {
  return value > 0 ? 'green' : value < 0 ? 'red' : undefined;
}

/** The paper run's traders: position, equity against buy-and-hold since start, last decision. */
export function PaperTraders({ state, width, maxRows }: PaperTradersProps) {
  const rows = paperRows(state);
  const all = widths(rows);
  const shown = PAPER_COLUMNS.map((c, i) => ({ column: c, width: all[i]! }));
  const total = () => shown.reduce((sum, c) => sum + c.width + 1, 0);
  for (const title of DROP_ORDER) {
    if (total() <= width) break;
    const i = shown.findIndex((c) => c.column.title === title);
    if (i >= 0) shown.splice(i, 1);
  }
  const visible = rows.slice(0, Math.max(0, maxRows));
  const hidden = rows.length - visible.length;
  const mode = rows[0]?.mode;
  const title = `Paper traders · ${rows.length} pair${rows.length === 1 ? '' : 's'}${mode ? ` · ${mode}` : ''}${hidden > 0 ? ` (${hidden} more below)` : ''}`;
  const color = (title: string, row: PaperRow) => {
    if (title === 'P/L %') return signedColor(row.pnlPct);
    if (title === 'vs B&H') return signedColor(row.vsBuyAndHold);
    if (title === 'position') return row.position === 'long' ? 'cyan' : undefined;
    if (title === 'state') return row.state === 'failed' ? 'red' : undefined;
    if (title === 'B&H %') return 'gray';
    return undefined;
  };
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">
        {title}
      </Text>
      {rows.length === 0 ? (
        <Text dimColor>no trader has reported yet: each pair appears here after its first closed candle</Text>
      ) : (
        <>
          <Text dimColor wrap="truncate-end">
            {shown.map((c) => fitWidth(c.column.title, c.width, c.column.right ? 'right' : 'left')).join(' ')}
          </Text>
          {visible.map((row) => (
            <Text key={row.pair} wrap="truncate-end">
              {shown.map((c, i) => (
                <Text
                  key={c.column.title}
                  color={color(c.column.title, row)}
                  bold={c.column.title === 'pair'}
                >
                  {`${i > 0 ? ' ' : ''}${fitWidth(c.column.text(row), c.width, c.column.right ? 'right' : 'left')}`}
                </Text>
              ))}
            </Text>
          ))}
        </>
      )}
    </Box>
  );
}
