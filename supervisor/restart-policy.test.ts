import test from 'ava';
import type { WorkerState } from '../shared/index.js';
import {
  backoffDelay,
  DEFAULT_RESTART_POLICY,
  decideOnExit,
  describeExit,
  isStalled,
  type RestartPolicy,
} from './restart-policy.js';

const NO_JITTER: RestartPolicy = { ...DEFAULT_RESTART_POLICY, jitter: 0 };
const half = () => 0.5;

test('backoff doubles from the base and stops at the cap', (t) => {
  t.deepEqual(
    [1, 2, 3, 4, 5, 6, 7, 10].map((a) => backoffDelay(a, NO_JITTER, half)),
    [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000],
  );
  t.is(backoffDelay(0, NO_JITTER, half), 1_000, 'attempt below 1 counts as the first');
});

test('jitter stays within ±jitter of the delay and never passes the cap', (t) => {
  const p = DEFAULT_RESTART_POLICY;
  t.is(
    backoffDelay(3, p, () => 0),
    3_200,
  );
  t.is(
    backoffDelay(3, p, () => 0.5),
    4_000,
  );
  t.is(
    backoffDelay(3, p, () => 0.999999),
    4_800,
  );
  t.is(
    backoffDelay(10, p, () => 0.999999),
    30_000,
    'capped after jitter',
  );
  t.is(
    backoffDelay(10, p, () => 0),
    24_000,
  );
  for (let i = 0; i <= 100; i++) {
    const d = backoffDelay(2, p, () => i / 100);
    t.true(d >= 1_600 && d <= 2_400, `${d}`);
  }
  t.is(
    backoffDelay(1, p, () => 7),
    1_200,
    'a bad random source is clamped',
  );
});

interface ExitInput {
  code: number | null;
  signal: string | null;
  workerState: WorkerState | null;
  stopRequested: boolean;
  consecutiveRestarts: number;
  uptimeMs: number;
  madeProgress?: boolean;
}

const base: ExitInput = {
  code: 1,
  signal: null,
  workerState: 'training',
  stopRequested: false,
  consecutiveRestarts: 0,
  uptimeMs: 5_000,
};

test('decideOnExit: the table', (t) => {
  const cases: [Partial<ExitInput>, 'none' | 'restart' | 'give-up', string | RegExp][] = [
    [{ code: 0, workerState: 'done' }, 'none', 'finished'],
    [{ code: 0, workerState: 'done', stopRequested: true }, 'none', /stopped on request/],
    [
      { code: null, signal: 'SIGTERM', stopRequested: true },
      'none',
      'stopped on request (killed by SIGTERM)',
    ],
    [{ code: 1 }, 'restart', 'exited with code 1'],
    [{ code: null, signal: 'SIGKILL' }, 'restart', 'killed by SIGKILL'],
    [{ code: 0, workerState: 'training' }, 'restart', 'exited with code 0 before finishing (state training)'],
    [{ code: 0, workerState: null }, 'restart', /state unknown/],
    [{ code: 1, workerState: 'failed' }, 'restart', 'exited with code 1'],
    [{ code: 1, workerState: 'done' }, 'restart', 'exited with code 1'],
    [{ consecutiveRestarts: 4 }, 'restart', 'exited with code 1'],
    [{ consecutiveRestarts: 5 }, 'give-up', 'gave up after 5 consecutive restarts: exited with code 1'],
    [{ consecutiveRestarts: 5, uptimeMs: 60_000 }, 'restart', 'exited with code 1'],
  ];
  for (const [input, action, reason] of cases) {
    const d = decideOnExit({ ...base, ...input }, DEFAULT_RESTART_POLICY, half);
    t.is(d.action, action, JSON.stringify(input));
    if (typeof reason === 'string') t.is(d.reason, reason);
    else t.regex(d.reason, reason);
  }
});

