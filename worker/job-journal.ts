import {
  type JobResult,
  JobResultFileSchema,
  jobResultFile,
  readJsonTolerant,
  SCHEMA_VERSION,
  type WorkerConfig,
  writeJsonAtomic,
} from '../shared/index.js';

/** Records one finished job in its own file (durably), before the worker's results file is rewritten. */
export async function recordJobResult(config: WorkerConfig, result: JobResult): Promise<void> {
  await writeJsonAtomic(jobResultFile(config.resultsDir, config.workerId, result.jobId), {
    schema: SCHEMA_VERSION,
    runId: config.runId,
    workerId: config.workerId,
    job: result,
  });
}

/**
 * The recorded results of this worker's planned jobs in this run, in plan order; files that are
 * missing, damaged or of another run are skipped (a damaged one is named in `problems`).
 */
export async function readJobResults(
  config: WorkerConfig,
): Promise<{ jobs: JobResult[]; problems: string[] }> {
  const jobs: JobResult[] = [];
  const problems: string[] = [];
  for (const spec of config.jobs) {
    const read = await readJsonTolerant(
      jobResultFile(config.resultsDir, config.workerId, spec.jobId),
      JobResultFileSchema,
    );
    if (!read.ok) {
      if (read.reason !== 'missing') problems.push(read.message);
      continue;
    }
    if (read.value.runId !== config.runId || read.value.job.jobId !== spec.jobId) continue;
    jobs.push(read.value.job);
  }
  return { jobs, problems };
}
