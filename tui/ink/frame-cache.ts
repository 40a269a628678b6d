import { readFileSync } from 'node:fs';
import { styledCharsToString } from '@alcalzone/ansi-tokenize';
import sliceAnsi from 'slice-ansi';
import stringWidth from 'string-width';
import { Memo } from './bounded-memo.js';
import { mergeStyleRuns, type StyledChar, styledLine } from './styled-line.js';

// Why this module exists (issue 12, frames at fleet size): Ink 6 composes every frame in a fresh `Output`
// (ink/build/output.js): it allocates one cell object per character of the screen, tokenises every styled
// line again and diffs the styles of every pair of neighbouring cells, although between two frames of the
// dashboard most lines of the screen do not change. That was most of a frame's CPU time at 160×50.
//
// `Output.get` below is Ink's own algorithm (same clipping, transformers, wide characters and overwrites)
// with two caches that live across frames: a screen row's text keyed by every write that landed on it,
// and a line's styled characters. A row whose writes are the same as in an earlier frame costs one
// string key. Both caches are bounded. `frame-cache.test.ts` holds this `get` to Ink's own on real
// dashboard frames, and the install refuses an Ink whose version it was not checked against, so an Ink
// upgrade falls back to Ink's own composition rather than to a silently different screen.

/** The Ink versions whose `Output` this module was checked against (its tests run on the installed one). */
const CHECKED_INK = /^6\.8\.\d+$/;
/** Rows or lines remembered before a cache starts again: a few full screens of changing rows. */
const CACHE_LIMIT = 4096;

type Transformer = (line: string, index: number) => string;
interface Clip {
  x1: number | undefined;
  x2: number | undefined;
  y1: number | undefined;
  y2: number | undefined;
}
/** A drawing operation Ink records in its `Output` (private in Ink's types). */
export type Operation =
  | { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] }
  | { type: 'clip'; clip: Clip }
  | { type: 'unclip' };
/** The fields of Ink's `Output` this module reads (its `operations` are private in Ink's types). */
interface InkOutput {
  width: number;
  height: number;
  operations: Operation[];
}
type Get = (this: InkOutput) => { output: string; height: number };
interface OutputClass {
  new (options: {
    width: number;
    height: number;
  }): InkOutput & {
    write(x: number, y: number, text: string, options: { transformers: Transformer[] }): void;
    clip(clip: Clip): void;
    unclip(): void;
  };
  prototype: { get: Get };
}

const widths = new Memo(CACHE_LIMIT, (text) => stringWidth(text));
const widestLines = new Memo(CACHE_LIMIT, (text) =>
  Math.max(0, ...text.split('\n').map((line) => widths.get(line))),
);
const styledLines = new Memo(CACHE_LIMIT, styledLine);

/** A row of the screen from its writes, in order: [x, line, x, line, …]. Ink's painting, cell by cell. */
function paintRow(width: number, writes: readonly (number | string)[]): string {
  // Cells are only read after painting, so the blank one can be shared.
  const row: (StyledChar | undefined)[] = new Array<StyledChar>(width).fill(BLANK);
  for (let w = 0; w < writes.length; w += 2) {
    let offsetX = writes[w] as number;
    for (const character of styledLines.get(writes[w + 1] as string)) {
      row[offsetX] = character;
      const characterWidth = Math.max(1, widths.get(character.value));
      // A wide character's following cells are cleared, as Ink does, so no stray spaces remain.
      for (let index = 1; index < characterWidth; index++) {
        row[offsetX + index] = { type: 'char', value: '', fullWidth: false, styles: character.styles };
      }
      offsetX += characterWidth;
    }
  }
  return styledCharsToString(
    mergeStyleRuns(row.filter((item): item is StyledChar => item !== undefined)),
  ).trimEnd();
}

const BLANK: StyledChar = Object.freeze({
  type: 'char',
  value: ' ',
  fullWidth: false,
  styles: [],
}) as StyledChar;
/** A screen row's text by its width and writes; the writes are passed along rather than parsed back. */
const rows = new Memo<string>(CACHE_LIMIT);

