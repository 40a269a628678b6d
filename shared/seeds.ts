/** FNV-1a over `text`, mixed with a seed: 31 bits, so it stays a non-negative int in JSON and zod. */
function mix(seed: number, text: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h & 0x7fffffff;
}

/**
 * The seed of agent `seedIndex` (1-based) of a job, from the run's seed and the job id only: the
 * same job gets the same agents whichever worker runs it, on every start. Seed 1 keeps the formula
 * a job's single seed always had.
 */
export function jobSeed(runSeed: number, jobId: string, seedIndex = 1): number {
  if (!Number.isInteger(seedIndex) || seedIndex < 1) {
    throw new Error(`jobSeed: seedIndex must be a positive integer, got ${seedIndex}`);
  }
  return mix(runSeed, seedIndex === 1 ? jobId : `${jobId}/seed-${seedIndex}`);
}

/** The seeds of a job's `count` agents (see jobSeed). */
export function jobSeeds(runSeed: number, jobId: string, count: number): number[] {
  return Array.from({ length: count }, (_, i) => jobSeed(runSeed, jobId, i + 1));
}

/**
 * The seed of a pair's evaluation streams (matched random policies, bootstrap resamples): one per
 * pair, so every variant of the pair faces the same random policies and the same resampled blocks.
 */
export function evaluationSeed(runSeed: number, pair: string): number {
  return mix(runSeed, `evaluation:${pair}`);
}
