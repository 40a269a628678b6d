import { Box } from 'ink';
import type { WorkerView } from '../../shared/index.js';
import type { DashboardLayout } from './layout.js';
import { WorkerPanel } from './worker-panel.js';
import { WorkerRow } from './worker-row.js';

export interface WorkerListProps {
  workers: readonly WorkerView[];
  selectedId: number | null;
  layout: DashboardLayout;
  now: number;
}

/** Every worker, as a grid of panels or as compact rows, as the layout says. */
export function WorkerList({ workers, selectedId, layout, now }: WorkerListProps) {
  const lineProps = (worker: WorkerView) => ({
    worker,
    selected: worker.workerId === selectedId,
    sparkWidth: layout.sparkWidth,
    barWidth: layout.barWidth,
    now,
  });
  if (layout.workerStyle !== 'panel') {
    return (
      <Box flexDirection="column" width={layout.width}>
        {workers.map((worker) => (
          <WorkerRow
            key={worker.workerId}
            {...lineProps(worker)}
            width={layout.width}
            lines={layout.workerStyle === 'row2' ? 2 : 1}
          />
        ))}
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
