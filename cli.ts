#!/usr/bin/env node
// The entry point of `trading-workers` (and of ./start_training.sh): registers the commands of
// cli/commands/, one file each. cli/ is the composition root, the only place that imports both
// supervisor/ and tui/ (STYLE.md).
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { backtestCommand } from './cli/commands/backtest.js';
import { dashboardCommand } from './cli/commands/dashboard.js';
import { ensembleCommand } from './cli/commands/ensemble.js';
import { paperCommand } from './cli/commands/paper.js';
import { predictCommand } from './cli/commands/predict.js';
import { restartCommand } from './cli/commands/restart.js';
import { trainCommand } from './cli/commands/train.js';
import { trainPairCommand } from './cli/commands/train-pair.js';
import { EXIT } from './cli/exit-codes.js';

await yargs(hideBin(process.argv))
  .scriptName('trading-workers')
  .usage('$0 <command> [options]\n\nTrain DQN trading agents on hourly crypto candles in parallel workers.')
  .command(trainCommand)
  .command(trainPairCommand)
  .command(dashboardCommand)
  .command(restartCommand)
  .command(backtestCommand)
  .command(predictCommand)
  .command(paperCommand)
  .command(ensembleCommand)
  .demandCommand(
    1,
    'name a command: train, train-pair, dashboard, restart, backtest, predict, paper or ensemble',
  )
  .strict()
  .fail((message, error) => {
    if (error) throw error;
    process.stderr.write(`trading-workers: ${message}\nRun with --help for usage.\n`);
    process.exit(EXIT.usage);
  })
  .help()
  .wrap(Math.min(110, process.stdout.columns || 100))
  .parseAsync();
