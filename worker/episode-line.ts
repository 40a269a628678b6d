import type { EpisodeStat } from '../shared/index.js';

/** `episode 3/10: …` for a one-unit job; `fold 2 seed 1 episode 3/10: …` with several units. */
export function episodeLine(stat: EpisodeStat, episodes: number): string {
  const unit = stat.fold !== undefined ? `fold ${stat.fold} seed ${stat.seed} ` : '';
  return (
    `${unit}episode ${stat.episode}/${episodes}: reward ${stat.reward.toFixed(4)}, ` +
    `in-sample P/L ${stat.pnlPct.toFixed(2)}%, epsilon ${stat.epsilon.toFixed(3)}, ${Math.round(stat.stepsPerSecond)} steps/s`
  );
}
