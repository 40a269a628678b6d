import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import {
  parseWorkerFileName,
  readJsonTolerant,
  TrainingReportSchema,
  trainingReportFile,
  type WorkerResults,
  WorkerResultsSchema,
} from '../shared/index.js';

// `npm run bench -- --only plan`: the real CLI trains a whole plan headless (`train --headless
// --data-dir ../shared/data`) into a temporary folder, and this measures what the run cost: wall time,
// CPU share of the machine, steps/s per worker, the supervisor's share of one core, and the idle-core
// time at the tail (workers that finished early waiting for the last one).

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA_DIR = path.resolve(ROOT, '../shared/data');
/** The supervisor's first seconds load modules and plan: its steady share is measured after them. */
const STARTUP_SECONDS = 5;

export interface PlanBenchOptions {
  pairs: string | null;
  workers: number | null;
  episodes: number | null;
  days: number | null;
  /** Run dist/cli.js (compiled, as installed) instead of cli.ts through tsx. */
  dist?: boolean;
  /**
   * Run with the dashboard on a 160×50 terminal (a detached tmux session) instead of `--headless`: what
   * drawing it costs the supervisor. The bench presses `q` once the report is written.
   */
  dashboard?: boolean;
  /** Passed to `train` as they are. */
  trainArgs: string[];
  log: (line: string) => void;
}

export interface WorkerFigures {
  workerId: number;
  jobs: number;
  /** Environment steps over training seconds, every episode of its jobs. */
  stepsPerSecond: number;
  /** When it finished its last job, seconds after the run started. */
  finishedAtSeconds: number;
}

/** The supervisor's CPU over one phase of the run. */
export interface SupervisorPhase {
  /** Wall seconds of the phase (to the sampling's resolution, 0.25 s). */
  seconds: number;
  cpuSeconds: number;
  /** cpuSeconds over seconds, in % of one core. */
  pctOfCore: number;
}

/**
 * The supervisor's CPU split where it counts: `startup` from its start to the first worker process
 * seen, `training` while workers run (first worker seen to the last one gone: every core taken then
 * is taken from training), `end` after the last worker exited (ensembles, report; nothing trains).
 * A phase is null when no worker was ever seen.
 */
export interface SupervisorPhases {
  startup: SupervisorPhase;
  training: SupervisorPhase | null;
  end: SupervisorPhase | null;
}

export interface PlanMeasurement {
  command: string[];
  /** `dist/cli.js` or `cli.ts via tsx`. */
  cli: string;
  exitCode: number;
  wallSeconds: number;
  cores: number;
  workers: WorkerFigures[];
  jobs: number;
  /** CPU seconds of the supervisor process itself, and of its worker processes (reaped children). */
  supervisorCpuSeconds: number;
  workersCpuSeconds: number;
  /** (supervisor + workers) CPU over wall time × cores. */
  cpuShare: number;
  /** The supervisor's CPU in % of one core over the whole run, and after its first seconds. */
  supervisorPctOfCore: number;
  supervisorSteadyPctOfCore: number | null;
  /** The supervisor's CPU before, while and after its workers run. */
  supervisorPhases: SupervisorPhases;
  /** From the first worker done with its last job to the run's end. */
  tailSeconds: number;
  /** Σ over workers of (run end − its last job's end): core-seconds a worker process sat idle or gone. */
  idleWorkerSeconds: number;
  /** idleWorkerSeconds over workers × run seconds. */
  idleShare: number;
  /** Where the run's files went (removed after the bench unless it failed). */
  folder: string;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux: /proc/<pid>/stat counts CPU time in these

/** utime+stime (own) and cutime+cstime (reaped children) of a process, in seconds; null when gone. */
export function processCpu(pid: number): { self: number; children: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces or parentheses: fields count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const tick = (i: number) => Number(fields[i]) / CLOCK_TICKS;
    // Fields 14–17 of proc(5) (utime, stime, cutime, cstime) are 11–14 after the name.
    return { self: tick(11) + tick(12), children: tick(13) + tick(14) };
  } catch {
    return null;
  }
}

