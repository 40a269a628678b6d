import type { WorkerState } from '../shared/index.js';

/** When and how often a worker process is restarted (pm2 / Docker style). */
export interface RestartPolicy {
  /** Delay before the first restart. */
  baseDelayMs: number;
  /** Each further consecutive restart waits `factor` times longer… */
  factor: number;
  /** …up to this cap. */
  maxDelayMs: number;
  /** ± share of the delay drawn at random (0..1), so workers crashing together don't restart together. */
  jitter: number;
  /** Consecutive restarts allowed before the worker is given up as failed. */
  maxRestarts: number;
  /** A process up this long counts as stable: the consecutive-restart count starts over. */
  stableAfterMs: number;
  /** No heartbeat for this long means the worker hangs. */
  stallAfterMs: number;
  /** Before its first heartbeat a worker may take the longer of this and stallAfterMs to start. */
  startupGraceMs: number;
}

/**
 * Docker doubles from 100 ms to 1 min; pm2 grows ×1.5 to 15 s. A worker restart costs a data
 * load and a model rebuild (seconds), so start at 1 s, double, cap at 30 s. Five tries cover a
 * transient fault (disk full for a moment, OOM once) without looping forever on a real bug.
 * Workers heartbeat several times a second; 2 min of silence is a hang, not a slow episode.
 */
export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  baseDelayMs: 1_000,
  factor: 2,
  maxDelayMs: 30_000,
  jitter: 0.2,
  maxRestarts: 5,
  stableAfterMs: 60_000,
  stallAfterMs: 120_000,
  // Starting node and the ML backend took up to ~15 s on the 2-core machine under load (measured
  // while other builds ran); a short --stall-timeout must not kill workers that are still starting.
  startupGraceMs: 60_000,
};

export type ExitDecision =
  | { action: 'restart'; attempt: number; delayMs: number; reason: string }
  | { action: 'give-up'; reason: string }
  | { action: 'none'; reason: string };

/** The wait before restart number `attempt` (1-based): exponential, capped, jittered. */
export function backoffDelay(attempt: number, policy: RestartPolicy, random: () => number): number {
  const n = Math.max(1, Math.floor(attempt));
  const raw = Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** (n - 1));
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  const r = Math.min(1, Math.max(0, random()));
  const jittered = raw * (1 - jitter + 2 * jitter * r);
  return Math.round(Math.min(policy.maxDelayMs, Math.max(0, jittered)));
}

/** Words for how a process ended: `exited with code 1`, `killed by SIGKILL`. */
export function describeExit(code: number | null, signal: string | null): string {
  if (signal) return `killed by ${signal}`;
  if (code === null) return 'exited';
  return `exited with code ${code}`;
}

/** What to do when a worker process ends: nothing (finished or asked to stop), restart later, or give up. */
export function decideOnExit(
  input: {
    code: number | null;
    signal: string | null;
    workerState: WorkerState | null;
    stopRequested: boolean;
    consecutiveRestarts: number;
    uptimeMs: number;
    /** The process finished an episode or a job before it ended: it was working, not crash-looping. */
    madeProgress?: boolean;
    /**
     * The real cause when the runtime knows more than the code (a start that failed, a container
     * killed for memory); its first line goes into the reason, so a give-up says why.
     */
    cause?: string | null;
  },
  policy: RestartPolicy,
  random: () => number,
): ExitDecision {
  const how = describeExit(input.code, input.signal);
  if (input.stopRequested) return { action: 'none', reason: `stopped on request (${how})` };
  if (input.code === 0 && input.workerState === 'done') return { action: 'none', reason: 'finished' };
  const cause = input.cause?.trim().split('\n')[0]?.trim() || null;
  const base =
    input.code === 0 && !input.signal
      ? `exited with code 0 before finishing (state ${input.workerState ?? 'unknown'})`
      : how;
  // A process that never ran (code and signal null) is described by its cause alone.
  const reason = cause ? (input.code === null && !input.signal ? cause : `${base}: ${cause}`) : base;
  // A stable run proves the last fault was transient: start counting again (pm2, Docker). So does
  // progress: a worker killed after finishing an episode was doing its work (the chaos suite kills
  // workers more often than once a minute, and each start resumes from the last checkpoint).
  const stable = input.uptimeMs >= policy.stableAfterMs || input.madeProgress === true;
  const previous = stable ? 0 : Math.max(0, input.consecutiveRestarts);
  const attempt = previous + 1;
  if (attempt > policy.maxRestarts) {
    return {
      action: 'give-up',
      reason: `gave up after ${previous} consecutive restart${previous === 1 ? '' : 's'}: ${reason}`,
    };
  }
  return { action: 'restart', attempt, delayMs: backoffDelay(attempt, policy, random), reason };
}

/** True when the worker has not shown a heartbeat (or, before its first one, any sign) for too long. */
export function isStalled(
  heartbeatAtMs: number | null,
  startedAtMs: number,
  nowMs: number,
  policy: RestartPolicy,
): boolean {
  // A heartbeat older than this process's start belongs to the previous process.
  if (heartbeatAtMs === null || heartbeatAtMs <= startedAtMs) {
    return nowMs - startedAtMs > Math.max(policy.stallAfterMs, policy.startupGraceMs);
  }
  return nowMs - heartbeatAtMs > policy.stallAfterMs;
}
