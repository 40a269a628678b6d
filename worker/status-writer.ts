import {
  type CurrentJob,
  type EpisodeStat,
  type FinishedEpisode,
  MAX_RECENT_EPISODES,
  SCHEMA_VERSION,
  type WorkerState,
  type WorkerStatus,
  writeJsonAtomic,
} from '../shared/index.js';

/** The fields a worker changes as it goes; the writer adds identity, seq, heartbeat and memory. */
export type StatusPatch = Partial<
  Pick<
    WorkerStatus,
    | 'state'
    | 'current'
    | 'stepsPerSecond'
    | 'recentRewards'
    | 'lastEpisode'
    | 'jobsDone'
    | 'jobsFailed'
    | 'jobsTotal'
    | 'lastJobPnlPct'
    | 'backend'
    | 'lastError'
    | 'message'
    | 'paper'
  >
>;

export interface StatusWriterOptions {
  file: string;
  runId: string;
  workerId: number;
  /**
   * Minimum time between two routine writes (step counts, speed, finished episodes, heartbeat);
   * default 1 s. Milestones (a new state, a job finished, an error) are written at once, whatever the
   * throttle.
   */
  minIntervalMs?: number;
  /** A heartbeat is written at least this often while the event loop is free. */
  heartbeatMs?: number;
  numTensors?: () => number | null;
  now?: () => number;
}

/**
 * Writes `worker_N_status.json`: merges patches, throttles writes, and keeps a heartbeat.
 * Milestones are written at once so a supervisor never misses `done` or `failed`. Finished episodes
 * wait for the next write and travel in `recentEpisodes` (this write's and the previous one's), so a
 * supervisor still sees every episode's end: writing each at once cost a status write per episode,
 * 1.5 a second per worker in a default run, and every one is a read for the supervisor (issue 12).
 * The file only feeds screens and stall detection, so writes are not fsynced: a crash loses at most the
 * latest status, which the worker rewrites when it resumes; results and checkpoints stay durable.
 */
export class StatusWriter {
  private status: WorkerStatus;
  private lastWriteAt = 0;
  private pending: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private lastWriteError = '';
  /** Episodes finished since the last write, and those the last write carried. */
  private unwrittenEpisodes: FinishedEpisode[] = [];
  private writtenEpisodes: FinishedEpisode[] = [];
  private readonly minIntervalMs: number;
  private readonly now: () => number;
  // From the process's start (performance.now() and process.cpuUsage() both count from it), so even
  // a worker that is done within a second reports what it used.
  private cpuMark: { usage: NodeJS.CpuUsage; at: number } = { usage: { user: 0, system: 0 }, at: 0 };

  constructor(private readonly options: StatusWriterOptions) {
    this.minIntervalMs = options.minIntervalMs ?? 1000;
    this.now = options.now ?? Date.now;
    const at = new Date(this.now()).toISOString();
    this.status = {
      schema: SCHEMA_VERSION,
      runId: options.runId,
      workerId: options.workerId,
      pid: process.pid,
      seq: 0,
      state: 'starting',
      startedAt: at,
      heartbeatAt: at,
      current: null,
      stepsPerSecond: 0,
      recentRewards: [],
      lastEpisode: null,
      recentEpisodes: [],
      jobsDone: 0,
      jobsFailed: 0,
      jobsTotal: 0,
      lastJobPnlPct: null,
      backend: 'unknown',
      memory: { rssMb: 0, heapUsedMb: 0, numTensors: null },
      cpuPct: null,
      lastError: null,
      message: null,
    };
    const heartbeatMs = options.heartbeatMs ?? 1000;
    this.heartbeat = setInterval(() => this.schedule(), heartbeatMs);
    this.heartbeat.unref();
  }

  get current(): Readonly<WorkerStatus> {
    return this.status;
  }

