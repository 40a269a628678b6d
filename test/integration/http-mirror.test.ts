import http, { type IncomingHttpHeaders } from 'node:http';
import net from 'node:net';
import test from 'ava';
import type { DashboardState } from '../../shared/dashboard-state.js';
import { type HttpMirror, startHttpMirror } from '../../tui/http/index.js';
import { httpDoneState, httpRunningState } from '../fixtures/http-state.js';
import { type SettableStore, settableStore } from '../helpers/settable-store.js';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A request with the path sent verbatim (fetch would normalise `/../`, which is what we test). */
function request(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Sends raw bytes and returns the raw answer (for request targets http.request refuses to send). */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      answer += chunk;
    });
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

interface SseEvent {
  event: string;
  data: string;
}

/** An open /api/events stream collecting parsed events and comment lines. */
function openEvents(port: number, path = '/api/events', requestHeaders: Record<string, string> = {}) {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  let status = 0;
  let headers: IncomingHttpHeaders = {};
  let buffer = '';
  let ended = false;
  const req = http.get({ host: '127.0.0.1', port, path, headers: requestHeaders, agent: false }, (res) => {
    status = res.statusCode ?? 0;
    headers = res.headers;
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let cut = buffer.indexOf('\n\n');
      while (cut !== -1) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        let event = 'message';
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) comments.push(line);
          else if (line.startsWith('event: ')) event = line.slice(7);
          else if (line.startsWith('data: ')) data.push(line.slice(6));
        }
        if (data.length > 0) events.push({ event, data: data.join('\n') });
        cut = buffer.indexOf('\n\n');
      }
    });
    res.on('end', () => {
      ended = true;
    });
  });
  req.on('error', () => {
    ended = true;
  });
  return {
    events,
    comments,
    get status() {
      return status;
    },
    get headers() {
      return headers;
    },
    get ended() {
      return ended;
    },
    states: () => events.filter((e) => e.event === 'state').map((e) => JSON.parse(e.data) as DashboardState),
    close: () => req.destroy(),
  };
}

