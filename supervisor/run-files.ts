import { promises as fs } from 'node:fs';
import {
  parseWorkerFileName,
  type RunFile,
  RunFileSchema,
  readJsonTolerant,
  runFile,
  writeJsonAtomic,
} from '../shared/index.js';

/** Reads results/run.json; null when the folder holds no run. */
export async function readRunFile(resultsDir: string): Promise<RunFile | null> {
  const read = await readJsonTolerant(runFile(resultsDir), RunFileSchema);
  if (read.ok) return read.value;
  if (read.reason === 'missing') return null;
  throw new Error(`${read.message}; pass --fresh to start over in this folder`);
}

export const writeRunFile = (resultsDir: string, value: RunFile) =>
  writeJsonAtomic(runFile(resultsDir), value);

/** Whether results/ holds worker files of some run (with or without run.json). */
export async function holdsWorkerFiles(resultsDir: string): Promise<boolean> {
  const names = await fs.readdir(resultsDir).catch(() => [] as string[]);
  return names.some((name) => parseWorkerFileName(name) !== null);
}
