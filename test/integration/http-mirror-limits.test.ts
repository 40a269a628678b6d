import { promises as fs } from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import net from 'node:net';
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { startHttpMirror } from '../../tui/http/index.js';
import { httpRunningState } from '../fixtures/http-state.js';
import { runCli } from '../helpers/cli.js';
import { fixturesDir } from '../helpers/run-fixture.js';
import { settableStore } from '../helpers/settable-store.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

// Issue 10, problem 4: a bounded mirror; nothing it suffers reaches the supervisor's own files.

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function get(
  port: number,
  target: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: target, method, headers, agent: false },
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

/** Opens `count` connections that send half a request and then nothing (a slowloris). */
async function halfOpen(port: number, count: number) {
  const sockets: net.Socket[] = [];
  let closedByServer = 0;
  for (let i = 0; i < count; i++) {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.on('close', () => {
      closedByServer++;
    });
    socket.on('connect', () => socket.write('GET /api/state HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: '));
    sockets.push(socket);
    // A few at a time: the kernel's accept backlog is finite.
    if (i % 50 === 49) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    get closed() {
      return closedByServer;
    },
    destroy: () => {
      for (const s of sockets) s.destroy();
    },
  };
}

test.serial(
  '1,000 half-open connections under a 512-descriptor limit: capped, timed out, and the process keeps writing its files',
  async (t) => {
    const { dir, remove } = makeTempDir();
    t.teardown(remove);
    // The process runs with a soft limit of 512 open files, as a small server might.
    const child = execa(
      'sh',
      [
        '-c',
        `ulimit -n 512 && exec "${process.execPath}" --import tsx "${path.join(fixturesDir, 'mirror-process.ts')}"`,
      ],
      { env: { MIRROR_DIR: dir }, reject: false },
    );
    t.teardown(() => {
      child.kill('SIGKILL');
    });
    const lines: Record<string, unknown>[] = [];
    child.stdout?.setEncoding('utf8');
    let partial = '';
    child.stdout?.on('data', (chunk: string) => {
      partial += chunk;
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) lines.push(JSON.parse(line));
    });
    const { port } = (await waitFor(
      () => lines.find((l) => 'port' in l),
      'the mirror to listen',
      60_000,
    )) as {
      port: number;
    };
    const attack = await halfOpen(port, 1_000);
    t.teardown(() => attack.destroy());
    // Held long enough for the process to write its file ~100 times meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const fds = lines.filter((l) => 'fds' in l).map((l) => l.fds as number);
    const errors = lines.filter((l) => 'writeError' in l).map((l) => l.writeError);
    t.deepEqual(errors, [], 'every write of its own files succeeded');
    t.true(Math.max(...fds) < 400, `descriptors stay well below the limit (peak ${Math.max(...fds)})`);
    await waitFor(
      () => attack.closed >= 1_000,
      'the server to close every half-open connection',
      30_000,
      100,
    );
    const after = await get(port, '/api/state');
    t.is(after.status, 200, 'the mirror serves again once the attack is over');
    const status = JSON.parse(await fs.readFile(path.join(dir, 'supervisor_status.json'), 'utf8'));
    t.true(status.n > 50);
  },
);

test.serial(
  'the token: checked first; from the Authorization header or a cookie that one ?token= visit sets, never in URLs',
  async (t) => {
    const token = 'cookie-test-token';
    const mirror = await startHttpMirror({ store: settableStore(httpRunningState), port: 0, token, env: {} });
    t.teardown(() => mirror.close());
    const refused = await get(mirror.port, '/', {}, 'POST');
    t.is(refused.status, 401, 'checked before the method');
    t.is(refused.headers.connection, 'close', 'an unauthenticated connection is closed');

    const visit = await get(mirror.port, `/?token=${token}`);
    t.is(visit.status, 303);
    t.is(visit.headers.location, '/', 'the token leaves the address bar');
    const setCookie = String(visit.headers['set-cookie']);
    t.regex(setCookie, /HttpOnly/);
    t.regex(setCookie, /SameSite=Strict/);
    t.false(setCookie.includes(token), 'the cookie is not the token');
    const cookie = setCookie.split(';')[0]!;

    const page = await get(mirror.port, '/', { Cookie: cookie });
    t.is(page.status, 200);
    t.false(page.body.includes(token), 'the page does not carry the token');
    t.false(page.body.includes('token='), 'nor write it into asset URLs');
    t.is((await get(mirror.port, '/app.js', { Cookie: cookie })).status, 200);
    t.is((await get(mirror.port, '/api/state', { Cookie: cookie })).status, 200);
    t.is((await get(mirror.port, '/api/state', { Cookie: 'tw_mirror=forged' })).status, 401);
    t.is((await get(mirror.port, '/api/state', { Authorization: `Bearer ${token}` })).status, 200);
    const query = await get(mirror.port, `/api/state?token=${token}`);
    t.is(query.status, 303, 'a token in the query only sets the cookie');
    t.is(query.headers.location, '/api/state');
    t.is((await get(mirror.port, '/api/state?token=wrong-wrong')).status, 401);
  },
);

test.serial(
  '--http-token is refused (it shows in ps); --http-token-file and the variable work',
  async (t) => {
    const { dir, remove } = makeTempDir();
    t.teardown(remove);
    const results = path.join(dir, 'results');
    await fs.mkdir(results);
    const inArgv = await runCli([
      'dashboard',
      '--results',
      results,
      '--http',
      '0',
      '--http-token',
      'secret-in-argv',
    ]);
    t.is(inArgv.exitCode, 2);
    t.regex(String(inArgv.stderr), /--http-token-file/);
    t.false(String(inArgv.stderr).includes('secret-in-argv'));

    const file = path.join(dir, 'token');
    await fs.writeFile(file, 'token-from-a-file\n', { mode: 0o600 });
    const viewer = runCli([
      'dashboard',
      '--headless',
      '--results',
      results,
      '--http',
      '0',
      '--http-token-file',
      file,
    ]);
    t.teardown(() => {
      viewer.kill('SIGKILL');
    });
    let stderr = '';
    viewer.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const url = await waitFor(
      () => /HTTP mirror: (http:\/\/\S+)/.exec(stderr)?.[1],
      'the mirror URL',
      60_000,
    );
    t.false(url.includes('token'));
    const port = Number(new URL(url).port);
    t.is((await get(port, '/api/state')).status, 401);
    t.is((await get(port, '/api/state', { Authorization: 'Bearer token-from-a-file' })).status, 200);
    viewer.kill('SIGINT');
    await viewer;
  },
);