async function until(predicate: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const roundTrip = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

async function withMirror(
  state: DashboardState,
  run: (mirror: HttpMirror, store: SettableStore) => Promise<void>,
  options: Partial<Parameters<typeof startHttpMirror>[0]> = {},
): Promise<void> {
  const store = settableStore(state);
  const mirror = await startHttpMirror({ store, port: 0, env: {}, ...options });
  try {
    await run(mirror, store);
  } finally {
    await mirror.close();
  }
}

test.serial(
  'GET /api/state: the whole state as JSON, no-store, security headers, ETag/304, HEAD',
  async (t) => {
    await withMirror(httpRunningState, async (mirror) => {
      t.regex(mirror.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      const res = await request(mirror.port, '/api/state');
      t.is(res.status, 200);
      t.is(res.headers['content-type'], 'application/json; charset=utf-8');
      t.is(res.headers['cache-control'], 'no-store');
      t.is(res.headers['x-content-type-options'], 'nosniff');
      t.regex(String(res.headers['content-security-policy']), /default-src 'none'.*script-src 'self'/);
      t.deepEqual(JSON.parse(res.body), roundTrip(httpRunningState));
      t.is(Number(res.headers['content-length']), Buffer.byteLength(res.body));

      const etag = String(res.headers.etag);
      const again = await request(mirror.port, '/api/state', { headers: { 'If-None-Match': etag } });
      t.is(again.status, 304);
      t.is(again.body, '');

      const head = await request(mirror.port, '/api/state', { method: 'HEAD' });
      t.is(head.status, 200);
      t.is(head.body, '');
      t.is(head.headers['content-length'], res.headers['content-length']);
    });
  },
);

test.serial('GET /api/state follows the store: a new snapshot gives new bytes and a new ETag', async (t) => {
  await withMirror(httpRunningState, async (mirror, store) => {
    const first = await request(mirror.port, '/api/state');
    const next: DashboardState = { ...httpRunningState, now: httpRunningState.now + 1_000 };
    store.set(next);
    const second = await request(mirror.port, '/api/state');
    t.not(second.headers.etag, first.headers.etag);
    t.is((JSON.parse(second.body) as DashboardState).now, next.now);
    const stale = await request(mirror.port, '/api/state', {
      headers: { 'If-None-Match': String(first.headers.etag) },
    });
    t.is(stale.status, 200);
  });
});

test.serial(
  'GET /api/report: 404 null before results, aggregated while running, report at the end',
  async (t) => {
    await withMirror({ ...httpRunningState, aggregated: null }, async (mirror, store) => {
      const none = await request(mirror.port, '/api/report');
      t.is(none.status, 404);
      t.is(none.headers['content-type'], 'application/json; charset=utf-8');
      t.is(JSON.parse(none.body), null);

      store.set(httpRunningState);
      const aggregated = await request(mirror.port, '/api/report');
      t.is(aggregated.status, 200);
      t.is(aggregated.headers['x-report-kind'], 'aggregated');
      t.deepEqual(JSON.parse(aggregated.body), roundTrip(httpRunningState.aggregated));

      store.set(httpDoneState);
      const report = await request(mirror.port, '/api/report');
      t.is(report.status, 200);
      t.is(report.headers['x-report-kind'], 'report');
      t.deepEqual(JSON.parse(report.body), roundTrip(httpDoneState.report));
    });
  },
);

test.serial(
  'GET / and its assets: the page, its script and style, vendored uPlot, with content types',
  async (t) => {
    await withMirror(httpRunningState, async (mirror) => {
      const page = await request(mirror.port, '/');
      t.is(page.status, 200);
      t.is(page.headers['content-type'], 'text/html; charset=utf-8');
      t.true(page.body.includes('<title>AI Trading Workers</title>'));
      t.true(page.body.includes('src="/app.js"'), 'no token: plain asset URLs');
      t.false(
        /https?:\/\//.test(page.body.replace('http://www.w3.org', '')),
        'nothing loaded from elsewhere',
      );
      const expected: Record<string, string> = {
        '/app.js': 'text/javascript; charset=utf-8',
        '/app.css': 'text/css; charset=utf-8',
        '/favicon.svg': 'image/svg+xml',
        '/vendor/uPlot.iife.min.js': 'text/javascript; charset=utf-8',
        '/vendor/uPlot.min.css': 'text/css; charset=utf-8',
      };
      for (const [path, type] of Object.entries(expected)) {
        const res = await request(mirror.port, path);
        t.is(res.status, 200, path);
        t.is(res.headers['content-type'], type, path);
        t.true(res.body.length > 100, path);
        const cached = await request(mirror.port, path, {
          headers: { 'If-None-Match': String(res.headers.etag) },
        });
        t.is(cached.status, 304, `${path} revalidates`);
      }
      t.true((await request(mirror.port, '/vendor/uPlot.iife.min.js')).body.includes('uPlot'));
    });
  },
);

test.serial('read-only: other methods are 405 with Allow, unknown paths 404', async (t) => {
  await withMirror(httpRunningState, async (mirror) => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      for (const path of ['/', '/api/state', '/api/events', '/nowhere']) {
        const res = await request(mirror.port, path, { method });
        t.is(res.status, 405, `${method} ${path}`);
        t.is(res.headers.allow, 'GET, HEAD');
      }
    }
    for (const path of ['/nowhere', '/api', '/api/state/extra', '/index.html', '/api/states', '/vendor/']) {
      const res = await request(mirror.port, path);
      t.is(res.status, 404, path);
      t.is(res.headers['content-type'], 'text/plain; charset=utf-8');
    }
    t.is(
      (await request(mirror.port, '/api/state?x=1')).status,
      200,
      'a query string is not part of the path',
    );
  });
});

test.serial(
  'no path reaches a file outside the in-memory map (traversal, encodings, absolute paths)',
  async (t) => {
    await withMirror(httpRunningState, async (mirror) => {
      const attempts = [
        '/../package.json',
        '/../../../../etc/passwd',
        '/%2e%2e/package.json',
        '/%2e%2e/',
        '/%2E%2E%2Fpackage.json',
        '/vendor/../../package.json',
        '/vendor/..%2f..%2fpackage.json',
        '/vendor/%2e%2e%2f%2e%2e%2f%2e%2e%2fpackage.json',
        '/vendor%2fuPlot.iife.min.js',
        '/app.js/../../package.json',
        '//etc/passwd',
        '/etc/passwd',
        '/C:/Windows/win.ini',
        '/..\\..\\package.json',
        '/%5c..%5cpackage.json',
        '/public/app.js',
        '/tui/http/public/app.js',
        '/node_modules/uplot/package.json',
        '/package.json',
        '/.%2e/package.json',
        '/%252e%252e/package.json',
      ];
      for (const path of attempts) {
        const res = await request(mirror.port, path);
        t.is(res.status, 404, path);
        t.false(res.body.includes('"dependencies"'), `${path} leaked package.json`);
        t.false(res.body.includes('root:'), `${path} leaked /etc/passwd`);
      }
      const absoluteForm = await rawRequest(
        mirror.port,
        'GET http://127.0.0.1/../package.json HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
      );
      t.regex(absoluteForm, /^HTTP\/1\.1 400 /);
    });
  },
);

