import { promises as fs } from 'node:fs';
import type { SupervisorEvent } from './events.js';

export interface LogTailOptions {
  pollMs?: number;
  /** Lines kept per worker (and most sent in one event). */
  maxLines?: number;
  /** On first sight of an existing log, read at most its last bytes, never the whole file. */
  initialBytes?: number;
}

export interface LogTail {
  /** Reads what was appended since the last poll (tests call it to skip the timer). */
  poll(): Promise<void>;
  /** The last lines of a worker's log, oldest first. */
  lines(workerId: number): string[];
  close(): Promise<void>;
}

interface Tail {
  offset: number;
  partial: string;
  lines: string[];
  started: boolean;
}

/** Follows each worker's log by reading only the bytes appended since the last poll. */
export function tailLogs(
  files: Map<number, string>,
  onEvent: (event: SupervisorEvent) => void,
  options: LogTailOptions = {},
): LogTail {
  const pollMs = options.pollMs ?? 500;
  const maxLines = options.maxLines ?? 200;
  const initialBytes = options.initialBytes ?? 64 * 1024;
  const tails = new Map<number, Tail>();
  let running: Promise<void> | null = null;
  let closed = false;

  const readAppended = async (workerId: number, file: string) => {
    let tail = tails.get(workerId);
    if (!tail) {
      tail = { offset: 0, partial: '', lines: [], started: false };
      tails.set(workerId, tail);
    }
    let size: number;
    try {
      size = (await fs.stat(file)).size;
    } catch {
      return;
    }
    if (!tail.started) {
      tail.started = true;
      tail.offset = Math.max(0, size - initialBytes);
    }
    if (size < tail.offset) {
      // truncated or replaced (--fresh): start over
      tail.offset = 0;
      tail.partial = '';
    }
    if (size === tail.offset) return;
    const handle = await fs.open(file, 'r');
    let text: string;
    try {
      const length = size - tail.offset;
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, tail.offset);
      tail.offset += bytesRead;
      text = tail.partial + buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
    const parts = text.split(/\r?\n/);
    tail.partial = parts.pop() ?? '';
    const fresh = parts.slice(-maxLines);
    if (fresh.length === 0) return;
    tail.lines = [...tail.lines, ...fresh].slice(-maxLines);
    if (!closed) onEvent({ type: 'log-lines', workerId, lines: fresh });
  };

  const poll = () => {
    running ??= (async () => {
      for (const [workerId, file] of files) {
        try {
          await readAppended(workerId, file);
        } catch {
          // a log that cannot be read now may be readable at the next poll
        }
      }
    })().finally(() => {
      running = null;
    });
    return running;
  };

  const timer = setInterval(() => void poll(), pollMs);
  timer.unref?.();
  void poll();

  return {
    poll,
    lines: (workerId) => tails.get(workerId)?.lines ?? [],
    close: async () => {
      closed = true;
      clearInterval(timer);
      await running;
    },
  };
}
