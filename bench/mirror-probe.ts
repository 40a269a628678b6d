// The probe: 1,000 half-sent requests on the HTTP mirror of a process that keeps writing its
// own files, under a 1,024-descriptor limit (as on the machine the issue was found on). Run once
// with the mirror's connection cap and once without, in the same run, and compare.
//   npx tsx bench/mirror-probe.ts [connections] [descriptor limit]
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';

const connections = Number(process.argv[2] ?? 1_000);
const limit = Number(process.argv[3] ?? 1_024);
const fixture = path.join(import.meta.dirname, '..', 'test', 'fixtures', 'mirror-process.ts');

async function probe(cap: 'default' | 'none') {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-mirror-probe-'));
  const child = execa(
    'sh',
    ['-c', `ulimit -n ${limit} && exec "${process.execPath}" --import tsx "${fixture}"`],
    {
      env: { MIRROR_DIR: dir, ...(cap === 'none' ? { MIRROR_MAX_CONNECTIONS: 'none' } : {}) },
      reject: false,
    },
  );
  const lines: Record<string, unknown>[] = [];
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    partial += chunk.toString();
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) lines.push(JSON.parse(line));
  });
  while (!lines.some((l) => 'port' in l)) await new Promise((r) => setTimeout(r, 50));
  const port = (lines.find((l) => 'port' in l) as { port: number }).port;
  const sockets: net.Socket[] = [];
  let closed = 0;
  for (let i = 0; i < connections; i++) {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.on('close', () => {
      closed++;
    });
    socket.on('connect', () => socket.write('GET /api/state HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: '));
    sockets.push(socket);
    if (i % 50 === 49) await new Promise((r) => setTimeout(r, 20));
  }
  // Hold them for 8 s (the process writes a file every 50 ms meanwhile).
  await new Promise((r) => setTimeout(r, 8_000));
  for (const s of sockets) s.destroy();
  child.kill('SIGTERM');
  await child;
  rmSync(dir, { recursive: true, force: true });
  const fds = lines.filter((l) => 'fds' in l).map((l) => l.fds as number);
  return {
    cap,
    writeErrors: lines.filter((l) => 'writeError' in l).length,
    writes: 8_000 / 50,
    peakDescriptors: Math.max(...fds),
    closedByServerWithin8s: closed,
  };
}

const results = [await probe('default'), await probe('none')];
console.log(JSON.stringify({ connections, descriptorLimit: limit, results }, null, 2));
