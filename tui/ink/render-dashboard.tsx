import { render } from 'ink';
import { type ReactNode, useLayoutEffect } from 'react';
import type { DashboardActions, StateStore } from '../../shared/index.js';
import { enterAlternateScreen } from './alternate-screen.js';
import { DashboardApp } from './app.js';
import { DashboardErrorBoundary } from './error-boundary.js';
import { setFrameCache } from './frame-cache.js';

export interface RenderDashboardOptions {
  store: StateStore;
  actions: DashboardActions;
  mode: 'run' | 'attach';
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

/** How the dashboard asks Ink to draw; the fleet bench draws with the same. */
export const DASHBOARD_INK_OPTIONS = {
  // Ctrl-C is a key of ours (quit, and in a run stop it gracefully), not Ink's hard exit.
  exitOnCtrlC: false,
  // Not `incrementalRendering`: it rewrites only changed lines (half the bytes of a fleet frame, measured
  // by the fleet bench) but leaves the screen garbled after a resize (the tmux tests caught it).
} as const;

export interface DashboardHandle {
  /** Settles when the dashboard closed (a quit key, Ctrl-C or `unmount()`); rejects with a render crash. */
  waitUntilExit(): Promise<void>;
  /** Closes the dashboard from outside (e.g. the run ended and the caller is done). */
  unmount(): void;
}

/**
 * Draws the full-screen dashboard on the alternate screen until quit, then gives the terminal back as it
 * was (also after a crash, Ctrl-C or process exit). The caller owns the run: `actions.quit()` tells it the
 * user asked to leave. Needs a TTY stdin for keys; without raw mode it still draws but ignores keys.
 */
export function renderDashboard({
  store,
  actions,
  mode,
  stdin,
  stdout,
}: RenderDashboardOptions): DashboardHandle {
  const out = stdout ?? process.stdout;
  // Frames reuse the rows that did not change (see frame-cache.ts).
  setFrameCache(true);
  const screen = enterAlternateScreen(out);
  let instance: ReturnType<typeof render>;
  try {
    instance = render(
      <RestoreOnUnmount restore={screen.restore}>
        <DashboardErrorBoundary>
          <DashboardApp store={store} actions={actions} mode={mode} />
        </DashboardErrorBoundary>
      </RestoreOnUnmount>,
      {
        stdout: out,
        stdin: stdin ?? process.stdin,
        ...DASHBOARD_INK_OPTIONS,
        // The issue asks for at most about 10 redraws a second however fast the files change.
        maxFps: 10,
      },
    );
  } catch (error) {
    screen.restore();
    throw error;
  }
  const exited = instance.waitUntilExit().then(
    () => screen.restore(),
    (error: unknown) => {
      screen.restore();
      throw error;
    },
  );
  return {
    waitUntilExit: () => exited,
    unmount: () => instance.unmount(),
  };
}

// Ink unmounts synchronously on every way out (exit(), unmount(), and its own SIGTERM/SIGHUP hook, after
// which no promise callback runs), right after drawing its last frame: the one moment that covers them all.
function RestoreOnUnmount({ restore, children }: { restore: () => void; children: ReactNode }) {
  useLayoutEffect(() => restore, [restore]);
  return children;
}
