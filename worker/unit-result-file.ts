import path from 'node:path';
import { z } from 'zod';
import { EpisodeStatSchema, EvalMetricsSchema, readJsonTolerant, writeJsonAtomic } from '../shared/index.js';
import { type DecisionTable, decodeTable, encodeTable } from './decision-table.js';
import type { IndexRange } from './split.js';
import type { UnitKey, UnitOutcome } from './train-unit.js';

// A finished unit (one seed on one fold) of an unfinished job: small enough to keep until the job is
// done (curve, kept weights, test decisions), so a restarted worker never trains it again.
const TableSchema = z.object({ start: z.number().int(), end: z.number().int(), actions: z.string() });

const UnitResultSchema = z.object({
  schema: z.literal(1),
  id: z.string(),
  fold: z.number().int().positive(),
  seedIndex: z.number().int().positive(),
  seed: z.number().int(),
  episodes: z.array(EpisodeStatSchema),
  resumedFromEpisode: z.number().int().nonnegative(),
  selectedEpisode: z.number().int().positive().nullable(),
  validation: EvalMetricsSchema,
  /** The kept weights, little-endian float32, base64. */
  params: z.string(),
  table: TableSchema,
  validationTable: TableSchema,
});

/** `fold-K-seed-S`: the folder of a unit's episode checkpoints and the stem of its result file. */
export function unitFolderName(unit: Pick<UnitKey, 'fold' | 'seedIndex'>): string {
  return `fold-${unit.fold}-seed-${unit.seedIndex}`;
}

const tableJson = (table: DecisionTable) => ({
  start: table.start,
  end: table.end,
  actions: encodeTable(table),
});

const resultFile = (dir: string, unit: UnitKey) => path.join(dir, `${unitFolderName(unit)}.json`);

/** Records a finished unit in the job's checkpoint folder (atomically). */
export async function saveUnitResult(dir: string, id: string, outcome: UnitOutcome): Promise<void> {
  const { params } = outcome;
  await writeJsonAtomic(resultFile(dir, outcome.unit), {
    schema: 1,
    id,
    fold: outcome.unit.fold,
    seedIndex: outcome.unit.seedIndex,
    seed: outcome.unit.seed,
    episodes: outcome.episodes,
    resumedFromEpisode: outcome.resumedFromEpisode,
    selectedEpisode: outcome.selectedEpisode,
    validation: outcome.validation,
    params: Buffer.from(params.buffer, params.byteOffset, params.byteLength).toString('base64'),
    table: tableJson(outcome.table),
    validationTable: tableJson(outcome.validationTable),
  });
}

/**
 * A unit finished by an earlier start of this job, or null. One that does not match what this start
 * would train (another id or seed, another test window, unreadable) is reported and ignored: the
 * unit is trained again rather than trusted.
 */
export async function loadUnitResult(
  dir: string,
  id: string,
  unit: UnitKey,
  windows: { test: IndexRange; validation: IndexRange },
  warn: (message: string) => void,
): Promise<UnitOutcome | null> {
  const file = resultFile(dir, unit);
  const read = await readJsonTolerant(file, UnitResultSchema);
  if (!read.ok) {
    if (read.reason !== 'missing') warn(`ignoring finished unit: ${read.message}`);
    return null;
  }
  const saved = read.value;
  if (saved.id !== id || saved.seed !== unit.seed) {
    warn(`ignoring ${file}: it is ${saved.id} with seed ${saved.seed}, not ${id} with seed ${unit.seed}`);
    return null;
  }
  for (const [name, saw, want] of [
    ['test window', saved.table, windows.test],
    ['validation slice', saved.validationTable, windows.validation],
  ] as const) {
    if (saw.start !== want.start || saw.end !== want.end) {
      warn(`ignoring ${file}: its ${name} is not [${want.start}, ${want.end})`);
      return null;
    }
  }
  try {
    const bytes = Buffer.from(saved.params, 'base64');
    const params = new Float32Array(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    );
    return {
      unit,
      episodes: saved.episodes,
      resumedFromEpisode: saved.resumedFromEpisode,
      selectedEpisode: saved.selectedEpisode,
      validation: saved.validation,
      params,
      table: decodeTable(saved.table.actions, windows.test, file),
      validationTable: decodeTable(saved.validationTable.actions, windows.validation, file),
    };
  } catch (error) {
    warn(`ignoring ${file}: ${(error as Error).message}`);
    return null;
  }
}
