// How a command shows a run: the Ink dashboard, or plain lines; and the optional HTTP mirror.
// The one place that decides between them.
import type { Argv } from 'yargs';
import type { HttpMirrorInfo, StateStore } from '../shared/index.js';
import {
  checkMirrorOptions,
  DEFAULT_HTTP_PORT,
  HTTP_TOKEN_ENV,
  type HttpMirror,
  mirrorPort,
  startHttpMirror,
} from '../tui/index.js';
import { UsageError } from './exit-codes.js';

/** The view flags of `train` and `dashboard`. */
export function viewOptions<T>(y: Argv<T>) {
  return y
    .option('headless', {
      type: 'boolean',
      describe: 'plain lines instead of the dashboard (automatic without a TTY or with CI set)',
    })
    .option('http', {
      // A string, so a typo (`--http abc`) reaches the check and is named instead of becoming NaN.
      type: 'string',
      describe: `serve the read-only HTTP mirror on PORT (bare --http: ${DEFAULT_HTTP_PORT})`,
    })
    .option('http-host', { type: 'string', default: '127.0.0.1', describe: 'address to bind the mirror to' })
    .option('http-token', {
      type: 'string',
      describe: `token required off loopback (or ${HTTP_TOKEN_ENV})`,
    });
}

/** What viewOptions gives a handler. */
export interface ViewArgs {
  headless?: boolean;
  http?: string;
  httpHost: string;
  httpToken?: string;
}

/** True under CI, read as Ink reads it (`CI=false` or `CI=0` means not in CI). */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return ['CI', 'CONTINUOUS_INTEGRATION'].some(
    (key) => key in env && env[key] !== '0' && env[key] !== 'false',
  );
}

/** The terminal dashboard needs a TTY on both ends and no CI; anything else gets the headless view. */
export function wantsInk(argv: Pick<ViewArgs, 'headless'>): boolean {
  return !argv.headless && Boolean(process.stdout.isTTY && process.stdin.isTTY) && !inCi();
}

/** Checks the mirror's flags before anything starts: a bad port, host or token is bad input (exit 2). */
export function checkViewArgs(argv: ViewArgs): void {
  if (argv.http === undefined) return;
  const problem = checkMirrorOptions({ http: argv.http, host: argv.httpHost, token: argv.httpToken });
  if (problem !== null) throw new UsageError(problem);
}

/**
 * Starts the HTTP mirror when `--http` was given (its flags were checked before the run started). It is
 * optional: a failure here (the port is taken) is logged and shown in the views' header, not thrown.
 */
export async function maybeStartHttp(
  argv: ViewArgs,
  store: StateStore,
  report: (info: HttpMirrorInfo) => void,
  log: (line: string) => void,
): Promise<HttpMirror | null> {
  if (argv.http === undefined) return null;
  try {
    const mirror = await startHttpMirror({
      store,
      host: argv.httpHost,
      port: mirrorPort(argv.http) ?? DEFAULT_HTTP_PORT,
      token: argv.httpToken,
    });
    log(`HTTP mirror: ${mirror.url}`);
    report({ url: mirror.url, error: null });
    return mirror;
  } catch (error) {
    const message = (error as Error).message;
    log(message);
    report({ url: null, error: message });
    return null;
  }
}

/** A line on stderr: progress and notices, so stdout stays for what a command prints. */
export const logLine = (line: string) => process.stderr.write(`${line}\n`);
