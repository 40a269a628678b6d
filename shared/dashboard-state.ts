import type {
  AggregatedResults,
  DataSource,
  EnsembleResults,
  EvalMetrics,
  FinishedEpisode,
  PaperTraderStatus,
  ProcessState,
  RuntimeKind,
  SupervisorCommand,
  TrainingReport,
  WorkerState,
} from './contract.js';
import type { DqnHyperparameters } from './hyperparameters.js';

/**
 * The one state the three views render (Ink, headless, HTTP). Produced by the supervisor's pure
 * reducer from file events, process events and clock ticks; views never read files themselves.
 */
export interface DashboardState {
  /** `run`: this process started the run; `attach`: watching a run started elsewhere. */
  mode: 'run' | 'attach';
  runId: string | null;
  runtime: RuntimeKind | null;
  resultsDir: string;
  /** Attach mode: whether a live supervisor answers commands (false = read-only viewer). */
  supervisorConnected: boolean;
  /** Milliseconds since epoch of the last clock tick; all ages derive from it. */
  now: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** ML backend the workers report (`tfjs-node`, `wasm`, `cpu`, …). */
  backend: string | null;
  progress: RunProgress;
  workers: WorkerView[];
  leaderboard: LeaderboardRow[];
  /** Problems seen reading files (reported once each), most recent last, at most 20. */
  problems: string[];
  /** The run is over (all workers done, failed or stopped). */
  finished: boolean;
  /** The latest `aggregated_results.json` (best model per pair with equity curves, rankings). */
  aggregated: AggregatedResults | null;
  /** `training_report.json` once the run has ended. */
  report: TrainingReport | null;
  /** Where the candles come from (from the workers' configs); views flag `synthetic` loudly. */
  dataSource?: DataSource | null;
  /** Attach mode: epoch ms of the supervisor's last heartbeat (optional: reducer bookkeeping). */
  supervisorHeartbeatAt?: number | null;
  /** Each pair's ensemble of the run's models (ensemble_results.json), once built. */
  ensembles?: EnsembleResults | null;
  /** `paper`: the workers are paper traders (from their configs); absent or `training` otherwise. */
  runKind?: 'training' | 'paper';
  /** Why the run is being stopped (Ctrl-C, a stop command), once a stop was asked for; else null. */
  stopRequested?: string | null;
  /** A worker silent this long is stalled (the run's restart policy; default 120 s). */
  stallAfterMs?: number;
  /** Every job of the plan with its hyperparameters and figures, in plan order (the trials view). */
  trials?: TrialRow[];
  /** Where the run saves its models (from the workers' configs), for the end-of-run summary. */
  modelsDir?: string | null;
  /** The HTTP mirror of this view: its URL, or why it is not running; null when not asked for. */
  httpMirror?: HttpMirrorInfo | null;
}

/**
 * Whether a supervisor answers this view's commands: always in the run this process started;
 * attached, while the supervisor's heartbeat is fresh (the reducer keeps `supervisorConnected`).
 * The one answer to "may this view send commands" for every view and command.
 */
export function canSendCommands(state: Pick<DashboardState, 'mode' | 'supervisorConnected'>): boolean {
  return state.mode === 'run' || state.supervisorConnected;
}

/** One ended process of a worker and why it ended (the report's `workers[].exits`). */
export interface WorkerExitRecord {
  at: string;
  code: number | null;
  signal: string | null;
  reason: string;
}

/** What the views say about the HTTP mirror (set by the command that started it). */
export interface HttpMirrorInfo {
  url: string | null;
  error: string | null;
}

/** Where a job of the plan stands. */
export type TrialStatus = 'pending' | 'running' | 'done' | 'failed';

/** One job of the plan (a trial, in Ray Tune's words): its variant's hyperparameters and its figures. */
export interface TrialRow {
  jobId: string;
  pair: string;
  variant: string;
  workerId: number;
  status: TrialStatus;
  hyperparameters: DqnHyperparameters;
  /** The kept weights' greedy metrics on the validation slice (what variants are compared on). */
  validation: EvalMetrics | null;
  /** Out-of-sample metrics on the held-out test slice. */
  metrics: EvalMetrics | null;
  buyAndHoldPnlPct: number | null;
  /** The episode whose weights were kept (best validation Sharpe). */
  selectedEpisode: number | null;
  /** Whether this job is its pair's best variant (the leaderboard's row). */
  best: boolean;
  error: string | null;
}

export interface RunProgress {
  jobsTotal: number;
  jobsDone: number;
  jobsFailed: number;
  episodesTotal: number;
  episodesDone: number;
  elapsedSeconds: number;
  /** From measured seconds per episode across workers; null until one episode finished. */
  etaSeconds: number | null;
}

