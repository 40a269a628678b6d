import type { ContainerView, RuntimeKind } from '../../shared/index.js';

/** How a worker process (or container) ended. */
export interface WorkerExit {
  code: number | null;
  signal: string | null;
  /** What the engine says beyond the code (a container killed for memory, a task error). */
  detail?: string | null;
}

export type ExitListener = (workerId: number, exit: WorkerExit) => void;
/** A worker's container (or Swarm task) changed state: `running`, `exited`, `removed`, … */
export type ContainerListener = (workerId: number, container: ContainerView) => void;

/**
 * Starts and stops workers; `local` runs child processes, `docker` drives Docker Compose, `swarm`
 * Docker Swarm services.
 * Exits (expected or not) are reported once each through `onExit`; the orchestrator decides what
 * they mean.
 */
export interface Runtime {
  readonly kind: RuntimeKind;
  /** Launches the worker; resolves once it runs (pid is null for containers). */
  start(workerId: number): Promise<{ pid: number | null }>;
  /**
   * SIGTERM, then SIGKILL after `graceMs` (0: SIGKILL at once); resolves after the exit was reported.
   * Idempotent, except that a later call with a shorter grace brings the SIGKILL forward.
   */
  stop(workerId: number, options: { graceMs: number }): Promise<void>;
  /** Stops (with the default grace) and starts the worker again. */
  restart(workerId: number): Promise<void>;
  /** Stops every running worker in parallel. */
  stopAll(graceMs: number): Promise<void>;
  /** Subscribes to exits; returns the unsubscribe function. */
  onExit(listener: ExitListener): () => void;
  /** Where the worker's output goes. */
  logFile(workerId: number): string;
  /** Container runtimes: subscribes to container state changes (for the views). */
  onContainerState?(listener: ContainerListener): () => void;
  /** Whether the worker currently runs (as far as the runtime knows). */
  isRunning(workerId: number): boolean;
  /** Releases timers and process hooks; call after stopAll. */
  dispose(): Promise<void>;
}

/** The command that starts one worker; `--config <file>` is appended. */
export interface WorkerCommand {
  file: string;
  args: string[];
}
