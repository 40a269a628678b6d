import type { SupervisorCommand } from '../../shared/contract.js';
import type { DashboardActions } from '../../shared/dashboard-state.js';

// Helpers for ink-testing-library tests of the dashboard: key codes, a settable store, recording actions,
// a predicate wait, and a way to give the fake stdout a terminal size.

export const KEYS = {
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  enter: '\r',
  escape: '\u001B',
  ctrlC: '\u0003',
} as const;

/** A store holding one state that tests can replace (notifying subscribers like the supervisor's store). */
export { type SettableStore, settableStore } from './settable-store.js';

export interface RecordingActions extends DashboardActions {
  sent: SupervisorCommand[];
  quits: number;
  /** How many of the quits were Ctrl-C. */
  interrupts: number;
}

/** Actions that record what the view asked for and answer like the supervisor would. */
export function recordingActions(): RecordingActions {
  const actions: RecordingActions = {
    sent: [],
    quits: 0,
    interrupts: 0,
    async send(command) {
      actions.sent.push(command);
      return command.type === 'restart'
        ? `restart of worker ${command.workerId} requested`
        : `${command.type} requested`;
    },
    quit(how) {
      actions.quits += 1;
      if (how?.interrupted) actions.interrupts += 1;
    },
  };
  return actions;
}

/**
 * Polls `predicate` every few ms until it holds; fails with `what` (and the last frame) after `timeoutMs`.
 * The default is generous because a loaded 2-core machine took over 3 s for a first frame; a passing test
 * never waits it out.
 */
export async function waitFor(
  predicate: () => boolean,
  what: string,
  frame: () => string | undefined = () => undefined,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; last frame:\n${frame() ?? '(none)'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Gives ink-testing-library's fake stdout (always 100 columns, no rows) a size, then tells Ink it resized. */
export function resizeFakeStdout(stdout: NodeJS.EventEmitter, columns: number, rows: number): void {
  Object.defineProperty(stdout, 'columns', { value: columns, configurable: true });
  Object.defineProperty(stdout, 'rows', { value: rows, configurable: true });
  stdout.emit('resize');
}
