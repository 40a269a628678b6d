import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { z } from 'zod';
import { readJsonTolerant, TolerantJsonFile, writeJsonAtomic } from './atomic-json.js';

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

test('readJsonTolerant types missing, half-written and invalid files instead of throwing', async (t) => {
  const dir = await tempDir();
  const file = path.join(dir, 'b.json');
  t.like(await readJsonTolerant(file, Schema), { ok: false, reason: 'missing' });
  await fs.writeFile(file, '{"schema": 1, "n": ');
  t.like(await readJsonTolerant(file, Schema), { ok: false, reason: 'invalid-json' });
  await fs.writeFile(file, '{"schema": 1, "n": "x"}');
  const bad = await readJsonTolerant(file, Schema);
  t.like(bad, { ok: false, reason: 'invalid-schema' });
  t.regex(bad.ok ? '' : bad.message, /b\.json: n: /);
});

test('TolerantJsonFile keeps the last good value and reports each problem once', async (t) => {
  const dir = await tempDir();
  const file = path.join(dir, 'c.json');
  const problems: string[] = [];
  const reader = new TolerantJsonFile(file, Schema, (m) => problems.push(m));
  t.is(await reader.read(), undefined);
  await writeJsonAtomic(file, { schema: 1, n: 1 });
  t.deepEqual(await reader.read(), { schema: 1, n: 1 });
  await fs.writeFile(file, '{oops');
  t.deepEqual(await reader.read(), { schema: 1, n: 1 });
  t.deepEqual(await reader.read(), { schema: 1, n: 1 });
  t.is(problems.length, 1);
  t.regex(problems[0]!, /c\.json: invalid JSON/);
});

test.serial('writes fsync before the rename unless the caller says the file is not durable', async (t) => {
  const dir = await tempDir();
  const file = path.join(dir, 'd.json');
  // FileHandle is not exported: reach its prototype through a handle, and count sync() calls.
  const probe = await fs.open(dir, 'r');
  const proto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
  await probe.close();
  const original = proto.sync;
  let syncs = 0;
  proto.sync = function (this: unknown) {
    syncs += 1;
    return original.call(this);
  };
  try {
    await writeJsonAtomic(file, { schema: 1, n: 1 });
    t.is(syncs, 1, 'durable by default');
    await writeJsonAtomic(file, { schema: 1, n: 2 }, { durable: false });
    t.is(syncs, 1, 'no fsync for a non-durable write');
    await writeJsonAtomic(file, { schema: 1, n: 3 }, { durable: true });
    t.is(syncs, 2);
  } finally {
    proto.sync = original;
  }
  t.deepEqual(await fs.readdir(dir), ['d.json']);
  t.deepEqual(await readJsonTolerant(file, Schema), { ok: true, value: { schema: 1, n: 3 } });
});
