import {
  type AnsiCode,
  reduceAnsiCodesIncremental,
  styledCharsFromTokens,
  tokenize,
} from '@alcalzone/ansi-tokenize';
import { Memo } from './bounded-memo.js';

// Why this module exists (issue 12, frames at fleet size): the frame cache turns every changed line of the
// screen into styled characters, and `@alcalzone/ansi-tokenize` (what Ink itself uses) walks each line with
// `Intl.Segmenter`, about a microsecond a character. In a second of 256 workers nearly every row changes,
// and that was the largest part of a batch frame once text measuring was fast. The dashboard's lines are
// almost all printable ASCII, SGR colour codes and a few narrow symbols (● █ ░ ▸ ↻ ·), each of which is a
// grapheme of its own, so they need no segmenter. Lines of that kind are read here a code unit at a time;
// any other line (other escapes, marks, emoji, astral characters) goes to the library. The library stays
// the reference: `styled-line.test.ts` holds this to `styledCharsFromTokens(tokenize(line))` on every
// character the fast path accepts and on real dashboard lines.

export interface StyledChar {
  type: 'char';
  value: string;
  fullWidth: boolean;
  styles: AnsiCode[];
}

/**
 * Text whose code units are each a grapheme of their own: printable ASCII, Latin-1 and Latin Extended, and
 * the symbol blocks from General Punctuation to Miscellaneous Symbols and Arrows (U+2010–U+2BFF), without
 * marks, format or control characters (no combining sequence, joiner or variation selector can start there).
 */
const SIMPLE_TEXT = /^(?:[\x20-\x7e]|(?![\p{M}\p{C}])[\u00a0-\u02ff\u2010-\u2bff])*$/u;
/** What follows the escape character of an SGR sequence as the library parses it: digits and semicolons up to `m`. */
const SGR_BODY = /\[[0-9;]*m/y;

/** Distinct entries kept before a table starts again (a screen uses a few dozen). */
const TABLE_LIMIT = 1024;

/** The ANSI tokens of one SGR sequence, or null if the library reads it otherwise. */
const sgrTokens = new Memo<AnsiCode[] | null>(TABLE_LIMIT, (sequence) => {
  const tokens = tokenize(sequence);
  return tokens.every((token) => token.type === 'ansi') ? (tokens as AnsiCode[]) : null;
});
/** Whether a character takes two cells, as the library says. */
const fullWidths = new Memo<boolean>(
  TABLE_LIMIT,
  (character) => tokenizedLine(character)[0]?.fullWidth ?? false,
);

const isFullWidth = (character: string) => character.charCodeAt(0) >= 0x7f && fullWidths.get(character);

/** A line's styled characters as the library gives them (what Ink uses): the reference and the fallback. */
export function tokenizedLine(line: string): StyledChar[] {
  return styledCharsFromTokens(tokenize(line)) as StyledChar[];
}

/** The line's characters read a code unit at a time, or null when it is not made only of simple text and SGR. */
function simpleStyledChars(line: string): StyledChar[] | null {
  const chars: StyledChar[] = [];
  // Characters between two escapes share one styles array: nothing downstream writes to it.
  let styles: AnsiCode[] = [];
  let from = 0;
  while (from <= line.length) {
    const escapeAt = line.indexOf('\u001b', from);
    const to = escapeAt === -1 ? line.length : escapeAt;
    const run = line.slice(from, to);
    if (!SIMPLE_TEXT.test(run)) return null;
    for (let i = 0; i < run.length; i++) {
      const value = run[i]!;
      chars.push({ type: 'char', value, fullWidth: isFullWidth(value), styles });
    }
    if (escapeAt === -1) break;
    SGR_BODY.lastIndex = escapeAt + 1;
    const body = SGR_BODY.exec(line);
    const tokens = body ? sgrTokens.get(`\u001b${body[0]}`) : null;
    if (!body || !tokens) return null;
    // One token at a time, as the library folds them.
    for (const token of tokens) styles = reduceAnsiCodesIncremental(styles, [token]);
    from = SGR_BODY.lastIndex;
  }
  return chars;
}

/** A line's styled characters: what `styledCharsFromTokens(tokenize(line))` gives, faster on simple lines. */
export function styledLine(line: string): StyledChar[] {
  return simpleStyledChars(line) ?? tokenizedLine(line);
}

/** Whether `line` takes the fast path (for the tests and the bench). */
export function isSimpleLine(line: string): boolean {
  return simpleStyledChars(line) !== null;
}

function sameStyles(a: readonly AnsiCode[], b: readonly AnsiCode[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.code !== b[i]!.code) return false;
  return true;
}

/**
 * Neighbouring characters with the same styles merged into one: `styledCharsToString` emits no code
 * between two such characters (their style difference is empty), so its output is the same, and it diffs
 * styles once a run instead of once a character.
 */
export function mergeStyleRuns(chars: readonly StyledChar[]): StyledChar[] {
  const runs: StyledChar[] = [];
  let run: StyledChar | undefined;
  for (const char of chars) {
    if (run && sameStyles(run.styles, char.styles)) {
      run.value += char.value;
      continue;
    }
    run = { type: 'char', value: char.value, fullWidth: char.fullWidth, styles: char.styles };
    runs.push(run);
  }
  return runs;
}
