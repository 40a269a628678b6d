import { randomBytes } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type RunLock,
  RunLockSchema,
  readJsonTolerant,
  runLockFile,
  SCHEMA_VERSION,
  syncFolder,
  TEMP_PREFIX,
  writeJsonAtomic,
} from '../shared/index.js';
import { describeLockOwner, judgeLockOwner, type LockVantage } from './lock-owner.js';
import { RunRefusedError } from './run-refused-error.js';

/** Another live supervisor owns the results folder: nothing was started or written. */
export class RunFolderBusyError extends RunRefusedError {
  override name = 'RunFolderBusyError';
}

export interface RunLockOptions {
  /** How often the owner renews its heartbeat (default 5 s). */
  heartbeatMs?: number;
  /** A lock of another host silent this long is abandoned (default 30 s: six missed heartbeats). */
  staleAfterMs?: number;
  /** Shown to a second supervisor; default this process's command line. */
  command?: string;
  now?: () => number;
}

/** The folder is ours until `release()`. */
export interface RunLease {
  /** Set when an abandoned lock was taken over: says whose and why. */
  notice: string | null;
  /** Hears when the lease is lost (another supervisor took the folder over: the run must stop). */
  onLost(listener: (message: string) => void): void;
  /** Hears when a renewal failed (it is retried at the next heartbeat). */
  onProblem(listener: (message: string) => void): void;
  /** Stops renewing and removes the lock if it is still ours. */
  release(): Promise<void>;
}

// A takeover holds this guard (created exclusively), so two supervisors taking over the same dead
// lock cannot both win; a guard older than this was left by a crash and is removed.
const GUARD_STALE_MS = 10_000;
const UNREADABLE_RETRY_MS = 3_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const errno = (error: unknown) => (error as NodeJS.ErrnoException).code;

/** True while a process with this pid exists (EPERM: it exists, owned by someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errno(error) === 'EPERM';
  }
}

/** The start time of a process in clock ticks since boot (Linux /proc), else null. */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22, counted after the command name, which sits in parentheses and may hold spaces.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function defaultCommand(): string {
  const [, script, ...args] = process.argv;
  return [script ? path.basename(script) : 'node', ...args].join(' ').slice(0, 300);
}

/**
 * Takes the results folder for this supervisor, or throws RunFolderBusyError naming the live owner.
 * The lock is created whole with link(2), which fails when one exists (no reader ever sees half a
 * lock, and it works on NFS); a lock whose owner is gone is taken over and the lease says so.
 * proper-lockfile was considered: its staleness is mtime-only, with no owner pid or host to check
 * on this machine or to name in the refusal, which is what this folder needs.
 */
