import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  formatZodIssues,
  type LedgerCandle,
  type LedgerEnd,
  type LedgerLine,
  LedgerLineSchema,
  type LedgerStart,
} from '../../shared/index.js';

/** What a ledger holds: its start line, every candle line in order, and its end line once finished. */
export interface LedgerContents {
  start: LedgerStart | null;
  candles: LedgerCandle[];
  end: LedgerEnd | null;
  /** A torn last line (the process died while writing it) that was cut off; null when none. */
  repaired: string | null;
}

/**
 * Reads a JSON Lines ledger. A last line without its newline is a write the process did not finish
 * (its fsync never returned, so no status reported it): it is cut off and the candle is decided
 * again. Any other bad line is an error naming the file and line, never skipped.
 */
export async function readLedger(file: string): Promise<LedgerContents> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { start: null, candles: [], end: null, repaired: null };
    throw new Error(`${file}: cannot read the ledger (${(error as Error).message})`);
  }
  let repaired: string | null = null;
  const complete = text.lastIndexOf('\n') + 1;
  if (complete < text.length) {
    repaired = text.slice(complete);
    await fs.truncate(file, Buffer.byteLength(text.slice(0, complete)));
    text = text.slice(0, complete);
  }
  const contents: LedgerContents = { start: null, candles: [], end: null, repaired };
  const lines = text.split('\n').slice(0, -1);
  lines.forEach((raw, i) => {
    const where = `${file}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new Error(`${where}: not JSON (${(error as Error).message})`);
    }
    const parsed = LedgerLineSchema.safeParse(value);
    if (!parsed.success) throw new Error(`${where}: ${formatZodIssues(parsed.error)}`);
    const line = parsed.data;
    if (i === 0 && line.type !== 'start') throw new Error(`${where}: a ledger starts with its "start" line`);
    if (contents.end) throw new Error(`${where}: a line after the ledger's "end" line`);
    if (line.type === 'start') {
      if (i !== 0) throw new Error(`${where}: a second "start" line`);
      contents.start = line;
    } else if (line.type === 'end') {
      contents.end = line;
    } else {
      const previous = contents.candles[contents.candles.length - 1];
      if (line.seq !== (previous?.seq ?? 0) + 1) {
        throw new Error(
          `${where}: seq ${line.seq} follows ${previous?.seq ?? 0}: a candle line is missing or repeated`,
        );
      }
      if (previous && Date.parse(line.candleTime) <= Date.parse(previous.candleTime)) {
        throw new Error(
          `${where}: candle ${line.candleTime} is not after ${previous.candleTime}: a candle was decided twice`,
        );
      }
      if (previous && previous.action === null)
        throw new Error(`${where}: a candle after the settling last candle`);
      contents.candles.push(line);
    }
  });
  return contents;
}

/** Appends lines to a ledger, each fsynced before append() resolves: on disk before anyone is told. */
export class LedgerWriter {
  private constructor(
    readonly file: string,
    private readonly handle: fs.FileHandle,
  ) {}

  /** Opens (creating its folder and the file if needed) for appending. */
  static async open(file: string): Promise<LedgerWriter> {
    await fs.mkdir(path.dirname(file), { recursive: true });
    return new LedgerWriter(file, await fs.open(file, 'a'));
  }

  /** Writes one line and fsyncs it. */
  async append(line: LedgerLine): Promise<void> {
    await this.handle.write(`${JSON.stringify(line)}\n`);
    await this.handle.sync();
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
