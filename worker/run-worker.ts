import {
  bestModelDir,
  checkpointDir,
  type JobResult,
  jobModelDir,
  readJsonTolerant,
  SCHEMA_VERSION,
  type WorkerConfig,
  type WorkerResults,
  WorkerResultsSchema,
  workerResultsFile,
  workerStatusFile,
  writeJsonAtomic,
} from '../shared/index.js';
import { bestJobOfPair, publishModel } from './best-model.js';
import { describeEngine, type EngineKind, selectBackend } from './dqn/index.js';
import { clearEpisodeCheckpoint } from './episode-checkpoint.js';
import { episodeLine } from './episode-line.js';
import { readJobResults, recordJobResult } from './job-journal.js';
import { isMachineTrouble } from './machine-trouble.js';
import { type PreparedPair, preparePair } from './prepare-pair.js';
import { StatusWriter } from './status-writer.js';
import { failedJobResult, JobStopped, type TrainProgress, trainJob } from './train-job.js';

export interface RunWorkerOptions {
  engine?: EngineKind;
  /** True once a stop was requested (SIGTERM); the worker checkpoints and returns 'stopped'. */
  shouldStop: () => boolean;
  log: (line: string) => void;
  fetch?: typeof fetch;
}

export type WorkerOutcome = 'done' | 'stopped';

/**
 * The worker's job loop: for each job of its config not already done in its results file, load the
 * pair (once per pair), train, evaluate, save, record the result and keep the best model per pair.
 * One job failing (bad data, a crash inside training) is recorded and the loop goes on.
 */
export async function runWorker(config: WorkerConfig, options: RunWorkerOptions): Promise<WorkerOutcome> {
  const { log } = options;
  const engine = options.engine ?? 'js';
  const status = new StatusWriter({
    file: workerStatusFile(config.resultsDir, config.workerId),
    runId: config.runId,
    workerId: config.workerId,
  });
  try {
    status.update({ jobsTotal: config.jobs.length, message: 'selecting ML backend' });
    const backend = describeEngine(engine, await selectBackend());
    log(`worker ${config.workerId}: ${config.jobs.length} jobs, backend ${backend}`);

    const resultsFile = workerResultsFile(config.resultsDir, config.workerId);
    const { results, rebuilt } = await loadPreviousResults(resultsFile, config, log);
    if (rebuilt) {
      for (const pair of new Set(results.jobs.map((j) => j.pair))) await keepBestModel(config, results, pair);
      await writeJsonAtomic(resultsFile, results);
    }
    const counts = () => ({
      jobsDone: results.jobs.filter((j) => j.status === 'done').length,
      jobsFailed: results.jobs.filter((j) => j.status === 'failed').length,
    });
    status.update({ backend, ...counts(), message: null });

    const pairs = new Map<string, Promise<PreparedPair>>();
    for (const [jobIndex, spec] of config.jobs.entries()) {
      if (results.jobs.some((j) => j.jobId === spec.jobId && j.status === 'done')) continue;
      if (options.shouldStop()) return await stopped(status);
      const startedAt = Date.now();
      const current = {
        jobId: spec.jobId,
        pair: spec.pair,
        variant: spec.variant,
        jobIndex,
        episode: 0,
        episodes: config.episodes * config.environment.folds * config.environment.seeds,
        step: 0,
        stepsPerEpisode: 0,
      };
      await status.setState('loading-data', { current, recentRewards: [], lastError: null });
      const checkpoints = checkpointDir(config.resultsDir, config.workerId, spec.jobId);
      let result: JobResult;
      try {
        let prepared = pairs.get(spec.pair);
        if (!prepared) {
          prepared = preparePair(spec.pair, config.data, config.environment, {
            log,
            // Synthetic candles follow the run's seed, so a pair's market is the same on every worker.
            seed: config.runSeed ?? config.seed,
            fetch: options.fetch,
          });
          pairs.set(spec.pair, prepared);
        }
        const data = await prepared;
        for (const warning of data.summary.warnings) log(`${spec.pair}: warning: ${warning}`);
        result = await trainJob({
          spec,
          prepared: data,
          episodes: config.episodes,
          environment: config.environment,
          engine,
          backend,
          modelDir: jobModelDir(config.modelsDir, spec.pair, spec.variant),
          checkpointDir: checkpoints,
          shouldStop: options.shouldStop,
          warn: (m) => log(`${spec.jobId}: ${m}`),
          onPhase: (phase) => void status.setState(phase),
          onProgress: (p) =>
            status.update({
              current: { ...current, ...progressFields(p) },
              stepsPerSecond: p.stepsPerSecond,
            }),
          onEpisode: (stat, p) => {
            log(`${spec.jobId} ${episodeLine(stat, config.episodes)}`);
            status.episodeFinished(spec.jobId, stat, { ...current, ...progressFields(p) });
          },
        });
      } catch (error) {
        if (error instanceof JobStopped) return await stopped(status);
        // Not the job's fault: the worker stops with it, the supervisor restarts it after a
        // backoff, and the job resumes from its last checkpoint rather than being marked failed.
        if (isMachineTrouble(error)) throw error;
        const message = error instanceof Error ? error.message : String(error);
        log(`${spec.jobId}: failed: ${message}`);
        result = failedJobResult(spec, error, { backend, startedAt, finishedAt: Date.now() });
        status.update({ lastError: message });
      }
      // Its own file first, durably: from here on the job is never trained again, whatever
      // happens to the results file. Only then may its episode checkpoints go.
      await recordJobResult(config, result);
      if (result.status === 'done') await clearEpisodeCheckpoint(checkpoints);
      results.jobs = [...results.jobs.filter((j) => j.jobId !== spec.jobId), result];
      if (result.status === 'done') await keepBestModel(config, results, spec.pair);
      results.updatedAt = new Date().toISOString();
      await writeJsonAtomic(resultsFile, results);
      const pnl = result.metrics ? `out-of-sample P/L ${result.metrics.pnlPct.toFixed(2)}%` : 'failed';
      log(`${spec.jobId}: ${result.status} in ${result.seconds.toFixed(1)} s (${pnl})`);
      status.update({ ...counts(), lastJobPnlPct: result.metrics?.pnlPct ?? null });
    }
    await status.setState('done', {
      current: null,
      message: `${counts().jobsDone}/${config.jobs.length} jobs done`,
    });
    return 'done';
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await status.setState('failed', { lastError: message });
    throw error;
  } finally {
    await status.close();
  }
}

