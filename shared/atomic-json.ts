import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';

/** Temp files of atomic writes start with this prefix, so watchers can ignore them. */
export const TEMP_PREFIX = '.tmp-';

const RETRYABLE = new Set(['EBUSY', 'EPERM', 'EACCES']);

/**
 * Writes a file atomically: temp file with a random name in the same folder, fsync, rename. A
 * reader never sees a half-written file. Rename is retried on EBUSY/EPERM (Windows, antivirus).
 * `data` may be a list of chunks, written one after the other (no copy into one buffer).
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array | readonly Uint8Array[],
): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `${TEMP_PREFIX}${path.basename(file)}.${randomBytes(6).toString('hex')}`);
  try {
    const handle = await fs.open(tmp, 'w');
    try {
      for (const chunk of typeof data === 'string' || data instanceof Uint8Array ? [data] : data) {
        await handle.writeFile(chunk);
      }
      await handle.sync();
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
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (!RETRYABLE.has(code) || attempt >= 5) {
        await fs.rm(tmp, { force: true });
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
    }
  }
}

/** Writes JSON atomically (see writeFileAtomic), pretty-printed with a final newline. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** The outcome of a tolerant read: never a throw into the caller's loop. */
export type ReadResult<T> =
  | { ok: true; value: T }
  | { ok: false; reason: 'missing' | 'unreadable' | 'invalid-json' | 'invalid-schema'; message: string };

/** Reads and validates a JSON file; a missing, half-written or invalid file becomes a typed result. */
export async function readJsonTolerant<T>(file: string, schema: z.ZodType<T>): Promise<ReadResult<T>> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, reason: 'missing', message: `${file}: file not found` };
    return { ok: false, reason: 'unreadable', message: `${file}: ${(error as Error).message}` };
  }
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
    private readonly schema: z.ZodType<T>,
    private readonly onProblem: (message: string) => void = () => {},
  ) {}

  /** Reads the file; returns the new value, or the last good one (undefined if none yet). */
  async read(): Promise<T | undefined> {
    const result = await readJsonTolerant(this.file, this.schema);
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
