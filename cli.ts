#!/usr/bin/env node
// The composition root: parses arguments and wires the supervisor to the views. The only file that
// imports both supervisor/ and tui/ (STYLE.md).
import path from 'node:path';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import {
  type DataSettings,
  type DataSource,
  DEFAULT_ENVIRONMENT,
  DEFAULT_PAIRS,
  parsePairSymbol,
  type StateStore,
  VARIANTS,
} from './shared/index.js';
import { attachRun, type RunOptions, sendCommandFile, startRun } from './supervisor/index.js';
import { formatSummary, renderDashboard, startHeadlessReporter, startHttpMirror } from './tui/index.js';
import { runTrainPairCommand } from './worker/train-pair-command.js';

/** Exit code for bad arguments, as the README promises. */
const EXIT_USAGE = 2;

class UsageError extends Error {}

interface DataArgs {
  days: number;
  data: string;
  'data-dir'?: string;
  offline?: boolean;
  synthetic?: boolean;
  refresh?: boolean;
}

function dataOptions<T>(y: Argv<T>) {
  return y
    .option('days', {
      type: 'number',
      default: 365,
      describe: 'days of hourly candles (Yahoo serves up to 730)',
    })
    .option('data', { type: 'string', default: 'data', describe: 'cache folder of PAIR_data.csv files' })
    .option('data-dir', { type: 'string', describe: 'read PAIR_data.csv files from DIR only (no network)' })
    .option('offline', { type: 'boolean', describe: 'never touch the network: cached CSVs only' })
    .option('synthetic', {
      type: 'boolean',
      describe: 'seeded synthetic hourly market (demo without network)',
    })
    .option('refresh', { type: 'boolean', describe: 'download again even when the cache covers the period' })
    .conflicts('data-dir', ['offline', 'synthetic'])
    .conflicts('offline', ['synthetic', 'refresh']);
}

/** Turns the data flags into the contract's DataSettings; the source is never chosen silently. */
function toDataSettings(argv: DataArgs): DataSettings {
  if (!Number.isInteger(argv.days) || argv.days < 1 || argv.days > 730) {
    throw new UsageError(`--days must be a whole number from 1 to 730, got ${argv.days}`);
  }
  let source: DataSource = 'yahoo';
  if (argv['data-dir']) source = 'data-dir';
  else if (argv.offline) source = 'offline';
  else if (argv.synthetic) source = 'synthetic';
  return {
    source,
    days: argv.days,
    interval: '1h',
    cacheDir: path.resolve(argv.data),
    dataDir: argv['data-dir'] ? path.resolve(argv['data-dir']) : null,
    refresh: Boolean(argv.refresh),
  };
}

function positiveInt(name: string, value: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new UsageError(`--${name} must be a whole number from 1 to ${max}, got ${value}`);
  }
  return value;
}

/** A Yahoo symbol from the command line; a bad one is a usage error (exit 2) naming it. */
function pairArgument(input: string, option = ''): string {
  try {
    return parsePairSymbol(input);
  } catch (error) {
    throw new UsageError(`${option}${(error as Error).message}`);
  }
}

function parsePairs(list: string | undefined): string[] {
  if (!list) return [...DEFAULT_PAIRS];
  const pairs = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((p) => pairArgument(p, '--pairs: '));
  if (pairs.length === 0) throw new UsageError('--pairs is empty');
  const dup = pairs.find((p, i) => pairs.indexOf(p) !== i);
  if (dup) throw new UsageError(`--pairs names ${dup} twice`);
  return pairs;
}

interface ViewArgs {
  headless?: boolean;
  http?: number;
  'http-host': string;
  'http-token'?: string;
}

/** True under CI, read as Ink reads it (`CI=false` or `CI=0` means not in CI). */
function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return ['CI', 'CONTINUOUS_INTEGRATION'].some(
    (key) => key in env && env[key] !== '0' && env[key] !== 'false',
  );
}

/** The terminal dashboard needs a TTY on both ends and no CI; anything else gets the headless view. */
function wantsInk(argv: ViewArgs): boolean {
  return !argv.headless && Boolean(process.stdout.isTTY && process.stdin.isTTY) && !inCi();
}

async function maybeStartHttp(argv: ViewArgs, store: StateStore, log: (line: string) => void) {
  if (argv.http === undefined) return null;
  try {
    const mirror = await startHttpMirror({
      store,
      host: argv['http-host'],
      port: argv.http,
      token: argv['http-token'] ?? process.env.TRADING_WORKERS_HTTP_TOKEN,
    });
    log(`HTTP mirror: ${mirror.url}`);
    return mirror;
  } catch (error) {
    // The mirror is optional: the run goes on without it.
    log(`HTTP mirror not started: ${(error as Error).message}`);
    return null;
  }
}

function viewOptions<T>(y: Argv<T>) {
  return y
    .option('headless', {
      type: 'boolean',
      describe: 'plain lines instead of the dashboard (automatic without a TTY or with CI set)',
    })
    .option('http', {
      type: 'number',
      describe: 'serve the read-only HTTP mirror on PORT (default 8502)',
      coerce: (v: unknown) => (v === '' || v === true ? 8502 : Number(v)),
    })
    .option('http-host', { type: 'string', default: '127.0.0.1', describe: 'address to bind the mirror to' })
    .option('http-token', {
      type: 'string',
      describe: 'token required off loopback (or TRADING_WORKERS_HTTP_TOKEN)',
    });
}

