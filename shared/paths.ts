import path from 'node:path';
import { pairFileStem } from './pairs.js';

/** The folders a run reads and writes; every path in the file contract derives from these. */
export interface RunDirs {
  results: string;
  models: string;
  data: string;
}

export const workerConfigFile = (results: string, workerId: number) =>
  path.join(results, `worker_${workerId}_config.json`);
export const workerStatusFile = (results: string, workerId: number) =>
  path.join(results, `worker_${workerId}_status.json`);
export const workerResultsFile = (results: string, workerId: number) =>
  path.join(results, `worker_${workerId}_results.json`);
export const workerLogFile = (results: string, workerId: number) =>
  path.join(results, 'logs', `worker_${workerId}.log`);
export const aggregatedResultsFile = (results: string) => path.join(results, 'aggregated_results.json');
export const trainingReportFile = (results: string) => path.join(results, 'training_report.json');
export const supervisorStatusFile = (results: string) => path.join(results, 'supervisor_status.json');
export const commandsDir = (results: string) => path.join(results, 'commands');
/** `results/run.json`: which run the folder holds; `run.backup.json` is its copy, read when it is damaged. */
export const runFile = (results: string) => path.join(results, 'run.json');
export const runFileCopy = (results: string) => path.join(results, 'run.backup.json');
/** `results/job-results/worker_N/`: the worker's finished jobs, one file each. */
export const jobResultsDir = (results: string, workerId: number) =>
  path.join(results, 'job-results', `worker_${workerId}`);
/** `results/job-results/worker_N/<job>.json`: one finished job, written before the worker's results file. */
export const jobResultFile = (results: string, workerId: number, jobId: string) =>
  path.join(jobResultsDir(results, workerId), `${safeJobName(jobId)}.json`);
/** `results/run.lock`: which supervisor owns the folder. */
export const runLockFile = (results: string) => path.join(results, 'run.lock');
/** A job id as a file name: `BTC-USD/base` → `BTC-USD_base`. */
const safeJobName = (jobId: string) => jobId.replace(/[^A-Za-z0-9_.-]/g, '_');
export const checkpointDir = (results: string, workerId: number, jobId: string) =>
  path.join(results, 'checkpoints', `worker_${workerId}`, safeJobName(jobId));

/** `models/worker_N_PAIR_model/`: the best variant of a pair. */
export const bestModelDir = (models: string, workerId: number, pair: string) =>
  path.join(models, `worker_${workerId}_${pairFileStem(pair)}_model`);
/** `models/jobs/PAIR__variant/`: every job's model, so the report can point at each. */
export const jobModelDir = (models: string, pair: string, variant: string) =>
  path.join(models, 'jobs', `${pairFileStem(pair)}__${variant}`);
/** `data/PAIR_data.csv`: cached candles in Yahoo's CSV layout. */
export const pairDataFile = (dataDir: string, pair: string) =>
  path.join(dataDir, `${pairFileStem(pair)}_data.csv`);

const WORKER_FILE = /^worker_(\d+)_(config|status|results)\.json$/;

/** Recognises the per-worker files of the contract by name (chokidar 4+ has no globs). */
export function parseWorkerFileName(
  name: string,
): { workerId: number; kind: 'config' | 'status' | 'results' } | null {
  const m = WORKER_FILE.exec(name);
  if (!m) return null;
  return { workerId: Number(m[1]), kind: m[2] as 'config' | 'status' | 'results' };
}

/** `results/paper/PAIR/`: a paper trader's ledger and its trades.csv and equity.csv. */
export const paperTraderDir = (results: string, pair: string) =>
  path.join(results, 'paper', pairFileStem(pair));
/** `results/paper/PAIR/ledger.jsonl`: every decision and fill of a paper trader, one JSON line each. */
export const paperLedgerFile = (results: string, pair: string) =>
  path.join(paperTraderDir(results, pair), 'ledger.jsonl');
/** `results/paper_run.json`: the paper run a results folder holds (for resuming). */
export const paperRunFile = (results: string) => path.join(results, 'paper_run.json');
/** `results/paper_report.json`: a paper run's final report. */
export const paperReportFile = (results: string) => path.join(results, 'paper_report.json');
/** `models/ensembles/PAIR/`: a pair's ensemble manifest (ensemble.json). */
export const ensembleDir = (models: string, pair: string) =>
  path.join(models, 'ensembles', pairFileStem(pair));
/** `results/ensemble_results.json`: each pair's ensemble evaluated out-of-sample. */
export const ensembleResultsFile = (results: string) => path.join(results, 'ensemble_results.json');
