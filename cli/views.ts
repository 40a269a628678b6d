// How a command shows a run: the Ink dashboard, or plain lines; and the optional HTTP mirror.
// The one place that decides between them.
import { readFileSync, statSync } from 'node:fs';
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
  return (
    y
      .option('headless', {
        type: 'boolean',
        describe: 'plain lines instead of the dashboard (automatic without a TTY or with CI set)',
      })
      .option('http', {
        // A string, so a typo (`--http abc`) reaches the check and is named instead of becoming NaN.
        type: 'string',
        describe: `serve the read-only HTTP mirror on PORT (bare --http: ${DEFAULT_HTTP_PORT})`,
      })
      .option('http-host', {
        type: 'string',
        default: '127.0.0.1',
        describe: 'address to bind the mirror to',
      })
      .option('http-token-file', {
        type: 'string',
        describe: `file holding the mirror's token, required off loopback (or ${HTTP_TOKEN_ENV})`,
      })
      // Refused with a pointer to the file (a token in argv shows in `ps` to every user).
      .option('http-token', { type: 'string', hidden: true })
  );
}

/** What viewOptions gives a handler. */
export interface ViewArgs {
  headless?: boolean;
  http?: string;
  httpHost: string;
  httpTokenFile?: string;
  httpToken?: string;
}

const MAX_TOKEN_FILE_BYTES = 4_096;

/**
 * The mirror's token: the first line of `--http-token-file`, else TRADING_WORKERS_HTTP_TOKEN, else
 * none. A token on the command line is refused (exit 2), never echoed. Called before a run starts.
 */
export function readHttpToken(argv: ViewArgs, log: (line: string) => void = logLine): string | undefined {
  if (argv.httpToken !== undefined) {
    throw new UsageError(
      `--http-token would show the token to every user of this machine (ps); put it in a file and pass ` +
        `--http-token-file FILE, or set ${HTTP_TOKEN_ENV}`,
    );
  }
  const file = argv.httpTokenFile;
  if (file === undefined) return process.env[HTTP_TOKEN_ENV] || undefined;
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(file);
  } catch (error) {
    throw new UsageError(
      `--http-token-file ${file}: ${(error as NodeJS.ErrnoException).code ?? 'cannot be read'}`,
    );
  }
  if (!stat.isFile() || stat.size > MAX_TOKEN_FILE_BYTES) {
    throw new UsageError(
      `--http-token-file ${file}: not a regular file of at most ${MAX_TOKEN_FILE_BYTES} bytes`,
    );
  }
  const token = readFileSync(file, 'utf8').split(/\r?\n/)[0]?.trim() ?? '';
  if (token === '') throw new UsageError(`--http-token-file ${file}: its first line is empty`);
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
    log(`warning: --http-token-file ${file} can be read by other users; chmod 600 it`);
  }
  return token;
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

/**
 * Checks the mirror's flags before anything starts: a bad port or host, a token in argv or an
 * unreadable token file is bad input (exit 2).
 */
export function checkViewArgs(argv: ViewArgs): void {
  if (argv.http === undefined && argv.httpToken === undefined && argv.httpTokenFile === undefined) return;
  // Read here only to check it (silently); the handler reads it again to start the mirror.
  const token = readHttpToken(argv, () => {});
  if (argv.http === undefined) return;
  const problem = checkMirrorOptions({ http: argv.http, host: argv.httpHost, token, env: {} });
  if (problem !== null) throw new UsageError(problem);
}

/**
 * Starts the HTTP mirror when `--http` was given (its flags were checked before the run started), with
 * the token readHttpToken gave. It is optional: a failure here (the port is taken) is logged and shown
 * in the views' header, not thrown.
 */
export async function maybeStartHttp(
  argv: ViewArgs,
  token: string | undefined,
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
      token,
      env: {},
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
