import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { compareForSelection, type JobResult, TEMP_PREFIX } from '../shared/index.js';

/** The best finished job of `pair` among `jobs` (chosen on validation, see selectionScore), or null. */
export function bestJobOfPair(jobs: readonly JobResult[], pair: string): JobResult | null {
  const done = jobs.filter((j) => j.pair === pair && j.status === 'done' && j.metrics && j.modelPath);
  return done.sort(compareForSelection)[0] ?? null;
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
