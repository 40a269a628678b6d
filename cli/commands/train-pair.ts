import path from 'node:path';
import { VARIANTS } from '../../shared/index.js';
import { checkPlanNumber, PLAN_LIMITS } from '../../supervisor/index.js';
import { runTrainPairCommand } from '../../worker/index.js';
import {
  dataOptions,
  evaluationOptions,
  pairArgument,
  toDataSettings,
  toEvaluationSettings,
} from '../arguments.js';
import { defineCommand } from '../define-command.js';
import { checkPairCandles } from '../preflight.js';

/** `trading-workers train-pair PAIR`: one job in this process, the worker loop without the supervisor. */
export const trainPairCommand = defineCommand({
  command: 'train-pair <pair>',
  describe: 'train and evaluate one job in this process (the worker loop without the supervisor)',
  examples: [
    [
      '$0 train-pair BTC-USD --data-dir ../shared/data --episodes 2',
      'one job on a CSV file, a table of metrics',
    ],
    ['$0 train-pair ETH-USD --variant fast-lr --json', 'one variant, the result as one JSON object'],
  ],
  builder: (y) =>
    evaluationOptions(dataOptions(y))
      .positional('pair', { type: 'string', demandOption: true, describe: 'Yahoo symbol, e.g. BTC-USD' })
      .option('variant', {
        choices: VARIANTS.map((v) => v.name),
        default: 'base',
        describe: 'hyperparameter variant',
      })
      .option('episodes', {
        type: 'number',
        default: 10,
        describe: `training episodes (at most ${PLAN_LIMITS.episodes.max.toLocaleString('en')})`,
      })
      .option('seed', { type: 'number', default: 42, describe: 'seed' })
      .option('out', { type: 'string', default: 'models', describe: 'folder the model is saved under' })
      .option('engine', {
        choices: ['js', 'tfjs'] as const,
        default: 'js' as const,
        describe: 'training engine',
      })
      .option('json', { type: 'boolean', describe: 'print one JSON object instead of a table' }),
  handler: async (a) => {
    const pair = pairArgument(a.pair);
    const data = toDataSettings(a);
    const episodes = checkPlanNumber('episodes', a.episodes);
    const environment = toEvaluationSettings(a);
    checkPlanNumber('seed', a.seed);
    await checkPairCandles(pair, data);
    return runTrainPairCommand({
      pair,
      variant: a.variant,
      episodes,
      data,
      environment,
      seed: a.seed,
      outDir: path.resolve(a.out),
      engine: a.engine,
      json: Boolean(a.json),
    });
  },
});
