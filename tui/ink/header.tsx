import { Box, Text } from 'ink';
import type { DashboardState } from '../../shared/index.js';
import {
  badgeOf,
  dataSourceLabel,
  formatDuration,
  plural,
  progressBar,
  truncate,
  WORKER_DISPLAY_KINDS,
  workerBadge,
} from '../format.js';
import { fitHeaderFields, type HeaderField, mirrorLabel, shortBackend } from './header-fields.js';

export interface HeaderProps {
  state: DashboardState;
  mode: 'run' | 'attach';
  canControl: boolean;
  width: number;
  /** The view's clock (ms), for the elapsed time between store updates. */
  now: number;
}

const BADGE_COLOR = { run: 'green', attach: 'cyan', readOnly: 'yellow' } as const;

/**
 * Three lines: title, mode and where things run; fleet progress with elapsed and ETA; workers counted
 * per state. Each line drops its least important fields whole at narrow widths, never overlapping.
 */
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

  // Line 1: who and where.
  const badge = modeBadge(mode, canControl, state.finished, width >= 100);
  const line1 = fitHeaderFields(
    [
      { id: 'title', text: 'AI Trading Workers', priority: 6 },
      { id: 'run', text: state.runId ?? 'no run yet', priority: 3 },
      { id: 'badge', text: badge.text, priority: 0 },
    ],
    [
      { id: 'runtime', text: state.runtime ?? 'runtime —', priority: 4 },
      { id: 'backend', text: state.backend ? shortBackend(state.backend) : 'backend —', priority: 5 },
      ...(state.httpMirror ? [{ id: 'web', text: mirrorLabel(state.httpMirror), priority: 2 }] : []),
    ],
    width,
    { left: 1, right: 3, between: 2 },
  );

  // Line 2: how far. The bar takes what the kept numbers leave.
  const percent = `${String(Math.floor(fraction * 100)).padStart(3)}%`;
  const failedText = progress.jobsFailed > 0 ? `✖ ${progress.jobsFailed} failed` : '0 failed';
  const eta = state.finished ? 'done' : formatDuration(progress.etaSeconds);
  const numbers = fitHeaderFields(
    [
      { id: 'percent', text: percent, priority: 0 },
      { id: 'jobs', text: `jobs ${progress.jobsDone}/${progress.jobsTotal} done`, priority: 1 },
      { id: 'failed', text: failedText, priority: progress.jobsFailed > 0 ? 1 : 4 },
      { id: 'elapsed', text: `elapsed ${formatDuration(elapsed)}`, priority: 3 },
      { id: 'eta', text: `ETA ${eta}`, priority: 2 },
    ],
    [],
    width - 9,
    { left: 3, right: 0, between: 0 },
  ).left;
  const numbersWidth = numbers.reduce((n, f) => n + Array.from(f.text).length + 3, 0);
  const barWidth = Math.max(8, Math.min(50, width - numbersWidth - 1));

  // Line 3: the fleet, the data source, the latest problem (cut to what is left).
  const counts = new Map<string, number>();
  for (const worker of state.workers) {
    const kind = workerBadge(worker).kind;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  const kinds = WORKER_DISPLAY_KINDS.filter((kind) => counts.has(kind));
  const fleet: HeaderField[] = [
    { id: 'workers', text: plural(state.workers.length, 'worker'), priority: 1 },
    ...kinds.map((kind) => {
      const b = badgeOf(kind);
      return { id: kind, text: `${b.symbol} ${counts.get(kind)} ${b.label}`, priority: 0 };
    }),
    ...(state.dataSource
      ? [
          {
            id: 'data',
            text: dataSourceLabel(state.dataSource),
            priority: state.dataSource === 'synthetic' ? 0 : 2,
          },
        ]
      : []),
  ];
  const line3 = fitHeaderFields(fleet, [], width, { left: 2, right: 0, between: 0 }).left;
  const used = line3.reduce((n, f) => n + Array.from(f.text).length + 2, 0);
  const problem = state.problems[state.problems.length - 1];
  const problemRoom = width - used - 4;

  return (
    <Box flexDirection="column" width={width}>
      <Box justifyContent="space-between" width={width}>
        <Text wrap="truncate-end">
          {line1.left.map((f, i) => (
            <Text key={f.id}>
              {i > 0 ? ' ' : ''}
              {f.id === 'badge' ? (
                <Text inverse bold color={badge.color}>
                  {f.text}
                </Text>
              ) : (
                <Text bold color="cyan">
                  {f.text}
                </Text>
              )}
            </Text>
          ))}
        </Text>
        <Text wrap="truncate-end">
          {line1.right.map((f, i) => (
            <Text key={f.id} dimColor={f.id !== 'web'} color={f.id === 'web' ? webColor(state) : undefined}>
              {i > 0 ? ' · ' : ''}
              {f.text}
            </Text>
          ))}
        </Text>
      </Box>
      <Text wrap="truncate-end">
        <Text color={progress.jobsFailed > 0 ? 'yellow' : 'green'}>{progressBar(fraction, barWidth)}</Text>
        {numbers.map((f) => (
          <Text
            key={f.id}
            bold={f.id === 'percent' || f.id === 'eta'}
            color={f.id === 'failed' && progress.jobsFailed > 0 ? 'red' : undefined}
            dimColor={f.id === 'failed' && progress.jobsFailed === 0}
          >
            {f.id === 'percent' ? ' ' : '   '}
            {f.text}
          </Text>
        ))}
      </Text>
      <Text wrap="truncate-end">
        {line3.map((f, i) => (
          <Text
            key={f.id}
            dimColor={f.id === 'workers' || (f.id === 'data' && state.dataSource !== 'synthetic')}
            color={
              f.id === 'data' ? (state.dataSource === 'synthetic' ? 'yellow' : undefined) : workerColor(f.id)
            }
          >
            {i > 0 ? '  ' : ''}
            {f.text}
          </Text>
        ))}
        {problem !== undefined && problemRoom >= 12 ? (
          <Text color="yellow">{`  ⚠ ${truncate(problem, problemRoom)}`}</Text>
        ) : null}
      </Text>
    </Box>
  );
}

function workerColor(id: string): string | undefined {
  return (WORKER_DISPLAY_KINDS as readonly string[]).includes(id)
    ? badgeOf(id as (typeof WORKER_DISPLAY_KINDS)[number]).color
    : undefined;
}

function webColor(state: DashboardState): string {
  return state.httpMirror?.url ? 'cyan' : 'yellow';
}

function modeBadge(
  mode: 'run' | 'attach',
  canControl: boolean,
  finished: boolean,
  wide: boolean,
): { text: string; color: string } {
  const suffix = finished ? ' · FINISHED' : '';
  if (!canControl) {
    const text = wide ? 'ATTACHED · READ-ONLY (no supervisor running)' : 'READ-ONLY';
    return { text: ` ${text}${suffix} `, color: BADGE_COLOR.readOnly };
  }
  if (mode === 'attach') return { text: ` ATTACHED${suffix} `, color: BADGE_COLOR.attach };
  return { text: ` RUN${suffix} `, color: BADGE_COLOR.run };
}
