import {
  type AggregatedResults,
  aggregatedResultsFile,
  type WorkerResults,
  workerResultsFile,
  writeJsonAtomic,
} from '../shared/index.js';
import { aggregateResults } from './aggregate.js';

/** The workers' latest results of this run and their aggregate, kept current as files change. */
export interface ResultsCollector {
  /** A results file was read: keeps it when it is this run's; false (and a problem) otherwise. */
  accept(workerId: number, results: WorkerResults): boolean;
  /**
   * Aggregates within a moment, and at most every 2 s (bursts of result files coalesce into one);
   * the file follows at most every 10 s.
   */
  schedule(): void;
  /** Aggregates now and waits until the file is written (durably). */
  flush(): Promise<AggregatedResults>;
  results(workerId: number): WorkerResults | undefined;
  stop(): void;
}

/** Collects results for one run and writes aggregated_results.json as they arrive. */
export function collectResults(options: {
  resultsDir: string;
  runId: string;
  jobsTotal: number;
  now: () => number;
  onAggregated: (aggregated: AggregatedResults) => void;
  onProblem: (message: string) => void;
  delayMs?: number;
  /** At least this long between two aggregates while jobs finish (flush does not wait). */
  minIntervalMs?: number;
  /**
   * At least this long between two writes of aggregated_results.json while jobs finish; the latest
   * aggregate is always written within it, and flush writes at once.
   */
  fileIntervalMs?: number;
}): ResultsCollector {
  const latest = new Map<number, WorkerResults>();
  let timer: NodeJS.Timeout | null = null;
  let fileTimer: NodeJS.Timeout | null = null;
  let stopped = false;
  let writing: Promise<void> = Promise.resolve();
  let lastAggregateAt = Number.NEGATIVE_INFINITY;
  let lastFileAt = Number.NEGATIVE_INFINITY;
  let unwritten: AggregatedResults | null = null;
  const fileIntervalMs = options.fileIntervalMs ?? 10_000;

  const writeFile = (aggregated: AggregatedResults, durable: boolean) => {
    lastFileAt = options.now();
    unwritten = null;
    writing = writing
      .then(() => writeJsonAtomic(aggregatedResultsFile(options.resultsDir), aggregated, { durable }))
      .catch((error: Error) => options.onProblem(`aggregated_results.json: ${error.message}`));
  };

  // The views get every aggregate at once (onAggregated); the file, ~1 MB by the end of a default
  // run, only serves attached viewers and tools while the run goes on, and the last one is written
  // by flush: mid-run it is rewritten at most every fileIntervalMs and not fsynced (issue 12).
  const writeSoon = (aggregated: AggregatedResults) => {
    unwritten = aggregated;
    if (fileTimer || stopped) return;
    fileTimer = setTimeout(
      () => {
        fileTimer = null;
        if (unwritten && !stopped) writeFile(unwritten, false);
      },
      Math.max(0, lastFileAt + fileIntervalMs - options.now()),
    );
  };

  const clearTimers = () => {
    if (timer) clearTimeout(timer);
    if (fileTimer) clearTimeout(fileTimer);
    timer = null;
    fileTimer = null;
  };

  const aggregateNow = (final: boolean): AggregatedResults => {
    lastAggregateAt = options.now();
    const aggregated = aggregateResults(
      options.runId,
      options.jobsTotal,
      [...latest.values()],
      new Date(options.now()),
    );
    options.onAggregated(aggregated);
    if (final) writeFile(aggregated, true);
    else writeSoon(aggregated);
    return aggregated;
  };

  return {
    accept(workerId, results) {
      if (results.runId !== options.runId) {
        options.onProblem(
          `${workerResultsFile(options.resultsDir, workerId)}: run ${results.runId} is not this run (${options.runId}); ignored`,
        );
        return false;
      }
      latest.set(workerId, results);
      return true;
    },
    schedule() {
      if (timer || stopped) return;
      // Each aggregate rereads every job and rewrites a file that grows with them (~1 MB at the end
      // of a default run): spaced out, results landing close together cost one (issue 12).
      const spacing = lastAggregateAt + (options.minIntervalMs ?? 2_000) - options.now();
      timer = setTimeout(
        () => {
          timer = null;
          aggregateNow(false);
        },
        Math.max(options.delayMs ?? 200, Math.min(spacing, options.minIntervalMs ?? 2_000)),
      );
    },
    async flush() {
      clearTimers();
      const aggregated = aggregateNow(true);
      await writing;
      return aggregated;
    },
    results: (workerId) => latest.get(workerId),
    stop() {
      stopped = true;
      clearTimers();
    },
  };
}
