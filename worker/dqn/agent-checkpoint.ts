import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  DqnHyperparametersSchema,
  formatZodIssues,
  writeFileAtomic,
  writeJsonAtomic,
} from '../../shared/index.js';
import type { AgentCheckpoint } from './dqn-agent.js';

/** The checkpoint's JSON half; it names the binary half, which is content-addressed. */
export const CHECKPOINT_JSON = 'checkpoint.json';

type ArrayKind = 'f32' | 'f64' | 'u8';
type AnyArray = Float32Array | Float64Array | Uint8Array;

const ArrayEntrySchema = z.object({
  dtype: z.enum(['f32', 'f64', 'u8']),
  offset: z.number().int().nonnegative(),
  length: z.number().int().nonnegative(),
});

const CheckpointJsonSchema = z.object({
  schema: z.literal(1),
  version: z.literal(1),
  inputSize: z.number().int().positive(),
  actions: z.number().int().min(2),
  seed: z.number(),
  totalSteps: z.number().positive(),
  engine: z.enum(['js', 'tfjs']),
  hyperparameters: DqnHyperparametersSchema,
  steps: z.number().int().nonnegative(),
  updates: z.number().int().nonnegative(),
  lastLoss: z.number().nullable(),
  actRng: z.array(z.number().int()).length(4),
  sampleRng: z.array(z.number().int()).length(4),
  adam: z.object({ beta1Power: z.number(), beta2Power: z.number(), step: z.number().int().nonnegative() }),
  replay: z.object({
    capacity: z.number().int().positive(),
    obsSize: z.number().int().positive(),
    cursor: z.number().int().nonnegative(),
    size: z.number().int().nonnegative(),
  }),
  binary: z.object({
    file: z.string().regex(/^checkpoint-[0-9a-f]{16}\.bin$/),
    bytes: z.number().int(),
    sha256: z.string(),
  }),
  arrays: z.record(z.string(), ArrayEntrySchema),
});

const BYTES: Record<ArrayKind, number> = { f32: 4, f64: 8, u8: 1 };

function kindOf(array: AnyArray): ArrayKind {
  if (array instanceof Float64Array) return 'f64';
  if (array instanceof Float32Array) return 'f32';
  return 'u8';
}

/**
 * Writes a checkpoint as checkpoint.json + checkpoint-<hash>.bin. The binary is written first
 * (temp, fsync, rename) under a name derived from its content, then the JSON atomically: a reader
 * sees either the old pair or the new pair, never a mix. The previous binary is removed last.
 */
