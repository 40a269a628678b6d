import os from 'node:os';
import {
  type AggregatedResults,
  type RankedJob,
  type RuntimeKind,
  SCHEMA_VERSION,
  type TrainingReport,
  type WorkerSummary,
} from '../shared/index.js';
import type { RunPlan } from './plan.js';

export interface ReportInput {
  plan: RunPlan;
  aggregated: AggregatedResults;
  workers: WorkerSummary[];
  startedAt: Date;
  finishedAt: Date;
  backend: string | null;
  runtime: RuntimeKind;
  /** The run was stopped (Ctrl-C, `stop` command) before every job ran. */
  stopped: boolean;
  /** The machine, injectable for tests; defaults to this process's. */
  host?: { node: string; platform: string; cpus: number };
}

type Failure = TrainingReport['failures'][number];

function hostInfo(): { node: string; platform: string; cpus: number } {
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: os.availableParallelism(),
  };
}

/** Why a failed worker ended: its last recorded exit reason (`gave up after 5 consecutive restarts: …`). */
function workerFailureReason(w: WorkerSummary): string {
  const last = w.exits.at(-1);
  return last ? last.reason : `worker ${w.workerId} failed`;
}

/** Jobs in the order the plan lists them (worker by worker, as configured); any others after them. */
function inPlanOrder(plan: RunPlan, jobs: readonly RankedJob[]): RankedJob[] {
  const order = new Map(plan.workers.flatMap((w) => w.config.jobs).map((j, i) => [j.jobId, i]));
  const position = (job: RankedJob) => order.get(job.jobId) ?? Number.MAX_SAFE_INTEGER;
  return [...jobs].sort((a, b) => position(a) - position(b));
}

/** The final report of a run: plan, timings, workers, every job, best models, failures and environment. */
export function buildReport(input: ReportInput): TrainingReport {
  const { plan, aggregated, workers } = input;
  const failures: Failure[] = [];

  for (const job of aggregated.rankings) {
    if (job.status !== 'failed') continue;
    failures.push({
      workerId: job.workerId,
      jobId: job.jobId,
      pair: job.pair,
      reason: job.error ?? 'failed',
    });
  }
  const failedWorkers = new Map<number, string>();
  for (const w of workers) {
    if (w.state !== 'failed') continue;
    const reason = workerFailureReason(w);
    failedWorkers.set(w.workerId, reason);
    failures.push({ workerId: w.workerId, jobId: null, pair: null, reason });
  }
  // Jobs that never finished: name them, so a stopped or given-up worker's share is visible.
  const finished = new Set(aggregated.rankings.map((j) => j.jobId));
  if (!input.stopped) {
    for (const w of plan.workers) {
      for (const job of w.config.jobs) {
        if (finished.has(job.jobId)) continue;
        const why = failedWorkers.get(w.workerId);
        failures.push({
          workerId: w.workerId,
          jobId: job.jobId,
          pair: job.pair,
          reason: why
            ? `not run: worker ${w.workerId} gave up`
            : `not run: worker ${w.workerId} ended without it`,
        });
      }
    }
  }

  const allDone = aggregated.jobsDone >= plan.jobsTotal && aggregated.jobsFailed === 0;
  const outcome: TrainingReport['outcome'] = input.stopped
    ? 'stopped'
    : failures.length === 0 && allDone
      ? 'completed'
      : 'completed-with-failures';
  const host = input.host ?? hostInfo();
  const first = plan.workers[0]?.config;

  return {
    schema: SCHEMA_VERSION,
    runId: plan.runId,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    seconds: Math.max(0, (input.finishedAt.getTime() - input.startedAt.getTime()) / 1000),
    outcome,
    plan: {
      workers: plan.workers.length,
      pairs: plan.workers.flatMap((w) => w.pairs),
      variants: plan.variants.map((v) => ({
        name: v.name,
        rationale: v.rationale,
        hyperparameters: v.hyperparameters,
      })),
      episodes: plan.options.episodes,
      data: first?.data ?? plan.options.data,
      environment: first?.environment ?? plan.options.environment,
      seed: plan.options.seed,
      assignments: plan.workers.map((w) => ({ workerId: w.workerId, pairs: w.pairs })),
    },
    workers,
    jobs: inPlanOrder(plan, aggregated.rankings),
    bestModels: aggregated.bestByPair,
    ...(aggregated.multipleTesting ? { multipleTesting: aggregated.multipleTesting } : {}),
    annualization: (first?.environment ?? plan.options.environment).annualization,
    failures,
    environment: {
      backend: input.backend,
      node: host.node,
      platform: host.platform,
      cpus: host.cpus,
      runtime: input.runtime,
    },
  };
}