/** Child processes of `pid` (every thread's children: libuv may spawn from any), [] when gone. */
function childPids(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) => {
      try {
        return readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8')
          .split(' ')
          .filter(Boolean)
          .map(Number);
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}

/** How many children of `pid` are workers of the run in `resultsDir` (their command line names its configs). */
export function runningWorkers(pid: number, resultsDir: string): number {
  return childPids(pid).filter((child) => {
    try {
      return readFileSync(`/proc/${child}/cmdline`, 'utf8').includes(`${resultsDir}${path.sep}worker_`);
    } catch {
      return false;
    }
  }).length;
}

interface CpuSample {
  at: number;
  cpu: { self: number; children: number };
  workers: number;
}

const phase = (from: { at: number; self: number }, to: { at: number; self: number }): SupervisorPhase => {
  const seconds = Math.max(0, to.at - from.at);
  const cpuSeconds = Math.max(0, to.self - from.self);
  return { seconds, cpuSeconds, pctOfCore: seconds > 0 ? (100 * cpuSeconds) / seconds : 0 };
};

/** Splits the samples at the first one with a worker running and the first one after the last such. */
export function supervisorPhases(samples: readonly CpuSample[]): SupervisorPhases {
  const start = { at: 0, self: 0 };
  const at = (s: CpuSample | undefined) => (s ? { at: s.at, self: s.cpu.self } : start);
  const last = at(samples.at(-1));
  const first = samples.findIndex((s) => s.workers > 0);
  if (first < 0) return { startup: phase(start, last), training: null, end: null };
  let lastWith = samples.length - 1;
  while (samples[lastWith]!.workers === 0) lastWith--;
  const trainingStart = at(samples[first]);
  // The first sample that saw no worker left; the last sample when the supervisor exited with them.
  const trainingEnd = at(samples[lastWith + 1] ?? samples[lastWith]);
  return {
    startup: phase(start, trainingStart),
    training: phase(trainingStart, trainingEnd),
    end: phase(trainingEnd, last),
  };
}

function workerFigures(results: WorkerResults[], runStart: number): WorkerFigures[] {
  return results.map((r) => {
    let steps = 0;
    let seconds = 0;
    let lastEnd = runStart;
    for (const job of r.jobs) {
      for (const e of job.episodes) {
        steps += e.stepsPerSecond * e.seconds;
        seconds += e.seconds;
      }
      lastEnd = Math.max(lastEnd, Date.parse(job.finishedAt));
    }
    return {
      workerId: r.workerId,
      jobs: r.jobs.length,
      stepsPerSecond: seconds > 0 ? steps / seconds : 0,
      finishedAtSeconds: (lastEnd - runStart) / 1000,
    };
  });
}

/** Runs the plan through the CLI and measures it. */
export async function measureFullPlan(options: PlanBenchOptions): Promise<PlanMeasurement> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'bench-plan-'));
  const results = path.join(folder, 'results');
  const args = [
    'train',
    ...(options.dashboard ? [] : ['--headless']),
    '--data-dir',
    DATA_DIR,
    '--results',
    results,
    '--models',
    path.join(folder, 'models'),
    '--data',
    path.join(folder, 'data'),
    ...(options.pairs ? ['--pairs', options.pairs] : []),
    ...(options.workers ? ['--workers', String(options.workers)] : []),
    ...(options.episodes ? ['--episodes', String(options.episodes)] : []),
    ...(options.days ? ['--days', String(options.days)] : []),
    ...options.trainArgs,
  ];
  const compiled = path.join(ROOT, 'dist', 'cli.js');
  if (options.dist && !existsSync(compiled))
    throw new Error(`${compiled} is missing: run npm run build first`);
  // Through tsx the supervisor also compiles every module it loads (seconds of CPU at its start).
  const command = options.dist
    ? [process.execPath, compiled, ...args]
    : [process.execPath, '--import', 'tsx', path.join(ROOT, 'cli.ts'), ...args];
  options.log(`  ${['trading-workers', ...args].join(' ')}`);
  const reapedBefore = processCpu(process.pid)?.children ?? 0;
  const started = performance.now();
  const launched = options.dashboard
    ? await launchInTmux(command, folder, results)
    : launchHeadless(command, options.log);
  const pid = launched.pid;
  // Sampled while it runs: the last sample before exit is the supervisor's total, a zombie keeps none.
  // Each sample also counts the run's worker processes, which splits the run into its phases.
  const samples: CpuSample[] = [];
  const sample = () => {
    if (pid === undefined) return;
    const workers = runningWorkers(pid, results);
    const cpu = processCpu(pid);
    if (cpu) samples.push({ at: (performance.now() - started) / 1000, cpu, workers });
  };
  const sampler = setInterval(sample, 250);
  const outcome = await launched.done;
  clearInterval(sampler);
  const wallSeconds = (performance.now() - started) / 1000;
  const last = samples.at(-1)?.cpu ?? { self: 0, children: 0 };
  const steady = samples.find((s) => s.at >= STARTUP_SECONDS);
  const lastAt = samples.at(-1)?.at ?? 0;

  const report = await readJsonTolerant(trainingReportFile(results), TrainingReportSchema);
  if (!report.ok) {
    throw new Error(
      `the run left no report (${report.message}); exit ${outcome.exitCode}: ${outcome.lastLine}`,
    );
  }
  const runStart = Date.parse(report.value.startedAt);
  const runEnd = Date.parse(report.value.finishedAt);
  const workerResults: WorkerResults[] = [];
  for (const name of (await readdir(results)).sort()) {
    if (parseWorkerFileName(name)?.kind !== 'results') continue;
    const read = await readJsonTolerant(path.join(results, name), WorkerResultsSchema);
    if (read.ok) workerResults.push(read.value);
  }
  const workers = workerFigures(workerResults, runStart).sort((a, b) => a.workerId - b.workerId);
  const runSeconds = (runEnd - runStart) / 1000;
  const firstDone = Math.min(...workers.map((w) => w.finishedAtSeconds));
  const idleWorkerSeconds = workers.reduce((n, w) => n + Math.max(0, runSeconds - w.finishedAtSeconds), 0);
  const cores = os.availableParallelism();
  // After the supervisor is reaped, this process's children's time holds it and every worker it reaped.
  const reaped = (processCpu(process.pid)?.children ?? reapedBefore) - reapedBefore;
  const workersCpuSeconds = Math.max(last.children, reaped - last.self);
  const measurement: PlanMeasurement = {
    command: ['trading-workers', ...args],
    cli: `${options.dist ? 'dist/cli.js' : 'cli.ts via tsx'}${options.dashboard ? ', with the dashboard at 160×50' : ', headless'}`,
    exitCode: outcome.exitCode ?? -1,
    wallSeconds,
    cores,
    workers,
    jobs: report.value.jobs.length,
    supervisorCpuSeconds: last.self,
    workersCpuSeconds,
    cpuShare: (last.self + workersCpuSeconds) / (wallSeconds * cores),
    supervisorPctOfCore: (100 * last.self) / wallSeconds,
    supervisorSteadyPctOfCore:
      steady && lastAt > steady.at ? (100 * (last.self - steady.cpu.self)) / (lastAt - steady.at) : null,
    supervisorPhases: supervisorPhases(samples),
    tailSeconds: workers.length > 0 ? Math.max(0, runSeconds - firstDone) : 0,
    idleWorkerSeconds,
    idleShare: workers.length > 0 && runSeconds > 0 ? idleWorkerSeconds / (workers.length * runSeconds) : 0,
    folder,
  };
  if (outcome.exitCode === 0) await rm(folder, { recursive: true, force: true });
  return measurement;
}

