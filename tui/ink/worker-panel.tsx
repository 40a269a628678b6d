import { Box, Text } from 'ink';
import { memo } from 'react';
import {
  fitWidth,
  formatFixed,
  jobFraction,
  jobLabel,
  progressBar,
  sparkline,
  truncate,
  workerBadge,
} from '../format.js';
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

export type WorkerPanelProps = WorkerLineProps;

/** One worker in a bordered panel of five lines (wide terminals). */
export const WorkerPanel = memo(function WorkerPanel({
  worker,
  selected,
  width,
  sparkWidth,
  barWidth,
  now,
}: WorkerPanelProps) {
  const badge = workerBadge(worker);
  const inner = Math.max(20, width - 4);
  const job = jobLabel(worker, ' · ');
  const title = `${selected ? '▸' : ' '} Worker ${worker.workerId} `;
  const fraction = jobFraction(worker);
  const lastReward = worker.recentRewards[worker.recentRewards.length - 1];
  const error = errorLine(worker);
  const episode = episodeText(worker);
  return (
    <Box
      flexDirection="column"
      width={width}
      borderStyle={selected ? 'double' : 'round'}
      borderColor={selected ? 'cyan' : 'gray'}
      paddingX={1}
    >
      <Text wrap="truncate-end">
        <Text bold inverse={selected}>
          {title}
        </Text>{' '}
        <BadgeText badge={badge} />
        <Text bold>{fitWidth(job, Math.max(4, inner - title.length - 13), 'right')}</Text>
      </Text>
      <Text wrap="truncate-end">
        {`ep ${episode} `}
        <Text color={badge.color}>{progressBar(fraction, barWidth)}</Text>
        {` ${String(Math.floor(fraction * 100)).padStart(3)}%  `}
        <Text bold>{stepsPerSecondText(worker).padStart(5)}</Text>
        <Text dimColor> steps/s</Text>
        {inner >= 72 && worker.stepsPerEpisode > 0 ? (
          <Text dimColor>{`  step ${worker.step}/${worker.stepsPerEpisode}`}</Text>
        ) : null}
      </Text>
      <Text wrap="truncate-end">
        <Text dimColor>rewards </Text>
        <Text color="cyan">{fitWidth(sparkline(worker.recentRewards, sparkWidth) || '—', sparkWidth)}</Text>
        <Text dimColor>
          {` last ${lastReward === undefined ? '—' : formatFixed(lastReward, 1)}`.padEnd(12)}
        </Text>
        <Text dimColor>job P/L </Text>
        <PnlText value={worker.lastJobPnlPct} />
      </Text>
      <Text wrap="truncate-end">
        <Text dimColor>{`jobs ${worker.jobsDone}/${worker.jobsTotal}`}</Text>
        {worker.jobsFailed > 0 ? <Text color="red">{` (${worker.jobsFailed} failed)`}</Text> : null}
        <Text dimColor> · </Text>
        <Text color={worker.restarts > 0 ? 'yellow' : undefined} dimColor={worker.restarts === 0}>
          {`restarts ${worker.restarts}`}
        </Text>
        <Text dimColor> · </Text>
        <LivenessText worker={worker} kind={badge.kind} now={now} compact={false} />
      </Text>
      {error ? (
        <Text color="red" wrap="truncate-end">
          {truncate(`✖ ${error}`, inner)}
        </Text>
      ) : (
        <Text dimColor wrap="truncate-end">
          {truncate(
            [
              resourceText(worker),
              worker.container ? `container ${worker.container.state}` : null,
              worker.pairs.length > 0 ? `pairs ${worker.pairs.join(' ')}` : 'no pairs yet',
            ]
              .filter(Boolean)
              .join(' · '),
            inner,
          )}
        </Text>
      )}
    </Box>
  );
});
