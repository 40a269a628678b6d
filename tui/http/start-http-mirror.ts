import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DashboardState, StateStore } from '../../shared/index.js';
import { authorize, isLoopbackHostHeader } from './authorize-request.js';
import { DEFAULT_HTTP_PORT, resolveBindPolicy } from './bind-policy.js';
import { connectionCap, descriptorLimit } from './connection-cap.js';
import { createEventStreamHub } from './event-stream-hub.js';
import { type JsonBody, jsonBody, memoLast } from './json-memo.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { createStateJson } from './state-json.js';
import { loadStaticAssets } from './static-assets.js';

/** Options of the read-only HTTP mirror. */
export interface HttpMirrorOptions {
  store: StateStore;
  /** Bind address; anything but loopback needs a token. Default 127.0.0.1. */
  host?: string;
  /** Default DEFAULT_HTTP_PORT (8502); 0 picks a free port. */
  port?: number;
  /** Access token; default from TRADING_WORKERS_HTTP_TOKEN. */
  token?: string;
  /** Read for the token variable; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Least time between two event-stream pushes (default 250 ms: at most 4 per second). */
  minEventIntervalMs?: number;
  /** Heartbeat comment period on event streams (default 15 s). */
  heartbeatMs?: number;
  /** Most simultaneous event streams (default 200). */
  maxEventStreams?: number;
  /** Most connections held at once; more are closed as they arrive (default from the descriptor limit). */
  maxConnections?: number;
  /** A connection must have sent its request headers within this (default 5 s). */
  headersTimeoutMs?: number;
  /** …and its whole request within this (default 10 s). */
  requestTimeoutMs?: number;
}

/** A running mirror. */
export interface HttpMirror {
  /** `http://host:port/` (without the token). */
  url: string;
  port: number;
  /** Connections open now, refused so far because the cap was reached, and the last server error. */
  connections(): { open: number; refused: number; cap: number; lastError: string | null };
  /** Ends the event streams and stops listening; safe to call twice. */
  close(): Promise<void>;
}

const ALLOW = 'GET, HEAD';

type ReportBody = { kind: 'report' | 'aggregated'; json: JsonBody } | null;

