import { type Key, useInput } from 'ink';

/** Hands every key press to `onKey`; rendered only when stdin supports raw mode (never Ink's raw-mode error). */
export function KeyInput({ onKey }: { onKey: (input: string, key: Key) => void }) {
  useInput(onKey);
  return null;
}
