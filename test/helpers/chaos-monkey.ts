import { promises as fs, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {
  readJsonTolerant,
  type WorkerStatus,
  WorkerStatusSchema,
  workerStatusFile,
} from '../../shared/index.js';
import { isAlive } from './temp-dir.js';

// The disruptions of the chaos suite, each one small and honest about what it did.

/** A seeded random stream (mulberry32), so a chaos run can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The command line of a process (Linux /proc), or ''. */
export function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** Every process (but this one) whose command line mentions `text`: what a run may leave behind. */
export async function processesMentioning(text: string): Promise<{ pid: number; command: string }[]> {
  const found: { pid: number; command: string }[] = [];
  for (const name of await fs.readdir('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const command = commandLineOf(pid);
    if (command.includes(text)) found.push({ pid, command });
  }
  return found;
}

/** Workers of the run in `resultsDir` that are alive and not finished (starting, loading, training, …). */
export async function busyWorkers(resultsDir: string, workerIds: number[]): Promise<WorkerStatus[]> {
  const busy: WorkerStatus[] = [];
  for (const id of workerIds) {
    const read = await readJsonTolerant(workerStatusFile(resultsDir, id), WorkerStatusSchema);
    if (!read.ok) continue;
    const s = read.value;
    if (['done', 'failed', 'stopped'].includes(s.state)) continue;
    // Only a process that is this run's worker: its command line names the folder.
    if (isAlive(s.pid) && commandLineOf(s.pid).includes(resultsDir)) busy.push(s);
  }
  return busy;
}

/** Cuts a file to its first bytes, as a crash in the middle of a non-atomic write would. */
export async function truncateFile(file: string, keep = 25): Promise<boolean> {
  try {
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, text.slice(0, keep));
    return true;
  } catch {
    return false;
  }
}

/** Fills the disk holding `dir` until ENOSPC, holds it full for `holdMs`, then frees it. */
export async function fillDisk(dir: string, holdMs: number): Promise<{ bytes: number; heldMs: number }> {
  const file = path.join(dir, 'chaos-ballast.bin');
  const chunk = Buffer.alloc(1 << 20, 0x5a);
  const handle = await fs.open(file, 'w');
  let bytes = 0;
  try {
    for (;;) {
      try {
        const { bytesWritten } = await handle.write(chunk);
        bytes += bytesWritten;
        if (bytesWritten < chunk.length) break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
        throw error;
      }
    }
    const full = Date.now();
    await new Promise((resolve) => setTimeout(resolve, holdMs));
    return { bytes, heldMs: Date.now() - full };
  } finally {
    await handle.close();
    await fs.rm(file, { force: true });
  }
}

/** What a flood of half-sent requests met at the mirror. */
export interface FloodOutcome {
  opened: number;
  /**
   * Most connections open at once as this side saw them: held by the mirror, or waiting in the
   * kernel's accept queue (which costs the supervisor no descriptor).
   */
  connectedAtPeak: number;
  /** Closed by the server within a second of connecting: refused at its connection cap. */
  refusedAtOnce: number;
  /** The mirror answered a normal request after the flood. */
  answersAfter: boolean;
}

/** Holds `count` half-sent requests on the mirror for `holdMs`, then checks it still answers. */
export async function floodMirror(port: number, count: number, holdMs: number): Promise<FloodOutcome> {
  const sockets: net.Socket[] = [];
  let open = 0;
  let connectedAtPeak = 0;
  let refusedAtOnce = 0;
  let opened = 0;
  for (let i = 0; i < count; i++) {
    const socket = net.connect(port, '127.0.0.1');
    let connectedAt = 0;
    socket.on('error', () => {});
    socket.on('connect', () => {
      opened++;
      open++;
      connectedAt = Date.now();
      connectedAtPeak = Math.max(connectedAtPeak, open);
      socket.write('GET /api/state HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    });
    socket.on('close', () => {
      if (connectedAt === 0) return;
      open--;
      if (Date.now() - connectedAt < 1_000) refusedAtOnce++;
    });
    sockets.push(socket);
    if (i % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await new Promise((resolve) => setTimeout(resolve, holdMs));
  for (const socket of sockets) socket.destroy();
  const answersAfter = await new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () =>
      socket.write('GET /api/state HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'),
    );
    let head = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      head += chunk;
    });
    socket.on('close', () => resolve(head.startsWith('HTTP/1.1 200')));
    socket.on('error', () => resolve(false));
    socket.setTimeout(10_000, () => socket.destroy());
  });
  return { opened, connectedAtPeak, refusedAtOnce, answersAfter };
}