async function trainCommand(argv: Record<string, unknown>): Promise<number> {
  const a = argv as unknown as DataArgs &
    ViewArgs & {
      workers: number;
      pairs?: string;
      variants: number;
      episodes: number;
      runtime: 'local' | 'docker';
      seed: number;
      results: string;
      models: string;
      fresh?: boolean;
    };
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
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const handle = await startRun(options);
  const http = await maybeStartHttp(a, handle.store, log);
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      log(`${signal} again: stopping now`);
    }
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
      await ui.waitUntilExit().catch((error: Error) => log(`dashboard crashed: ${error.message}`));
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

async function dashboardCommand(argv: Record<string, unknown>): Promise<number> {
  const a = argv as unknown as ViewArgs & { results: string };
  const attached = await attachRun(path.resolve(a.results));
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const http = await maybeStartHttp(a, attached.store, log);
  try {
    if (wantsInk(a)) {
      const ui = renderDashboard({
        store: attached.store,
        mode: 'attach',
        actions: {
          send: attached.send,
          quit: () => ui.unmount(),
          get canControl() {
            return attached.canControl();
          },
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
}

async function restartCommand(argv: Record<string, unknown>): Promise<number> {
  const a = argv as unknown as { worker: string; results: string };
  const command =
    a.worker === 'failed'
      ? ({ type: 'restart-failed' } as const)
      : ({ type: 'restart', workerId: positiveInt('worker', Number(a.worker), 64) } as const);
  const outcome = await sendCommandFile(path.resolve(a.results), command);
  process.stdout.write(`${outcome.message}\n`);
  return outcome.delivered ? 0 : 1;
}

/** Runs a command handler and maps usage errors to exit code 2 with a one-line message. */
function run(handler: (argv: Record<string, unknown>) => Promise<number>) {
  return async (argv: Record<string, unknown>) => {
    try {
      process.exitCode = await handler(argv);
    } catch (error) {
      process.stderr.write(`trading-workers: ${(error as Error).message}\n`);
      process.exitCode = error instanceof UsageError ? EXIT_USAGE : 1;
    }
  };
}

await yargs(hideBin(process.argv))
  .scriptName('trading-workers')
  .usage('$0 <command> [options]\n\nTrain DQN trading agents on hourly crypto candles in parallel workers.')
  .command(
    'train',
    'plan the run, launch the workers, watch and steer them (what ./start_training.sh runs)',
    (y) =>
      viewOptions(dataOptions(y))
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
        .option('results', {
          type: 'string',
          default: 'results',
          describe: 'status, results and report folder',
        })
        .option('models', { type: 'string', default: 'models', describe: 'saved models folder' })
        .option('fresh', {
          type: 'boolean',
          describe: 'start over instead of resuming the run in --results',
        }),
    run(trainCommand),
  )
  .command(
    'train-pair <pair>',
    'train and evaluate one job in this process (the worker loop without the supervisor)',
    (y) =>
      dataOptions(y)
        .positional('pair', { type: 'string', demandOption: true, describe: 'Yahoo symbol, e.g. BTC-USD' })
        .option('variant', {
          choices: VARIANTS.map((v) => v.name),
          default: 'base',
          describe: 'hyperparameter variant',
        })
        .option('episodes', { type: 'number', default: 10, describe: 'training episodes' })
        .option('seed', { type: 'number', default: 42, describe: 'seed' })
        .option('out', { type: 'string', default: 'models', describe: 'folder the model is saved under' })
        .option('engine', {
          choices: ['js', 'tfjs'] as const,
          default: 'js' as const,
          describe: 'training engine',
        })
        .option('json', { type: 'boolean', describe: 'print one JSON object instead of a table' }),
    run(async (argv) => {
      const a = argv as unknown as DataArgs & {
        pair: string;
        variant: string;
        episodes: number;
        seed: number;
        out: string;
        engine: 'js' | 'tfjs';
        json?: boolean;
      };
      return runTrainPairCommand({
        pair: pairArgument(a.pair),
        variant: a.variant,
        episodes: positiveInt('episodes', a.episodes, 10_000),
        data: toDataSettings(a),
        seed: a.seed,
        outDir: path.resolve(a.out),
        engine: a.engine,
        json: Boolean(a.json),
      });
    }),
  )
  .command(
    'dashboard',
    'attach to a run started elsewhere by watching its results folder',
    (y) =>
      viewOptions(y).option('results', {
        type: 'string',
        default: 'results',
        describe: 'the run’s results folder',
      }),
    run(dashboardCommand),
  )
  .command(
    'restart <worker>',
    'ask the running supervisor to restart worker N (or "failed" for every failed worker)',
    (y) =>
      y
        .positional('worker', { type: 'string', demandOption: true })
        .option('results', { type: 'string', default: 'results', describe: 'the run’s results folder' }),
    run(restartCommand),
  )
  .demandCommand(1, 'name a command: train, train-pair, dashboard or restart')
  .strict()
  .fail((message, error) => {
    if (error) throw error;
    process.stderr.write(`trading-workers: ${message}\nRun with --help for usage.\n`);
    process.exit(EXIT_USAGE);
  })
  .help()
  .wrap(Math.min(110, process.stdout.columns || 100))
  .parseAsync();
