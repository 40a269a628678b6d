import { Box, Text } from 'ink';
import type { WorkerView } from '../../shared/index.js';
import { compactLogLine, truncate } from '../format.js';
import type { LogView } from './log-view.js';

export interface LogPaneProps {
  worker: WorkerView | null;
  width: number;
  /** Log lines that fit. */
  lines: number;
  /** Scroll and search (PgUp/PgDn, g/G, /, n/N). */
  view: LogView;
  /** Drawn beside the leaderboard (no top margin, a gap on the left). */
  beside?: boolean;
}

/** The selected worker's log: compact times, newest at the bottom unless scrolled, matches highlighted. */
export function LogPane({ worker, width, lines, view, beside = false }: LogPaneProps) {
  const all = worker?.logTail ?? [];
  const end = Math.max(0, all.length - view.scroll);
  const start = Math.max(0, end - Math.max(0, lines));
  const tail = all.slice(start, end);
  const query = view.search?.query ?? '';
  const title = worker ? `Log · worker ${worker.workerId}` : 'Log';
  const where =
    view.scroll > 0 ? `  ↑ ${view.scroll} newer line${view.scroll === 1 ? '' : 's'} below (G follows)` : '';
  const search = view.search ? `  /${query}${view.search.editing ? '▏ (Enter search, Esc cancel)' : ''}` : '';
  return (
    <Box flexDirection="column" width={width} marginTop={beside ? 0 : 1} marginLeft={beside ? 2 : 0}>
      <Text wrap="truncate-end">
        <Text bold>{title}</Text>
        {search ? <Text color="cyan">{search}</Text> : null}
        <Text dimColor>{where || `  ${worker?.logFile ?? ''}  (l hides, / searches)`}</Text>
      </Text>
      {tail.length === 0 ? (
        <Text dimColor>no log lines yet</Text>
      ) : (
        tail.map((line, i) => {
          const distance = all.length - 1 - (start + i);
          // Log lines repeat; their distance from the newest line is unique in the pane.
          return (
            <LogLine
              key={distance}
              line={compactLogLine(line)}
              width={width}
              query={query}
              current={distance === view.match}
            />
          );
        })
      )}
    </Box>
  );
}

function LogLine({
  line,
  width,
  query,
  current,
}: {
  line: string;
  width: number;
  query: string;
  current: boolean;
}) {
  const text = truncate(line, width - 2);
  const marker = current ? '▶ ' : '  ';
  const color = /error|fail/i.test(line) ? 'red' : undefined;
  const at = query === '' ? -1 : text.toLowerCase().indexOf(query.toLowerCase());
  if (at < 0) {
    return (
      <Text wrap="truncate-end" color={color}>
        {marker}
        {text}
      </Text>
    );
  }
  return (
    <Text wrap="truncate-end" color={color}>
      <Text color="cyan">{marker}</Text>
      {text.slice(0, at)}
      <Text inverse color="yellow">
        {text.slice(at, at + query.length)}
      </Text>
      {text.slice(at + query.length)}
    </Text>
  );
}
