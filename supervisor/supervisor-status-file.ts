import {
  type DashboardState,
  type RuntimeKind,
  SCHEMA_VERSION,
  type SupervisorStatus,
  supervisorStatusFile,
  writeJsonAtomic,
} from '../shared/index.js';

/** What supervisor_status.json says besides the workers' processes. */
export interface SupervisorIdentity {
  runId: string;
  pid: number;
  runtime: RuntimeKind;
  startedAt: string;
  logFile: (workerId: number) => string | null;
}

/** supervisor_status.json from the run's state: the only source of the workers' process facts. */
export function supervisorStatusFrom(
  state: DashboardState,
  identity: SupervisorIdentity,
  now: number,
  finished: boolean,
): SupervisorStatus {
  return {
    schema: SCHEMA_VERSION,
    runId: identity.runId,
    pid: identity.pid,
    runtime: identity.runtime,
    startedAt: identity.startedAt,
    heartbeatAt: new Date(now).toISOString(),
    finished,
    workers: state.workers.map((w) => ({
      workerId: w.workerId,
      process: w.process,
      pid: w.pid,
      restarts: w.restarts,
      nextRestartAt: w.nextRestartAt === null ? null : new Date(w.nextRestartAt).toISOString(),
      stalled: w.stalled,
      lastExit: w.lastExit ?? null,
      logFile: identity.logFile(w.workerId),
    })),
  };
}

export interface SupervisorStatusWriter {
  /** Writes now (coalescing with a write already queued); `finished` marks the last one. */
  write(finished?: boolean): Promise<void>;
  /** Stops the periodic heartbeat. */
  stop(): void;
}

/**
 * Keeps supervisor_status.json current: at every change asked for and at least every `heartbeatMs`,
 * so attached viewers can tell a live supervisor from a dead one.
 */
export function startSupervisorStatusFile(options: {
  resultsDir: string;
  status: (finished: boolean) => SupervisorStatus;
  heartbeatMs: number;
  onProblem: (message: string) => void;
}): SupervisorStatusWriter {
  let chain: Promise<void> = Promise.resolve();
  let queued = false;
  const write = (finished = false): Promise<void> => {
    if (queued && !finished) return chain;
    queued = true;
    chain = chain
      .then(() => {
        queued = false;
        // Only attached screens read it and it is rewritten every few seconds, so it is not fsynced,
        // except the last one, which says the run is over (see shared/atomic-json.ts).
        return writeJsonAtomic(supervisorStatusFile(options.resultsDir), options.status(finished), {
          durable: finished,
        });
      })
      .catch((error: Error) => options.onProblem(`supervisor_status.json: ${error.message}`));
    return chain;
  };
  const timer = setInterval(() => void write(), options.heartbeatMs);
  return { write, stop: () => clearInterval(timer) };
}
