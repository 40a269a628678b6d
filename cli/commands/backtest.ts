import path from 'node:path';
import { runBacktestCommand } from '../../worker/index.js';
import {
  ANNUALIZATION_OPTION,
  annualizationArgument,
  costArguments,
  costOptions,
  dataOptions,
  pairArgument,
  timeArgument,
  toDataSettings,
} from '../arguments.js';
import { defineCommand } from '../define-command.js';
import { UsageError } from '../exit-codes.js';

/** `trading-workers backtest MODEL_DIR`: a saved model or ensemble over any candles. */
export const backtestCommand = defineCommand({
  command: 'backtest <model>',
  describe: 'run a saved model or ensemble over candles; write trades.csv, equity.csv and its metrics',
  examples: [
    ['$0 backtest models/worker_1_BTC_USD_model --data-dir ../shared/data', 'a model on its held-out hours'],
    ['$0 backtest models/ensembles/BTC_USD --from 2023-12-01 --fee 0.2%', 'an ensemble over Yahoo candles'],
  ],
  builder: (y) =>
    costOptions(dataOptions(y))
      .positional('model', {
        type: 'string',
        demandOption: true,
        describe: 'model folder, or an ensemble (folder with ensemble.json, or the manifest)',
      })
      .option('pair', { type: 'string', describe: 'Yahoo symbol to test on (default: the model’s own)' })
      .option('from', {
        type: 'string',
        describe: 'first hour (ISO; default the model’s held-out start when the candles reach it)',
      })
      .option('to', { type: 'string', describe: 'last hour (ISO; default the last candle)' })
      .option('out', { type: 'string', describe: 'folder for the outputs (default backtests/<model name>)' })
      // A model folder does not record its run's annualisation: give the run's to compare its figures.
      .option(...ANNUALIZATION_OPTION)
      .option('json', { type: 'boolean', describe: 'print one JSON object instead of a table' }),
  handler: async (a) => {
    const from = timeArgument(a.from, 'from');
    const to = timeArgument(a.to, 'to');
    if (from !== null && to !== null && to <= from) throw new UsageError('--to must be after --from');
    return runBacktestCommand({
      model: path.resolve(a.model),
      pair: a.pair === undefined ? null : pairArgument(a.pair, '--pair: '),
      data: toDataSettings(a),
      from,
      to,
      ...costArguments(a),
      annualization: annualizationArgument(a.annualization),
      outDir: a.out === undefined ? null : path.resolve(a.out),
      json: Boolean(a.json),
    });
  },
});
