import path from 'node:path';
import type { PaperFeed } from '../../shared/index.js';
import { checkPlanNumber, pairsWithModels, resolvePairModel, startPaperRun } from '../../supervisor/index.js';
import { costArguments, costOptions, parsePairs, timeArgument } from '../arguments.js';
import { defineCommand } from '../define-command.js';
import { UsageError } from '../exit-codes.js';
import { showRun } from '../run-views.js';
import { logLine, readHttpToken, viewOptions } from '../views.js';

/** `trading-workers paper`: paper traders (one per pair) as workers of the supervisor. */
export const paperCommand = defineCommand({
  command: 'paper',
  describe: 'paper trade a run’s models, one trader per pair, live on Yahoo or replaying stored candles',
  examples: [
    ['$0 paper --models models --pairs BTC-USD,ETH-USD', 'trade live, once per closed hour'],
    [
      '$0 paper --models models --replay ../shared/data --speed 3600',
      'replay stored candles, an hour a second',
    ],
  ],
  builder: (y) =>
    costOptions(viewOptions(y))
      .option('results', {
        type: 'string',
        default: 'paper-results',
        describe: 'folder for the ledgers, statuses, logs and the report',
      })
      .option('models', { type: 'string', default: 'models', describe: 'the run’s models folder' })
      .option('pairs', {
        type: 'string',
        describe: 'comma-separated symbols (default: every pair with a model)',
      })
      .option('prefer', {
        choices: ['ensemble', 'best'] as const,
        default: 'ensemble' as const,
        describe: 'trade with the pair’s ensemble when there is one, or its best model',
      })
      .option('workers', { type: 'number', describe: 'worker processes (default: one per pair, at most 4)' })
      .option('replay', {
        type: 'string',
        describe: 'replay PAIR_data.csv files from DIR instead of trading live',
      })
      .option('speed', { type: 'number', default: 3600, describe: 'replay speed: hours of candles per hour' })
      .option('from', {
        type: 'string',
        describe: 'replay: first candle (default the model’s held-out start)',
      })
      .option('to', { type: 'string', describe: 'replay: last candle (default the end of the file)' })
      .option('poll', {
        type: 'number',
        default: 60,
        describe: 'live: seconds between polls while a candle is due',
      })
      .option('runtime', {
        choices: ['local', 'docker', 'swarm'] as const,
        default: 'local' as const,
        describe: 'where workers run: local processes, Docker Compose services, Docker Swarm services',
      })
      .option('data', { type: 'string', default: 'data', describe: 'cache folder (mounted for containers)' })
      .option('fresh', {
        type: 'boolean',
        describe: 'start over: remove this folder’s paper run, its ledgers included',
      }),
  handler: async (a) => {
    const models = path.resolve(a.models);
    const pairs = a.pairs ? parsePairs(a.pairs) : await pairsWithModels(models);
    if (pairs.length === 0)
      throw new UsageError(`--models ${models}: no model or ensemble found; train first or name --models`);
    const resolved: Record<string, string> = {};
    for (const pair of pairs) {
      try {
        const model = await resolvePairModel(models, pair, a.prefer);
        resolved[pair] = model.path;
        logLine(`${pair}: ${model.kind} ${model.path}`);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    }
    if (a.replay === undefined && (a.from !== undefined || a.to !== undefined)) {
      throw new UsageError('--from and --to choose the hours of a replay: add --replay DIR');
    }
    if (!(a.speed > 0 && Number.isFinite(a.speed)))
      throw new UsageError(`--speed must be a positive number, got ${a.speed}`);
    if (!(a.poll > 0 && Number.isFinite(a.poll)))
      throw new UsageError(`--poll must be a positive number of seconds, got ${a.poll}`);
    const from = timeArgument(a.from, 'from');
    const to = timeArgument(a.to, 'to');
    const feed: PaperFeed =
      a.replay === undefined
        ? { mode: 'live', pollSeconds: a.poll }
        : {
            mode: 'replay',
            dir: path.resolve(a.replay),
            speed: a.speed,
            from: from === null ? null : new Date(from).toISOString(),
            to: to === null ? null : new Date(to).toISOString(),
          };
    // Read before anything starts: a token given on the command line is refused.
    const httpToken = readHttpToken(a);
    const handle = await startPaperRun({
      workers: a.workers === undefined ? Math.min(4, pairs.length) : checkPlanNumber('workers', a.workers),
      pairs,
      models: resolved,
      feed,
      ...costArguments(a),
      resultsDir: path.resolve(a.results),
      modelsDir: models,
      cacheDir: path.resolve(a.data),
      runtime: a.runtime,
      fresh: Boolean(a.fresh),
    });
    for (const note of handle.plan.notes) logLine(note);
    if (handle.resumed) logLine(`resuming paper run ${handle.plan.runId}: each trader continues its ledger`);
    return showRun(handle, a, httpToken);
  },
});
