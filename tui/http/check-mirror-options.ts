import { DEFAULT_HTTP_PORT, resolveBindPolicy } from './bind-policy.js';

/** The mirror's options as the command line gives them (`--http` may be bare, a port, or a typo). */
export interface MirrorArgs {
  /** `--http`'s raw value: '' or undefined when bare, else what the user typed. */
  http: string;
  host: string;
  token?: string;
  env?: NodeJS.ProcessEnv;
}

/** The port `--http VALUE` asks for, or null when VALUE is not one (a bare `--http` is the default). */
export function mirrorPort(raw: string): number | null {
  const text = raw.trim();
  if (text === '') return DEFAULT_HTTP_PORT;
  if (!/^\d+$/.test(text)) return null;
  const port = Number(text);
  return port <= 65_535 ? port : null;
}

/**
 * Null when the mirror could start with these options (port, host, token), else one line naming the
 * flag: checked before a run starts, so `--http 99999` or a public host without a token stop at once.
 */
export function checkMirrorOptions(args: MirrorArgs): string | null {
  if (mirrorPort(args.http) === null) {
    return `--http ${args.http}: the port must be a whole number from 0 to 65535 (bare --http is ${DEFAULT_HTTP_PORT})`;
  }
  try {
    resolveBindPolicy({ host: args.host, token: args.token, env: args.env ?? process.env });
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
