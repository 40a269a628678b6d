import path from 'node:path';
import { sendCommandFile } from '../../supervisor/index.js';
import { positiveInt, resultsOption } from '../arguments.js';
import { defineCommand } from '../define-command.js';
import { EXIT } from '../exit-codes.js';

/** `trading-workers restart N|failed`: asks the running supervisor, through a command file. */
export const restartCommand = defineCommand({
  command: 'restart <worker>',
  describe: 'ask the running supervisor to restart worker N (or "failed" for every failed worker)',
  builder: (y) =>
    resultsOption(y).positional('worker', {
      type: 'string',
      demandOption: true,
      describe: 'a worker number, or "failed"',
    }),
  handler: async (a) => {
    const command =
      a.worker === 'failed'
        ? ({ type: 'restart-failed' } as const)
        : ({ type: 'restart', workerId: positiveInt('worker', Number(a.worker), 64) } as const);
    const outcome = await sendCommandFile(path.resolve(a.results), command);
    process.stdout.write(`${outcome.message}\n`);
    // Not delivered (no supervisor), or refused by it (no such worker, the run is ending): 1.
    return outcome.delivered && outcome.ok ? EXIT.ok : EXIT.failed;
  },
});
