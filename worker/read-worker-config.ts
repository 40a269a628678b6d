import { promises as fs } from 'node:fs';
import {
  formatZodIssues,
  type PaperConfig,
  PaperConfigSchema,
  type WorkerConfig,
  WorkerConfigSchema,
} from '../shared/index.js';

/** A worker's config: a training worker's jobs, or a paper worker's traders (`kind: "paper"`). */
export type AnyWorkerConfig = ({ kind: 'training' } & WorkerConfig) | PaperConfig;

/** Reads worker_N_config.json and validates it by its kind; a problem is one line naming file and field. */
export async function readWorkerConfig(file: string): Promise<AnyWorkerConfig> {
  let value: unknown;
  try {
    value = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  const kind = (value as { kind?: unknown } | null)?.kind;
  if (kind === 'paper') {
    const parsed = PaperConfigSchema.safeParse(value);
    if (!parsed.success) throw new Error(`${file}: ${formatZodIssues(parsed.error)}`);
    return parsed.data;
  }
  const parsed = WorkerConfigSchema.safeParse(value);
  if (!parsed.success) throw new Error(`${file}: ${formatZodIssues(parsed.error)}`);
  return { kind: 'training', ...parsed.data };
}
