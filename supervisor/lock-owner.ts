import type { RunLock } from '../shared/index.js';

/** What the judge may know of this machine. */
export interface LockVantage {
  host: string;
  now: number;
  /** A lock of another host whose heartbeat is older than this is abandoned. */
  staleAfterMs: number;
  processAlive(pid: number): boolean;
  /** The OS's start time of a process (null when unknown), to tell a reused pid apart. */
  processStart(pid: number): string | null;
}

export type OwnerVerdict = { alive: boolean; why: string };

/**
 * Whether the supervisor named in a lock still owns the folder. On this host its pid decides (a
 * running process that is the one that took the lock); a lock of another host lives while its
 * heartbeat is fresh. A hung owner on this host is never taken over: its workers would still run.
 */
export function judgeLockOwner(lock: RunLock, here: LockVantage): OwnerVerdict {
  const ageS = Math.round((here.now - Date.parse(lock.heartbeatAt)) / 1000);
  const heartbeat = Number.isFinite(ageS) ? `last heartbeat ${ageS} s ago` : 'no readable heartbeat';
  if (lock.host === here.host) {
    if (!here.processAlive(lock.pid)) return { alive: false, why: `pid ${lock.pid} is not running` };
    const start = here.processStart(lock.pid);
    if (lock.processStart && start && start !== lock.processStart) {
      return { alive: false, why: `pid ${lock.pid} is now another process` };
    }
    return { alive: true, why: `running, ${heartbeat}` };
  }
  if (!Number.isFinite(ageS) || here.now - Date.parse(lock.heartbeatAt) > here.staleAfterMs) {
    return { alive: false, why: Number.isFinite(ageS) ? `no heartbeat for ${ageS} s` : heartbeat };
  }
  return { alive: true, why: heartbeat };
}

/** `pid 123 on host-a (started 2025-…, trading-workers train …)`: who holds a lock, for messages. */
export function describeLockOwner(lock: RunLock): string {
  const command = lock.command ? `, ${lock.command}` : '';
  return `pid ${lock.pid} on ${lock.host} (since ${lock.startedAt}${command})`;
}
