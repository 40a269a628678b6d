import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ensembleDir, pairFileStem } from '../shared/index.js';

/** `models/ensembles/PAIR/`: where a run keeps each pair's ensemble manifest. */
export const pairEnsembleDir = (models: string, pair: string) =>
  path.join(models, 'ensembles', pairFileStem(pair));

export interface PairModel {
  pair: string;
  /** A model folder or an ensemble manifest. */
  path: string;
  kind: 'ensemble' | 'model';
}

const exists = (p: string) =>
  fs.access(p).then(
    () => true,
    () => false,
  );

/**
 * The model a pair's paper trader uses from a run's models folder: its ensemble
 * (`ensembles/PAIR/ensemble.json`) unless `prefer` is `best`, else the best model the run kept
 * (`worker_N_PAIR_model/`; the newest when several runs left one).
 */
export async function resolvePairModel(
  models: string,
  pair: string,
  prefer: 'ensemble' | 'best',
): Promise<PairModel> {
  const manifest = path.join(ensembleDir(models, pair), 'ensemble.json');
  if (prefer === 'ensemble' && (await exists(manifest))) return { pair, path: manifest, kind: 'ensemble' };
  const suffix = `_${pairFileStem(pair)}_model`;
  let names: string[] = [];
  try {
    names = (await fs.readdir(models)).filter((n) => /^worker_\d+_/.test(n) && n.endsWith(suffix));
  } catch (error) {
    throw new Error(
      `--models ${models}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (error as Error).message}`,
    );
  }
  const found = await Promise.all(
    names.map(async (n) => ({
      dir: path.join(models, n),
      at: (await fs.stat(path.join(models, n))).mtimeMs,
    })),
  );
  const best = found.sort((a, b) => b.at - a.at)[0];
  if (!best) {
    throw new Error(
      `${pair}: no model in ${models} (looked for ${path.join('ensembles', pairFileStem(pair), 'ensemble.json')} and worker_N${suffix}/)`,
    );
  }
  return { pair, path: best.dir, kind: 'model' };
}

/** The pairs a run's models folder has a model or ensemble for, in the order of their file names. */
export async function pairsWithModels(models: string): Promise<string[]> {
  const names = await fs.readdir(models).catch(() => [] as string[]);
  const stems = names
    .map((n) => /^worker_\d+_(.+)_model$/.exec(n)?.[1])
    .filter((s): s is string => Boolean(s));
  const ensembles = await fs.readdir(path.join(models, 'ensembles')).catch(() => [] as string[]);
  return [...new Set([...stems, ...ensembles])].map((stem) => stem.replace(/_/g, '-'));
}
