import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { TrainingReport } from '../../shared/index.js';

// What the chaos suite checks after the run: pure functions over logs, reports and file listings.

const EPISODE_LINE = /\] (\S+) episode (\d+)\/(\d+): /;

/** How often each (job, episode) was finished, from the workers' logs (one line per finished episode). */
export function episodeCounts(logs: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of logs) {
    for (const line of text.split('\n')) {
      const m = EPISODE_LINE.exec(line);
      if (!m) continue;
      const key = `${m[1]} episode ${m[2]}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/** How many worker processes started, from the workers' logs (each start logs its job count once). */
export function workerStarts(logs: readonly string[]): number {
  return logs.reduce((n, text) => n + (text.match(/\] worker \d+: \d+ jobs, backend /g)?.length ?? 0), 0);
}

/** Lines of the logs matching a pattern. */
export function countLines(logs: readonly string[], pattern: RegExp): number {
  return logs.reduce((n, text) => n + text.split('\n').filter((l) => pattern.test(l)).length, 0);
}

/** What an out-of-sample comparison looks at, per job: everything the evaluation produced. */
const outOfSample = (job: TrainingReport['jobs'][number]) =>
  JSON.stringify({
    status: job.status,
    metrics: job.metrics,
    baselines: job.baselines,
    selectedEpisode: job.selectedEpisode ?? null,
    validation: job.validation ?? null,
  });

/** Jobs whose out-of-sample results differ between two reports (or are missing from one). */
export function differingJobs(expected: TrainingReport, actual: TrainingReport): string[] {
  const byId = new Map(actual.jobs.map((j) => [j.jobId, j]));
  const differing: string[] = [];
  for (const job of expected.jobs) {
    const other = byId.get(job.jobId);
    if (!other) differing.push(`${job.jobId}: missing`);
    else if (outOfSample(job) !== outOfSample(other)) differing.push(`${job.jobId}: different results`);
  }
  const bestOf = (r: TrainingReport) => JSON.stringify(r.bestModels.map((b) => [b.pair, b.jobId]));
  if (bestOf(expected) !== bestOf(actual)) differing.push('the best model per pair differs');
  return differing;
}

/** path → size and mtime of every file under the roots (skipping `skip`), to prove nothing else was written. */
export async function snapshotFiles(
  roots: readonly string[],
  skip: (file: string) => boolean,
): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (dir: string) => {
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (skip(full)) continue;
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) {
        const stat = await fs.stat(full).catch(() => null);
        if (stat) files.set(full, `${stat.size}:${stat.mtimeMs}`);
      }
    }
  };
  for (const root of roots) await walk(root);
  return files;
}

/** Files added, removed or changed between two snapshots. */
export function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed: string[] = [];
  for (const [file, stamp] of after) if (before.get(file) !== stamp) changed.push(file);
  for (const file of before.keys()) if (!after.has(file)) changed.push(`${file} (removed)`);
  return changed.sort();
}
