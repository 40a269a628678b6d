import {
  type AggregatedResults,
  type BestModel,
  benjaminiHochberg,
  compareForSelection,
  decodeReturns,
  deflatedSharpeOfTrials,
  HOURS_PER_YEAR,
  type JobResult,
  type MultipleTesting,
  type RankedJob,
  SCHEMA_VERSION,
  type Trials,
  type WorkerResults,
} from '../shared/index.js';

/** False discovery rate of the correction across the leaderboard's rows. */
export const SIGNIFICANCE_ALPHA = 0.05;

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
  const { episodes: _episodes, equityCurve: _curve, pooledReturns: _returns, ...rest } = job;
  return { ...rest, workerId };
}

/**
 * Folds every worker's results into rankings (test Sharpe) and the best variant per pair
 * (validation Sharpe), each row with its evidence, corrected for testing every row at once.
 */
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
  const rows = [...bestByPairMap.values()].map(({ workerId, job }): BestModel => {
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
      ...(job.baselines!.random ? { random: job.baselines!.random } : {}),
      modelPath,
      equityCurve: job.equityCurve,
      ...evidenceOf(job, all),
    };
  });
  const { bestByPair, multipleTesting } = correctAcrossRows(rows);

  return {
    schema: SCHEMA_VERSION,
    runId,
    updatedAt: now.toISOString(),
    jobsTotal,
    jobsDone: all.filter((l) => l.job.status === 'done').length,
    jobsFailed: all.filter((l) => l.job.status === 'failed').length,
    rankings: [...all].sort(compareJobs).map(toRanked),
    bestByPair,
    ...(multipleTesting ? { multipleTesting } : {}),
    annualization: all.find((l) => l.job.annualization)?.job.annualization ?? HOURS_PER_YEAR,
  };
}

/**
 * The evidence a leaderboard row carries beside its metrics: the job's significance and random
 * baseline, and the deflated Sharpe recomputed with the pair's trials — the variant was picked
 * among every variant's seeds × episodes, so all of them count (absent in older files).
 */
function evidenceOf(job: JobResult, all: readonly Located[]): Partial<BestModel> {
  if (!job.significance) return {};
  const trials = all
    .map((l) => l.job)
    .filter((j) => j.pair === job.pair && j.status === 'done' && j.trials)
    .map((j) => j.trials!);
  const deflatedSharpe = pairDeflatedSharpe(job, trials);
  return {
    ...(job.baselines?.matchedRandom ? { matchedRandom: job.baselines.matchedRandom } : {}),
    significance: job.significance,
    deflatedSharpe,
    ...(job.costSensitivity ? { costSensitivity: job.costSensitivity } : {}),
    ...(job.seedSpread ? { seedSpread: job.seedSpread } : {}),
    ...(job.folds ? { folds: job.folds.length } : {}),
    ...(job.seeds ? { seeds: job.seeds.length } : {}),
    ...(job.annualization ? { annualization: job.annualization } : {}),
  };
}

/**
 * A running supervisor aggregates after every few finished jobs, and each time every pair's best
 * row would decode its pooled returns and deflate their Sharpe again, though a row's figure only
 * changes with its job or its pair's trials: so it is kept per job object (the results reader keeps
 * known jobs' objects across reads and never changes one in place) until the trials it was computed
 * with change (issue 12).
 */
const pairDeflatedMemo = new WeakMap<
  JobResult,
  { trials: readonly Trials[]; figure: BestModel['deflatedSharpe'] }
>();

function pairDeflatedSharpe(job: JobResult, trials: readonly Trials[]): BestModel['deflatedSharpe'] {
  const memo = pairDeflatedMemo.get(job);
  if (memo && memo.trials.length === trials.length && memo.trials.every((t, k) => t === trials[k])) {
    return memo.figure;
  }
  let figure: BestModel['deflatedSharpe'] = job.significance?.deflatedSharpe;
  if (job.pooledReturns && trials.length > 0) {
    try {
      const returns = decodeReturns(job.pooledReturns, job.jobId);
      figure = deflatedSharpeOfTrials(returns, trials, job.annualization ?? HOURS_PER_YEAR, 'pair');
    } catch {
      // An unreadable series keeps the job's own figure: a reader never fails on one bad row.
    }
  }
  pairDeflatedMemo.set(job, { trials, figure });
  return figure;
}

/**
 * Benjamini–Hochberg at 5 % over the rows' one-sided p-values against buy-and-hold. That is the
 * p-value a row's claim rests on (the agent is worth running instead of holding the pair on the
 * same hours); the p-value against matched random policies is a diagnostic of timing skill beyond
 * exposure, shown beside it. Rows without a p-value (older files) are left out of the family.
 */
function correctAcrossRows(rows: BestModel[]): {
  bestByPair: BestModel[];
  multipleTesting: MultipleTesting | null;
} {
  const tested = rows.filter((r) => typeof r.significance?.pVsBuyAndHold === 'number');
  if (tested.length === 0) return { bestByPair: rows, multipleTesting: null };
  const correction = benjaminiHochberg(
    tested.map((r) => r.significance!.pVsBuyAndHold!),
    SIGNIFICANCE_ALPHA,
  );
  const byJob = new Map(tested.map((r, i) => [r.jobId, i]));
  const bestByPair = rows.map((r) => {
    const i = byJob.get(r.jobId);
    if (i === undefined) return r;
    return { ...r, adjustedPValue: correction.adjusted[i]!, significant: correction.rejected[i]! };
  });
  return {
    bestByPair,
    multipleTesting: {
      method: 'benjamini-hochberg',
      alpha: correction.alpha,
      pValue: 'vs-buy-and-hold',
      tested: tested.length,
      significant: correction.rejectedCount,
      expectedByChance: correction.expectedByChance,
    },
  };
}