  /** Merges a patch; writes now when it is a milestone, else within the throttle interval. */
  update(patch: StatusPatch): void {
    const milestone = isMilestone(this.status, patch);
    this.status = { ...this.status, ...patch };
    if (milestone) void this.flush();
    else this.schedule();
  }

  /** Records a finished episode (its reward joins the recent-rewards window); written within the throttle. */
  episodeFinished(jobId: string, stat: EpisodeStat, current: CurrentJob): void {
    const recentRewards = [...this.status.recentRewards, stat.reward].slice(-50);
    const episode = { ...stat, jobId };
    this.unwrittenEpisodes.push(episode);
    this.update({
      lastEpisode: episode,
      recentRewards,
      current,
      stepsPerSecond: stat.stepsPerSecond,
    });
  }

  /** Sets the state and writes it before resolving. */
  async setState(state: WorkerState, patch: StatusPatch = {}): Promise<void> {
    this.status = { ...this.status, ...patch, state };
    await this.flush();
  }

  /** Writes the current status now. */
  async flush(): Promise<void> {
    if (this.pending) {
      clearTimeout(this.pending);
      this.pending = null;
    }
    const memory = process.memoryUsage();
    this.status = {
      ...this.status,
      seq: this.status.seq + 1,
      heartbeatAt: new Date(this.now()).toISOString(),
      memory: {
        rssMb: Math.round(memory.rss / 1048576),
        heapUsedMb: Math.round(memory.heapUsed / 1048576),
        numTensors: this.options.numTensors?.() ?? null,
      },
      cpuPct: this.measureCpu(),
      recentEpisodes: [...this.writtenEpisodes, ...this.unwrittenEpisodes].slice(-MAX_RECENT_EPISODES),
    };
    this.writtenEpisodes = this.unwrittenEpisodes;
    this.unwrittenEpisodes = [];
    this.lastWriteAt = this.now();
    const snapshot = this.status;
    // Writes are chained so an older snapshot never lands after a newer one. Not fsynced: the status
    // only feeds screens and stall checks and is rewritten within a second; a durable write costs
    // 2.2–2.5× a rename-only one (bench/atomic-write-cost.ts, measured under load).
    this.writing = this.writing
      .then(() => writeJsonAtomic(this.options.file, snapshot, { durable: false }))
      .catch((error: Error) => {
        // A full disk must not kill training; the stale heartbeat will tell the supervisor.
        if (error.message !== this.lastWriteError)
          process.stderr.write(`status write failed: ${error.message}\n`);
        this.lastWriteError = error.message;
      });
    await this.writing;
  }

  /** Stops the heartbeat and writes the final status. */
  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    await this.flush();
  }

  /**
   * CPU % of one core since the previous write, from process.cpuUsage() deltas: a worker measures
   * itself, so the figure is the same for a local process and inside a container (no `docker stats`).
   */
  private measureCpu(): number {
    const usage = process.cpuUsage();
    const at = performance.now();
    const mark = this.cpuMark;
    // Too short an interval gives a noisy figure; keep the previous one until enough time passed.
    if (at - mark.at < 200 && this.status.cpuPct != null) return this.status.cpuPct;
    this.cpuMark = { usage, at };
    const micros = usage.user - mark.usage.user + (usage.system - mark.usage.system);
    return Math.round((micros / 1000 / (at - mark.at)) * 1000) / 10;
  }

  private schedule(): void {
    if (this.pending) return;
    const wait = Math.max(0, this.lastWriteAt + this.minIntervalMs - this.now());
    this.pending = setTimeout(() => {
      this.pending = null;
      void this.flush();
    }, wait);
    this.pending.unref();
  }
}

/** A change a reader must see now, not a second later: a state, a job ended, an error. */
function isMilestone(status: WorkerStatus, patch: StatusPatch): boolean {
  const changed = <K extends keyof StatusPatch>(key: K) =>
    patch[key] !== undefined && patch[key] !== status[key];
  return changed('state') || changed('jobsDone') || changed('jobsFailed') || changed('lastError');
}
