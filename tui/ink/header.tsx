import { Box, Text } from 'ink';
import type { DashboardState } from '../../shared/dashboard-state.js';
import {
  badgeOf,
  dataSourceLabel,
  formatDuration,
  progressBar,
  truncate,
  WORKER_DISPLAY_KINDS,
  workerBadge,
} from '../format.js';

export interface HeaderProps {
  state: DashboardState;
  mode: 'run' | 'attach';
  canControl: boolean;
  width: number;
  /** The view's clock (ms), for the elapsed time between store updates. */
  now: number;
}

/** Three lines: title and mode, fleet progress with elapsed and ETA, workers counted per state. */
export function Header({ state, mode, canControl, width, now }: HeaderProps) {
  const { progress } = state;
  const fraction =
    progress.episodesTotal > 0
      ? progress.episodesDone / progress.episodesTotal
      : progress.jobsTotal > 0
        ? (progress.jobsDone + progress.jobsFailed) / progress.jobsTotal
        : 0;
  const elapsed =
    state.startedAt === null
      ? progress.elapsedSeconds
      : ((state.finishedAt ?? Math.max(now, state.now)) - state.startedAt) / 1000;
  const eta = state.finished ? 'done' : formatDuration(progress.etaSeconds);
  const right = [state.runtime ?? 'runtime —', state.backend ? `backend ${state.backend}` : 'backend —'].join(
    ' · ',
  );
  const wide = width >= 100;
  const title = wide
    ? `AI Trading Workers${state.runId ? ` · ${state.runId}` : ''}`
    : (state.runId ?? 'AI Trading Workers');
  const badge = modeBadgeText(mode, canControl, state.finished, wide);
  const percent = ` ${String(Math.floor(fraction * 100)).padStart(3)}%`;
  const jobs = `  jobs ${progress.jobsDone}/${progress.jobsTotal} done · `;
  const failedText = progress.jobsFailed > 0 ? `✖ ${progress.jobsFailed} failed` : '0 failed';
  const times = `   elapsed ${formatDuration(elapsed)}   ETA `;
  // The bar takes what the numbers leave, so the ETA is never the part that gets cut.
  const barWidth = Math.max(
    8,
    Math.min(50, width - percent.length - jobs.length - failedText.length - times.length - eta.length),
  );
  const counts = new Map<string, number>();
  for (const worker of state.workers) {
    const kind = workerBadge(worker).kind;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return (
    <Box flexDirection="column" width={width}>
      <Box justifyContent="space-between" width={width}>
        <Text wrap="truncate-end">
          <Text bold color="cyan">
            {truncate(title, Math.max(10, width - right.length - badge.text.length - 3))}
          </Text>{' '}
          <Text inverse bold color={badge.color}>
            {badge.text}
          </Text>
        </Text>
        <Text dimColor wrap="truncate-end">
          {right}
        </Text>
      </Box>
      <Text wrap="truncate-end">
        <Text color={progress.jobsFailed > 0 ? 'yellow' : 'green'}>{progressBar(fraction, barWidth)}</Text>
        <Text bold>{percent}</Text>
        {jobs}
        <Text color={progress.jobsFailed > 0 ? 'red' : undefined} dimColor={progress.jobsFailed === 0}>
          {failedText}
        </Text>
        {times}
        <Text bold>{eta}</Text>
      </Text>
      <Text wrap="truncate-end">
        <Text dimColor>{`${state.workers.length} workers `}</Text>
        {WORKER_DISPLAY_KINDS.filter((kind) => counts.has(kind)).map((kind) => {
          const badge = badgeOf(kind);
          return (
            <Text key={kind} color={badge.color}>
              {` ${badge.symbol} ${counts.get(kind)} ${badge.label} `}
            </Text>
          );
        })}
        {state.dataSource ? (
          <Text
            color={state.dataSource === 'synthetic' ? 'yellow' : undefined}
            dimColor={state.dataSource !== 'synthetic'}
          >
            {`  ${dataSourceLabel(state.dataSource)}`}
          </Text>
        ) : null}
        {state.problems.length > 0 ? (
          <Text color="yellow">{`  ⚠ ${truncate(state.problems[state.problems.length - 1] ?? '', Math.max(10, width - 60))}`}</Text>
        ) : null}
      </Text>
    </Box>
  );
}

function modeBadgeText(
  mode: 'run' | 'attach',
  canControl: boolean,
  finished: boolean,
  wide: boolean,
): { text: string; color: string } {
  const suffix = finished ? ' · FINISHED' : '';
  if (!canControl) {
    const text = wide ? 'ATTACHED · READ-ONLY (no supervisor running)' : 'READ-ONLY: no supervisor';
    return { text: ` ${text}${suffix} `, color: 'yellow' };
  }
  if (mode === 'attach') return { text: ` ATTACHED${suffix} `, color: 'cyan' };
  return { text: ` RUN${suffix} `, color: 'green' };
}
