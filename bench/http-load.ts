// Load check of the HTTP mirror (issue 5): does it hold ≥500 req/s on /api/state with 50 open event
// streams, without slowing the terminal dashboard's updates? Run: `tsx bench/http-load.ts [--json]`.
//
// The mirror and a simulated dashboard update loop run in this process (as in a real run); the load
// (autocannon's CLI and the 50 SSE clients) runs in child processes, so it costs the measured event
// loop only what serving it costs. The loop dispatches a new snapshot every 100 ms, like the
// supervisor's store; a subscriber stands in for Ink and records dispatch → next-turn latency.
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { AggregatedResults, BestModel, EvalMetrics, RankedJob } from '../shared/contract.js';
import type { DashboardState, LeaderboardRow, WorkerView } from '../shared/dashboard-state.js';
import { DEFAULT_PAIRS, type SettableStore, settableStore, VARIANTS } from '../shared/index.js';
import { startHttpMirror } from '../tui/http/index.js';

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    duration: { type: 'string', default: '10' },
    baseline: { type: 'string', default: '5' },
    rate: { type: 'string', default: '1000' },
    connections: { type: 'string', default: '10' },
    streams: { type: 'string', default: '50' },
  },
});

/** Parses a positive number option or exits naming it. */
function positive(name: string, raw: string | undefined): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    process.stderr.write(`http-load: --${name} must be a positive number, got ${raw}\n`);
    process.exit(2);
  }
  return n;
}

const DURATION_S = positive('duration', args.duration);
const BASELINE_S = positive('baseline', args.baseline);
const RATE = Math.round(positive('rate', args.rate));
const CONNECTIONS = Math.round(positive('connections', args.connections));
const STREAMS = Math.round(positive('streams', args.streams));
const TICK_MS = 100;
const SAMPLE_MS = 10;

// ---------------------------------------------------------------- a realistic state (15 pairs, 4 workers)

let seed = 7;
const rnd = () => {
  seed = (seed * 1_664_525 + 1_013_904_223) >>> 0;
  return seed / 2 ** 32;
};
const metrics = (pnlPct: number): EvalMetrics => ({
  pnlPct,
  pnlUsd: pnlPct * 100,
  finalValue: 10_000 * (1 + pnlPct / 100),
  winRate: 0.4 + rnd() * 0.2,
  trades: Math.round(20 + rnd() * 50),
  sharpe: pnlPct / 5,
  sortino: pnlPct / 4,
  maxDrawdownPct: 3 + rnd() * 10,
  exposure: 0.3 + rnd() * 0.4,
});
const NOW = Date.parse('2025-06-01T12:00:00Z');
const PAIRS_BY_WORKER = [
  DEFAULT_PAIRS.slice(0, 4),
  DEFAULT_PAIRS.slice(4, 8),
  DEFAULT_PAIRS.slice(8, 12),
  DEFAULT_PAIRS.slice(12, 15),
];

/** 200 sampled points per curve, as worker/evaluate.ts keeps. */
function equityCurve(pnl: number, bh: number) {
  const times: string[] = [];
  const agent: number[] = [];
  const buyAndHold: number[] = [];
  for (let i = 0; i < 200; i += 1) {
    times.push(new Date(NOW - (200 - i) * 9 * 3_600_000).toISOString());
    agent.push(10_000 * (1 + ((pnl * i) / 199 + (rnd() - 0.5) * 2) / 100));
    buyAndHold.push(10_000 * (1 + ((bh * i) / 199 + (rnd() - 0.5) * 4) / 100));
  }
  return { times, agent, buyAndHold };
}

