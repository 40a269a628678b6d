import path from 'node:path';
import { attachRun } from '../../supervisor/index.js';
import { renderDashboard, startHeadlessReporter } from '../../tui/index.js';
import { resultsOption } from '../arguments.js';
import { defineCommand } from '../define-command.js';
import { logLine, maybeStartHttp, readHttpToken, viewOptions, wantsInk } from '../views.js';

/** `trading-workers dashboard`: attaches to a run started elsewhere by watching its results folder. */
export const dashboardCommand = defineCommand({
  command: 'dashboard',
  describe: 'attach to a run started elsewhere by watching its results folder',
  builder: (y) => resultsOption(viewOptions(y)),
  handler: async (a) => {
    const httpToken = readHttpToken(a);
    const attached = await attachRun(path.resolve(a.results));
    const http = await maybeStartHttp(a, httpToken, attached.store, logLine);
    try {
      if (wantsInk(a)) {
        const ui = renderDashboard({
          store: attached.store,
          mode: 'attach',
          actions: {
            send: attached.send,
            quit: () => ui.unmount(),
          },
        });
        await ui.waitUntilExit();
        return 0;
      }
      // Headless attach: print lines until the run finishes or the viewer is interrupted.
      const reporter = startHeadlessReporter({
        store: attached.store,
        write: (line) => process.stdout.write(`${line}\n`),
      });
      await new Promise<void>((resolve) => {
        const unsubscribe = attached.store.subscribe(() => {
          if (attached.store.getSnapshot().finished && http === null) {
            unsubscribe();
            resolve();
          }
        });
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      reporter.stop();
      process.stdout.write(`${reporter.summary()}\n`);
      return 0;
    } finally {
      await http?.close();
      await attached.close();
    }
  },
});
