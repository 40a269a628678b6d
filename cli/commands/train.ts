import path from 'node:path';
import { DEFAULT_ENVIRONMENT } from '../../shared/index.js';
import { type RunHandle, type RunOptions, startRun } from '../../supervisor/index.js';
import { formatSummary, renderDashboard, startHeadlessReporter } from '../../tui/index.js';
import { dataOptions, planCounts, planFlags, resultsOption, toDataSettings } from '../arguments.js';
import { defineCommand } from '../define-command.js';
import { logLine, maybeStartHttp, viewOptions, wantsInk } from '../views.js';

/** `trading-workers train`: what ./start_training.sh runs. */
export const trainCommand = defineCommand({
  command: 'train',
  describe: 'plan the run, launch the workers, watch and steer them (what ./start_training.sh runs)',
  builder: (y) =>
    planFlags(resultsOption(viewOptions(dataOptions(y))))
      .option('runtime', {
        choices: ['local', 'docker', 'swarm'] as const,
        default: 'local' as const,
        describe: 'where workers run: local processes, Docker Compose services, Docker Swarm services',
      })
      .option('watch-poll', {
        type: 'boolean',
        describe:
          'watch the results folder by polling: for shared storage (NFS), where file events do not cross machines',
      })
      .option('models', { type: 'string', default: 'models', describe: 'saved models folder' })
      .option('fresh', {
        type: 'boolean',
        describe: 'start over instead of resuming the run in --results',
      }),
  handler: async (a) => {
    const options: RunOptions = {
      ...planCounts(a),
      data: toDataSettings(a),
      environment: DEFAULT_ENVIRONMENT,
      seed: a.seed,
      resultsDir: path.resolve(a.results),
      modelsDir: path.resolve(a.models),
      runtime: a.runtime,
      fresh: Boolean(a.fresh),
      usePolling: Boolean(a.watchPoll),
    };
    let signals = 0;
    let handle: RunHandle | null = null;
    let stopAsked: string | null = null;
    // Installed before the run starts: containers can take a minute to come up, and a Ctrl-C then
    // must stop them rather than kill the supervisor and leave them running.
    const onSignal = (signal: NodeJS.Signals) => {
      signals++;
      if (signals > 1) logLine(`${signal} again: stopping now`);
      stopAsked = `received ${signal}`;
      if (handle) void handle.stop(stopAsked);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      handle = await startRun(options);
    } catch (error) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      throw error;
    }
    if (stopAsked) void handle.stop(stopAsked);
    const http = await maybeStartHttp(a, handle.store, logLine);
    try {
      if (wantsInk(a)) {
        const ui = renderDashboard({
          store: handle.store,
          mode: 'run',
          actions: {
            send: handle.send,
            quit: () => void handle.stop('quit from the dashboard'),
            canControl: true,
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
  },
});