function buildAggregated(): { aggregated: AggregatedResults; leaderboard: LeaderboardRow[] } {
  const rankings: RankedJob[] = [];
  const bestByPair: BestModel[] = [];
  const leaderboard: LeaderboardRow[] = [];
  PAIRS_BY_WORKER.forEach((pairs, w) => {
    for (const pair of pairs) {
      const bh = (rnd() - 0.5) * 30;
      VARIANTS.forEach((variant, v) => {
        const pnl = (rnd() - 0.4) * 20;
        const m = metrics(pnl);
        rankings.push({
          jobId: `${pair}/${variant.name}`,
          pair,
          variant: variant.name,
          hyperparameters: variant.hyperparameters,
          status: 'done',
          error: null,
          metrics: m,
          baselines: { buyAndHold: metrics(bh), random: metrics(-1) },
          data: null,
          modelPath: `models/jobs/${pair}__${variant.name}`,
          backend: 'wasm',
          seed: 42 + v,
          seconds: 80 + rnd() * 40,
          startedAt: new Date(NOW - 3_600_000).toISOString(),
          finishedAt: new Date(NOW - 1_800_000).toISOString(),
          resumedFromEpisode: 0,
          workerId: w + 1,
        });
        if (v === 0) {
          bestByPair.push({
            pair,
            workerId: w + 1,
            jobId: `${pair}/${variant.name}`,
            variant: variant.name,
            metrics: m,
            buyAndHold: metrics(bh),
            random: metrics(-1),
            modelPath: `models/worker_${w + 1}_${pair}_model`,
            equityCurve: equityCurve(pnl, bh),
          });
          leaderboard.push({
            pair,
            workerId: w + 1,
            jobId: `${pair}/${variant.name}`,
            variant: variant.name,
            metrics: m,
            buyAndHoldPnlPct: bh,
            modelPath: `models/worker_${w + 1}_${pair}_model`,
          });
        }
      });
    }
  });
  const aggregated: AggregatedResults = {
    schema: 1,
    runId: 'bench',
    updatedAt: new Date(NOW).toISOString(),
    jobsTotal: 60,
    jobsDone: 60,
    jobsFailed: 0,
    rankings,
    bestByPair,
  };
  return { aggregated, leaderboard };
}

const { aggregated, leaderboard } = buildAggregated();
const logTail = (id: number) =>
  Array.from(
    { length: 200 },
    (_, i) =>
      `[worker ${id}] BTC-USD/base episode ${i % 10} reward ${(rnd() * 100 - 50).toFixed(2)} 812 steps/s`,
  );
const LOGS = [1, 2, 3, 4].map(logTail);

/** The snapshot of tick `i`: workers move on, the heavy parts (curves, logs) keep their identity. */
function snapshot(i: number): DashboardState {
  const workers: WorkerView[] = PAIRS_BY_WORKER.map((pairs, w) => ({
    workerId: w + 1,
    state: 'training',
    process: 'running',
    pid: 1000 + w,
    pairs: [...pairs],
    jobId: `${pairs[0]}/base`,
    pair: pairs[0] ?? null,
    variant: 'base',
    episode: 1 + (Math.floor(i / 50) % 10),
    episodes: 10,
    step: (i * 70) % 6988,
    stepsPerEpisode: 6988,
    stepsPerSecond: 800 + (i % 20),
    recentRewards: Array.from({ length: 9 }, (_, k) => -40 + k * 6),
    lastJobPnlPct: 2.5,
    jobsDone: 3,
    jobsFailed: 0,
    jobsTotal: pairs.length * 4,
    restarts: 0,
    nextRestartAt: null,
    heartbeatAt: NOW + i * TICK_MS,
    stalled: false,
    lastError: null,
    memoryMb: 300,
    logFile: `results/logs/worker_${w + 1}.log`,
    logTail: LOGS[w] ?? [],
  }));
  return {
    mode: 'run',
    runId: 'bench',
    runtime: 'local',
    resultsDir: 'results',
    supervisorConnected: true,
    now: NOW + i * TICK_MS,
    startedAt: NOW - 600_000,
    finishedAt: null,
    backend: 'wasm',
    progress: {
      jobsTotal: 60,
      jobsDone: 12,
      jobsFailed: 0,
      episodesTotal: 600,
      episodesDone: 120 + Math.floor(i / 50),
      elapsedSeconds: 600 + i / 10,
      etaSeconds: 2400,
    },
    workers,
    leaderboard,
    problems: [],
    finished: false,
    aggregated,
    report: null,
  };
}

// ---------------------------------------------------------------- measuring the dashboard loop