function cachedRow(width: number, writes: readonly (number | string)[]): string {
  return rows.get(`${width}\u0000${writes.join('\u0000')}`, () => paintRow(width, writes));
}

/** Ink's `Output.get` with the caches above; the same output for the same operations. */
function cachedGet(this: InkOutput): { output: string; height: number } {
  const writesByRow: (number | string)[][] = [];
  for (let y = 0; y < this.height; y++) writesByRow.push([]);
  const clips: Clip[] = [];
  for (const operation of this.operations) {
    if (operation.type === 'clip') clips.push(operation.clip);
    if (operation.type === 'unclip') clips.pop();
    if (operation.type !== 'write') continue;
    const { text, transformers } = operation;
    let { x, y } = operation;
    let lines = text.split('\n');
    const clip = clips.at(-1);
    if (clip) {
      const clipHorizontally = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
      const clipVertically = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
      if (clipHorizontally) {
        const width = widestLines.get(text);
        if (x + width < clip.x1! || x > clip.x2!) continue;
      }
      if (clipVertically) {
        if (y + lines.length < clip.y1! || y > clip.y2!) continue;
      }
      if (clipHorizontally) {
        lines = lines.map((line) => {
          const from = x < clip.x1! ? clip.x1! - x : 0;
          const width = widths.get(line);
          const to = x + width > clip.x2! ? clip.x2! - x : width;
          return sliceAnsi(line, from, to);
        });
        if (x < clip.x1!) x = clip.x1!;
      }
      if (clipVertically) {
        const from = y < clip.y1! ? clip.y1! - y : 0;
        const height = lines.length;
        const to = y + height > clip.y2! ? clip.y2! - y : height;
        lines = lines.slice(from, to);
        if (y < clip.y1!) y = clip.y1!;
      }
    }
    let offsetY = 0;
    for (let [index, line] of lines.entries()) {
      const writes = writesByRow[y + offsetY];
      // As in Ink: a line off the screen is skipped without moving down (Ink indexes its rows the same way).
      if (!writes) continue;
      for (const transformer of transformers) line = transformer(line, index);
      writes.push(x, line);
      offsetY++;
    }
  }
  return {
    output: writesByRow.map((writes) => cachedRow(this.width, writes)).join('\n'),
    height: writesByRow.length,
  };
}

/** Ink's `Output` class and its own `get`, or null when the installed Ink is not one this was checked on. */
async function loadInkOutput(): Promise<{ Output: OutputClass; get: Get; version: string } | null> {
  const entry = import.meta.resolve('ink');
  const { version } = JSON.parse(readFileSync(new URL('../package.json', entry), 'utf8')) as {
    version: string;
  };
  if (!CHECKED_INK.test(version)) return null;
  // Ink does not export `Output`; its module is imported by file URL, the same instance Ink's renderer uses.
  const { default: Output } = (await import(new URL('./output.js', entry).href)) as { default: OutputClass };
  return { Output, get: Output.prototype.get, version };
}

const inkOutput = await loadInkOutput();

export interface FrameCacheState {
  /** Whether frames are composed with the caches (false: Ink's own `Output.get`). */
  enabled: boolean;
  /** The installed Ink's version, or null when it is not one this module was checked against. */
  checkedInk: string | null;
}

/**
 * Composes Ink's frames with the cross-frame caches (`true`) or with Ink's own code (`false`). Idempotent;
 * returns what is in force. On an Ink version this module was not checked against it changes nothing.
 */
export function setFrameCache(enabled: boolean): FrameCacheState {
  if (!inkOutput) return { enabled: false, checkedInk: null };
  inkOutput.Output.prototype.get = enabled ? cachedGet : inkOutput.get;
  if (!enabled) {
    rows.clear();
    styledLines.clear();
  }
  return { enabled, checkedInk: inkOutput.version };
}

/** Ink's `Output`, its own `get` and this module's, for the tests that hold one to the other. */
export function outputGetters(): { Output: OutputClass; ink: Get; cached: Get } | null {
  return inkOutput ? { Output: inkOutput.Output, ink: inkOutput.get, cached: cachedGet } : null;
}