test.serial('loopback without a token refuses foreign Host headers (DNS rebinding)', async (t) => {
  await withMirror(httpRunningState, async (mirror) => {
    const rebound = await request(mirror.port, '/api/state', {
      headers: { Host: `evil.example:${mirror.port}` },
    });
    t.is(rebound.status, 403);
    for (const host of [`localhost:${mirror.port}`, `127.0.0.1:${mirror.port}`, `[::1]:${mirror.port}`]) {
      t.is((await request(mirror.port, '/api/state', { headers: { Host: host } })).status, 200, host);
    }
  });
});

test.serial(
  'SSE: the state on connect, an update after the store changes, batched to a few per second',
  async (t) => {
    await withMirror(httpRunningState, async (mirror, store) => {
      const stream = openEvents(mirror.port);
      try {
        await until(() => stream.states().length === 1, 'the initial state');
        t.is(stream.status, 200);
        t.is(stream.headers['content-type'], 'text/event-stream; charset=utf-8');
        t.is(stream.headers['cache-control'], 'no-store');
        t.deepEqual(
          stream.events.map((e) => e.event),
          ['aggregated', 'report', 'state'],
        );
        t.deepEqual(JSON.parse(stream.events[0]?.data ?? ''), roundTrip(httpRunningState.aggregated));
        const first = stream.states()[0];
        t.is(first?.runId, httpRunningState.runId);
        t.false('aggregated' in (first ?? {}), 'the curves travel in their own event');

        const [w1, ...rest] = httpRunningState.workers;
        const changed: DashboardState = {
          ...httpRunningState,
          workers: [{ ...w1!, state: 'evaluating', episode: 10 }, ...rest],
        };
        store.set(changed);
        await until(() => stream.states().length === 2, 'the update');
        t.is(stream.states()[1]?.workers[0]?.state, 'evaluating');
        t.is(
          stream.events.filter((e) => e.event === 'aggregated').length,
          1,
          'unchanged curves are not resent',
        );

        // A burst of 20 changes within a few ms reaches the client as at most 2 pushes, the last one last.
        const before = stream.states().length;
        const burst = Array.from({ length: 20 }, (_, i) => ({ ...changed, now: changed.now + i + 1 }));
        for (const s of burst) store.set(s);
        await until(() => stream.states().at(-1)?.now === burst.at(-1)?.now, 'the last state of the burst');
        await new Promise((r) => setTimeout(r, 300));
        t.true(
          stream.states().length - before <= 2,
          `${stream.states().length - before} pushes for 20 changes`,
        );

        store.set(httpDoneState);
        // One push writes its events in order (report, then state) but the client may parse them from
        // separate chunks: wait for the state, then check the report came before it.
        await until(() => stream.states().at(-1)?.finished === true, 'the finished state');
        const kinds = stream.events.map((e) =>
          e.event === 'report' && e.data !== 'null' ? 'report!' : e.event,
        );
        const lastReport = kinds.lastIndexOf('report!');
        const lastState = kinds.lastIndexOf('state');
        t.true(lastReport !== -1 && lastReport < lastState, 'the report arrives with the finished state');
      } finally {
        stream.close();
      }
    });
  },
);

test.serial('SSE: heartbeats, the stream limit, cleanup on client close, close() ends streams', async (t) => {
  const store = settableStore(httpRunningState);
  const mirror = await startHttpMirror({ store, port: 0, env: {}, heartbeatMs: 40, maxEventStreams: 1 });
  t.is(store.listeners, 1);
  const first = openEvents(mirror.port);
  await until(() => first.comments.some((c) => c.startsWith(': heartbeat')), 'a heartbeat');
  const refused = await request(mirror.port, '/api/events');
  t.is(refused.status, 503);
  first.close();
  const second = openEvents(mirror.port);
  // The first client's slot is freed when its socket closes; retry until the server has noticed.
  await until(() => second.status !== 0, 'an answer');
  let current = second;
  for (let i = 0; current.status === 503 && i < 50; i += 1) {
    await new Promise((r) => setTimeout(r, 20));
    current = openEvents(mirror.port);
    await until(() => current.status !== 0, 'an answer');
  }
  t.is(current.status, 200);
  await until(() => current.states().length === 1, 'the state on the new stream');
  const head = await request(mirror.port, '/api/events', { method: 'HEAD' });
  t.is(head.status, 200);
  await mirror.close();
  await until(() => current.ended, 'the stream to end on close');
  t.is(store.listeners, 0, 'unsubscribed from the store');
  await mirror.close();
  await t.throwsAsync(request(mirror.port, '/api/state'));
});

