import path from 'node:path';
import type { SupervisorCommand } from '../../shared/index.js';
import { PLAN_LIMITS, sendCommandFile } from '../../supervisor/index.js';
import { resultsOption } from '../arguments.js';
import { defineCommand } from '../define-command.js';

import { EXIT, UsageError } from '../exit-codes.js';

/** The command `restart WORKER` asks for: one worker by number, or every failed one. */
export function restartTarget(worker: string): SupervisorCommand {
  if (worker === 'failed') return { type: 'restart-failed' };
  const id = Number(worker);
  const { max } = PLAN_LIMITS.workers;
  if (!/^\d+$/.test(worker.trim()) || id < 1 || id > max) {
    throw new UsageError(`worker must be a number from 1 to ${max} or "failed", got "${worker}"`);
  }
  return { type: 'restart', workerId: id };
}

/** `trading-workers restart N|failed`: asks the running supervisor, through a command file. */
export const restartCommand = defineCommand({
  command: 'restart <worker>',
  describe: 'ask the running supervisor to restart worker N (or "failed" for every failed worker)',
  examples: [
    ['$0 restart 2', 'restart worker 2 of the run writing into results/'],
    ['$0 restart failed --results runs/a', 'restart every failed worker of the run in runs/a'],
  ],
  builder: (y) =>
    resultsOption(y).positional('worker', {
      type: 'string',
      demandOption: true,
      describe: 'a worker number, or "failed" for every failed worker',
    }),
  handler: async (a) => {
    const command = restartTarget(a.worker);
    const outcome = await sendCommandFile(path.resolve(a.results), command);
    process.stdout.write(`${outcome.message}\n`);
    // Not delivered (no supervisor), or refused by it (no such worker, the run is ending): 1.
    return outcome.delivered && outcome.ok ? EXIT.ok : EXIT.failed;
  },
});