/** The status fields of a job's progress (the unit only when there are several). */
function progressFields(p: TrainProgress) {
  return {
    episode: p.episode,
    episodes: p.episodes,
    step: p.step,
    stepsPerEpisode: p.stepsPerEpisode,
    ...(p.unit ? { unit: p.unit } : {}),
  };
}

async function stopped(status: StatusWriter): Promise<WorkerOutcome> {
  await status.setState('stopped', {
    message: 'stopped on request; resumes from the last episode checkpoint',
  });
  return 'stopped';
}

/**
 * Results of earlier starts of this worker in the same run (for the resume), else empty. The
 * per-job result files are the record: a results file that is damaged, lost or behind them (a kill
 * between the two writes) is rebuilt from them, and `rebuilt` says it must be written again.
 */
async function loadPreviousResults(
  file: string,
  config: WorkerConfig,
  log: (line: string) => void,
): Promise<{ results: WorkerResults; rebuilt: boolean }> {
  const empty: WorkerResults = {
    schema: SCHEMA_VERSION,
    runId: config.runId,
    workerId: config.workerId,
    updatedAt: new Date().toISOString(),
    jobs: [],
    bestModels: [],
  };
  const previous = await readJsonTolerant(file, WorkerResultsSchema);
  let base = empty;
  let damage: string | null = null;
  if (!previous.ok) {
    if (previous.reason !== 'missing') damage = previous.message;
  } else if (previous.value.runId !== config.runId) {
    log(`${file} belongs to run ${previous.value.runId}, not ${config.runId}: starting over`);
  } else {
    base = previous.value;
  }
  const journal = await readJobResults(config);
  for (const problem of journal.problems) log(`ignoring a damaged job result: ${problem}`);
  const recorded = new Map(journal.jobs.map((j) => [j.jobId, j]));
  const fromFile = new Map(base.jobs.map((j) => [j.jobId, j]));
  const jobs = config.jobs.flatMap((spec) => {
    // The job file is written first, so it is never older than the results file's entry.
    const job = recorded.get(spec.jobId) ?? fromFile.get(spec.jobId);
    return job ? [job] : [];
  });
  const behind = journal.jobs.some((j) => fromFile.get(j.jobId)?.finishedAt !== j.finishedAt);
  const rebuilt = behind || (damage !== null && jobs.length > 0);
  if (rebuilt) {
    const why = damage ?? (previous.ok ? 'it lacked finished jobs' : 'it was missing');
    log(`rebuilt ${file} from ${journal.jobs.length} job result files (${why})`);
  } else if (damage !== null) {
    log(`starting without previous results: ${damage}`);
  }
  const done = jobs.filter((j) => j.status === 'done').length;
  if (done > 0) log(`resuming: ${done} of ${config.jobs.length} jobs already done`);
  return { results: { ...base, jobs, bestModels: rebuilt ? [] : base.bestModels }, rebuilt };
}

/** Publishes the pair's best finished variant as `models/worker_N_PAIR_model/` when it changed. */
async function keepBestModel(config: WorkerConfig, results: WorkerResults, pair: string): Promise<void> {
  const best = bestJobOfPair(results.jobs, pair);
  if (!best?.modelPath) return;
  const current = results.bestModels.find((b) => b.pair === pair);
  const target = bestModelDir(config.modelsDir, config.workerId, pair);
  if (current?.jobId === best.jobId && current.modelPath === target) return;
  await publishModel(best.modelPath, target);
  results.bestModels = [
    ...results.bestModels.filter((b) => b.pair !== pair),
    { pair, jobId: best.jobId, variant: best.variant, modelPath: target },
  ];
}
