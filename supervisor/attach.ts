import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  canSendCommands,
  type HttpMirrorInfo,
  InputError,
  type StateStore,
  type SupervisorCommand,
  type SupervisorStatus,
  workerLogFile,
} from '../shared/index.js';
import { describeCommand, requestCommand } from './command-files.js';
import type { SupervisorEvent } from './events.js';
import { tailLogs } from './log-tail.js';
import { initialState } from './reducer.js';
import { createStore, VIEW_BATCH_MS } from './store.js';
import { watchResults } from './watcher.js';

export interface AttachDeps {
  now?: () => number;
  usePolling?: boolean;
  batchMs?: number;
  /** How often the clock ticks (ages, supervisor liveness). */
  tickMs?: number;
  /** How long send() waits for the supervisor to take a command. */
  commandTimeoutMs?: number;
}

export interface AttachedRun {
  store: StateStore;
  /** Writes a command file for the live supervisor; rejects when none answers. */
  send(command: SupervisorCommand): Promise<string>;
  /** Whether a live supervisor answers commands (else the view is read-only): `canSendCommands` of the state. */
  canControl(): boolean;
  /** Tells the views where the HTTP mirror runs, or why it does not. */
  setHttpMirror(info: HttpMirrorInfo): void;
  close(): Promise<void>;
}

/** Watches a run started elsewhere (read-only files), reducing them into the same state as a run. */
export async function attachRun(resultsDir: string, deps: AttachDeps = {}): Promise<AttachedRun> {
  const dir = path.resolve(resultsDir);
  const now = deps.now ?? Date.now;
  try {
    if (!(await fs.stat(dir)).isDirectory()) throw new Error('not a folder');
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (error as Error).message;
    throw new InputError(`--results ${dir}: cannot attach, ${why}; give the --results folder of a run`);
  }
  const store = createStore(initialState({ mode: 'attach', resultsDir: dir, now: now() }), {
    batchMs: deps.batchMs ?? VIEW_BATCH_MS,
  });
  let supervisor: SupervisorStatus | null = null;
  const logFiles = new Map<number, string>();

  const onEvent = (event: SupervisorEvent) => {
    if (event.type === 'supervisor-status') supervisor = event.status;
    if (event.type === 'config' && !logFiles.has(event.workerId)) {
      logFiles.set(event.workerId, workerLogFile(dir, event.workerId));
    }
    store.dispatch(event);
  };
  const logs = tailLogs(logFiles, (event) => store.dispatch(event));
  const watcher = watchResults(dir, onEvent, { supervisorFiles: true, usePolling: deps.usePolling });
  await watcher.ready;
  const ticker = setInterval(() => store.dispatch({ type: 'tick', now: now() }), deps.tickMs ?? 1_000);
  store.dispatch({ type: 'tick', now: now() });

  const heartbeatAge = (): number | null => {
    const status = supervisor as SupervisorStatus | null;
    if (!status) return null;
    return now() - Date.parse(status.heartbeatAt);
  };
  const canControl = () => canSendCommands(store.getSnapshot());

  return {
    store,
    canControl,
    setHttpMirror: (info) => store.dispatch({ type: 'http-mirror', ...info }),
    async send(command) {
      if (!canControl()) {
        const status = supervisor as SupervisorStatus | null;
        const age = heartbeatAge();
        const why = !status
          ? 'no supervisor_status.json yet'
          : status.finished
            ? 'the run has finished'
            : `its last heartbeat is ${Math.round((age ?? 0) / 1000)} s old`;
        throw new Error(
          `${describeCommand(command)} not sent: no supervisor is running for ${dir} (${why}). ` +
            'This view is read-only; start the run with ./start_training.sh to control it.',
        );
      }
      const { consumed, message } = await requestCommand(dir, command, { timeoutMs: deps.commandTimeoutMs });
      if (consumed) return message;
      throw new Error(message);
    },
    async close() {
      clearInterval(ticker);
      await watcher.close();
      await logs.close();
      store.close();
    },
  };
}