export interface WorkerView {
  workerId: number;
  /** What the worker says of itself (its status file); null before its first status. */
  state: WorkerState | null;
  /** What the supervisor knows of its process. */
  process: ProcessState;
  pid: number | null;
  pairs: string[];
  jobId: string | null;
  pair: string | null;
  variant: string | null;
  episode: number;
  episodes: number;
  step: number;
  stepsPerEpisode: number;
  stepsPerSecond: number;
  recentRewards: number[];
  lastJobPnlPct: number | null;
  jobsDone: number;
  jobsFailed: number;
  jobsTotal: number;
  restarts: number;
  /** Epoch ms of the scheduled restart while in backoff. */
  nextRestartAt: number | null;
  /** Epoch ms of the last heartbeat in the status file. */
  heartbeatAt: number | null;
  stalled: boolean;
  lastError: string | null;
  memoryMb: number | null;
  /** CPU use of the worker process in % of one core (100 = one full core), as it measures itself. */
  cpuPct?: number | null;
  logFile: string | null;
  /** The last lines of the worker's log, oldest first (at most 200). */
  logTail: string[];
  // Optional fields below are filled by the supervisor's reducer; fixtures may leave them out.
  /** The last finished episode (reward, P/L, epsilon, steps/s). */
  lastEpisode?: FinishedEpisode | null;
  /**
   * The worker's last finished episodes, oldest first (at most 8): a status can bring several, and a
   * view's batch can hold several statuses, so views that print one line per episode read them here.
   */
  recentEpisodes?: FinishedEpisode[];
  /** Measured seconds per episode of this worker (job time incl. evaluation, else last episode). */
  secondsPerEpisode?: number | null;
  /** Why the process last ended or is being restarted (`exited with code 1`, `killed by SIGKILL`). */
  lastExitReason?: string | null;
  /** Epoch ms when the current process started (stall detection before its first heartbeat). */
  processStartedAt?: number | null;
  /** Container runtimes: the worker's container (or Swarm task) and its state as the engine says it. */
  container?: ContainerView | null;
  /** Identity of the last status file reduced; statuses with seq ≤ this from the same process are dropped. */
  statusCursor?: { pid: number; startedAt: string; seq: number } | null;
  /** A paper worker's traders: position, equity against buy-and-hold since start, last decision. */
  paper?: PaperTraderStatus[] | null;
  /** Restarts in a row without a stable run (what the restart policy counts); a requested restart resets it. */
  consecutiveRestarts?: number;
  /** How its last process ended. */
  lastExit?: { code: number | null; signal: string | null; at: string } | null;
  /** Every ended process with the supervisor's reason, oldest first. */
  exits?: WorkerExitRecord[];
  /** Seconds its processes have run, all starts together. */
  secondsRunning?: number;
  /** Episodes and jobs its current (or last) process finished: progress, for the restart policy. */
  progressThisProcess?: number;
}

/** A worker before anything is known of it: the reducer's starting point, and tests' base. */
export function emptyWorkerView(workerId: number): WorkerView {
  return {
    workerId,
    state: null,
    process: 'pending',
    pid: null,
    pairs: [],
    jobId: null,
    pair: null,
    variant: null,
    episode: 0,
    episodes: 0,
    step: 0,
    stepsPerEpisode: 0,
    stepsPerSecond: 0,
    recentRewards: [],
    lastJobPnlPct: null,
    jobsDone: 0,
    jobsFailed: 0,
    jobsTotal: 0,
    restarts: 0,
    nextRestartAt: null,
    heartbeatAt: null,
    stalled: false,
    lastError: null,
    memoryMb: null,
    cpuPct: null,
    logFile: null,
    logTail: [],
    lastEpisode: null,
    recentEpisodes: [],
    secondsPerEpisode: null,
    lastExitReason: null,
    processStartedAt: null,
    container: null,
    statusCursor: null,
    consecutiveRestarts: 0,
    lastExit: null,
    exits: [],
    secondsRunning: 0,
    progressThisProcess: 0,
  };
}

/** A worker's container as the views show it: its name and the engine's word for its state. */
export interface ContainerView {
  name: string;
  /** `running`, `exited`, `removed` (Compose); `pending`, `running`, `complete`, `failed` (Swarm tasks). */
  state: string;
}

export interface LeaderboardRow {
  pair: string;
  workerId: number;
  jobId: string;
  variant: string;
  metrics: EvalMetrics;
  buyAndHoldPnlPct: number;
  modelPath: string | null;
  /** `ensemble`: the pair's ensemble of the run's models (variant reads `ensemble of N`). */
  kind?: 'model' | 'ensemble';
  /** Periods per year the row's Sharpe is annualised with (√annualization); absent in older files. */
  annualization?: number;
  /** Whether the row's edge is more than luck; absent when the results carry no significance. */
  evidence?: RowEvidence;
}

/**
 * What a leaderboard row's figures are worth (issue 8): the Sharpe's 95 % bootstrap interval, the
 * one-sided p-values against buy-and-hold (paired) and the matched random policies, the deflated
 * Sharpe with the pair's trials, and whether it survives Benjamini–Hochberg across the leaderboard.
 * Null where a figure is undefined (a series with no variance).
 */
export interface RowEvidence {
  sharpeLow: number | null;
  sharpeHigh: number | null;
  pVsBuyAndHold: number | null;
  pVsRandom: number | null;
  /** DSR, a probability: ≥ 0.95 reads as skill after the search over trials. */
  deflatedSharpe: number | null;
  adjustedPValue: number | null;
  significant: boolean;
}

/** What views may ask for; the supervisor (run mode) or command files (attach mode) carry it out. */
export interface DashboardActions {
  /** Sends a command; resolves with a short message for the view (`restart of worker 2 requested`). */
  send(command: SupervisorCommand): Promise<string>;
  /**
   * Closes the view; in run mode the caller also stops the run gracefully. `interrupted`: the user
   * pressed Ctrl-C (the run then ends as after SIGINT). Whether commands can be sent is not an
   * action: views ask `canSendCommands(state)`.
   */
  quit(how?: { interrupted: boolean }): void;
}

/** A subscribable snapshot store (the shape `useSyncExternalStore` wants). */
export interface StateStore {
  getSnapshot(): DashboardState;
  subscribe(listener: () => void): () => void;
}
