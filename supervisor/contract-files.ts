import path from 'node:path';
import {
  AggregatedResultsSchema,
  AnyWorkerConfigSchema,
  aggregatedResultsFile,
  EnsembleResultsSchema,
  ensembleResultsFile,
  type JsonValidator,
  parseWorkerFileName,
  SupervisorStatusSchema,
  supervisorStatusFile,
  TrainingReportSchema,
  trainingReportFile,
  WorkerStatusSchema,
} from '../shared/index.js';
import type { SupervisorEvent } from './events.js';
import { WorkerResultsFile } from './worker-results-file.js';
import { workerResultsValidator } from './worker-results-validator.js';

/** A file of the contract in results/: its schema, and the event its value becomes. */
export interface ContractFile {
  file: string;
  schema: JsonValidator<unknown>;
  toEvent(value: never): SupervisorEvent;
  /** Small and rewritten about once a second (a worker's status): worth reading without the thread pool. */
  frequent?: boolean;
  /**
   * How a watcher follows the file when reading it whole on every change is not the way: a worker's
   * results file, which grows a job at a time, is followed through its job files (WorkerResultsFile).
   */
  follow?: (onProblem: (message: string) => void) => FollowedFile;
}

/** A file read as it changes, keeping its last good value (TolerantJsonFile, WorkerResultsFile). */
export interface FollowedFile {
  readonly file: string;
  readonly value: unknown;
  read(): Promise<unknown>;
  readSync?(): unknown;
  /** Forget any shortcut: the next read takes the whole file. */
  refresh?(): void;
}

/**
 * Which contract file `name` is in `resultsDir` (null for anything else): the worker files always, the
 * supervisor's own files (aggregated results, ensembles, report, supervisor status) when `supervisorFiles` is set.
 */
export function contractFile(
  resultsDir: string,
  name: string,
  supervisorFiles: boolean,
): ContractFile | null {
  const file = path.join(resultsDir, name);
  const worker = parseWorkerFileName(name);
  if (worker) {
    const { workerId } = worker;
    if (worker.kind === 'config') {
      return {
        file,
        // A training or a paper worker's config (issue 9): the views follow both.
        schema: AnyWorkerConfigSchema,
        toEvent: (config) => ({ type: 'config', workerId, config }),
      };
    }
    if (worker.kind === 'status') {
      return {
        file,
        schema: WorkerStatusSchema,
        toEvent: (status) => ({ type: 'status', workerId, status }),
        frequent: true,
      };
    }
    // One per file: it remembers the jobs it validated, so each re-read checks only the new ones.
    const schema = workerResultsValidator();
    return {
      file,
      schema,
      toEvent: (results) => ({ type: 'results', workerId, results }),
      follow: (onProblem) => new WorkerResultsFile(resultsDir, workerId, schema, onProblem),
    };
  }
  if (!supervisorFiles) return null;
  if (file === aggregatedResultsFile(resultsDir)) {
    return {
      file,
      schema: AggregatedResultsSchema,
      toEvent: (aggregated) => ({ type: 'aggregated', aggregated }),
    };
  }
  if (file === ensembleResultsFile(resultsDir)) {
    return {
      file,
      schema: EnsembleResultsSchema,
      toEvent: (ensembles) => ({ type: 'ensembles', ensembles }),
    };
  }
  if (file === trainingReportFile(resultsDir)) {
    return { file, schema: TrainingReportSchema, toEvent: (report) => ({ type: 'report', report }) };
  }
  if (file === supervisorStatusFile(resultsDir)) {
    return {
      file,
      schema: SupervisorStatusSchema,
      toEvent: (status) => ({ type: 'supervisor-status', status }),
    };
  }
  return null;
}

/** Reading order for a scan: configs, then statuses, then the rest, so a worker's plan comes before its progress. */
export function scanOrder(names: readonly string[]): string[] {
  const rank = (n: string) => (n.includes('_config') ? 0 : n.includes('_status') ? 1 : 2);
  return [...names].sort((a, b) => rank(a) - rank(b));
}
