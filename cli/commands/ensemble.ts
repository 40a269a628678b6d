import path from 'node:path';
import { runEnsembleCommand } from '../../worker/index.js';
import { resultsOption } from '../arguments.js';
import { defineCommand } from '../define-command.js';

/** `trading-workers ensemble --results DIR`: each pair's ensemble of a run's models, evaluated out-of-sample. */
export const ensembleCommand = defineCommand({
  command: 'ensemble',
  describe: 'build and evaluate each pair’s ensemble (majority vote) of a finished run’s models',
  examples: [
    ['$0 ensemble --results results', 'the ensembles of the run in results/, evaluated out-of-sample'],
  ],
  builder: (y) =>
    resultsOption(y).option('json', {
      type: 'boolean',
      describe: 'print ensemble_results.json instead of a table',
    }),
  handler: async (a) => runEnsembleCommand({ resultsDir: path.resolve(a.results), json: Boolean(a.json) }),
});
