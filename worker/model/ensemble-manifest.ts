import path from 'node:path';
import {
  type EnsembleManifest,
  EnsembleManifestSchema,
  readJsonTolerant,
  SCHEMA_VERSION,
  writeJsonAtomic,
} from '../../shared/index.js';

/** The manifest's file name inside an ensemble folder. */
export const ENSEMBLE_JSON = 'ensemble.json';

/** What an ensemble is made of, with absolute member folders. */
export interface EnsembleSpec {
  pair: string;
  /** Member model folders (absolute, or relative to the working directory). */
  members: { dir: string; jobId?: string; variant?: string; seed?: number }[];
  chosenBy: string;
  seed?: number;
  runId?: string;
}

/** Writes `dir/ensemble.json` atomically, members' folders relative to it; returns the file. */
export async function writeEnsembleManifest(
  dir: string,
  spec: EnsembleSpec,
  now = new Date(),
): Promise<string> {
  const file = path.join(dir, ENSEMBLE_JSON);
  const manifest: EnsembleManifest = {
    schema: SCHEMA_VERSION,
    kind: 'ensemble',
    pair: spec.pair,
    vote: 'majority',
    tie: 'flat',
    members: spec.members.map(({ dir: member, ...rest }) => ({
      path: path.relative(dir, path.resolve(member)).split(path.sep).join('/') || '.',
      ...rest,
    })),
    chosenBy: spec.chosenBy,
    ...(spec.seed === undefined ? {} : { seed: spec.seed }),
    ...(spec.runId === undefined ? {} : { runId: spec.runId }),
    createdAt: now.toISOString(),
  };
  EnsembleManifestSchema.parse(manifest);
  await writeJsonAtomic(file, manifest);
  return file;
}

/** Reads a manifest; members come back as absolute folders. Problems name the file and field. */
export async function readEnsembleManifest(
  file: string,
): Promise<EnsembleManifest & { memberDirs: string[] }> {
  const read = await readJsonTolerant(file, EnsembleManifestSchema);
  if (!read.ok)
    throw new Error(read.reason === 'missing' ? `${file}: no such ensemble manifest` : read.message);
  const base = path.dirname(file);
  return { ...read.value, memberDirs: read.value.members.map((m) => path.resolve(base, m.path)) };
}
