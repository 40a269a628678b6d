// What a durable atomic write (fsync of the data and of the folder) costs against a rename-only one,
// on a status-sized JSON file (the writes workers make several times a second). Both are measured in
// the same run, interleaved, and reported as a ratio: absolute times on a shared machine mean little.
//   npx tsx bench/atomic-write-cost.ts [writes] [folder]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeJsonAtomic } from '../shared/atomic-json.js';
import { workerStatus as workerStatusFixture } from './worker-status-fixture.js';

const writes = Number(process.argv[2] ?? 400);
const root = mkdtempSync(path.join(process.argv[3] ?? os.tmpdir(), 'tw-write-cost-'));
const status = workerStatusFixture();
const file = path.join(root, 'worker_1_status.json');

async function timeWrites(durable: boolean, n: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await writeJsonAtomic(file, { ...status, seq: i }, { durable });
  return Number(process.hrtime.bigint() - start) / 1e6 / n;
}

const rounds = 4;
const per = Math.max(1, Math.floor(writes / rounds));
const ms = { durable: [] as number[], renameOnly: [] as number[] };
try {
  await timeWrites(true, 20);
  for (let r = 0; r < rounds; r++) {
    ms.durable.push(await timeWrites(true, per));
    ms.renameOnly.push(await timeWrites(false, per));
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const d = median(ms.durable);
const n = median(ms.renameOnly);
console.log(
  JSON.stringify({
    folder: path.dirname(root),
    writesPerKind: per * rounds,
    durableMsPerWrite: Number(d.toFixed(3)),
    renameOnlyMsPerWrite: Number(n.toFixed(3)),
    ratio: Number((d / n).toFixed(1)),
  }),
);
