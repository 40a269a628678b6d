import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  type JobResult,
  JobResultFileSchema,
  type JsonValidator,
  jobResultsDir,
  readJsonTolerant,
  TEMP_PREFIX,
  TolerantJsonFile,
  type WorkerResults,
  workerResultsFile,
} from '../shared/index.js';

/**
 * One worker's results as a running supervisor follows them: the whole `worker_N_results.json` once,
 * then each finished job from its own file in `job-results/worker_N/`, which the worker writes (durably)
 * just before it rewrites the whole file.
 *
 * Why (issue 12): the whole file grows by a job at a time to ~800 KB, and parsing it again after every
 * job was the supervisor's largest allocation while workers train: an ~800 KB string and ~0.6 MB of
 * objects per read, nearly all of it jobs already known, and garbage collection was a quarter of the
 * supervisor's main thread. A job's own file is ~50 KB and holds exactly what is new.
 *
 * The job files cannot say everything the whole file does: its `bestModels` (which job the worker
 * published as a pair's best model) and a file the worker rebuilt on a restart. So the whole file is
 * read again when a change brings no new job file (a rebuild, another run's file), when a job file is
 * damaged, and when `refresh()` asks (the end of a run, so the last aggregate is exact). Between
 * whole reads `bestModels` can lag, and the aggregate then points a new best at the job's own model
 * folder (`models/jobs/PAIR__variant`, also a saved model) instead of the worker's copy.
 */
export class WorkerResultsFile {
  readonly file: string;
  private readonly whole: TolerantJsonFile<WorkerResults>;
  private readonly jobsDir: string;
  /** Stamp of each job file already taken into `current` (or judged not this run's). */
  private seen = new Map<string, string>();
  private current: WorkerResults | undefined;
  private wholeNext = true;

  constructor(
    resultsDir: string,
    private readonly workerId: number,
    validator: JsonValidator<WorkerResults>,
    private readonly onProblem: (message: string) => void = () => {},
  ) {
    this.file = workerResultsFile(resultsDir, workerId);
    this.whole = new TolerantJsonFile(this.file, validator, onProblem);
    this.jobsDir = jobResultsDir(resultsDir, workerId);
  }

  get value(): WorkerResults | undefined {
    return this.current;
  }

  /** The next read takes the whole file. */
  refresh(): void {
    this.wholeNext = true;
  }

  /** Reads what changed; returns the worker's results, or the last good ones (undefined if none yet). */
  async read(): Promise<WorkerResults | undefined> {
    // Stamped before any read: a job file landing meanwhile is read again next time (the same job,
    // merged by id), never skipped.
    const stamps = await this.stamps();
    if (!this.wholeNext && this.current) {
      const jobs = await this.newJobs(this.current, stamps);
      if (jobs && jobs.length > 0) {
        this.current = withJobs(this.current, jobs);
        return this.current;
      }
    }
    const before = this.whole.value;
    const value = await this.whole.read();
    if (value !== before || this.current === undefined) {
      this.seen = stamps;
      this.wholeNext = false;
    }
    this.current = value;
    return value;
  }

  /** Job files new or changed since they were last taken in; null when one is damaged (read the whole file). */
  private async newJobs(current: WorkerResults, stamps: Map<string, string>): Promise<JobResult[] | null> {
    const jobs: JobResult[] = [];
    for (const [name, stamp] of stamps) {
      if (this.seen.get(name) === stamp) continue;
      const read = await readJsonTolerant(path.join(this.jobsDir, name), JobResultFileSchema);
      if (!read.ok) {
        if (read.reason === 'missing') continue;
        this.onProblem(read.message);
        return null;
      }
      this.seen.set(name, stamp);
      const { runId, workerId, job } = read.value;
      // A file of another run or worker says nothing about this file's jobs.
      if (runId === current.runId && workerId === this.workerId) jobs.push(job);
    }
    // Usually one; several (reads coalesced) in the order they finished, as the worker appended them.
    return jobs.sort((a, b) => a.finishedAt.localeCompare(b.finishedAt) || a.jobId.localeCompare(b.jobId));
  }

  /** Every job file's stamp (mtime, size, inode: each write is a rename, so a rewrite shows). */
  private async stamps(): Promise<Map<string, string>> {
    const stamps = new Map<string, string>();
    let names: string[];
    try {
      names = await fs.readdir(this.jobsDir);
    } catch {
      return stamps; // no job finished yet
    }
    const files = names.filter((name) => name.endsWith('.json') && !name.startsWith(TEMP_PREFIX));
    await Promise.all(
      files.map(async (name) => {
        try {
          const stat = await fs.stat(path.join(this.jobsDir, name));
          stamps.set(name, `${stat.mtimeMs}:${stat.size}:${stat.ino}`);
        } catch {
          // gone between the listing and the stat: nothing to read
        }
      }),
    );
    return stamps;
  }
}

/** The worker's own merge: a job finished again replaces its earlier result, and goes last. */
function withJobs(results: WorkerResults, jobs: readonly JobResult[]): WorkerResults {
  const ids = new Set(jobs.map((j) => j.jobId));
  return {
    ...results,
    // The jobs come in the order they finished: the last is the newest news of this worker.
    updatedAt: jobs.at(-1)?.finishedAt ?? results.updatedAt,
    jobs: [...results.jobs.filter((j) => !ids.has(j.jobId)), ...jobs],
  };
}
