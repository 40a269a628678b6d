#!/usr/bin/env node
// The entry point of `trading-workers` (and of ./start_training.sh): registers the commands of
// cli/commands/, one file each. cli/ is the composition root, the only place that imports both
// supervisor/ and tui/ (STYLE.md).
import './cli/production-mode.js';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { backtestCommand } from './cli/commands/backtest.js';
import { dashboardCommand } from './cli/commands/dashboard.js';
import { ensembleCommand } from './cli/commands/ensemble.js';
import { k8sManifestCommand } from './cli/commands/k8s-manifest.js';
import { logsCommand } from './cli/commands/logs.js';
import { paperCommand } from './cli/commands/paper.js';
import { predictCommand } from './cli/commands/predict.js';
import { restartCommand } from './cli/commands/restart.js';
import { statusCommand } from './cli/commands/status.js';
import { trainCommand } from './cli/commands/train.js';
import { trainPairCommand } from './cli/commands/train-pair.js';
import { EXIT } from './cli/exit-codes.js';

await yargs(hideBin(process.argv))
  .scriptName('trading-workers')
  .usage('$0 <command> [options]\n\nTrain DQN trading agents on hourly crypto candles in parallel workers.')
  .command(trainCommand)
  .command(trainPairCommand)
  .command(dashboardCommand)
  .command(statusCommand)
  .command(logsCommand)
  .command(restartCommand)
  .command(k8sManifestCommand)
  .command(backtestCommand)
  .command(predictCommand)
  .command(paperCommand)
  .command(ensembleCommand)
  .example('$0 train --data-dir ../shared/data', 'train the default plan on CSV files, with the dashboard')
  .example('$0 dashboard', 'watch a run started in another shell')
  .example('$0 status', 'one look at the run in results/')
  .example(
    '$0 backtest models/ensembles/BTC_USD --data-dir ../shared/data',
    'a pair’s ensemble on its held-out hours',
  )
  .epilogue(
    'Exit codes: 0 done, 1 a job or worker failed, 2 bad input (nothing started), 130/143 stopped by SIGINT/SIGTERM.',
  )
  .demandCommand(
    1,
    'name a command: train, train-pair, dashboard, status, logs, restart, k8s-manifest, backtest, predict, paper or ensemble',
  )
  .recommendCommands()
  .strict()
  .fail((message, error) => {
    if (error) throw error;
    process.stderr.write(`trading-workers: ${message}\nRun with --help for usage.\n`);
    process.exit(EXIT.usage);
  })
  .help()
  .alias('h', 'help')
  .wrap(Math.min(110, process.stdout.columns || 100))
  .parseAsync();
