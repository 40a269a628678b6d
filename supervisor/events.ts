import type {
  AggregatedResults,
  AnyWorkerConfig,
  ContainerView,
  EnsembleResults,
  HttpMirrorInfo,
  RuntimeKind,
  SupervisorStatus,
  TrainingReport,
  WorkerResults,
  WorkerStatus,
} from '../shared/index.js';

/**
 * Everything that can change the dashboard state. Events that settle an exit (`worker-finished`,
 * `restart-scheduled`, `worker-failed`, `worker-relaunching`, `worker-stopped` with a reason) add
 * the last exit with their reason to the worker's `exits`. The edges (watcher, runtime, clock, command
 * handling) turn what they see into these; the pure reducer (`reduce(state, event)`) folds them.
 */
export type SupervisorEvent =
  | {
      type: 'run-started';
      runId: string;
      runtime: RuntimeKind;
      at: number;
      workerIds: number[];
      /** The run's stall limit, when not the default policy's. */
      stallAfterMs?: number;
    }
  | { type: 'config'; workerId: number; config: AnyWorkerConfig }
  | { type: 'status'; workerId: number; status: WorkerStatus }
  | { type: 'results'; workerId: number; results: WorkerResults }
  | { type: 'aggregated'; aggregated: AggregatedResults }
  | { type: 'ensembles'; ensembles: EnsembleResults }
  | { type: 'report'; report: TrainingReport }
  /** Attach mode: the supervisor's own status file. */
  | { type: 'supervisor-status'; status: SupervisorStatus }
  | { type: 'process-started'; workerId: number; pid: number | null; at: number }
  | { type: 'process-exited'; workerId: number; code: number | null; signal: string | null; at: number }
  | {
      type: 'restart-scheduled';
      workerId: number;
      attempt: number;
      at: number;
      delayMs: number;
      reason: string;
    }
  | { type: 'restart-requested'; workerId: number; at: number }
  /** A requested restart: the old process has ended and the new one is being launched. */
  | { type: 'worker-relaunching'; workerId: number; at: number; reason: string }
  | { type: 'worker-stalled'; workerId: number; at: number }
  /** Its process ended after the worker reported `done`. */
  | { type: 'worker-finished'; workerId: number; at: number }
  /** Container runtimes: the worker's container (or Swarm task) changed state. */
  | { type: 'container'; workerId: number; container: ContainerView }
  | { type: 'worker-failed'; workerId: number; at: number; reason: string }
  /** `reason` when a running process ended because of the stop; null when none was running. */
  | { type: 'worker-stopped'; workerId: number; at: number; reason?: string | null }
  | { type: 'run-stopping'; reason: string; at: number }
  | { type: 'log-lines'; workerId: number; lines: string[] }
  | { type: 'file-problem'; message: string }
  | { type: 'tick'; now: number }
  /** The command that runs the views started the HTTP mirror (its URL) or could not (why). */
  | ({ type: 'http-mirror' } & HttpMirrorInfo)
  | { type: 'run-finished'; at: number };
