import path from 'node:path';
import { DEFAULT_ENVIRONMENT, DEFAULT_PAIRS, VARIANTS } from '../../shared/index.js';
import { type RunOptions, startRun } from '../../supervisor/index.js';
import { formatSummary, renderDashboard, startHeadlessReporter } from '../../tui/index.js';
import { buildRunEnsembles } from '../../worker/run-ensembles.js';
import { dataOptions, parsePairs, positiveInt, resultsOption, toDataSettings } from '../arguments.js';
import { defineCommand } from '../define-command.js';
import { logLine, maybeStartHttp, viewOptions, wantsInk } from '../views.js';

/** `trading-workers train`: what ./start_training.sh runs. */
export const trainCommand = defineCommand({
  command: 'train',
  describe: 'plan the run, launch the workers, watch and steer them (what ./start_training.sh runs)',
  builder: (y) =>
    resultsOption(viewOptions(dataOptions(y)))
      .option('workers', { type: 'number', default: 4, describe: 'parallel workers' })
      .option('pairs', {
        type: 'string',
        describe: `comma-separated Yahoo symbols (default the ${DEFAULT_PAIRS.length} seed pairs)`,
      })
      .option('variants', {
        type: 'number',
        default: VARIANTS.length,
        describe: 'hyperparameter variants per pair',
      })
      .option('episodes', { type: 'number', default: 10, describe: 'training episodes per job' })
      .option('runtime', {
        choices: ['local', 'docker'] as const,
        default: 'local' as const,
        describe: 'where workers run',
      })
      .option('seed', { type: 'number', default: 42, describe: 'seed of the whole run' })
      .option('models', { type: 'string', default: 'models', describe: 'saved models folder' })
      .option('fresh', {
        type: 'boolean',
        describe: 'start over instead of resuming the run in --results',
      })
      .option('ensemble', {
        type: 'boolean',
        default: true,
        describe: 'at the end, each pair’s ensemble of the run’s models (--no-ensemble: skip)',
      }),
  handler: async (a) => {
    const options: RunOptions = {
      workers: positiveInt('workers', a.workers, 64),
      pairs: parsePairs(a.pairs),
      variants: positiveInt('variants', a.variants, VARIANTS.length),
      episodes: positiveInt('episodes', a.episodes, 10_000),
      data: toDataSettings(a),
      environment: DEFAULT_ENVIRONMENT,
      seed: a.seed,
      resultsDir: path.resolve(a.results),
      modelsDir: path.resolve(a.models),
      runtime: a.runtime,
      fresh: Boolean(a.fresh),
    };
    const handle = await startRun(
      options,
      a.ensemble ? { buildEnsembles: (run) => buildRunEnsembles(run) } : {},
    );
    const http = await maybeStartHttp(a, handle.store, logLine);
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      signals++;
      if (signals > 1) logLine(`${signal} again: stopping now`);
      void handle.stop(`received ${signal}`);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
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
