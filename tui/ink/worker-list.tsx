import { Box, Text } from 'ink';
import { useRef } from 'react';
import type { WorkerView } from '../../shared/index.js';
import { truncate } from '../format.js';
import type { DashboardLayout } from './layout.js';
import { WorkerPanel } from './worker-panel.js';
import { WorkerRow } from './worker-row.js';
import { workerWindowCaption, workerWindowStart } from './worker-window.js';

export interface WorkerListProps {
  workers: readonly WorkerView[];
  selectedId: number | null;
  layout: DashboardLayout;
  now: number;
}

/**
 * Every worker, as a grid of panels or as compact rows, as the layout says. A fleet too long for the
 * screen scrolls: only the rows in view are rendered (256 workers cost what 40 do), and the window
 * follows the selection.
 */
export function WorkerList({ workers, selectedId, layout, now }: WorkerListProps) {
  const windowStart = useRef(0);
  // Rows show ages to the second: a clock cut to the second lets unchanged rows skip their render.
  const second = Math.floor(now / 1000) * 1000;
  const lineProps = (worker: WorkerView) => ({
    worker,
    selected: worker.workerId === selectedId,
    sparkWidth: layout.sparkWidth,
    barWidth: layout.barWidth,
    now: second,
  });
  if (layout.workerStyle !== 'panel') {
    const scrolls = layout.workerRows < workers.length;
    const selectedIndex = workers.findIndex((w) => w.workerId === selectedId);
    const start = scrolls
      ? workerWindowStart(windowStart.current, Math.max(0, selectedIndex), layout.workerRows, workers.length)
      : 0;
    windowStart.current = start;
    const shown = scrolls ? workers.slice(start, start + layout.workerRows) : workers;
    return (
      <Box flexDirection="column" width={layout.width}>
        {shown.map((worker) => (
          <WorkerRow
            key={worker.workerId}
            {...lineProps(worker)}
            width={layout.width}
            lines={layout.workerStyle === 'row2' ? 2 : 1}
          />
        ))}
        {scrolls ? (
          <Text dimColor wrap="truncate-end">
            {truncate(`  ${workerWindowCaption(start, shown.length, workers.length)}`, layout.width)}
          </Text>
        ) : null}
      </Box>
    );
  }
  const rows: WorkerView[][] = [];
  for (let i = 0; i < workers.length; i += layout.panelColumns) {
    rows.push(workers.slice(i, i + layout.panelColumns));
  }
  return (
    <Box flexDirection="column" width={layout.width}>
      {rows.map((row) => (
        <Box key={row.map((w) => w.workerId).join('-')} flexDirection="row">
          {row.map((worker) => (
            <WorkerPanel key={worker.workerId} {...lineProps(worker)} width={layout.panelWidth} />
          ))}
        </Box>
      ))}
    </Box>
  );
}
