import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The cookie one `?token=` visit sets, so the page and its requests never carry the token. */
export const SESSION_COOKIE = 'tw_mirror';

const digest = (s: string) => createHash('sha256').update(s).digest();
const sameSecret = (given: string, expected: string) => timingSafeEqual(digest(given), digest(expected));

/**
 * The cookie's value: derived from the token (an HMAC), so the browser never stores the token
 * itself, and stable across supervisor restarts, so an open page reconnects after one.
 */
export function sessionValue(token: string): string {
  return createHmac('sha256', token).update('trading-workers mirror session').digest('base64url');
}

/** The Bearer token of a request's Authorization header, if any. */
export function bearerToken(headers: IncomingHttpHeaders): string | null {
  const auth = headers.authorization;
  if (typeof auth !== 'string') return null;
  const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
  return m?.[1] ? m[1].trim() : null;
}

/** The session cookie's value, if the request carries one. */
export function sessionCookie(headers: IncomingHttpHeaders): string | null {
  for (const part of String(headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return null;
}

/** What to do with a request: serve it, refuse it, or set the session cookie and send it on. */
export type Access =
  | { kind: 'allow' }
  | { kind: 'deny' }
  /** A valid `?token=`: set the cookie and redirect to `location` (the same URL without the token). */
  | { kind: 'login'; location: string; cookie: string };

/**
 * Decides access before anything else is done for a request. With no token every request is
 * allowed; with one, an `Authorization: Bearer` header or the session cookie lets it through, and a
 * valid `?token=` sets the cookie and redirects to the address without it. Compares in constant time.
 */
export function authorize(headers: IncomingHttpHeaders, rawUrl: string, token: string | null): Access {
  if (token === null) return { kind: 'allow' };
  const bearer = bearerToken(headers);
  if (bearer !== null && sameSecret(bearer, token)) return { kind: 'allow' };
  const cookie = sessionCookie(headers);
  if (cookie !== null && sameSecret(cookie, sessionValue(token))) return { kind: 'allow' };
  const q = rawUrl.indexOf('?');
  if (q === -1) return { kind: 'deny' };
  const query = new URLSearchParams(rawUrl.slice(q + 1));
  const given = query.get('token');
  if (given === null || !sameSecret(given, token)) return { kind: 'deny' };
  query.delete('token');
  const rest = query.toString();
  return {
    kind: 'login',
    location: `${rawUrl.slice(0, q)}${rest ? `?${rest}` : ''}`,
    cookie: `${SESSION_COOKIE}=${sessionValue(token)}; Path=/; HttpOnly; SameSite=Strict`,
  };
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
