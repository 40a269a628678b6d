import { randomBytes } from 'node:crypto';
import { promises as fs, constants as fsConstants, readFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';

/** Temp files of atomic writes start with this prefix, so watchers can ignore them. */
export const TEMP_PREFIX = '.tmp-';

const RETRYABLE = new Set(['EBUSY', 'EPERM', 'EACCES']);
// Filesystems that cannot fsync a folder say so with one of these; the rename is then as durable as
// that filesystem makes it.
const DIR_SYNC_UNSUPPORTED = new Set(['EINVAL', 'ENOTSUP', 'EOPNOTSUPP', 'EISDIR', 'EBADF', 'EPERM']);

/** How a write reaches the disk. */
export interface AtomicWriteOptions {
  /**
   * true (default): fsync the data before the rename and the folder after it, so a write reported
   * done survives a power cut. false: rename only, for files that only feed a screen and are
   * rewritten within seconds (status heartbeats), where an fsync per write buys nothing.
   */
  durable?: boolean;
}

/** Fsyncs a folder, which makes the renames inside it durable (POSIX; Windows cannot open folders). */
export async function syncFolder(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  let handle: FileHandle | undefined;
  try {
    handle = await fs.open(dir, fsConstants.O_RDONLY | fsConstants.O_DIRECTORY);
    await handle.sync();
  } catch (error) {
    if (!DIR_SYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    await handle?.close();
  }
}

/** How an atomic write treats the disk. */
export interface AtomicWriteOptions {
  /**
   * fsync the temp file before the rename (default true), so the file survives a power cut. Files that
   * only feed a screen (status, heartbeat) pass false: a reader still never sees half a file (the
   * rename is atomic), and the fsync was most of the cost of a write (issue 12).
   */
  durable?: boolean;
}

/**
 * Writes a file atomically: temp file with a random name in the same folder, fsync, rename, fsync
 * of the folder. A reader never sees a half-written file, and a write that returned is on disk.
 * Rename is retried on EBUSY/EPERM (Windows, antivirus). `data` may be a list of chunks, written
 * one after the other (no copy into one buffer).
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array | readonly Uint8Array[],
  options: AtomicWriteOptions = {},
): Promise<void> {
  const durable = options.durable ?? true;
  const dir = path.dirname(file);
  const tmp = path.join(dir, `${TEMP_PREFIX}${path.basename(file)}.${randomBytes(6).toString('hex')}`);
  try {
    // The folder almost always exists: made only when the open says it is missing (a mkdir per write
    // was a syscall of every status and results write, issue 12).
    const handle = await fs.open(tmp, 'w').catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
      await fs.mkdir(dir, { recursive: true });
      return fs.open(tmp, 'w');
    });
    try {
      for (const chunk of typeof data === 'string' || data instanceof Uint8Array ? [data] : data) {
        await handle.writeFile(chunk);
      }
      if (durable) await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw error;
  }
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.rename(tmp, file);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (!RETRYABLE.has(code) || attempt >= 5) {
        await fs.rm(tmp, { force: true });
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
    }
  }
  if (durable) await syncFolder(dir);
}

/** Writes JSON atomically (see writeFileAtomic), pretty-printed with a final newline. */
export async function writeJsonAtomic(
  file: string,
  value: unknown,
  options: AtomicWriteOptions = {},
): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`, options);
}

/** What a tolerant read validates with: a zod schema, or anything with the same `safeParse`. */
export interface JsonValidator<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: z.ZodError };
}

/** The outcome of a tolerant read: never a throw into the caller's loop. */
export type ReadResult<T> =
  | { ok: true; value: T }
  | { ok: false; reason: 'missing' | 'unreadable' | 'invalid-json' | 'invalid-schema'; message: string };

/** Reads and validates a JSON file; a missing, half-written or invalid file becomes a typed result. */
export async function readJsonTolerant<T>(file: string, schema: JsonValidator<T>): Promise<ReadResult<T>> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    return unreadable(file, error);
  }
  return parseJsonTolerant(file, text, schema);
}

/**
 * readJsonTolerant without the thread pool, for small local files read many times a second: one
 * synchronous read of a page-cached file costs less than the four round trips of an async one.
 * Never for network mounts, where a read can block.
 */
export function readJsonTolerantSync<T>(file: string, schema: JsonValidator<T>): ReadResult<T> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return unreadable(file, error);
  }
  return parseJsonTolerant(file, text, schema);
}

function unreadable(file: string, error: unknown): ReadResult<never> {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return { ok: false, reason: 'missing', message: `${file}: file not found` };
  return { ok: false, reason: 'unreadable', message: `${file}: ${(error as Error).message}` };
}

function parseJsonTolerant<T>(file: string, text: string, schema: JsonValidator<T>): ReadResult<T> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      reason: 'invalid-json',
      message: `${file}: invalid JSON (${(error as Error).message})`,
    };
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    return { ok: false, reason: 'invalid-schema', message: `${file}: ${formatZodIssues(parsed.error)}` };
  }
  return { ok: true, value: parsed.data };
}

/** `field.path: message; …` — names the offending field, as every error here must. */
export function formatZodIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

/**
 * Keeps the last good value of a file across failed reads and reports each distinct problem once,
 * as DESIGN.md asks of every reader.
 */
export class TolerantJsonFile<T> {
  private last: T | undefined;
  private lastProblem: string | undefined;

  constructor(
    readonly file: string,
    private readonly schema: JsonValidator<T>,
    private readonly onProblem: (message: string) => void = () => {},
  ) {}

  /** Reads the file; returns the new value, or the last good one (undefined if none yet). */
  async read(): Promise<T | undefined> {
    return this.settle(await readJsonTolerant(this.file, this.schema));
  }

  /** read() through readJsonTolerantSync (small local files only). */
  readSync(): T | undefined {
    return this.settle(readJsonTolerantSync(this.file, this.schema));
  }

  private settle(result: ReadResult<T>): T | undefined {
    if (result.ok) {
      this.last = result.value;
      this.lastProblem = undefined;
      return result.value;
    }
    if (result.reason !== 'missing' && result.message !== this.lastProblem) {
      this.lastProblem = result.message;
      this.onProblem(result.message);
    }
    return this.last;
  }

  get value(): T | undefined {
    return this.last;
  }
}
