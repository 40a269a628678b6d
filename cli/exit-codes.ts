import { InputError } from '../shared/index.js';

/** Exit codes, the same for every command (README, "Exit codes"). */
export const EXIT = {
  /** Everything asked for was done. */
  ok: 0,
  /** A job or a worker failed (the run itself went to its end). */
  failed: 1,
  /** Bad input: nothing was started and nothing written. */
  usage: 2,
  /** Stopped by SIGHUP (the terminal went away): 128 + 1. */
  hangup: 129,
  /** Stopped by SIGINT (Ctrl-C): 128 + 2, as shells report it. */
  interrupted: 130,
  /** Stopped by SIGTERM: 128 + 15. */
  terminated: 143,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit code after a stop by this signal (128 + its number, as shells report it). */
export const EXIT_ON_SIGNAL = {
  SIGHUP: EXIT.hangup,
  SIGINT: EXIT.interrupted,
  SIGTERM: EXIT.terminated,
} as const;
export type StopSignal = keyof typeof EXIT_ON_SIGNAL;

/** Bad input from the command line: printed as one line, exit code 2 (like every InputError). */
export class UsageError extends InputError {
  override name = 'UsageError';
}

/** The exit code an error thrown by a command stands for: 2 for bad input, else 1. */
export function exitCodeOf(error: unknown): ExitCode {
  return error instanceof InputError ? EXIT.usage : EXIT.failed;
}
