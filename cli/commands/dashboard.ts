import path from 'node:path';
import { attachRun } from '../../supervisor/index.js';
import { formatSummary, renderDashboard, startHeadlessReporter, wantsColor } from '../../tui/index.js';
import { resultsOption } from '../arguments.js';
import { defineCommand } from '../define-command.js';
import { EXIT } from '../exit-codes.js';
import { preflightRunFolderCommand } from '../preflight.js';
import { logLine, maybeStartHttp, readHttpToken, viewOptions, wantsInk } from '../views.js';

/** `trading-workers dashboard`: attaches to a run started elsewhere by watching its results folder. */
export const dashboardCommand = defineCommand({
  command: 'dashboard',
  describe: 'attach to a run started elsewhere by watching its results folder',
  examples: [
    ['$0 dashboard --results results', 'watch (and steer) the run writing into results/'],
    ['$0 dashboard --headless', 'plain lines until the run finishes'],
    ['$0 dashboard --http 8600', 'also serve the web page of that run on port 8600'],
  ],
  builder: (y) => resultsOption(viewOptions(y)),
  handler: async (a) => {
    const resultsDir = path.resolve(a.results);
    await preflightRunFolderCommand(resultsDir, a);
    const httpToken = readHttpToken(a);
    const attached = await attachRun(resultsDir);
    const http = await maybeStartHttp(a, httpToken, attached.store, attached.setHttpMirror, logLine);
    try {
      if (wantsInk(a)) {
        const ui = await renderDashboard({
          store: attached.store,
          mode: 'attach',
          actions: {
            send: attached.send,
            quit: () => ui.unmount(),
          },
        });
        await ui.waitUntilExit();
        return EXIT.ok;
      }
      // Headless attach: print lines until the run finishes or the viewer is interrupted.
      const reporter = startHeadlessReporter({
        store: attached.store,
        write: (line) => process.stdout.write(`${line}\n`),
        color: wantsColor(process.env, process.stdout),
      });
      const ended = await new Promise<'finished' | NodeJS.Signals>((resolve) => {
        const unsubscribe = attached.store.subscribe(() => {
          if (attached.store.getSnapshot().finished && http === null) {
            unsubscribe();
            resolve('finished');
          }
        });
        if (attached.store.getSnapshot().finished && http === null) resolve('finished');
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      });
      reporter.stop();
      process.stdout.write(`${formatSummary(attached.store.getSnapshot())}\n`);
      if (ended === 'SIGINT') return EXIT.interrupted;
      if (ended === 'SIGTERM') return EXIT.terminated;
      return EXIT.ok;
    } finally {
      await http?.close();
      await attached.close();
    }
  },
});
