import { SCHEMA_VERSION, type WorkerStatus } from '../shared/index.js';

/** A worker status file as a worker writes it mid-training; override what the moment needs. */
export function workerStatus(overrides: Partial<WorkerStatus> = {}): WorkerStatus {
  return {
    schema: SCHEMA_VERSION,
    runId: 'run-test',
    workerId: 1,
    pid: 4242,
    seq: 1,
    state: 'training',
    startedAt: '2025-06-01T11:00:00.000Z',
    heartbeatAt: '2025-06-01T11:00:05.000Z',
    current: {
      jobId: 'BTC-USD/base',
      pair: 'BTC-USD',
      variant: 'base',
      jobIndex: 0,
      episode: 1,
      episodes: 10,
      step: 1_200,
      stepsPerEpisode: 7_000,
    },
    stepsPerSecond: 800,
    recentRewards: [],
    lastEpisode: null,
    jobsDone: 0,
    jobsFailed: 0,
    jobsTotal: 8,
    lastJobPnlPct: null,
    backend: 'wasm',
    memory: { rssMb: 310, heapUsedMb: 120, numTensors: 42 },
    lastError: null,
    message: null,
    ...overrides,
  };
}
