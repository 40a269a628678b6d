import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { z } from 'zod';
import { readJsonTolerant, readJsonTolerantSync, TolerantJsonFile, writeJsonAtomic } from './atomic-json.js';

const Schema = z.object({ schema: z.literal(1), n: z.number() });

async function tempDir() {
  return fs.mkdtemp(path.join(os.tmpdir(), 'atw-json-'));
}

test('writeJsonAtomic leaves only the target file behind and it reads back', async (t) => {
  const dir = await tempDir();
  const file = path.join(dir, 'a.json');
  await writeJsonAtomic(file, { schema: 1, n: 3 });
  t.deepEqual(await fs.readdir(dir), ['a.json']);
  t.deepEqual(await readJsonTolerant(file, Schema), { ok: true, value: { schema: 1, n: 3 } });
});

for (const [name, read] of [
  ['readJsonTolerant', readJsonTolerant],
  ['readJsonTolerantSync', async (file: string, schema: typeof Schema) => readJsonTolerantSync(file, schema)],
] as const) {
  test(`${name} types missing, half-written and invalid files instead of throwing`, async (t) => {
    const dir = await tempDir();
    const file = path.join(dir, 'b.json');
    t.like(await read(file, Schema), { ok: false, reason: 'missing' });
    await fs.writeFile(file, '{"schema": 1, "n": ');
    t.like(await read(file, Schema), { ok: false, reason: 'invalid-json' });
    await fs.writeFile(file, '{"schema": 1, "n": "x"}');
    const bad = await read(file, Schema);
    t.like(bad, { ok: false, reason: 'invalid-schema' });
    t.regex(bad.ok ? '' : bad.message, /b\.json: n: /);
    await fs.rm(file);
    await fs.mkdir(file);
    t.like(await read(file, Schema), { ok: false, reason: 'unreadable' });
  });
}

for (const sync of [false, true]) {
  test(`TolerantJsonFile keeps the last good value and reports each problem once (${sync ? 'readSync' : 'read'})`, async (t) => {
    const dir = await tempDir();
    const file = path.join(dir, 'c.json');
    const problems: string[] = [];
    const reader = new TolerantJsonFile(file, Schema, (m) => problems.push(m));
    const read = async () => (sync ? reader.readSync() : await reader.read());
    t.is(await read(), undefined);
    await writeJsonAtomic(file, { schema: 1, n: 1 });
    t.deepEqual(await read(), { schema: 1, n: 1 });
    await fs.writeFile(file, '{oops');
    t.deepEqual(await read(), { schema: 1, n: 1 });
    t.deepEqual(await read(), { schema: 1, n: 1 });
    t.is(problems.length, 1);
    t.regex(problems[0]!, /c\.json: invalid JSON/);
  });
}

// Issue 10, problem 8: a rename reported done must survive a power cut, so the folder holding it is
// fsynced after the rename. Checked on the real system calls (strace), not on a mock of `fs`.
async function traceAtomicWrite(options: string): Promise<{ lines: string[]; dir: string }> {
  const dir = await tempDir();
  const script = path.join(dir, 'write.mjs');
  await fs.writeFile(
    script,
    `const { writeJsonAtomic } = await import(${JSON.stringify(new URL('./atomic-json.ts', import.meta.url).href)});\n` +
      `await writeJsonAtomic(${JSON.stringify(path.join(dir, 'out', 'a.json'))}, { schema: 1, n: 1 }, ${options});\n`,
  );
  const trace = path.join(dir, 'trace');
  const { execa } = await import('execa');
  await execa('strace', [
    '-f',
    '-qq',
    '-e',
    'trace=openat,fsync,fdatasync,rename,renameat,renameat2',
    '-o',
    trace,
    process.execPath,
    '--import',
    'tsx',
    script,
  ]);
  return { lines: (await fs.readFile(trace, 'utf8')).split('\n'), dir: path.join(dir, 'out') };
}

const fdOf = (line: string) => /= (\d+)$/.exec(line.trim())?.[1];

test.serial('a durable atomic write fsyncs the file, renames it, then fsyncs its folder', async (t) => {
  const { lines, dir } = await traceAtomicWrite('{}');
  const renamed = lines.findIndex((l) => /rename(at2?)?\(.*\.tmp-a\.json\.[0-9a-f]+".*a\.json"/.test(l));
  t.true(renamed > 0, 'the temp file is renamed onto the target');
  // The open that succeeded: into a missing folder the first one fails and the folder is made.
  const fileFd = fdOf(lines.find((l) => l.includes('openat(') && l.includes('.tmp-a.json') && fdOf(l)) ?? '');
  t.truthy(fileFd);
  t.true(
    lines.slice(0, renamed).some((l) => new RegExp(`fsync\\(${fileFd}\\)`).test(l)),
    'the data is fsynced before the rename',
  );
  const after = lines.slice(renamed + 1);
  const dirOpen = after.find((l) => l.includes(`openat(AT_FDCWD, "${dir}",`) && l.includes('O_DIRECTORY'));
  t.truthy(dirOpen, `the folder ${dir} is opened after the rename`);
  const dirFd = fdOf(dirOpen ?? '');
  t.true(
    after.some((l) => new RegExp(`fsync\\(${dirFd}\\)\\s+= 0`).test(l)),
    'and fsynced, so the rename itself is on disk',
  );
});

test.serial('durable: false (status that only feeds a screen) renames without any fsync', async (t) => {
  const { lines } = await traceAtomicWrite('{ durable: false }');
  t.true(lines.some((l) => /rename(at2?)?\(.*a\.json"/.test(l)));
  t.false(
    lines.some((l) => /fsync\(|fdatasync\(/.test(l)),
    'no fsync at all: a lost screen status is rewritten within a second',
  );
});