test.serial('token: refused off loopback without one; checked on every request when set', async (t) => {
  const store = settableStore(httpRunningState);
  await t.throwsAsync(startHttpMirror({ store, host: '0.0.0.0', port: 0, env: {} }), {
    message: /binding 0\.0\.0\.0 \(not loopback\) requires an access token.*TRADING_WORKERS_HTTP_TOKEN/,
  });
  t.is(store.listeners, 0, 'nothing left behind by a refused start');

  const token = 's3cret-token/with?odd&chars';
  const mirror = await startHttpMirror({
    store,
    host: '0.0.0.0',
    port: 0,
    env: { TRADING_WORKERS_HTTP_TOKEN: token },
  });
  try {
    for (const path of [
      '/',
      '/api/state',
      '/api/report',
      '/api/events',
      '/app.js',
      '/vendor/uPlot.min.css',
    ]) {
      const res = await request(mirror.port, path);
      t.is(res.status, 401, path);
      t.regex(String(res.headers['www-authenticate']), /^Bearer/);
      t.is((await request(mirror.port, `${path}?token=wrong-token-1`)).status, 401, `${path} wrong token`);
    }
    t.is((await request(mirror.port, '/nowhere')).status, 401, 'no hint of which paths exist');
    const bearer = await request(mirror.port, '/api/state', {
      headers: { Authorization: `Bearer ${token}` },
    });
    t.is(bearer.status, 200);
    t.is(
      (await request(mirror.port, '/api/state', { headers: { Authorization: 'Bearer nope-nope' } })).status,
      401,
    );
    const login = await request(mirror.port, `/?token=${encodeURIComponent(token)}`);
    t.is(login.status, 303, 'one visit with ?token= sets the session cookie');
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const page = await request(mirror.port, '/', { headers: { Cookie: cookie } });
    t.is(page.status, 200);
    t.true(page.body.includes('src="/app.js"'), 'asset URLs never carry the token');
    t.is((await request(mirror.port, '/app.js', { headers: { Cookie: cookie } })).status, 200);
    const authorization = `Bearer ${token}`;
    const stream = openEvents(mirror.port, '/api/events', { Authorization: authorization });
    await until(() => stream.states().length === 1, 'the state over a token stream');
    stream.close();
    const foreignHost = await request(mirror.port, '/api/state', {
      headers: { Host: 'trading.lan:8502', Authorization: authorization },
    });
    t.is(foreignHost.status, 200, 'with a token, any Host may ask');
  } finally {
    await mirror.close();
  }
  const explicit = await startHttpMirror({
    store,
    host: '127.0.0.1',
    port: 0,
    token: 'option-token',
    env: {},
  });
  try {
    t.is((await request(explicit.port, '/api/state')).status, 401, 'a token on loopback is enforced too');
    const withToken = { headers: { Authorization: 'Bearer option-token' } };
    t.is((await request(explicit.port, '/api/state', withToken)).status, 200);
  } finally {
    await explicit.close();
  }
});

test.serial('a port already in use is a clear error, and the first mirror keeps serving', async (t) => {
  const store = settableStore(httpRunningState);
  const first = await startHttpMirror({ store, port: 0, env: {} });
  try {
    const error = await t.throwsAsync(startHttpMirror({ store, port: first.port, env: {} }));
    t.regex(error?.message ?? '', new RegExp(`^port ${first.port} is already in use \\(EADDRINUSE`));
    t.is(store.listeners, 1, 'the failed mirror unsubscribed');
    t.is((await request(first.port, '/api/state')).status, 200);
  } finally {
    await first.close();
  }
  await t.throwsAsync(startHttpMirror({ store, port: 70_000, env: {} }), {
    message: /port must be an integer/,
  });
});