interface LoopFigures {
  seconds: number;
  ticks: number;
  /** Dispatch → the dashboard subscriber's next turn (what an Ink render would wait). */
  updateLatencyMs: { p50: number; p99: number; max: number };
  /** How late the 100 ms tick timer fired. */
  tickLatenessMs: { p50: number; p99: number; max: number };
  /** perf_hooks.monitorEventLoopDelay over the phase, beyond its 10 ms sampling interval. */
  eventLoopDelayMs: { p50: number; p99: number; max: number };
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);
const summary = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  return { p50: r(percentile(s, 50)), p99: r(percentile(s, 99)), max: r(s.at(-1) ?? 0) };
};

/** Runs the dashboard update loop until `until` resolves, measuring its latencies. */
async function measureLoop(
  store: SettableStore,
  startTick: number,
  until: Promise<unknown>,
): Promise<LoopFigures & { endTick: number }> {
  const updates: number[] = [];
  const lateness: number[] = [];
  let dispatchedAt = 0;
  const unsubscribe = store.subscribe(() => {
    const at = dispatchedAt;
    setImmediate(() => updates.push(performance.now() - at));
  });
  const histogram = monitorEventLoopDelay({ resolution: SAMPLE_MS });
  histogram.enable();
  const started = performance.now();
  let tick = startTick;
  let due = performance.now() + TICK_MS;
  let timer: NodeJS.Timeout | null = null;
  const schedule = () => {
    timer = setTimeout(
      () => {
        const now = performance.now();
        lateness.push(Math.max(0, now - due));
        due = now + TICK_MS;
        tick += 1;
        dispatchedAt = performance.now();
        store.set(snapshot(tick));
        schedule();
      },
      Math.max(0, due - performance.now()),
    );
  };
  schedule();
  await until;
  if (timer !== null) clearTimeout(timer);
  histogram.disable();
  unsubscribe();
  // The histogram records whole sampling intervals (an idle loop reads SAMPLE_MS): keep the excess.
  const ms = (ns: number) => Math.max(0, Math.round((ns / 1e6 - SAMPLE_MS) * 100) / 100);
  return {
    seconds: Math.round((performance.now() - started) / 100) / 10,
    ticks: lateness.length,
    updateLatencyMs: summary(updates),
    tickLatenessMs: summary(lateness),
    eventLoopDelayMs: {
      p50: ms(histogram.percentile(50)),
      p99: ms(histogram.percentile(99)),
      max: ms(histogram.max),
    },
    endTick: tick,
  };
}

// ---------------------------------------------------------------- the load, in child processes

// 50 plain SSE clients in one child: prints `ready` once every stream got its first state, and its
// counts as JSON when its stdin closes.
const SSE_CLIENTS = `
import http from 'node:http';
const [url, n] = [process.argv[1], Number(process.argv[2])];
let ready = 0, states = 0, bytes = 0, errors = 0;
const reqs = [];
for (let i = 0; i < n; i += 1) {
  let first = true;
  const req = http.get(url, { agent: false }, (res) => {
    res.on('data', (chunk) => {
      bytes += chunk.length;
      const found = chunk.toString('latin1').split('event: state').length - 1;
      states += found;
      if (first && found > 0) { first = false; ready += 1; if (ready === n) process.stdout.write('ready\\n'); }
    });
  });
  req.on('error', () => { errors += 1; });
  reqs.push(req);
}
process.stdin.resume();
process.stdin.on('end', () => {
  for (const r of reqs) r.destroy();
  process.stdout.write(JSON.stringify({ streams: n, ready, states, bytes, errors }) + '\\n');
  process.exit(0);
});
`;

function collect(child: ChildProcess): { out: () => string; done: Promise<number> } {
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => {
    out += s;
  });
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (s: string) => {
    err += s;
  });
  const done = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(0) : reject(new Error(`child exited ${code}: ${err.slice(-500)}`)),
    );
  });
  return { out: () => out, done };
}

