import path from 'node:path';
import { DEFAULT_ENVIRONMENT, DEFAULT_PAIRS, VARIANTS } from '../../shared/index.js';
import { type RunHandle, type RunOptions, startRun } from '../../supervisor/index.js';
import { formatSummary, renderDashboard, startHeadlessReporter, wantsColor } from '../../tui/index.js';
import { buildRunEnsembles } from '../../worker/index.js';
import {
  dataOptions,
  evaluationOptions,
  planCounts,
  planFlags,
  resultsOption,
  toDataSettings,
  toEvaluationSettings,
} from '../arguments.js';
import { defineCommand } from '../define-command.js';
import { preflightTrainCommand } from '../preflight.js';
import { logLine, maybeStartHttp, viewOptions, wantsInk } from '../views.js';

/** `trading-workers train`: what ./start_training.sh runs. */
export const trainCommand = defineCommand({
  command: 'train',
  describe: 'plan the run, launch the workers, watch and steer them (what ./start_training.sh runs)',
  examples: [
    ['$0 train', `the default job: ${DEFAULT_PAIRS.length} pairs × ${VARIANTS.length} variants on 4 workers`],
    [
      '$0 train --pairs BTC-USD,ETH-USD --variants 2 --episodes 2 --data-dir ../shared/data',
      'a small run on CSV files, without network',
    ],
    ['$0 train --headless --json > report.json', 'progress on stderr, the final report as JSON on stdout'],
    ['$0 train --http', 'also serve the read-only web page on http://127.0.0.1:8502/'],
  ],
  builder: (y) =>
    planFlags(resultsOption(viewOptions(evaluationOptions(dataOptions(y)))))
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
      })
      .option('ensemble', {
        type: 'boolean',
        default: true,
        describe: 'at the end, each pair’s ensemble of the run’s models (--no-ensemble: skip)',
      })
      .option('json', {
        type: 'boolean',
        describe: 'print the final report as one JSON object on stdout (progress on stderr; no dashboard)',
      }),
  handler: async (a) => {
    const options: RunOptions = {
      ...planCounts(a),
      data: toDataSettings(a),
      environment: { ...DEFAULT_ENVIRONMENT, ...toEvaluationSettings(a) },
      seed: a.seed,
      resultsDir: path.resolve(a.results),
      modelsDir: path.resolve(a.models),
      runtime: a.runtime,
      fresh: Boolean(a.fresh),
      usePolling: Boolean(a.watchPoll),
    };
    // Every mistake the user can fix is found here, before a worker starts or a file is written.
    await preflightTrainCommand(options, a);
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
      handle = await startRun(options, a.ensemble ? { buildEnsembles: (run) => buildRunEnsembles(run) } : {});
    } catch (error) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      throw error;
    }
    const run = handle;
    if (stopAsked) void run.stop(stopAsked);
    const http = await maybeStartHttp(a, run.store, run.setHttpMirror, logLine);
    const summaryOptions = { fresh: options.fresh };
    try {
      if (!a.json && wantsInk(a)) {
        const ui = renderDashboard({
          store: run.store,
          mode: 'run',
          actions: {
            send: run.send,
            quit: () => void run.stop('quit from the dashboard'),
            canControl: true,
          },
        });
        const { exitCode } = await run.done;
        // The finished run stays on screen until the user presses q (no confirmation needed then).
        await ui.waitUntilExit().catch((error: Error) => logLine(`dashboard crashed: ${error.message}`));
        process.stdout.write(`${formatSummary(run.store.getSnapshot(), summaryOptions)}\n`);
        return exitCode;
      }
      // With --json, stdout carries the report alone: progress and the summary go to stderr.
      const write = a.json ? logLine : (line: string) => process.stdout.write(`${line}\n`);
      const reporter = startHeadlessReporter({
        store: run.store,
        write,
        color: wantsColor(process.env, a.json ? process.stderr : process.stdout),
      });
      const { exitCode, report } = await run.done;
      reporter.stop();
      write(formatSummary(run.store.getSnapshot(), summaryOptions));
      if (a.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      return exitCode;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await http?.close();
    }
  },
});
