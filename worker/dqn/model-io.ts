import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { formatZodIssues, writeFileAtomic, writeJsonAtomic } from '../../shared/index.js';
import { buildSequentialQNetwork, setFlatWeights } from './tfjs-q-network.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';
export const FEATURE_SETTINGS_JSON = 'feature-settings.json';

/** What a saved model needs beside its weights to be used on new data: how its inputs were made, what its outputs mean. */
export const ModelMetadataSchema = z.object({
  schema: z.literal(1),
  /** The feature pipeline's settings (window size, indicators …), as the feature module reports them. */
  featureSettings: z.record(z.string(), z.unknown()),
  /** Version of the feature pipeline; a model is only valid on observations of the same version. */
  featureVersion: z.union([z.string(), z.number()]),
  inputSize: z.number().int().positive(),
  hiddenLayers: z.array(z.number().int().positive()).min(1),
  /** actionMeanings[i] is what output i means, e.g. ['flat', 'long']. */
  actionMeanings: z.array(z.string()).min(2),
  /** Free-form provenance: pair, variant, seed, backend, engine … */
  extra: z.record(z.string(), z.unknown()).optional(),
});
export type ModelMetadata = z.infer<typeof ModelMetadataSchema>;

/**
 * Saves a network (flat mlp.ts parameters) in TensorFlow.js layers format — model.json + weights.bin,
 * as tfjs's file:// handler writes them — with feature-settings.json beside it (also embedded as
 * userDefinedMetadata). Each file is written atomically; weights first, so model.json never points at missing weights.
 */
export async function saveModel(dir: string, params: Float32Array, metadata: ModelMetadata): Promise<void> {
  const checked = ModelMetadataSchema.safeParse(metadata);
  if (!checked.success) throw new Error(`saveModel metadata: ${formatZodIssues(checked.error)}`);
  const meta = checked.data;
  const model = buildSequentialQNetwork(meta.inputSize, meta.hiddenLayers, meta.actionMeanings.length);
  try {
    setFlatWeights(model, params);
    await fs.mkdir(dir, { recursive: true });
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        const weightData = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? []);
        await writeFileAtomic(path.join(dir, WEIGHTS_BIN), new Uint8Array(weightData));
        await writeJsonAtomic(path.join(dir, MODEL_JSON), {
          modelTopology: artifacts.modelTopology,
          format: artifacts.format,
          generatedBy: artifacts.generatedBy,
          convertedBy: artifacts.convertedBy,
          weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs }],
          userDefinedMetadata: meta,
        });
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
  } finally {
    model.dispose();
  }
  await writeJsonAtomic(path.join(dir, FEATURE_SETTINGS_JSON), meta);
}

/** A loaded model and the metadata saved beside it. */
export interface LoadedModel {
  model: tf.LayersModel;
  metadata: ModelMetadata;
}

/**
 * A tfjs IOHandler that reads a layers model from a folder with node:fs: what `file://` does under
 * tfjs-node, for plain @tensorflow/tfjs (whose own `file://` needs tfjs-node and whose http
 * handler fails in Node with "fetch failed").
 */
export function fileModelHandler(dir: string): tf.io.IOHandler {
  const jsonPath = path.join(dir, MODEL_JSON);
  return {
    load: async () => {
      let modelJson: tf.io.ModelJSON;
      try {
        modelJson = JSON.parse(await fs.readFile(jsonPath, 'utf8')) as tf.io.ModelJSON;
      } catch (error) {
        throw new Error(`${jsonPath}: cannot read model (${(error as Error).message})`);
      }
      const manifest = modelJson.weightsManifest;
      if (!Array.isArray(manifest) || manifest.length === 0)
        throw new Error(`${jsonPath}: weightsManifest is missing`);
      return tf.io.getModelArtifactsForJSON(modelJson, async (groups) => {
        const specs = groups.flatMap((group) => group.weights);
        const buffers = await Promise.all(
          groups.flatMap((group) =>
            group.paths.map(async (p) => {
              const file = path.join(dir, p);
              try {
                const data = await fs.readFile(file);
                return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
              } catch (error) {
                throw new Error(`${file}: cannot read weights (${(error as Error).message})`);
              }
            }),
          ),
        );
        return [specs, tf.io.CompositeArrayBuffer.join(buffers)];
      });
    },
  };
}

/** Reads and validates the metadata a saved model keeps beside its weights (feature-settings.json). */
export async function readModelMetadata(dir: string): Promise<ModelMetadata> {
  const settingsPath = path.join(dir, FEATURE_SETTINGS_JSON);
  let rawSettings: unknown;
  try {
    rawSettings = JSON.parse(await fs.readFile(settingsPath, 'utf8'));
  } catch (error) {
    throw new Error(`${settingsPath}: cannot read feature settings (${(error as Error).message})`);
  }
  const settings = ModelMetadataSchema.safeParse(rawSettings);
  if (!settings.success) throw new Error(`${settingsPath}: ${formatZodIssues(settings.error)}`);
  return settings.data;
}

/** Loads a folder written by saveModel (works on any backend, without tfjs-node's file:// handler). */
export async function loadModel(dir: string): Promise<LoadedModel> {
  const handler = fileModelHandler(dir);
  // Read the artifacts first, so a missing model.json is reported before the metadata beside it.
  const artifacts = await handler.load!();
  const metadata = await readModelMetadata(dir);
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (error) {
    throw new Error(
      `${path.join(dir, MODEL_JSON)}: not a loadable layers model (${(error as Error).message})`,
    );
  }
  return { model, metadata };
}

/** Greedy actions (argmax of Q) for `observations`: either one flat row-major array or a list of rows. */
export function greedyActionsFromModel(
  model: tf.LayersModel,
  observations: Float32Array | readonly Float32Array[],
): Uint8Array {
  const width = model.inputs[0]?.shape[1];
  if (typeof width !== 'number')
    throw new Error('greedyActionsFromModel: the model has no fixed input width');
  let flat: Float32Array;
  if (observations instanceof Float32Array) {
    flat = observations;
  } else {
    flat = new Float32Array(observations.length * width);
    observations.forEach((row, i) => {
      if (row.length !== width) {
        throw new Error(
          `greedyActionsFromModel: observation ${i} has ${row.length} values, expected ${width}`,
        );
      }
      flat.set(row, i * width);
    });
  }
  if (flat.length % width !== 0) {
    throw new Error(
      `greedyActionsFromModel: ${flat.length} values is not a whole number of rows of ${width}`,
    );
  }
  const n = flat.length / width;
  if (n === 0) return new Uint8Array(0);
  const actions = tf.tidy(() => tf.argMax(model.predict(tf.tensor2d(flat, [n, width])) as tf.Tensor2D, 1));
  const result = Uint8Array.from(actions.dataSync());
  actions.dispose();
  return result;
}