export async function acquireRunLock(resultsDir: string, options: RunLockOptions = {}): Promise<RunLease> {
  const now = options.now ?? Date.now;
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  const staleAfterMs = options.staleAfterMs ?? 30_000;
  const file = runLockFile(resultsDir);
  const guard = `${file}.takeover`;
  await fs.mkdir(resultsDir, { recursive: true });
  const at = new Date(now()).toISOString();
  const mine: RunLock = {
    schema: SCHEMA_VERSION,
    token: randomBytes(8).toString('hex'),
    pid: process.pid,
    host: os.hostname(),
    processStart: processStart(process.pid),
    startedAt: at,
    heartbeatAt: at,
    command: options.command ?? defaultCommand(),
  };
  const vantage = (): LockVantage => ({
    host: mine.host,
    now: now(),
    staleAfterMs,
    processAlive,
    processStart,
  });
  const tmp = path.join(resultsDir, `${TEMP_PREFIX}run.lock.${mine.token}`);
  await writeJsonAtomic(tmp, mine);

  const link = async (): Promise<boolean> => {
    try {
      await fs.link(tmp, file);
      await syncFolder(resultsDir);
      return true;
    } catch (error) {
      if (errno(error) === 'EEXIST') return false;
      throw error;
    }
  };

  /** Replaces the lock that still carries `token` by ours; false when something changed meanwhile. */
  const takeOver = async (token: string | null): Promise<boolean> => {
    try {
      await (await fs.open(guard, 'wx')).close();
    } catch (error) {
      if (errno(error) !== 'EEXIST') throw error;
      const age = await fs.stat(guard).then(
        (s) => now() - s.mtimeMs,
        () => 0,
      );
      if (age > GUARD_STALE_MS) await fs.rm(guard, { force: true });
      else await sleep(100);
      return false;
    }
    try {
      const current = await readJsonTolerant(file, RunLockSchema);
      const same = current.ok
        ? current.value.token === token
        : token === null && current.reason !== 'missing';
      if (!same) return false;
      await fs.rm(file, { force: true });
      return await link();
    } finally {
      await fs.rm(guard, { force: true });
    }
  };

  let notice: string | null = null;
  try {
    for (let attempt = 0; ; attempt++) {
      if (attempt > 100) throw new Error(`${file}: could not be taken after ${attempt} attempts`);
      if (await link()) break;
      const read = await readJsonTolerant(file, RunLockSchema);
      if (!read.ok) {
        if (read.reason === 'missing') continue;
        // Written whole, so unreadable means damaged; a live owner rewrites it at its next heartbeat.
        const age = await fs.stat(file).then(
          (s) => now() - s.mtimeMs,
          () => 0,
        );
        if (age < Math.max(staleAfterMs, UNREADABLE_RETRY_MS)) {
          if (attempt * 100 < UNREADABLE_RETRY_MS) {
            await sleep(100);
            continue;
          }
          throw new RunFolderBusyError(
            `${resultsDir} may be in use by another supervisor: ${read.message}, changed ${Math.round(age / 1000)} s ago. ` +
              `Try again in ${Math.round(staleAfterMs / 1000)} s, or choose another --results folder.`,
          );
        }
        if (await takeOver(null)) {
          notice = `took over ${resultsDir}: its lock was unreadable and untouched for ${Math.round(age / 1000)} s`;
          break;
        }
        continue;
      }
      const verdict = judgeLockOwner(read.value, vantage());
      if (verdict.alive) {
        throw new RunFolderBusyError(
          `${resultsDir} is in use by another supervisor: ${describeLockOwner(read.value)}, ${verdict.why}. ` +
            'Wait for it to finish, stop it, or choose another --results folder.',
        );
      }
      if (await takeOver(read.value.token)) {
        notice = `took over ${resultsDir} from the supervisor ${describeLockOwner(read.value)}: ${verdict.why}`;
        break;
      }
    }
  } finally {
    await fs.rm(tmp, { force: true });
  }

  let lost = false;
  let renewing: Promise<void> = Promise.resolve();
  let onLost = (_message: string) => {};
  let onProblem = (_message: string) => {};
  const renew = async () => {
    const current = await readJsonTolerant(file, RunLockSchema);
    if (current.ok && current.value.token !== mine.token) {
      lost = true;
      clearInterval(timer);
      onLost(`${file} now belongs to ${describeLockOwner(current.value)}`);
      return;
    }
    // Ours, or damaged or removed by hand: (re)write it, the folder is still ours.
    mine.heartbeatAt = new Date(now()).toISOString();
    await writeJsonAtomic(file, mine, { durable: false });
  };
  const timer = setInterval(() => {
    renewing = renewing.then(renew).catch((error: Error) => onProblem(`${file}: ${error.message}`));
  }, heartbeatMs);
  timer.unref();

  return {
    notice,
    onLost(listener) {
      onLost = listener;
    },
    onProblem(listener) {
      onProblem = listener;
    },
    async release() {
      clearInterval(timer);
      await renewing;
      if (lost) return;
      const current = await readJsonTolerant(file, RunLockSchema);
      if (current.ok && current.value.token === mine.token) await fs.rm(file, { force: true });
    },
  };
}
