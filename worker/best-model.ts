import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { JobResult } from '../shared/index.js';
import { TEMP_PREFIX } from '../shared/index.js';

/**
 * Orders finished jobs of one pair: higher out-of-sample Sharpe first (no Sharpe last), then higher
 * P/L. Selecting on the held-out slice makes the best-of-N optimistic; the README says so.
 */
export function compareJobs(a: JobResult, b: JobResult): number {
  const sa = a.metrics?.sharpe ?? Number.NEGATIVE_INFINITY;
  const sb = b.metrics?.sharpe ?? Number.NEGATIVE_INFINITY;
  if (sa !== sb) return sb - sa;
  return (b.metrics?.pnlPct ?? Number.NEGATIVE_INFINITY) - (a.metrics?.pnlPct ?? Number.NEGATIVE_INFINITY);
}

/** The best finished job of `pair` among `jobs`, or null when none finished. */
export function bestJobOfPair(jobs: readonly JobResult[], pair: string): JobResult | null {
  const done = jobs.filter((j) => j.pair === pair && j.status === 'done' && j.metrics && j.modelPath);
  return done.sort(compareJobs)[0] ?? null;
}

/**
 * Copies a job's model folder to `target` so a reader never sees a half-copied model: copy into a
 * temp sibling, move the old one aside, rename the new one in, then delete the old one.
 */
export async function publishModel(source: string, target: string): Promise<void> {
  const parent = path.dirname(target);
  await fs.mkdir(parent, { recursive: true });
  const suffix = randomBytes(6).toString('hex');
  const staging = path.join(parent, `${TEMP_PREFIX}${path.basename(target)}.${suffix}`);
  const old = path.join(parent, `${TEMP_PREFIX}old-${path.basename(target)}.${suffix}`);
  await fs.cp(source, staging, { recursive: true });
  let moved = false;
  try {
    await fs.rename(target, old);
    moved = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await fs.rename(staging, target);
  if (moved) await fs.rm(old, { recursive: true, force: true });
}
