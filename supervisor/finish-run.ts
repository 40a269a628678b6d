import type {
  AggregatedResults,
  DashboardState,
  RuntimeKind,
  TrainingReport,
  WorkerSummary,
} from '../shared/index.js';
import type { RunPlan } from './plan.js';
import { buildReport } from './report.js';
import type { ResultsCollector } from './results-collector.js';

/** Each worker's part of the report, from the run's state (processes, restarts, exits) and its results. */
export function workerSummaries(
  state: DashboardState,
  plan: RunPlan,
  results: Pick<ResultsCollector, 'results'>,
  logFile: (workerId: number) => string,
): WorkerSummary[] {
  return plan.workers.map((planned) => {
    const w = state.workers.find((v) => v.workerId === planned.workerId);
    const jobs = results.results(planned.workerId)?.jobs ?? [];
    const jobsDone = jobs.filter((j) => j.status === 'done').length;
    return {
      workerId: planned.workerId,
      pairs: planned.pairs,
      state: w?.process ?? 'pending',
      jobsDone,
      jobsFailed: jobs.length - jobsDone,
      jobsTotal: planned.config.jobs.length,
      restarts: w?.restarts ?? 0,
      exits: w?.exits ?? [],
      seconds: Math.round((w?.secondsRunning ?? 0) * 10) / 10,
      logFile: logFile(planned.workerId),
    };
  });
}

/** The report of a run that has ended (all workers settled), and its exit code. */
export function concludeRun(input: {
  state: DashboardState;
  plan: RunPlan;
  aggregated: AggregatedResults;
  results: Pick<ResultsCollector, 'results'>;
  logFile: (workerId: number) => string;
  startedAt: Date;
  finishedAt: Date;
  runtime: RuntimeKind;
}): { report: TrainingReport; exitCode: 0 | 1 } {
  const { state, plan, aggregated } = input;
  const stopped = Boolean(state.stopRequested);
  const backend = state.backend && state.backend !== 'unknown' ? state.backend : null;
  const report = buildReport({
    plan,
    aggregated,
    workers: workerSummaries(state, plan, input.results, input.logFile),
    startedAt: input.startedAt,
    finishedAt: input.finishedAt,
    backend,
    runtime: input.runtime,
    stopped,
  });
  const allDone = !stopped && aggregated.jobsDone === plan.jobsTotal && aggregated.jobsFailed === 0;
  return { report, exitCode: allDone ? 0 : 1 };
}