async function waitFor(predicate: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`http-load: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  throughput: { average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
}

// ---------------------------------------------------------------- main

const store = settableStore(snapshot(0));
const mirror = await startHttpMirror({ store, port: 0, env: {} });
const stateBytes = Buffer.byteLength(JSON.stringify(store.getSnapshot()));
try {
  const baseline = await measureLoop(store, 0, new Promise((r) => setTimeout(r, BASELINE_S * 1000)));

  const sse = spawn(
    process.execPath,
    ['--input-type=module', '-e', SSE_CLIENTS, `${mirror.url}api/events`, String(STREAMS)],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const sseOut = collect(sse);
  await waitFor(() => sseOut.out().includes('ready'), `${STREAMS} event streams`);

  const autocannonBin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  const cannon = spawn(
    process.execPath,
    [
      autocannonBin,
      '--json',
      '-n',
      '-c',
      String(CONNECTIONS),
      '-d',
      String(DURATION_S),
      '-R',
      String(RATE),
      `${mirror.url}api/state`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const cannonOut = collect(cannon);
  const loaded = await measureLoop(store, baseline.endTick, cannonOut.done);
  sse.stdin?.end();
  await sseOut.done;
  const sseStats = JSON.parse(
    sseOut
      .out()
      .split('\n')
      .find((l) => l.startsWith('{')) ?? '{}',
  ) as {
    streams: number;
    ready: number;
    states: number;
    bytes: number;
    errors: number;
  };
  const ac = JSON.parse(cannonOut.out()) as AutocannonResult;

  const { endTick: _b, ...baselineFigures } = baseline;
  const { endTick: _l, ...loadedFigures } = loaded;
  const figures = {
    node: process.version,
    stateBytes,
    load: { rate: RATE, connections: CONNECTIONS, seconds: DURATION_S, streams: STREAMS },
    http: {
      requestsPerSecond: Math.round(ac.requests.average),
      requestsTotal: ac.requests.total,
      latencyMs: { p50: ac.latency.p50, p99: ac.latency.p99, max: ac.latency.max },
      megabytesPerSecond: Math.round(ac.throughput.average / 1e5) / 10,
      errors: ac.errors,
      timeouts: ac.timeouts,
      non2xx: ac.non2xx,
    },
    sse: {
      streams: sseStats.streams,
      connected: sseStats.ready,
      statesPerStreamPerSecond:
        Math.round((sseStats.states / Math.max(1, sseStats.streams) / loaded.seconds) * 10) / 10,
      megabytes: Math.round(sseStats.bytes / 1e5) / 10,
      errors: sseStats.errors,
    },
    dashboardWithoutLoad: baselineFigures,
    dashboardWithLoad: loadedFigures,
    target: { requestsPerSecond: 500, met: ac.requests.average >= 500 && ac.non2xx === 0 && ac.errors === 0 },
  };

  if (args.json) {
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  } else {
    const f = figures;
    const loop = (l: LoopFigures) =>
      `update p50 ${l.updateLatencyMs.p50} ms, p99 ${l.updateLatencyMs.p99} ms · tick lateness p99 ${l.tickLatenessMs.p99} ms · event-loop delay p99 ${l.eventLoopDelayMs.p99} ms (max ${l.eventLoopDelayMs.max})`;
    const lines = [
      `HTTP mirror load check (${f.node}; state ${Math.round(f.stateBytes / 1024)} KiB: 15 pairs, 4 workers, 15 equity curves)`,
      `load: autocannon ${f.load.connections} connections at ≤${f.load.rate} req/s for ${f.load.seconds} s on /api/state, ${f.load.streams} SSE streams open`,
      `/api/state: ${f.http.requestsPerSecond} req/s (${f.http.requestsTotal} requests), latency p50 ${f.http.latencyMs.p50} ms, p99 ${f.http.latencyMs.p99} ms, ${f.http.megabytesPerSecond} MB/s, errors ${f.http.errors}, non-2xx ${f.http.non2xx}`,
      `SSE: ${f.sse.connected}/${f.sse.streams} streams, ${f.sse.statesPerStreamPerSecond} states/s each, ${f.sse.megabytes} MB total, errors ${f.sse.errors}`,
      `dashboard without load: ${loop(f.dashboardWithoutLoad)}`,
      `dashboard with load:    ${loop(f.dashboardWithLoad)}`,
      `target ≥500 req/s with ${f.load.streams} streams: ${f.target.met ? 'met' : 'NOT met'}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  process.exitCode = figures.target.met ? 0 : 1;
} finally {
  await mirror.close();
}
