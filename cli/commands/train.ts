import path from 'node:path';
import { DEFAULT_ENVIRONMENT, DEFAULT_PAIRS, VARIANTS } from '../../shared/index.js';
import {
  DEFAULT_RESTART_POLICY,
  HEADLESS_BATCH_MS,
  type RunHandle,
  type RunOptions,
  startRun,
  VIEW_BATCH_MS,
} from '../../supervisor/index.js';
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
import { EXIT_ON_SIGNAL, UsageError } from '../exit-codes.js';
import { preflightTrainCommand } from '../preflight.js';
import { commandLine, handleStopSignals } from '../stop-signals.js';
import { logLine, maybeStartHttp, readHttpToken, viewOptions, wantsInk } from '../views.js';

/** Longest `--stall-timeout` (a day): longer would only hide a hung worker. */
const MAX_STALL_SECONDS = 86_400;

/** `--stall-timeout SECONDS` as milliseconds; anything but a whole number of seconds in range is bad input. */
function stallTimeoutMs(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_STALL_SECONDS) {
    throw new UsageError(
      `--stall-timeout must be a whole number of seconds from 1 to ${MAX_STALL_SECONDS}, got ${String(seconds)}`,
    );
  }
  return seconds * 1000;
}

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
      .option('stall-timeout', {
        type: 'number',
        default: DEFAULT_RESTART_POLICY.stallAfterMs / 1000,
        describe: 'seconds without a heartbeat after which a worker counts as hung and is restarted',
      })
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
      restartPolicy: { stallAfterMs: stallTimeoutMs(a.stallTimeout) },
    };
    // Every mistake the user can fix is found here, before a worker starts or a file is written.
    await preflightTrainCommand(options, a);
    const httpToken = readHttpToken(a);
    const dashboard = !a.json && wantsInk(a);
    // Installed before the run starts: containers can take a minute to come up, and a signal then
    // must stop them rather than kill the supervisor and leave them running.
    let started: RunHandle | null = null;
    const asked: { stop?: string; kill?: string } = {};
    const signals = handleStopSignals(
      {
        stop: async (reason) => {
          asked.stop = reason;
          await started?.stop(reason);
        },
        kill: async (reason) => {
          asked.kill = reason;
          await started?.kill(reason);
        },
      },
      logLine,
    );
    let run: RunHandle;
    try {
      // Refused before anything started (the folder is another supervisor's, or holds no run for
      // --fresh): a RunRefusedError is an InputError, exit 2 as for bad arguments.
      run = await startRun(options, {
        ...(a.ensemble ? { buildEnsembles: (r) => buildRunEnsembles(r) } : {}),
        // The dashboard redraws once a second; headless lines come out per episode.
        batchMs: dashboard ? VIEW_BATCH_MS : HEADLESS_BATCH_MS,
        // Log lines are shown by the dashboard's pane and served by the mirror, never printed headless.
        followLogs: dashboard || a.http !== undefined,
      });
    } catch (error) {
      signals.dispose();
      throw error;
    }
    started = run;
    if (asked.kill) void run.kill(asked.kill);
    else if (asked.stop) void run.stop(asked.stop);
    for (const notice of run.notices) logLine(notice);
    const http = await maybeStartHttp(a, httpToken, run.store, run.setHttpMirror, logLine);
    // Exit codes after a stop: 130/143/129 by signal (the dashboard's Ctrl-C is a SIGINT), and a
    // last line saying how to resume.
    const conclude = (exitCode: number, outcome: string): number => {
      const by = signals.stoppedBy;
      if (outcome === 'stopped') {
        logLine(`stopped${by ? ` by ${by}` : ''}; rerun the same command to resume: ${commandLine()}`);
      }
      return by ? EXIT_ON_SIGNAL[by] : exitCode;
    };
    const summaryOptions = { fresh: options.fresh };
    try {
      if (dashboard) {
        const ui = await renderDashboard({
          store: run.store,
          mode: 'run',
          actions: {
            send: run.send,
            quit: (how) => {
              if (how?.interrupted) signals.interrupt();
              else void run.stop('quit from the dashboard');
            },
          },
        });
        const { exitCode, report } = await run.done;
        // The finished run stays on screen until the user presses q (no confirmation needed then).
        await ui.waitUntilExit().catch((error: Error) => logLine(`dashboard crashed: ${error.message}`));
        process.stdout.write(`${formatSummary(run.store.getSnapshot(), summaryOptions)}\n`);
        return conclude(exitCode, report.outcome);
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
      return conclude(exitCode, report.outcome);
    } finally {
      signals.dispose();
      await http?.close();
    }
  },
});