test('decideOnExit: attempts count up with growing delays and reset after a stable run', (t) => {
  const attempts = [0, 1, 2, 3, 4].map((n) =>
    decideOnExit({ ...base, consecutiveRestarts: n }, NO_JITTER, half),
  );
  t.deepEqual(
    attempts.map((d) => (d.action === 'restart' ? [d.attempt, d.delayMs] : d.action)),
    [
      [1, 1_000],
      [2, 2_000],
      [3, 4_000],
      [4, 8_000],
      [5, 16_000],
    ],
  );
  const reset = decideOnExit({ ...base, consecutiveRestarts: 3, uptimeMs: 90_000 }, NO_JITTER, half);
  t.like(reset, { action: 'restart', attempt: 1, delayMs: 1_000 });
  t.is(
    decideOnExit({ ...base, consecutiveRestarts: 1 }, { ...NO_JITTER, maxRestarts: 1 }, half).reason,
    'gave up after 1 consecutive restart: exited with code 1',
  );
  t.is(decideOnExit({ ...base }, { ...NO_JITTER, maxRestarts: 0 }, half).action, 'give-up');
});

test('decideOnExit: a process that made progress (finished an episode) was not crash-looping', (t) => {
  // Killed after 5 s, five times in a row, but each time after an episode: never given up.
  const progressed = decideOnExit({ ...base, consecutiveRestarts: 5, madeProgress: true }, NO_JITTER, half);
  t.like(progressed, { action: 'restart', attempt: 1, delayMs: 1_000 });
  t.is(
    decideOnExit({ ...base, consecutiveRestarts: 5, madeProgress: false }, NO_JITTER, half).action,
    'give-up',
  );
});

test('isStalled: before its first heartbeat a worker has at least the startup grace (a slow start is not a hang)', (t) => {
  const p = { ...DEFAULT_RESTART_POLICY, stallAfterMs: 6_000 };
  const start = 1_000_000;
  t.false(
    isStalled(null, start, start + 59_000, p),
    'still starting (node, the ML backend, a loaded machine)',
  );
  t.true(isStalled(null, start, start + 60_001, p));
  t.true(isStalled(start + 1_000, start, start + 7_001, p), 'after its first heartbeat, the stall limit');
});

test('describeExit', (t) => {
  t.is(describeExit(2, null), 'exited with code 2');
  t.is(describeExit(null, 'SIGSEGV'), 'killed by SIGSEGV');
  t.is(describeExit(null, null), 'exited');
});

test('isStalled: heartbeat age past the threshold, counted from start before the first heartbeat', (t) => {
  const p = DEFAULT_RESTART_POLICY;
  const start = 1_000_000;
  t.false(isStalled(null, start, start + 120_000, p));
  t.true(isStalled(null, start, start + 120_001, p));
  t.false(isStalled(start + 100_000, start, start + 200_000, p));
  t.true(isStalled(start + 10_000, start, start + 130_001, p));
  t.false(
    isStalled(start - 500_000, start, start + 60_000, p),
    "a heartbeat from the previous process doesn't make a fresh process stalled",
  );
  t.true(isStalled(start - 500_000, start, start + 121_000, p));
});

test('a give-up keeps the first line of the real cause the runtime reported', (t) => {
  const input = {
    signal: null,
    workerState: null,
    stopRequested: false,
    consecutiveRestarts: 5,
    uptimeMs: 0,
  };
  const startFailed = decideOnExit(
    {
      ...input,
      code: null,
      cause: 'start failed: docker-compose up worker-1 failed (exit 1): Duplicate mount points\nTraceback',
    },
    DEFAULT_RESTART_POLICY,
    () => 0.5,
  );
  t.deepEqual(startFailed, {
    action: 'give-up',
    reason:
      'gave up after 5 consecutive restarts: start failed: docker-compose up worker-1 failed (exit 1): Duplicate mount points',
  });
  const oom = decideOnExit(
    {
      ...input,
      code: null,
      signal: 'SIGKILL',
      consecutiveRestarts: 0,
      cause: 'killed for memory (limit 2g, TW_MEMORY)',
    },
    DEFAULT_RESTART_POLICY,
    () => 0.5,
  );
  t.like(oom, { action: 'restart', reason: 'killed by SIGKILL: killed for memory (limit 2g, TW_MEMORY)' });
});