export async function writeAgentCheckpoint(dir: string, checkpoint: AgentCheckpoint): Promise<void> {
  const arrays: Record<string, AnyArray> = {
    online: checkpoint.network.online,
    target: checkpoint.network.target,
    adamM: checkpoint.network.adam.m,
    adamV: checkpoint.network.adam.v,
    obs: checkpoint.replay.obs,
    nextObs: checkpoint.replay.nextObs,
    actions: checkpoint.replay.actions,
    rewards: checkpoint.replay.rewards,
    dones: checkpoint.replay.dones,
  };
  const table: Record<string, z.infer<typeof ArrayEntrySchema>> = {};
  // The file is the arrays in order, each at an 8-byte boundary. It is hashed and written chunk by
  // chunk from the arrays themselves: a full replay buffer is megabytes, and one more copy of it
  // per episode showed in the job-loop profile (bench/job-loop.ts).
  const chunks: Uint8Array[] = [];
  const hash = createHash('sha256');
  let bytes = 0;
  for (const [name, array] of Object.entries(arrays)) {
    const padding = Math.ceil(bytes / 8) * 8 - bytes;
    if (padding > 0) chunks.push(new Uint8Array(padding));
    bytes += padding;
    table[name] = { dtype: kindOf(array), offset: bytes, length: array.length };
    chunks.push(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    bytes += array.byteLength;
  }
  for (const chunk of chunks) hash.update(chunk);
  const sha256 = hash.digest('hex');
  const binFile = `checkpoint-${sha256.slice(0, 16)}.bin`;
  await fs.mkdir(dir, { recursive: true });
  const previous = await readBinaryName(dir);
  await writeFileAtomic(path.join(dir, binFile), chunks);
  const { network, replay } = checkpoint;
  await writeJsonAtomic(path.join(dir, CHECKPOINT_JSON), {
    schema: 1,
    version: checkpoint.version,
    inputSize: checkpoint.inputSize,
    actions: checkpoint.actions,
    seed: checkpoint.seed,
    totalSteps: checkpoint.totalSteps,
    engine: checkpoint.engine,
    hyperparameters: checkpoint.hyperparameters,
    steps: checkpoint.steps,
    updates: checkpoint.updates,
    lastLoss: checkpoint.lastLoss,
    actRng: checkpoint.actRng,
    sampleRng: checkpoint.sampleRng,
    adam: {
      beta1Power: network.adam.beta1Power,
      beta2Power: network.adam.beta2Power,
      step: network.adam.step,
    },
    replay: { capacity: replay.capacity, obsSize: replay.obsSize, cursor: replay.cursor, size: replay.size },
    binary: { file: binFile, bytes, sha256 },
    arrays: table,
  });
  if (previous && previous !== binFile) await fs.rm(path.join(dir, previous), { force: true });
}

async function readBinaryName(dir: string): Promise<string | null> {
  try {
    const json = JSON.parse(await fs.readFile(path.join(dir, CHECKPOINT_JSON), 'utf8')) as {
      binary?: { file?: unknown };
    };
    const file = json.binary?.file;
    return typeof file === 'string' && /^checkpoint-[0-9a-f]{16}\.bin$/.test(file) ? file : null;
  } catch {
    return null;
  }
}

/** Reads a checkpoint written by writeAgentCheckpoint; every problem is an error naming the file and field. */
export async function readAgentCheckpoint(dir: string): Promise<AgentCheckpoint> {
  const jsonPath = path.join(dir, CHECKPOINT_JSON);
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(jsonPath, 'utf8'));
  } catch (error) {
    throw new Error(`${jsonPath}: cannot read checkpoint (${(error as Error).message})`);
  }
  const parsed = CheckpointJsonSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${jsonPath}: ${formatZodIssues(parsed.error)}`);
  const meta = parsed.data;
  const binPath = path.join(dir, meta.binary.file);
  let buffer: Buffer;
  try {
    buffer = await fs.readFile(binPath);
  } catch (error) {
    throw new Error(`${binPath}: cannot read checkpoint data (${(error as Error).message})`);
  }
  if (buffer.length !== meta.binary.bytes) {
    throw new Error(`${binPath}: ${buffer.length} bytes, ${jsonPath} expects ${meta.binary.bytes}`);
  }
  if (createHash('sha256').update(buffer).digest('hex') !== meta.binary.sha256) {
    throw new Error(`${binPath}: content does not match the sha256 in ${jsonPath}`);
  }
  const take = <K extends ArrayKind>(
    name: string,
    dtype: K,
  ): K extends 'f32' ? Float32Array : K extends 'f64' ? Float64Array : Uint8Array => {
    const entry = meta.arrays[name];
    if (!entry) throw new Error(`${jsonPath}: arrays.${name} is missing`);
    if (entry.dtype !== dtype)
      throw new Error(`${jsonPath}: arrays.${name}.dtype is ${entry.dtype}, expected ${dtype}`);
    const end = entry.offset + entry.length * BYTES[dtype];
    if (end > buffer.length)
      throw new Error(`${jsonPath}: arrays.${name} runs past the end of ${meta.binary.file}`);
    const copy = new Uint8Array(buffer.subarray(entry.offset, end)).buffer;
    const Ctor = dtype === 'f32' ? Float32Array : dtype === 'f64' ? Float64Array : Uint8Array;
    return new Ctor(copy) as never;
  };
  return {
    version: 1,
    inputSize: meta.inputSize,
    actions: meta.actions,
    seed: meta.seed,
    totalSteps: meta.totalSteps,
    engine: meta.engine,
    hyperparameters: meta.hyperparameters,
    steps: meta.steps,
    updates: meta.updates,
    lastLoss: meta.lastLoss,
    actRng: meta.actRng,
    sampleRng: meta.sampleRng,
    network: {
      online: take('online', 'f32'),
      target: take('target', 'f32'),
      adam: { m: take('adamM', 'f64'), v: take('adamV', 'f64'), ...meta.adam },
    },
    replay: {
      ...meta.replay,
      obs: take('obs', 'f32'),
      nextObs: take('nextObs', 'f32'),
      actions: take('actions', 'u8'),
      rewards: take('rewards', 'f32'),
      dones: take('dones', 'u8'),
    },
  };
}
