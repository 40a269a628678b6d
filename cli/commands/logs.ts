import { promises as fs } from 'node:fs';
import path from 'node:path';
import { trainingReportFile } from '../../shared/index.js';
import { readRunState, tailLogs } from '../../supervisor/index.js';
import { resultsOption } from '../arguments.js';
import { defineCommand } from '../define-command.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { preflightRunFolderCommand } from '../preflight.js';

// Lines of a worker's log start with an ISO time (`[2026-…Z] …`): the all-workers view merges by it.
const TIME = /^\[(\d{4}-\d\d-\d\dT[\d:.]+Z)\]/;
const timeOf = (line: string) => TIME.exec(line)?.[1] ?? '';

/** `trading-workers logs [N] [-f]`: one worker's log, or every worker's prefixed, as `compose logs` does. */
export const logsCommand = defineCommand({
  command: 'logs [worker]',
  describe: "print a worker's log, or every worker's (prefixed), and follow it with -f",
  examples: [
    ['$0 logs 2', "worker 2's whole log"],
    ['$0 logs -f -n 20', "the last 20 lines of every worker's log, then what they write next"],
  ],
  builder: (y) =>
    resultsOption(y)
      .positional('worker', { type: 'number', describe: 'a worker number (default: every worker)' })
      .option('follow', {
        alias: 'f',
        type: 'boolean',
        describe: 'keep printing new lines until the run ends',
      })
      .option('tail', { alias: 'n', type: 'number', describe: 'only the last N lines of each log' }),
  handler: async (a) => {
    const resultsDir = path.resolve(a.results);
    await preflightRunFolderCommand(resultsDir);
    if (a.tail !== undefined && (!Number.isInteger(a.tail) || a.tail < 0)) {
      throw new UsageError(`--tail must be a whole number, got ${a.tail}`);
    }
    const state = await readRunState(resultsDir);
    const known = state.workers.map((w) => w.workerId);
    if (known.length === 0) throw new UsageError(`--results ${resultsDir}: holds no run (no worker files)`);
    if (a.worker !== undefined && !Number.isInteger(a.worker))
      throw new UsageError('worker must be a number');
    if (a.worker !== undefined && !known.includes(a.worker)) {
      throw new UsageError(
        `worker ${a.worker}: no such worker in ${resultsDir} (workers ${known.join(', ')})`,
      );
    }
    const chosen = state.workers.filter((w) => a.worker === undefined || w.workerId === a.worker);
    const files = new Map(chosen.map((w) => [w.workerId, w.logFile ?? '']));
    const prefixed = a.worker === undefined && chosen.length > 1;
    const width = String(Math.max(...known)).length;
    const print = (workerId: number, lines: readonly string[]) => {
      const prefix = prefixed ? `worker ${String(workerId).padStart(width)} | ` : '';
      for (const line of lines) process.stdout.write(`${prefix}${line}\n`);
    };

    // The first read of each log is the whole file (or its last --tail lines); later reads are appends.
    const first = new Map<number, string[]>();
    const tail = tailLogs(
      files,
      (event) => {
        if (event.type !== 'log-lines') return;
        if (!first.has(event.workerId)) first.set(event.workerId, event.lines);
        else print(event.workerId, event.lines);
      },
      { pollMs: 300, maxLines: 1_000_000, initialBytes: Number.MAX_SAFE_INTEGER },
    );
    await tail.poll();
    const opening = [...first].flatMap(([workerId, lines]) =>
      (a.tail === undefined ? lines : lines.slice(Math.max(0, lines.length - a.tail))).map((line) => ({
        workerId,
        line,
      })),
    );
    // Every worker's opening lines in time order (stable, so a worker's own order is kept).
    if (prefixed)
      opening.sort((x, y) =>
        timeOf(x.line) < timeOf(y.line) ? -1 : timeOf(x.line) > timeOf(y.line) ? 1 : 0,
      );
    for (const { workerId, line } of opening) print(workerId, [line]);
    for (const id of files.keys()) if (!first.has(id)) first.set(id, []);
    if (!a.follow) {
      await tail.close();
      return EXIT.ok;
    }
    const ended = await new Promise<'finished' | NodeJS.Signals>((resolve) => {
      const check = setInterval(() => {
        fs.access(trainingReportFile(resultsDir)).then(
          () => resolve('finished'),
          () => {},
        );
      }, 1_000);
      const stop = (why: 'finished' | NodeJS.Signals) => {
        clearInterval(check);
        resolve(why);
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
    await tail.poll();
    await tail.close();
    if (ended === 'SIGINT') return EXIT.interrupted;
    if (ended === 'SIGTERM') return EXIT.terminated;
    return EXIT.ok;
  },
});
