import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** The token a request carries: `Authorization: Bearer …` first, else the `token` query parameter. */
export function requestToken(headers: IncomingHttpHeaders, query: URLSearchParams): string | null {
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (m?.[1]) return m[1].trim();
  }
  return query.get('token');
}

/** Whether the request may read the mirror; compares in constant time (hashes make lengths equal). */
export function isAuthorized(
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
  token: string | null,
): boolean {
  if (token === null) return true;
  const given = requestToken(headers, query);
  if (given === null) return false;
  return timingSafeEqual(digest(given), digest(token));
}

/**
 * Without a token the mirror is loopback-only, so the Host header must name loopback too: that
 * stops a web page using DNS rebinding (evil.example → 127.0.0.1) from reading the state.
 */
export function isLoopbackHostHeader(hostHeader: string | undefined): boolean {
  if (hostHeader === undefined) return true;
  const name = hostHeader.trim().toLowerCase().replace(/:\d+$/, '');
  return name === 'localhost' || name === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}