interface Launched {
  pid: number | undefined;
  done: Promise<{ exitCode: number | null; lastLine: string }>;
}

/** The CLI as a child process, its progress lines logged. */
function launchHeadless(command: string[], log: (line: string) => void): Launched {
  const child = execa(command[0]!, command.slice(1), {
    cwd: ROOT,
    reject: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: { CI: '1' },
  });
  let lastLine = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    const lines = chunk.toString('utf8').trim().split('\n');
    lastLine = lines.at(-1) ?? lastLine;
    for (const line of lines) if (/progress|done|failed/i.test(line)) log(`    ${line}`);
  });
  return {
    pid: child.pid,
    done: child.then((outcome) => ({ exitCode: outcome.exitCode ?? null, lastLine })),
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The supervisor among running processes: its command line names the CLI and the run's results folder. */
function findSupervisor(cli: string, results: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv.includes(cli) && argv.includes(results) && !argv.includes('-c')) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

/**
 * The CLI drawing its dashboard on a detached 160×50 tmux terminal; `q` once the report exists (the
 * finished dashboard stays up until then). CI is unset in the pane: with it the CLI would run headless.
 */
async function launchInTmux(command: string[], folder: string, results: string): Promise<Launched> {
  const session = `bench-plan-${process.pid}`;
  const exitFile = path.join(folder, 'exit-code');
  const quote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;
  const shell = `cd ${quote(ROOT)} && env -u CI ${command.map(quote).join(' ')}; echo $? > ${quote(exitFile)}`;
  await execa('tmux', ['new-session', '-d', '-s', session, '-x', '160', '-y', '50', shell]);
  let pid: number | undefined;
  for (let tries = 0; pid === undefined && tries < 100; tries++) {
    await pause(50);
    pid = findSupervisor(command[command.indexOf('train') - 1]!, results);
  }
  const done = (async () => {
    const report = trainingReportFile(results);
    while (!existsSync(report) && !existsSync(exitFile)) await pause(200);
    // The last frame and the report's aftermath, then quit the finished dashboard.
    await pause(500);
    await execa('tmux', ['send-keys', '-t', session, 'q'], { reject: false });
    while (!existsSync(exitFile)) await pause(100);
    await execa('tmux', ['kill-session', '-t', session], { reject: false });
    return { exitCode: Number(readFileSync(exitFile, 'utf8').trim()), lastLine: '' };
  })();
  return { pid, done };
}

const fmt = (x: number, digits = 1) =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const phaseLine = (name: string, p: SupervisorPhase | null) =>
  p === null
    ? `${name} n/a (no worker seen)`
    : `${name} ${fmt(p.cpuSeconds, 2)} s CPU in ${fmt(p.seconds)} s (${fmt(p.pctOfCore)}% of one core)`;

/** The plan section of `npm run bench` as printed lines. */
export function formatFullPlan(m: PlanMeasurement): string[] {
  return [
    `  exit ${m.exitCode}; ${m.jobs} jobs on ${m.workers.length} workers in ${fmt(m.wallSeconds)} s wall on ${m.cores} cores (${m.cli})`,
    `  CPU: supervisor ${fmt(m.supervisorCpuSeconds)} s, workers ${fmt(m.workersCpuSeconds)} s; ${fmt(100 * m.cpuShare)}% of the machine's cores over the run`,
    `  supervisor: ${fmt(m.supervisorPctOfCore)}% of one core over the run${m.supervisorSteadyPctOfCore === null ? '' : `, ${fmt(m.supervisorSteadyPctOfCore)}% after its first ${STARTUP_SECONDS} s`}`,
    `  supervisor by phase: ${phaseLine('start-up', m.supervisorPhases.startup)}; ${phaseLine('while workers train', m.supervisorPhases.training)}; ${phaseLine('after the last worker exited', m.supervisorPhases.end)}`,
    `  steps/s per worker: ${m.workers.map((w) => `W${w.workerId} ${fmt(w.stepsPerSecond, 0)}`).join(', ')}`,
    `  tail: ${fmt(m.tailSeconds)} s from the first worker done to the run's end; ${fmt(m.idleWorkerSeconds)} worker-seconds idle (${fmt(100 * m.idleShare)}% of workers × run time)`,
    ...(m.exitCode === 0 ? [] : [`  the run's files were kept in ${m.folder}`]),
  ];
}
