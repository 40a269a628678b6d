import path from 'node:path';
import { runPredictCommand } from '../../worker/index.js';
import { dataOptions, pairArgument, toDataSettings } from '../arguments.js';
import { defineCommand } from '../define-command.js';

/** `trading-workers predict MODEL_DIR PAIR`: the action for the last closed hourly candle. */
export const predictCommand = defineCommand({
  command: 'predict <model> <pair>',
  describe: 'the action of a saved model or ensemble for the last closed hourly candle of a pair',
  examples: [
    ['$0 predict models/ensembles/BTC_USD BTC-USD', 'the action for the last closed hour on Yahoo'],
    ['$0 predict models/worker_1_BTC_USD_model BTC-USD --offline --position long', 'from the cache, holding'],
  ],
  builder: (y) =>
    dataOptions(y)
      .positional('model', {
        type: 'string',
        demandOption: true,
        describe: 'model folder, or an ensemble (folder with ensemble.json, or the manifest)',
      })
      .positional('pair', { type: 'string', demandOption: true, describe: 'Yahoo symbol, e.g. BTC-USD' })
      .option('position', {
        choices: ['flat', 'long'] as const,
        describe: 'the position you hold now (default: where its own decisions over the last 168 h led)',
      })
      .option('json', { type: 'boolean', describe: 'print one JSON object' }),
  handler: async (a) =>
    runPredictCommand({
      model: path.resolve(a.model),
      pair: pairArgument(a.pair),
      data: toDataSettings(a),
      position: a.position ?? null,
      json: Boolean(a.json),
    }),
});
