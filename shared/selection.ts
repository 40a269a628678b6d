import type { JobResult } from './contract.js';

type Selectable = Pick<JobResult, 'jobId' | 'status' | 'metrics' | 'validation'>;

/**
 * A finished job's selection score: the greedy policy's Sharpe on the validation slice, where a
 * policy that never trades scores 0 (holding cash). The held-out test slice never enters a choice,
 * so the best model's test figures stay honest. Results written before validation existed fall
 * back to their test Sharpe.
 */
export function selectionScore(job: Selectable): number {
  if (job.status !== 'done' || !job.metrics) return Number.NEGATIVE_INFINITY;
  if (job.validation) return job.validation.sharpe ?? 0;
  return job.metrics.sharpe ?? Number.NEGATIVE_INFINITY;
}

/** Orders jobs of one pair best first: selection score, then validation P/L, then job id. */
export function compareForSelection(a: Selectable, b: Selectable): number {
  const sa = selectionScore(a);
  const sb = selectionScore(b);
  if (sa !== sb) return sb > sa ? 1 : -1;
  const pa = a.validation?.pnlPct ?? a.metrics?.pnlPct ?? Number.NEGATIVE_INFINITY;
  const pb = b.validation?.pnlPct ?? b.metrics?.pnlPct ?? Number.NEGATIVE_INFINITY;
  if (pa !== pb) return pb > pa ? 1 : -1;
  return a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0;
}
