import leven from 'leven';

/**
 * The candidate closest to `input` by edit distance (case-insensitive), when it is close enough to be
 * what the user meant: at most a quarter of the input's length, and at most 3 edits (`BTC-USDD` → `BTC-USD`,
 * but not `MATIC-USD` → `BTC-USD`, three edits away).
 */
export function didYouMean(input: string, candidates: Iterable<string>): string | null {
  const wanted = input.toUpperCase();
  let best: { name: string; distance: number } | null = null;
  for (const name of new Set(candidates)) {
    const distance = leven(wanted, name.toUpperCase());
    if (distance === 0) continue;
    if (best === null || distance < best.distance) best = { name, distance };
  }
  if (best === null) return null;
  const limit = Math.min(3, Math.max(1, Math.floor(wanted.length / 4)));
  return best.distance <= limit ? best.name : null;
}
