import type { RunHandle } from '../supervisor/index.js';
import type { StopSignal } from './exit-codes.js';

const SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** How a run is being stopped from outside: the first signal that asked, if any. */
export interface StopSignals {
  /** The signal (or dashboard Ctrl-C, as SIGINT) that stopped the run; null while none did. */
  readonly stoppedBy: StopSignal | null;
  /** Ctrl-C in the dashboard: the same as a SIGINT. */
  interrupt(): void;
  dispose(): void;
}

/**
 * SIGINT, SIGTERM and SIGHUP stop the run gracefully (workers checkpoint and stop, SIGKILL after the
 * grace); a second one stops the workers at once (SIGKILL; their last episode checkpoints stay).
 */
export function handleStopSignals(
  handle: Pick<RunHandle, 'stop' | 'kill'>,
  log: (line: string) => void,
): StopSignals {
  let stoppedBy: StopSignal | null = null;
  let count = 0;
  const onSignal = (signal: StopSignal) => {
    count++;
    // After SIGHUP the terminal is gone: a failed write to it must not crash the stop.
    if (signal === 'SIGHUP') process.stderr.on('error', () => {});
    if (count === 1) {
      stoppedBy = signal;
      log(`${signal}: stopping gracefully (workers save a checkpoint and stop); again to stop them at once`);
      void handle.stop(`received ${signal}`);
    } else {
      log(`${signal} again: stopping the workers now (SIGKILL); their last episode checkpoints are kept`);
      void handle.kill(`received ${signal} again`);
    }
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return {
    get stoppedBy() {
      return stoppedBy;
    },
    interrupt: () => onSignal('SIGINT'),
    dispose() {
      for (const signal of SIGNALS) process.off(signal, onSignal);
    },
  };
}

/** `trading-workers train …` as it was typed, for "rerun the same command to resume". */
export function commandLine(argv: readonly string[] = process.argv.slice(2)): string {
  const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);
  return ['trading-workers', ...argv.map(quote)].join(' ');
}
