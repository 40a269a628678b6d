import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { type BackendName, loadModel, MODEL_JSON, selectBackend } from '../dqn/index.js';
import { EnsembleAgent } from './ensemble-agent.js';
import { ENSEMBLE_JSON, readEnsembleManifest } from './ensemble-manifest.js';
import { ModelAgent, modelInfo } from './model-agent.js';
import { type InferenceEngine, kernelQFunction, tfjsQFunction } from './q-function.js';
import type { TradingAgent } from './trading-agent.js';

export interface LoadAgentOptions {
  /**
   * What computes the Q-values: `kernel` (default) the forward pass the training evaluation ran,
   * so backtests reproduce training's numbers bit for bit; `tfjs` the TensorFlow.js model itself.
   */
  engine?: InferenceEngine;
  /** The tfjs backend to activate if none is active yet (default: tfjs-node, else wasm, else cpu). */
  backend?: BackendName;
}

const isFile = (p: string) =>
  fs.stat(p).then(
    (s) => s.isFile(),
    () => false,
  );

/**
 * Loads a saved model folder (model.json, weights.bin, feature-settings.json) or an ensemble
 * (a folder with ensemble.json, or the manifest itself) with plain @tensorflow/tfjs through a file
 * IO handler. A model whose features do not match this code is refused, naming the difference.
 */
export async function loadAgent(target: string, options: LoadAgentOptions = {}): Promise<TradingAgent> {
  const resolved = path.resolve(target);
  const manifest = resolved.endsWith('.json') ? resolved : path.join(resolved, ENSEMBLE_JSON);
  if (
    (resolved.endsWith('.json') || !(await isFile(path.join(resolved, MODEL_JSON)))) &&
    (await isFile(manifest))
  ) {
    return loadEnsemble(manifest, options);
  }
  if (resolved.endsWith('.json')) throw new Error(`${resolved}: no such ensemble manifest`);
  return loadModelAgent(resolved, options);
}

async function loadModelAgent(dir: string, options: LoadAgentOptions): Promise<ModelAgent> {
  if (!(await isFile(path.join(dir, MODEL_JSON)))) {
    throw new Error(
      `${dir}: not a model folder (no ${MODEL_JSON}) and not an ensemble (no ${ENSEMBLE_JSON})`,
    );
  }
  // tfjs needs a backend to build the layers; choose ours unless the caller already chose one.
  if (!tf.engine().backendName) await selectBackend(options.backend);
  const { model, metadata } = await loadModel(dir);
  try {
    const info = modelInfo(dir, metadata);
    const engine = options.engine ?? 'kernel';
    if (engine === 'tfjs') return new ModelAgent(info, tfjsQFunction(model, path.join(dir, MODEL_JSON)));
    const network = kernelQFunction(model, path.join(dir, MODEL_JSON));
    model.dispose();
    return new ModelAgent(info, network);
  } catch (error) {
    model.dispose();
    throw error;
  }
}

async function loadEnsemble(file: string, options: LoadAgentOptions): Promise<EnsembleAgent> {
  const manifest = await readEnsembleManifest(file);
  const members: ModelAgent[] = [];
  try {
    for (const [i, dir] of manifest.memberDirs.entries()) {
      let member: ModelAgent;
      try {
        member = await loadModelAgent(dir, options);
      } catch (error) {
        throw new Error(`${file}: members.${i} (${manifest.members[i]!.path}): ${(error as Error).message}`);
      }
      members.push(member);
      if (member.pair !== null && member.pair !== manifest.pair) {
        throw new Error(
          `${file}: members.${i} (${manifest.members[i]!.path}) was trained for ${member.pair}, the ensemble is for ${manifest.pair}`,
        );
      }
    }
  } catch (error) {
    for (const m of members) m.dispose();
    throw error;
  }
  return new EnsembleAgent(file, manifest.pair, members, manifest.seed ?? members[0]!.randomSeed);
}
