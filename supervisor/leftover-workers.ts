import { promises as fs, readFileSync } from 'node:fs';
import { parseWorkerFileName, workerConfigFile } from '../shared/index.js';
import { processAlive } from './run-lock.js';

/** The command line of a process (Linux /proc), or null. */
function commandLineOf(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return null;
  }
}

/**
 * Running processes that are workers of this folder: their command line names one of its worker
 * configs. Found among all processes, not through the status files: a worker killed with its
 * supervisor before its first status write is named by no file, and a pid in a file may be reused.
 */
async function liveWorkersOf(resultsDir: string): Promise<number[]> {
  const configs = (await fs.readdir(resultsDir).catch(() => [] as string[]))
    .map((name) => parseWorkerFileName(name))
    .flatMap((parsed) => (parsed?.kind === 'config' ? [workerConfigFile(resultsDir, parsed.workerId)] : []));
  if (configs.length === 0) return [];
  const pids = (await fs.readdir('/proc').catch(() => [] as string[]))
    .filter((e) => /^\d+$/.test(e))
    .map(Number);
  return pids.filter((pid) => {
    if (pid === process.pid || !processAlive(pid)) return false;
    const command = commandLineOf(pid);
    return command !== null && configs.some((config) => command.includes(config));
  });
}

/**
 * Workers of an earlier supervisor of this folder that was killed outright stop by themselves
 * within seconds (they check their supervisor); a new run waits for them, or they would train the
 * same jobs as its own workers. Those still running after `timeoutMs` are killed. Linux only (it
 * needs /proc to tell a worker from a reused pid); elsewhere nothing is done.
 */
export async function stopLeftoverWorkers(
  resultsDir: string,
  options: { timeoutMs?: number; pollMs?: number } = {},
): Promise<string | null> {
  if (process.platform !== 'linux') return null;
  const found = await liveWorkersOf(resultsDir);
  if (found.length === 0) return null;
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let alive = found;
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 100));
    alive = alive.filter(processAlive);
  }
  for (const pid of alive) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  const killed =
    alive.length > 0 ? `; killed ${alive.length} that did not stop (pid ${alive.join(', ')})` : '';
  return `waited for ${found.length} worker${found.length === 1 ? '' : 's'} of an earlier supervisor of this folder to stop${killed}`;
}
