import path from 'node:path';
import { VARIANTS } from '../../shared/index.js';
import { runTrainPairCommand } from '../../worker/train-pair-command.js';
import {
  dataOptions,
  evaluationOptions,
  pairArgument,
  positiveInt,
  toDataSettings,
  toEvaluationSettings,
} from '../arguments.js';
import { defineCommand } from '../define-command.js';

/** `trading-workers train-pair PAIR`: one job in this process, the worker loop without the supervisor. */
export const trainPairCommand = defineCommand({
  command: 'train-pair <pair>',
  describe: 'train and evaluate one job in this process (the worker loop without the supervisor)',
  builder: (y) =>
    evaluationOptions(dataOptions(y))
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
  handler: async (a) =>
    runTrainPairCommand({
      pair: pairArgument(a.pair),
      variant: a.variant,
      episodes: positiveInt('episodes', a.episodes, 10_000),
      data: toDataSettings(a),
      environment: toEvaluationSettings(a),
      seed: a.seed,
      outDir: path.resolve(a.out),
      engine: a.engine,
      json: Boolean(a.json),
    }),
});
