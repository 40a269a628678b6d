// How a command shows a run: the Ink dashboard, or plain lines; and the optional HTTP mirror.
// The one place that decides between them.
import type { Argv } from 'yargs';
import type { StateStore } from '../shared/index.js';
import { startHttpMirror } from '../tui/index.js';

/** The view flags of `train` and `dashboard`. */
export function viewOptions<T>(y: Argv<T>) {
  return y
    .option('headless', {
      type: 'boolean',
      describe: 'plain lines instead of the dashboard (automatic without a TTY or with CI set)',
    })
    .option('http', {
      type: 'number',
      describe: 'serve the read-only HTTP mirror on PORT (default 8502)',
      coerce: (v: unknown) => (v === '' || v === true ? 8502 : Number(v)),
    })
    .option('http-host', { type: 'string', default: '127.0.0.1', describe: 'address to bind the mirror to' })
    .option('http-token', {
      type: 'string',
      describe: 'token required off loopback (or TRADING_WORKERS_HTTP_TOKEN)',
    });
}

/** What viewOptions gives a handler. */
export interface ViewArgs {
  headless?: boolean;
  http?: number;
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

/** Starts the HTTP mirror when `--http` was given; the mirror is optional, so a failure is logged, not thrown. */
export async function maybeStartHttp(argv: ViewArgs, store: StateStore, log: (line: string) => void) {
  if (argv.http === undefined) return null;
  try {
    const mirror = await startHttpMirror({
      store,
      host: argv.httpHost,
      port: argv.http,
      token: argv.httpToken ?? process.env.TRADING_WORKERS_HTTP_TOKEN,
    });
    log(`HTTP mirror: ${mirror.url}`);
    return mirror;
  } catch (error) {
    log(`HTTP mirror not started: ${(error as Error).message}`);
    return null;
  }
}

/** A line on stderr: progress and notices, so stdout stays for what a command prints. */
export const logLine = (line: string) => process.stderr.write(`${line}\n`);
