import { type Key, useInput } from 'ink';

/**
 * Splits what Ink delivers as one input into single key presses. Ink hands a whole read from stdin
 * to `useInput` at once, and over SSH or tmux two quick keys (`1r`, `ry`) often arrive in one read;
 * unsplit, neither matched a binding and both were lost.
 */
export function splitKeyPresses(input: string, key: Key): [string, Key][] {
  const plain = !key.ctrl && !key.meta && !key.escape && input.length > 1 && !input.includes('\u001b');
  if (!plain) return [[input, key]];
  // Enter and Backspace inside such a read are keys of their own (`/err⏎` typed fast over SSH).
  return Array.from(input, (char) => [
    char,
    {
      ...key,
      shift: char !== char.toLowerCase(),
      return: char === '\r' || char === '\n',
      backspace: char === '\u007f' || char === '\b',
      tab: char === '\t',
    },
  ]);
}

/** Hands every key press to `onKey`; rendered only when stdin supports raw mode (never Ink's raw-mode error). */
export function KeyInput({ onKey }: { onKey: (input: string, key: Key) => void }) {
  useInput((input, key) => {
    for (const [char, k] of splitKeyPresses(input, key)) onKey(char, k);
  });
  return null;
}
