import {
  type AggregatedResults,
  type BestModel,
  compareForSelection,
  type JobResult,
  type RankedJob,
  SCHEMA_VERSION,
  type WorkerResults,
} from '../shared/index.js';

interface Located {
  workerId: number;
  job: JobResult;
}

const score = (sharpe: number | null | undefined) => sharpe ?? Number.NEGATIVE_INFINITY;

/** Done before failed; then better Sharpe (null below any number); then higher P/L; then job id. */
function compareJobs(a: Located, b: Located): number {
  const failedA = a.job.status !== 'done' || a.job.metrics === null ? 1 : 0;
  const failedB = b.job.status !== 'done' || b.job.metrics === null ? 1 : 0;
  if (failedA !== failedB) return failedA - failedB;
  const sa = score(a.job.metrics?.sharpe);
  const sb = score(b.job.metrics?.sharpe);
  if (sa !== sb) return sb > sa ? 1 : -1;
  const pa = a.job.metrics?.pnlPct ?? Number.NEGATIVE_INFINITY;
  const pb = b.job.metrics?.pnlPct ?? Number.NEGATIVE_INFINITY;
  if (pa !== pb) return pb > pa ? 1 : -1;
  return a.job.jobId < b.job.jobId ? -1 : a.job.jobId > b.job.jobId ? 1 : 0;
}

/** When one job id appears twice (a failed attempt, then a rerun), keep the finished, later one. */
function preferred(a: Located, b: Located): Located {
  if (a.job.status !== b.job.status) return a.job.status === 'done' ? a : b;
  return b.job.finishedAt >= a.job.finishedAt ? b : a;
}

function toRanked({ workerId, job }: Located): RankedJob {
  const { episodes: _episodes, equityCurve: _curve, ...rest } = job;
  return { ...rest, workerId };
}

/** Folds every worker's results into rankings (test Sharpe) and the best variant per pair (validation Sharpe). */
export function aggregateResults(
  runId: string,
  jobsTotal: number,
  results: WorkerResults[],
  now: Date,
): AggregatedResults {
  const byId = new Map<string, Located>();
  const sorted = [...results].sort((a, b) => a.workerId - b.workerId);
  for (const r of sorted) {
    for (const job of r.jobs) {
      const located = { workerId: r.workerId, job };
      const prev = byId.get(job.jobId);
      byId.set(job.jobId, prev ? preferred(prev, located) : located);
    }
  }
  const all = [...byId.values()];

  // Pairs in plan order: workers in id order, jobs in their config order.
  const bestByPairMap = new Map<string, Located>();
  for (const located of all) {
    const { job } = located;
    if (job.status !== 'done' || !job.metrics || !job.baselines) continue;
    const prev = bestByPairMap.get(job.pair);
    // Chosen on the validation slice, never on the test slice the leaderboard reports.
    if (!prev || compareForSelection(located.job, prev.job) < 0) bestByPairMap.set(job.pair, located);
  }
  const bestByPair: BestModel[] = [...bestByPairMap.values()].map(({ workerId, job }) => {
    const worker = sorted.find((r) => r.workerId === workerId);
    const saved = worker?.bestModels.find((b) => b.pair === job.pair);
    // The worker's best-model folder holds what *it* judged best; point there only when it is this job.
    const modelPath = saved && saved.jobId === job.jobId ? saved.modelPath : job.modelPath;
    return {
      pair: job.pair,
      workerId,
      jobId: job.jobId,
      variant: job.variant,
      metrics: job.metrics!,
      buyAndHold: job.baselines!.buyAndHold,
      random: job.baselines!.random,
      modelPath,
      equityCurve: job.equityCurve,
    };
  });

  return {
    schema: SCHEMA_VERSION,
    runId,
    updatedAt: now.toISOString(),
    jobsTotal,
    jobsDone: all.filter((l) => l.job.status === 'done').length,
    jobsFailed: all.filter((l) => l.job.status === 'failed').length,
    rankings: [...all].sort(compareJobs).map(toRanked),
    bestByPair,
  };
}
