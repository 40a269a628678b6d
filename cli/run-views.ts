import type { HttpMirrorInfo, StateStore, SupervisorCommand } from '../shared/index.js';
import { formatSummary, renderDashboard, startHeadlessReporter } from '../tui/index.js';
import { logLine, maybeStartHttp, type ViewArgs, wantsInk } from './views.js';

/** What a view needs of a run started in this process. */
export interface ViewedRun {
  store: StateStore;
  send(command: SupervisorCommand): Promise<string>;
  stop(reason?: string): Promise<void>;
  setHttpMirror(info: HttpMirrorInfo): void;
  done: Promise<{ exitCode: number }>;
}

/**
 * Shows a run until it ends — the dashboard on a terminal, plain lines otherwise, and the HTTP
 * mirror when asked — stopping it gracefully on SIGINT/SIGTERM; prints the summary and returns
 * the run's exit code.
 */
export async function showRun(
  handle: ViewedRun,
  argv: ViewArgs,
  httpToken: string | undefined,
): Promise<number> {
  const http = await maybeStartHttp(argv, httpToken, handle.store, handle.setHttpMirror, logLine);
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) logLine(`${signal} again: stopping now`);
    void handle.stop(`received ${signal}`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    if (wantsInk(argv)) {
      const ui = await renderDashboard({
        store: handle.store,
        mode: 'run',
        actions: {
          send: handle.send,
          quit: () => void handle.stop('quit from the dashboard'),
        },
      });
      const { exitCode } = await handle.done;
      // The finished run stays on screen until the user presses q (no confirmation needed then).
      await ui.waitUntilExit().catch((error: Error) => logLine(`dashboard crashed: ${error.message}`));
      process.stdout.write(`${formatSummary(handle.store.getSnapshot())}\n`);
      return exitCode;
    }
    const reporter = startHeadlessReporter({
      store: handle.store,
      write: (line) => process.stdout.write(`${line}\n`),
    });
    const { exitCode } = await handle.done;
    reporter.stop();
    process.stdout.write(`${reporter.summary()}\n`);
    return exitCode;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await http?.close();
  }
}
