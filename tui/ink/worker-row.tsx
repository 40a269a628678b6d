import { Box, Text } from 'ink';
import { memo } from 'react';
import { fitWidth, jobFraction, jobLabel, progressBar, sparkline, truncate, workerBadge } from '../format.js';
import {
  BadgeText,
  episodeText,
  errorLine,
  LivenessText,
  PnlText,
  resourceText,
  stepsPerSecondText,
  type WorkerLineProps,
} from './worker-line-parts.js';

export interface WorkerRowProps extends WorkerLineProps {
  /** Two lines (details under the row) or one. */
  lines: 1 | 2;
}

// Fixed columns of the first line: selector+id (5), badge (12), " ep " (4), episode (5), spaces (3),
// steps/s (7), P/L (7); the job name gets whatever the bar and sparkline leave.
const FIXED = 5 + 12 + 4 + 5 + 3 + 7 + 7;

/** One worker as a compact row (narrow terminals), with an optional second line of details. */
export const WorkerRow = memo(function WorkerRow({
  worker,
  selected,
  width,
  sparkWidth,
  barWidth,
  now,
  lines,
}: WorkerRowProps) {
  const badge = workerBadge(worker);
  const showSpark = lines === 2;
  // One-line rows end with the restarts and liveness (`↻2 restart in 12s`).
  const tail = lines === 1 ? 18 : 0;
  const jobWidth = Math.max(8, width - FIXED - barWidth - (showSpark ? sparkWidth + 1 : 0) - tail);
  const fullJob = jobLabel(worker, '/');
  // Where pair/variant does not fit, the pair alone reads better than a cut variant.
  const job = fullJob.length <= jobWidth || !worker.pair || worker.state === 'done' ? fullJob : worker.pair;
  const error = errorLine(worker);
  const resources = resourceText(worker);
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        <Text color={selected ? 'cyan' : undefined} bold={selected}>
          {selected ? '▸' : ' '}
        </Text>
        <Text inverse={selected} bold>{`${String(worker.workerId).padStart(2)} `}</Text>{' '}
        <BadgeText badge={badge} />
        {fitWidth(job, jobWidth)}
        <Text dimColor> ep </Text>
        {episodeText(worker)} <Text color={badge.color}>{progressBar(jobFraction(worker), barWidth)}</Text>{' '}
        {`${stepsPerSecondText(worker)}/s`.padStart(7)}{' '}
        {showSpark ? (
          <Text color="cyan">{fitWidth(sparkline(worker.recentRewards, sparkWidth), sparkWidth)} </Text>
        ) : null}
        <PnlText value={worker.lastJobPnlPct} />
        {lines === 1 ? (
          <Text>
            {worker.restarts > 0 ? <Text color="yellow">{` ↻${worker.restarts}`.padEnd(4)}</Text> : '    '}
            <LivenessText worker={worker} kind={badge.kind} now={now} compact />
          </Text>
        ) : null}
      </Text>
      {lines === 2 ? (
        <Text wrap="truncate-end">
          {'      '}
          <Text dimColor>{`jobs ${worker.jobsDone}/${worker.jobsTotal}`}</Text>
          {worker.jobsFailed > 0 ? <Text color="red">{` (${worker.jobsFailed} failed)`}</Text> : null}
          <Text dimColor> · </Text>
          <Text color={worker.restarts > 0 ? 'yellow' : undefined} dimColor={worker.restarts === 0}>
            {`restarts ${worker.restarts}`}
          </Text>
          <Text dimColor> · </Text>
          <LivenessText worker={worker} kind={badge.kind} now={now} compact />
          {resources && width >= 70 ? <Text dimColor>{` · ${resources}`}</Text> : null}
          {error ? <Text color="red">{` · ${truncate(error, Math.max(10, width - 70))}`}</Text> : null}
        </Text>
      ) : null}
    </Box>
  );
});
