import type { FinishedEpisode } from './contract.js';

/**
 * The most finished episodes a worker's status carries (`recentEpisodes`: a default run finishes one
 * or two between writes), and a worker's view keeps for the views that print each.
 */
export const MAX_RECENT_EPISODES = 8;

/**
 * What identifies a finished episode: its job and episode, and with folds or seeds its unit (episodes
 * count within a unit). The headless log prints it as the line's key.
 */
export function episodeKey(e: FinishedEpisode): string {
  return `${e.jobId}#${e.fold !== undefined ? `fold ${e.fold} seed ${e.seed} ` : ''}${e.episode}`;
}

/**
 * The episodes of a window newer than the one with `key` (the last already taken): those after it,
 * or all of them when it is not there (none taken yet, or the window has moved past it).
 */
export function episodesAfter<T extends FinishedEpisode>(
  recent: readonly T[],
  key: string | null,
): readonly T[] {
  if (key === null) return recent;
  for (let i = recent.length - 1; i >= 0; i--) {
    if (episodeKey(recent[i] as T) === key) return recent.slice(i + 1);
  }
  return recent;
}