/** Starts the mirror; rejects with a clear message when the token is missing or the port is taken. */
export async function startHttpMirror(options: HttpMirrorOptions): Promise<HttpMirror> {
  const { store } = options;
  const policy = resolveBindPolicy({
    host: options.host ?? '127.0.0.1',
    token: options.token,
    env: options.env ?? process.env,
  });
  const requestedPort = options.port ?? DEFAULT_HTTP_PORT;
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65_535) {
    throw new Error(`HTTP mirror: port must be an integer from 0 to 65535, got ${requestedPort}`);
  }
  const assets = loadStaticAssets();
  const json = createStateJson();
  const stateBody = memoLast((state: DashboardState) => jsonBody(json.full(state)));
  const aggregatedBody = memoLast((a: DashboardState['aggregated']) => jsonBody(json.aggregated(a)));
  const reportOnlyBody = memoLast((r: DashboardState['report']) => jsonBody(json.report(r)));
  const notYet = jsonBody('null');
  const hub = createEventStreamHub({
    store,
    json,
    ...(options.minEventIntervalMs === undefined ? {} : { minIntervalMs: options.minEventIntervalMs }),
    ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
    ...(options.maxEventStreams === undefined ? {} : { maxClients: options.maxEventStreams }),
  });

  const reportBody = (state: DashboardState): ReportBody => {
    if (state.report !== null) return { kind: 'report', json: reportOnlyBody(state.report) };
    if (state.aggregated !== null) return { kind: 'aggregated', json: aggregatedBody(state.aggregated) };
    return null;
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '/';
    // Who may ask comes before anything else is done for the request; a refused connection is closed.
    if (policy.token === null && !isLoopbackHostHeader(req.headers.host)) {
      res.setHeader('Connection', 'close');
      return text(res, method, 403, 'this mirror answers only to localhost, 127.0.0.1 or [::1]\n');
    }
    const access = authorize(req.headers, rawUrl, policy.token);
    if (access.kind === 'deny') {
      res.setHeader('WWW-Authenticate', 'Bearer realm="trading-workers"');
      res.setHeader('Connection', 'close');
      return text(
        res,
        method,
        401,
        'missing or wrong token: send Authorization: Bearer <token>, or open the page once with ?token=\n',
      );
    }
    if (access.kind === 'login') {
      // The token leaves the address: the cookie carries the session from now on.
      res.setHeader('Set-Cookie', access.cookie);
      res.setHeader('Location', access.location);
      return text(res, method, 303, 'signed in; see the page without the token in its address\n');
    }
    if (!rawUrl.startsWith('/')) return text(res, method, 400, 'bad request target\n');
    if (method !== 'GET' && method !== 'HEAD') {
      res.setHeader('Allow', ALLOW);
      return text(res, method, 405, 'the mirror is read-only: only GET and HEAD are allowed\n');
    }
    const q = rawUrl.indexOf('?');
    // The path is matched verbatim (no decoding, no dot-segment removal): `/%2e%2e/` or
    // `/vendor/..%2f..%2fpackage.json` simply match nothing.
    const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
    switch (path) {
      case '/api/state':
        return sendJson(req, res, 200, stateBody(store.getSnapshot()));
      case '/api/report': {
        const report = reportBody(store.getSnapshot());
        if (report === null) return sendJson(req, res, 404, notYet);
        res.setHeader('X-Report-Kind', report.kind);
        return sendJson(req, res, 200, report.json);
      }
      case '/api/events':
        if (method === 'HEAD') {
          res.writeHead(200, {
            'Content-Type': 'text/event-stream; charset=utf-8',
            'Cache-Control': 'no-store',
          });
          return res.end();
        }
        if (hub.full) return text(res, method, 503, 'too many open event streams\n');
        return hub.add(res);
    }
    const file = assets.get(path);
    if (file === undefined) return text(res, method, 404, `not found: ${path.slice(0, 200)}\n`);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('ETag', file.etag);
    if (req.headers['if-none-match'] === file.etag) return void res.writeHead(304).end();
    res.setHeader('Content-Length', file.body.length);
    res.writeHead(200);
    res.end(method === 'HEAD' ? undefined : file.body);
  };

  const headersTimeout = options.headersTimeoutMs ?? 5_000;
  const server = createServer(
    {
      // Short, so half-sent requests (a slowloris) cannot hold connections: checked every second
      // rather than Node's default 30 s.
      headersTimeout,
      requestTimeout: Math.max(headersTimeout, options.requestTimeoutMs ?? 10_000),
      keepAliveTimeout: 5_000,
      connectionsCheckingInterval: 1_000,
    },
    (req, res) => {
      try {
        handle(req, res);
      } catch (error) {
        // A bug in one answer must not take the run down with it.
        if (!res.headersSent)
          text(res, req.method ?? 'GET', 500, `internal error: ${(error as Error).message}\n`);
        else res.destroy();
      }
    },
  );
  const cap = options.maxConnections ?? connectionCap(descriptorLimit());
  if (Number.isFinite(cap)) server.maxConnections = cap;
  let open = 0;
  let refused = 0;
  server.on('connection', (socket) => {
    open++;
    socket.once('close', () => {
      open--;
    });
  });
  server.on('drop', () => {
    refused++;
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    // A connection that timed out sending its request gets no answer, just the close.
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || !socket.writable) socket.destroy();
    else socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });

  try {
    await listen(server, policy.host, requestedPort);
  } catch (error) {
    hub.close();
    throw listenError(error as NodeJS.ErrnoException, policy.host, requestedPort);
  }
  // After listening, a server error (EMFILE on accept, …) is the mirror's trouble only: without a
  // listener Node would throw it and take the supervisor down.
  let lastError: string | null = null;
  server.on('error', (error) => {
    lastError = error.message;
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = policy.host.includes(':') ? `[${policy.host}]` : policy.host;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${urlHost}:${port}/`,
    port,
    connections: () => ({
      open,
      refused,
      cap,
      lastError,
    }),
    close() {
      closing ??= new Promise<void>((resolve) => {
        hub.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function text(res: ServerResponse, method: string, status: number, body: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(method === 'HEAD' ? undefined : body);
}

function sendJson(req: IncomingMessage, res: ServerResponse, status: number, { body, etag }: JsonBody): void {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('ETag', etag);
  if (status === 200 && req.headers['if-none-match'] === etag) return void res.writeHead(304).end();
  res.setHeader('Content-Length', body.length);
  res.writeHead(status);
  res.end(req.method === 'HEAD' ? undefined : body);
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port });
  });
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  const detail = `${error.code ?? 'error'} on ${host}:${port}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return new Error(
        `port ${port} is already in use (${detail}); the HTTP mirror is off — pick another port with --http <port>`,
        { cause: error },
      );
    case 'EACCES':
      return new Error(`HTTP mirror: not allowed to bind port ${port} (${detail}); use a port above 1023`, {
        cause: error,
      });
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new Error(`HTTP mirror: ${host} is not an address of this machine (${detail})`, {
        cause: error,
      });
    default:
      return new Error(`HTTP mirror: cannot listen on ${host}:${port}: ${error.message}`, { cause: error });
  }
}
