/** Switches to the alternate screen buffer and homes the cursor (xterm `?1049h`, tmux and every SSH terminal). */
export const ENTER_ALTERNATE_SCREEN = '\u001B[?1049h\u001B[2J\u001B[H';
/** Shows the cursor again and goes back to the normal screen with its scrollback intact. */
export const LEAVE_ALTERNATE_SCREEN = '\u001B[?25h\u001B[?1049l';

export interface AlternateScreen {
  /** Leaves the alternate screen; safe to call more than once. */
  restore(): void;
}

/**
 * Enters the alternate screen on `stdout` and guarantees it is left again: on `restore()`, and on process
 * exit (a crash or a `process.exit` elsewhere) through an `exit` hook.
 */
export function enterAlternateScreen(stdout: NodeJS.WriteStream): AlternateScreen {
  let active = true;
  const restore = () => {
    if (!active) return;
    active = false;
    process.off('exit', restore);
    try {
      stdout.write(LEAVE_ALTERNATE_SCREEN);
    } catch {
      // stdout may already be closed while the process exits; nothing left to restore then.
    }
  };
  stdout.write(ENTER_ALTERNATE_SCREEN);
  process.on('exit', restore);
  return { restore };
}
