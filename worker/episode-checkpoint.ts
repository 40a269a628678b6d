import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  type EpisodeStat,
  EpisodeStatSchema,
  readJsonTolerant,
  writeFileAtomic,
  writeJsonAtomic,
} from '../shared/index.js';
import { DqnAgent, type EngineKind } from './dqn/index.js';

const LATEST = 'latest.json';

const LatestSchema = z.object({
  schema: z.literal(1),
  jobId: z.string(),
  /** Folder (inside the checkpoint dir) holding the agent after `episodes.length` episodes. */
  folder: z.string(),
  episodes: z.array(EpisodeStatSchema),
  agentSteps: z.number().int().nonnegative(),
  /** The best-validation snapshot so far: its episode and score; weights in `<folder>/best.bin`. */
  best: z.object({ episode: z.number().int().positive(), score: z.number() }).nullable().optional(),
});

const BEST_BIN = 'best.bin';

/** The weights of the episode with the best validation score so far (early stopping). */
export interface BestSnapshot {
  episode: number;
  score: number;
  params: Float32Array;
}

/** The state of a job after its last finished episode. */
export interface EpisodeCheckpoint {
  agent: DqnAgent;
  episodes: EpisodeStat[];
  best: BestSnapshot | null;
}

/**
 * Saves the agent after an episode: the agent goes into a new `ep-N/` folder, then `latest.json`
 * is renamed into place pointing at it, then older folders are removed. A kill at any point leaves
 * either the previous or the new checkpoint whole, never a mix.
 */
export async function saveEpisodeCheckpoint(
  dir: string,
  jobId: string,
  agent: DqnAgent,
  episodes: readonly EpisodeStat[],
  best: BestSnapshot | null,
): Promise<void> {
  const folder = `ep-${String(episodes.length).padStart(4, '0')}`;
  await agent.writeCheckpoint(path.join(dir, folder));
  if (best) {
    const bytes = new Uint8Array(best.params.buffer, best.params.byteOffset, best.params.byteLength);
    await writeFileAtomic(path.join(dir, folder, BEST_BIN), bytes);
  }
  await writeJsonAtomic(path.join(dir, LATEST), {
    schema: 1,
    jobId,
    folder,
    episodes,
    agentSteps: agent.steps,
    best: best ? { episode: best.episode, score: best.score } : null,
  });
  for (const entry of await fs.readdir(dir)) {
    if (entry.startsWith('ep-') && entry !== folder)
      await fs.rm(path.join(dir, entry), { recursive: true, force: true });
  }
}

/** A unit's `latest.json`: which folder holds its last checkpoint and the episodes it has seen. */
export function readCheckpointManifest(dir: string) {
  return readJsonTolerant(path.join(dir, LATEST), LatestSchema);
}

/**
 * Loads the last episode checkpoint of a job, or null when there is none. A checkpoint that does not
 * match (another job, unreadable, inconsistent) is reported through `warn` and ignored: the job
 * starts over rather than resuming from something it cannot trust.
 */
export async function loadEpisodeCheckpoint(
  dir: string,
  jobId: string,
  engine: EngineKind,
  warn: (message: string) => void,
): Promise<EpisodeCheckpoint | null> {
  const latest = await readCheckpointManifest(dir);
  if (!latest.ok) {
    if (latest.reason !== 'missing') warn(`ignoring checkpoint: ${latest.message}`);
    return null;
  }
  if (latest.value.jobId !== jobId) {
    warn(`ignoring checkpoint in ${dir}: it belongs to ${latest.value.jobId}, not ${jobId}`);
    return null;
  }
  try {
    const agent = await DqnAgent.readCheckpoint(path.join(dir, latest.value.folder), engine);
    if (agent.steps !== latest.value.agentSteps) {
      warn(
        `ignoring checkpoint in ${dir}: agent has ${agent.steps} steps, latest.json says ${latest.value.agentSteps}`,
      );
      return null;
    }
    let best: BestSnapshot | null = null;
    if (latest.value.best) {
      const bytes = await fs.readFile(path.join(dir, latest.value.folder, BEST_BIN));
      const params = new Float32Array(
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      );
      if (params.length !== agent.onlineParameters().length)
        throw new Error(`${BEST_BIN} has ${params.length} weights`);
      best = { ...latest.value.best, params };
    }
    return { agent, episodes: latest.value.episodes, best };
  } catch (error) {
    warn(`ignoring checkpoint in ${dir}: ${(error as Error).message}`);
    return null;
  }
}

/** Removes a job's checkpoints once its result is safely written. */
export async function clearEpisodeCheckpoint(dir: string): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true });
}
