import path from 'node:path';
import { DEFAULT_ENVIRONMENT, DEFAULT_PAIRS, VARIANTS } from '../../shared/index.js';
import {
  DEFAULT_RESTART_POLICY,
  type RunOptions,
  RunRefusedError,
  startRun,
} from '../../supervisor/index.js';
import { formatSummary, renderDashboard, startHeadlessReporter } from '../../tui/index.js';
import { dataOptions, parsePairs, positiveInt, resultsOption, toDataSettings } from '../arguments.js';
import { defineCommand } from '../define-command.js';
import { EXIT_ON_SIGNAL, UsageError } from '../exit-codes.js';
import { commandLine, handleStopSignals } from '../stop-signals.js';
import { logLine, maybeStartHttp, readHttpToken, viewOptions, wantsInk } from '../views.js';

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
      .option('stall-timeout', {
        type: 'number',
        default: DEFAULT_RESTART_POLICY.stallAfterMs / 1000,
        describe: 'seconds without a heartbeat after which a worker counts as hung and is restarted',
      })
      .option('fresh', {
        type: 'boolean',
        describe: 'start over instead of resuming the run in --results',
      }),
  handler: async (a) => {
    const httpToken = readHttpToken(a);
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
      restartPolicy: { stallAfterMs: positiveInt('stall-timeout', a.stallTimeout, 86_400) * 1000 },
    };
    const handle = await startRun(options).catch((error: unknown) => {
      // Refused before anything started (the folder is another supervisor's, or holds no run for
      // --fresh): nothing was started or written, as for bad arguments.
      throw error instanceof RunRefusedError ? new UsageError(error.message) : error;
    });
    for (const notice of handle.notices) logLine(notice);
    const http = await maybeStartHttp(a, httpToken, handle.store, logLine);
    const signals = handleStopSignals(handle, logLine);
    // Exit codes after a stop: 130/143/129 by signal (the dashboard's Ctrl-C is a SIGINT), and a
    // last line saying how to resume.
    const conclude = (exitCode: number, outcome: string): number => {
      const by = signals.stoppedBy;
      if (outcome === 'stopped') {
        logLine(`stopped${by ? ` by ${by}` : ''}; rerun the same command to resume: ${commandLine()}`);
      }
      return by ? EXIT_ON_SIGNAL[by] : exitCode;
    };
    try {
      if (wantsInk(a)) {
        const ui = renderDashboard({
          store: handle.store,
          mode: 'run',
          actions: {
            send: handle.send,
            quit: (how) => {
              if (how?.interrupted) signals.interrupt();
              else void handle.stop('quit from the dashboard');
            },
          },
        });
        const { exitCode, report } = await handle.done;
        // The finished run stays on screen until the user presses q (no confirmation needed then).
        await ui.waitUntilExit().catch((error: Error) => logLine(`dashboard crashed: ${error.message}`));
        process.stdout.write(`${formatSummary(handle.store.getSnapshot())}\n`);
        return conclude(exitCode, report.outcome);
      }
      const reporter = startHeadlessReporter({
        store: handle.store,
        write: (line) => process.stdout.write(`${line}\n`),
      });
      const { exitCode, report } = await handle.done;
      reporter.stop();
      process.stdout.write(`${reporter.summary()}\n`);
      return conclude(exitCode, report.outcome);
    } finally {
      signals.dispose();
      await http?.close();
    }
  },
});
