import path from 'node:path';
import { readRunState } from '../../supervisor/index.js';
import { formatStatus, statusJson } from '../../tui/index.js';
import { resultsOption } from '../arguments.js';
import { defineCommand } from '../define-command.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { preflightRunFolderCommand } from '../preflight.js';

/** `trading-workers status`: one look at a run folder's workers and jobs, like `pm2 ls` or `compose ps`. */
export const statusCommand = defineCommand({
  command: 'status',
  describe: 'print the workers and jobs of a run folder once (CPU, memory, state, figures)',
  examples: [
    ['$0 status', 'the run in results/: one table of workers, one of jobs'],
    ['$0 status --results runs/a --json', 'the same as one JSON object'],
  ],
  builder: (y) =>
    resultsOption(y).option('json', { type: 'boolean', describe: 'print one JSON object instead of tables' }),
  handler: async (a) => {
    const resultsDir = path.resolve(a.results);
    await preflightRunFolderCommand(resultsDir);
    const state = await readRunState(resultsDir);
    if (state.workers.length === 0 && state.runId === null) {
      throw new UsageError(`--results ${resultsDir}: holds no run (no worker files); start one with train`);
    }
    process.stdout.write(a.json ? `${JSON.stringify(statusJson(state))}\n` : `${formatStatus(state)}\n`);
    // Like the run's own exit code: 1 when a job or a worker failed, so scripts can tell.
    const failed = state.progress.jobsFailed > 0 || state.workers.some((w) => w.process === 'failed');
    return failed ? EXIT.failed : EXIT.ok;
  },
});
