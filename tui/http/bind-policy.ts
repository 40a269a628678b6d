/** Environment variable holding the mirror's access token when `--http-token-file` is not given. */
export const HTTP_TOKEN_ENV = 'TRADING_WORKERS_HTTP_TOKEN';

/** The mirror's port when `--http` names none (DESIGN.md: port 8502). */
export const DEFAULT_HTTP_PORT = 8502;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost', '[::1]']);

/** Where the mirror binds and which token (if any) every request must carry. */
export interface BindPolicy {
  host: string;
  token: string | null;
}

/** True for the names that only this machine can reach (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase();
  return LOOPBACK_HOSTS.has(h) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Decides the bind host and token: loopback may go without a token, anything else must have one
 * (from the option or the environment), or this throws an error saying how to provide it.
 */
export function resolveBindPolicy(options: {
  host: string;
  token?: string | undefined;
  env?: NodeJS.ProcessEnv;
}): BindPolicy {
  const host = options.host.trim();
  if (host === '') throw new Error('HTTP mirror: --http-host is empty; use 127.0.0.1 or an address to bind');
  const envToken = options.env?.[HTTP_TOKEN_ENV];
  const raw = options.token ?? envToken ?? '';
  const token = raw.trim();
  if (raw !== '' && token.length < 8) {
    throw new Error(
      `HTTP mirror: the access token is too short (${token.length} characters, need at least 8)`,
    );
  }
  if (token === '' && !isLoopbackHost(host)) {
    throw new Error(
      `HTTP mirror: binding ${host} (not loopback) requires an access token; ` +
        `pass --http-token-file FILE or set ${HTTP_TOKEN_ENV}, or bind 127.0.0.1`,
    );
  }
  return { host: host.replace(/^\[(.*)\]$/, '$1'), token: token === '' ? null : token };
}
