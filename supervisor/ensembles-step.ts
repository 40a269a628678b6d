import {
  type DataSettings,
  type EnsembleResults,
  type EnvironmentSettings,
  ensembleResultsFile,
  type JobResult,
  writeJsonAtomic,
} from '../shared/index.js';
import type { ResultsCollector } from './results-collector.js';

/** What the step after the jobs gets: the run's finished jobs and where its models and candles are. */
export interface AfterJobs {
  runId: string;
  jobs: JobResult[];
  modelsDir: string;
  data: DataSettings;
  environment: EnvironmentSettings;
}

/** Builds each pair's ensemble of a run's models (injected by the CLI: supervisor/ never imports worker code). */
export type BuildEnsembles = (run: AfterJobs) => Promise<EnsembleResults>;

/**
 * The step after every job ended and before the report: each pair's ensemble, written to
 * ensemble_results.json. Extra evidence, never a reason for the run to fail: a problem is reported
 * and the run goes on without it. Skipped when the run was stopped.
 */
export async function ensemblesOfRun(input: {
  build: BuildEnsembles | undefined;
  stopped: boolean;
  run: Omit<AfterJobs, 'jobs'>;
  workerIds: readonly number[];
  results: Pick<ResultsCollector, 'results'>;
  resultsDir: string;
  onEnsembles: (ensembles: EnsembleResults) => void;
  onProblem: (message: string) => void;
}): Promise<EnsembleResults | null> {
  if (!input.build || input.stopped) return null;
  try {
    const ensembles = await input.build({
      ...input.run,
      // Plan order: workers hold contiguous pairs, their jobs in config order.
      jobs: [...input.workerIds].sort((a, b) => a - b).flatMap((id) => input.results.results(id)?.jobs ?? []),
    });
    await writeJsonAtomic(ensembleResultsFile(input.resultsDir), ensembles);
    input.onEnsembles(ensembles);
    return ensembles;
  } catch (error) {
    input.onProblem(`ensembles: ${(error as Error).message}`);
    return null;
  }
}
