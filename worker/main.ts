#!/usr/bin/env node
// Entry point of a worker process: `node dist/worker/main.js --config results/worker_N_config.json`,
// a training worker or, when the config says `kind: "paper"`, a paper-trading worker.
// The supervisor starts it (locally or as a Docker Compose service); it can also run by hand.
import { writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runPaperWorker } from './paper/run-paper-worker.js';
import { readWorkerConfig } from './read-worker-config.js';
import { runWorker } from './run-worker.js';
import { watchSupervisorStatus } from './supervisor-watch.js';

// Lines that could not be written yet (the log's disk was full): kept, bounded, and written
// before the next line, so a full disk delays the log rather than losing lines or killing the worker.
const unwritten: string[] = [];
const MAX_UNWRITTEN = 1_000;

function log(line: string): void {
  unwritten.push(`[${new Date().toISOString()}] ${line}\n`);
  if (unwritten.length > MAX_UNWRITTEN) unwritten.splice(0, unwritten.length - MAX_UNWRITTEN);
  try {
    // stdout is the worker's log file, written directly: a write that fails (ENOSPC) throws here,
    // where a stream would stay stuck after the first failure.
    while (unwritten.length > 0) {
      writeOut(unwritten[0]!);
      unwritten.shift();
    }
  } catch {
    // Kept for the next line.
  }
}

function writeOut(text: string): void {
  try {
    writeSync(1, text);
  } catch (error) {
    // A non-blocking pipe or terminal (a worker run by hand): let the stream queue it.
    if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    process.stdout.write(text);
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { config: { type: 'string' }, engine: { type: 'string', default: 'js' } },
  });
  const configPath =
    values.config ??
    (process.env.WORKER_CONFIG ||
      (process.env.WORKER_ID ? `results/worker_${process.env.WORKER_ID}_config.json` : undefined));
  if (!configPath) {
    process.stderr.write('worker: --config FILE (or WORKER_CONFIG / WORKER_ID) is required\n');
    return 2;
  }
  if (values.engine !== 'js' && values.engine !== 'tfjs') {
    process.stderr.write(`worker: --engine must be js or tfjs, got ${values.engine}\n`);
    return 2;
  }
  let config: Awaited<ReturnType<typeof readWorkerConfig>>;
  try {
    config = await readWorkerConfig(configPath);
  } catch (error) {
    process.stderr.write(`worker: cannot use config: ${(error as Error).message}\n`);
    return 2;
  }
  let stopRequested = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopRequested) return;
    stopRequested = true;
    log(`${signal}: stopping after the current chunk of steps; the last episode checkpoint is kept`);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const onSupervisorGone = (why: string) => {
    if (stopRequested) return;
    stopRequested = true;
    log(`the supervisor is gone (${why}): stopping after the current chunk of steps; the checkpoint is kept`);
  };
  watchSupervisor(process.env.TRADING_WORKERS_SUPERVISOR_PID, () => onSupervisorGone('its process ended'));
  // In a container (Compose, Swarm) the supervisor's pid is not visible: its heartbeat file is.
  const statusFile = process.env.TRADING_WORKERS_SUPERVISOR_STATUS;
  if (statusFile) watchSupervisorStatus(statusFile, config.runId, onSupervisorGone);
  const shouldStop = () => stopRequested;
  // One entry for both kinds, so every runtime (local, docker, swarm) starts paper workers as it starts training ones.
  const outcome =
    config.kind === 'paper'
      ? await runPaperWorker(config, { shouldStop, log })
      : await runWorker(config, { engine: values.engine, shouldStop, log });
  log(`worker ${config.workerId}: ${outcome}`);
  return 0;
}

/**
 * A supervisor killed outright cannot stop its workers; left running they would race the next run's
 * workers for the same files. So a worker started by a supervisor checks that it is still alive.
 */
function watchSupervisor(pidText: string | undefined, onGone: () => void): void {
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return;
  const timer = setInterval(() => {
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') {
        clearInterval(timer);
        onGone();
      }
    }
  }, 2_000);
  timer.unref();
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    log(`fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  },
);
