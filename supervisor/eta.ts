import type { WorkerView } from '../shared/index.js';

/** Episodes of a worker's plan that are finished (jobs done or failed count whole), and what is left. */
export function workerEpisodeProgress(w: WorkerView): { done: number; remaining: number } {
  const perJob = Math.max(0, w.episodes);
  const total = Math.max(0, w.jobsTotal) * perJob;
  const closedJobs = Math.min(w.jobsTotal, w.jobsDone + w.jobsFailed);
  let inJob = 0;
  if (w.jobId && closedJobs < w.jobsTotal) {
    if (w.state === 'evaluating' || w.state === 'saving') inJob = Math.min(perJob, w.episode);
    else if (w.state === 'training') {
      const within = w.stepsPerEpisode > 0 ? Math.min(1, w.step / w.stepsPerEpisode) : 0;
      inJob = Math.min(perJob, Math.max(0, w.episode - 1) + within);
    }
  }
  const done = Math.min(total, closedJobs * perJob + inJob);
  return { done, remaining: Math.max(0, total - done) };
}

/**
 * Seconds until the fleet is done: workers run in parallel, so the slowest worker's remaining
 * episodes × its own measured seconds per episode. A worker without a measurement yet borrows the
 * mean of those measured (same machine, same episode length); null until any episode was measured.
 */
export function estimateEtaSeconds(
  workers: readonly { remainingEpisodes: number; secondsPerEpisode: number | null; active: boolean }[],
): number | null {
  const busy = workers.filter((w) => w.active && w.remainingEpisodes > 0);
  if (busy.length === 0) return 0;
  const measured = workers
    .map((w) => w.secondsPerEpisode)
    .filter((s): s is number => s !== null && Number.isFinite(s) && s > 0);
  if (measured.length === 0) return null;
  const fallback = measured.reduce((a, b) => a + b, 0) / measured.length;
  let eta = 0;
  for (const w of busy) {
    const rate = w.secondsPerEpisode !== null && w.secondsPerEpisode > 0 ? w.secondsPerEpisode : fallback;
    eta = Math.max(eta, w.remainingEpisodes * rate);
  }
  return Math.round(eta);
}
