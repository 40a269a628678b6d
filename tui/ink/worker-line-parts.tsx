import { Text } from 'ink';
import type { WorkerView } from '../../shared/index.js';
import {
  errorHeadline,
  formatAge,
  formatCompact,
  formatPct,
  heartbeatAgeMs,
  restartCountdownSeconds,
  type WorkerBadge,
} from '../format.js';

// Small pieces both worker layouts (panel and compact row) draw, so they say the same thing.

/** `● training` in the badge's colour, padded to a fixed width. */
/** What both worker layouts (bordered panel, compact row) are given. */
export interface WorkerLineProps {
  worker: WorkerView;
  selected: boolean;
  /** Columns the worker takes (a panel's border included). */
  width: number;
  sparkWidth: number;
  barWidth: number;
  now: number;
}

/** `i/N` of the current job's episodes, `N/N` once the worker has finished. */
export function episodeText(worker: WorkerView): string {
  const episode = worker.state === 'done' ? worker.episodes : worker.episode;
  return `${episode}/${worker.episodes}`.padStart(5);
}

export function BadgeText({ badge, width = 12 }: { badge: WorkerBadge; width?: number }) {
  return <Text color={badge.color}>{`${badge.symbol} ${badge.label}`.padEnd(width)}</Text>;
}

/** A P/L percentage, green when positive and red when negative. */
export function PnlText({ value, digits = 2 }: { value: number | null; digits?: number }) {
  const color = value === null || value === 0 ? undefined : value > 0 ? 'green' : 'red';
  return <Text color={color}>{formatPct(value, digits)}</Text>;
}

/** Steps per second, or `—` when the worker is not stepping. */
export function stepsPerSecondText(worker: WorkerView): string {
  return worker.stepsPerSecond > 0 ? formatCompact(worker.stepsPerSecond) : '—';
}

/** The liveness fact that matters most right now: a backoff countdown, a stall, or the heartbeat age. */
export function LivenessText({
  worker,
  kind,
  now,
  compact,
}: {
  worker: WorkerView;
  kind: WorkerBadge['kind'];
  now: number;
  compact: boolean;
}) {
  const countdown = restartCountdownSeconds(worker, now);
  const age = formatAge(heartbeatAgeMs(worker, now));
  if (kind === 'backoff') {
    const text = `restart in ${countdown === null ? '—' : `${countdown}s`}`;
    return <Text color="magenta">{compact ? text : `↻ ${text}`}</Text>;
  }
  if (kind === 'stalled') {
    return <Text color="yellow">{compact ? `⚠ no hb ${age}` : `⚠ no heartbeat for ${age}`}</Text>;
  }
  if (kind === 'done' || kind === 'failed' || kind === 'stopped') {
    return <Text dimColor>{compact ? `last hb ${age}` : `last heartbeat ${age} ago`}</Text>;
  }
  return <Text dimColor>{compact ? `hb ${age}` : `heartbeat ${age} ago`}</Text>;
}

/** `CPU 98% · 312 MB` of the worker's process (as it measures itself, local or in a container); null before its first status. */
export function resourceText(worker: Pick<WorkerView, 'cpuPct' | 'memoryMb'>): string | null {
  const cpu =
    worker.cpuPct === null || worker.cpuPct === undefined ? null : `CPU ${Math.round(worker.cpuPct)}%`;
  const memory = worker.memoryMb === null ? null : `${Math.round(worker.memoryMb)} MB`;
  return cpu || memory ? [cpu, memory].filter(Boolean).join(' · ') : null;
}

/** The last error's first line, in red; nothing when there is none. */
export function errorLine(worker: WorkerView): string | null {
  return errorHeadline(worker.lastError);
}
