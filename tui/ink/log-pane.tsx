import { Box, Text } from 'ink';
import type { WorkerView } from '../../shared/dashboard-state.js';
import { truncate } from '../format.js';

export interface LogPaneProps {
  worker: WorkerView | null;
  width: number;
  /** Log lines that fit. */
  lines: number;
  /** Drawn beside the leaderboard (no top margin, a gap on the left). */
  beside?: boolean;
}

/** The selected worker's last log lines (as many as fitWidth, newest at the bottom). */
export function LogPane({ worker, width, lines, beside = false }: LogPaneProps) {
  const tail = worker ? worker.logTail.slice(-Math.max(0, lines)) : [];
  const title = worker ? `Log · worker ${worker.workerId}` : 'Log';
  return (
    <Box flexDirection="column" width={width} marginTop={beside ? 0 : 1} marginLeft={beside ? 2 : 0}>
      <Text wrap="truncate-end">
        <Text bold>{title}</Text>
        <Text dimColor>{`  ${worker?.logFile ?? ''}  (l hides)`}</Text>
      </Text>
      {tail.length === 0 ? (
        <Text dimColor>no log lines yet</Text>
      ) : (
        tail.map((line, i) => (
          // Log lines repeat, so the position is the only stable key.
          // biome-ignore lint/suspicious/noArrayIndexKey: lines are not unique
          <Text key={i} wrap="truncate-end" color={/error|fail/i.test(line) ? 'red' : undefined}>
            {truncate(line, width)}
          </Text>
        ))
      )}
    </Box>
  );
}
